/* SPDX-License-Identifier: MIT */
#include "ring.h"

/* Loads and stores of shared fields: one access each, in program order
 * with the data copies (the other side may run between any two). */
static uint32_t load(volatile const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

uint32_t ring_data_size(uint32_t bytes)
{
    return bytes > RING_HEADER_SIZE ? bytes - RING_HEADER_SIZE : 0;
}

void ring_format(void *mem, uint32_t bytes)
{
    volatile struct ring_shared *s = mem;
    s->size = ring_data_size(bytes);
    s->read_index = 0;
    s->write_index = 0;
    s->writer_waiting = 0;
    for (unsigned i = 0; i < sizeof s->reserved / sizeof s->reserved[0]; i++)
        s->reserved[i] = 0;
    store(&s->magic, RING_MAGIC);
}

static enum ring_error fail(struct ring *r, enum ring_error e, uint32_t value)
{
    if (r->error == RING_OK) {
        r->error = e;
        r->bad_value = value;
    }
    return r->error;
}

enum ring_error ring_attach(struct ring *r, void *mem, uint32_t bytes, enum ring_role role)
{
    r->shared = mem;
    r->size = ring_data_size(bytes);
    r->role = role;
    r->error = RING_OK;
    r->bad_value = 0;
    r->mine = 0;
    /* Two bytes at least: one of them always stays free. */
    if (!mem || r->size < 2 || (role != RING_READER && role != RING_WRITER))
        return fail(r, RING_NOT_ATTACHED, bytes);
    /* A freshly formatted ring starts at 0; adopt our index only if it is
     * sane, so attaching to a ring already tampered with is an error too. */
    uint32_t own = load(role == RING_READER ? &r->shared->read_index
                                            : &r->shared->write_index);
    if (own >= r->size)
        return fail(r, role == RING_READER ? RING_BAD_READ_INDEX : RING_BAD_WRITE_INDEX, own);
    r->mine = own;
    uint32_t peer;
    return ring_check(r, &peer);
}

enum ring_error ring_check(struct ring *r, uint32_t *peer)
{
    /* LAB 6.1 BEGIN: check the shared header: trust nothing the peer wrote */
    *peer = 0;
    if (r->error)
        return r->error;
    volatile struct ring_shared *s = r->shared;
    uint32_t v = load(&s->magic);
    if (v != RING_MAGIC)
        return fail(r, RING_BAD_MAGIC, v);
    v = load(&s->size);
    if (v != r->size)
        return fail(r, RING_BAD_SIZE, v);
    uint32_t rd = load(&s->read_index), wr = load(&s->write_index);
    if (rd >= r->size)
        return fail(r, RING_BAD_READ_INDEX, rd);
    if (wr >= r->size)
        return fail(r, RING_BAD_WRITE_INDEX, wr);
    if (r->role == RING_READER && rd != r->mine)
        return fail(r, RING_READ_INDEX_MOVED, rd);
    if (r->role == RING_WRITER && wr != r->mine)
        return fail(r, RING_WRITE_INDEX_MOVED, wr);
    *peer = r->role == RING_READER ? wr : rd;
    return RING_OK;
    /* LAB 6.1 END */
}

/* used = (write - read) mod size; free = size - 1 - used. */
static uint32_t used_of(const struct ring *r, uint32_t rd, uint32_t wr)
{
    /* LAB 6.2 BEGIN: the bytes in use (one byte always stays free) */
    return wr >= rd ? wr - rd : r->size - rd + wr;
    /* LAB 6.2 END */
}

uint32_t ring_used(struct ring *r)
{
    uint32_t peer;
    if (ring_check(r, &peer))
        return 0;
    return r->role == RING_READER ? used_of(r, r->mine, peer) : used_of(r, peer, r->mine);
}

uint32_t ring_free(struct ring *r)
{
    uint32_t peer;
    if (ring_check(r, &peer))
        return 0;
    uint32_t used = r->role == RING_READER ? used_of(r, r->mine, peer) : used_of(r, peer, r->mine);
    return r->size - 1 - used;
}

uint32_t ring_write(struct ring *r, const void *buf, uint32_t n)
{
    /* LAB 6.3 BEGIN: copy in, wrap around, publish the write index */
    uint32_t rd;
    if (r->role != RING_WRITER) {
        fail(r, RING_NOT_ATTACHED, 0);
        return 0;
    }
    if (ring_check(r, &rd))
        return 0;
    uint32_t space = r->size - 1 - used_of(r, rd, r->mine);
    if (n > space)
        n = space;
    const uint8_t *src = buf;
    uint32_t at = r->mine;
    for (uint32_t i = 0; i < n; i++) {
        r->shared->data[at] = src[i]; /* at < size: checked or wrapped below */
        if (++at == r->size)
            at = 0;
    }
    r->mine = at;
    store(&r->shared->write_index, at); /* publishes the bytes (release) */
    return n;
    /* LAB 6.3 END */
}

uint32_t ring_read(struct ring *r, void *buf, uint32_t n)
{
    /* LAB 6.3 BEGIN: copy out, wrap around, free the space */
    uint32_t wr;
    if (r->role != RING_READER) {
        fail(r, RING_NOT_ATTACHED, 0);
        return 0;
    }
    if (ring_check(r, &wr))
        return 0;
    uint32_t avail = used_of(r, r->mine, wr);
    if (n > avail)
        n = avail;
    uint8_t *dst = buf;
    uint32_t at = r->mine;
    for (uint32_t i = 0; i < n; i++) {
        dst[i] = r->shared->data[at];
        if (++at == r->size)
            at = 0;
    }
    r->mine = at;
    store(&r->shared->read_index, at); /* frees the space (release) */
    return n;
    /* LAB 6.3 END */
}

void ring_set_writer_waiting(struct ring *r)
{
    /* LAB 6.4 BEGIN: flow control: the writer asks to be woken */
    if (!r->error)
        store(&r->shared->writer_waiting, 1);
    /* LAB 6.4 END */
}

int ring_take_writer_waiting(struct ring *r)
{
    /* LAB 6.4 BEGIN: flow control: the writer asks to be woken */
    if (r->error)
        return 0;
    return __atomic_exchange_n(&r->shared->writer_waiting, 0, __ATOMIC_ACQ_REL) != 0;
    /* LAB 6.4 END */
}

const char *ring_error_name(enum ring_error e)
{
    switch (e) {
    case RING_OK: return "ok";
    case RING_BAD_MAGIC: return "header magic overwritten";
    case RING_BAD_SIZE: return "header size differs from the agreed size";
    case RING_BAD_READ_INDEX: return "read index outside the ring";
    case RING_BAD_WRITE_INDEX: return "write index outside the ring";
    case RING_READ_INDEX_MOVED: return "read index changed by the writer";
    case RING_WRITE_INDEX_MOVED: return "write index changed by the reader";
    case RING_NOT_ATTACHED: return "ring not attached";
    }
    return "unknown ring error";
}
