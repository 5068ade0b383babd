/* SPDX-License-Identifier: MIT */
#include "abstract.h"

#include "hv_state.h"
#include "hypercall.h"
#include "memory.h"
#include "pages.h"
#include "port.h"

uint64_t fnv1a64(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#ifdef PARTITA_TRACE
/* The encoding and the digest exist for the trace alone: check builds
 * (TRACE=1) and the host tests.  A release hypervisor carries neither. */
#define ENCODING_MAGIC 0x53544150u /* "PATS" */
#define ENCODING_VERSION 4u

/* The frames that are not plain root pages: how many, and the sum of
 * their hashes (model.md, "Canonical encoding"). */
static uint32_t frames_listed;
static uint64_t frames_sum;

/* Bytes go to emit() in chunks, not field by field: the digest runs on
 * every step of a check build. */
struct out {
    void (*emit)(const uint8_t *bytes, size_t n, void *ctx);
    void *ctx;
    size_t len;
    size_t used;
    uint8_t buf[512];
};

static void flush(struct out *o)
{
    if (o->used)
        o->emit(o->buf, o->used, o->ctx);
    o->used = 0;
}

/* Little-endian, fixed width.  Not inlined: one call per field is cheap,
 * and some sixty inlined copies would grow the hypervisor by kilobytes. */
static __attribute__((noinline)) void put(struct out *o, uint64_t v, unsigned bytes)
{
    if (o->used + bytes > sizeof o->buf)
        flush(o);
    for (unsigned i = 0; i < bytes; i++)
        o->buf[o->used++] = (uint8_t)(v >> (8 * i));
    o->len += bytes;
}

static uint64_t id_of_slot(uint8_t slot)
{
    struct partition *p = slot == PAGE_NOBODY ? 0 : partition_at_slot(slot);
    return p ? p->id : 0;
}

/* Live partitions in ascending id order. */
static uint32_t partitions_by_id(struct partition **order)
{
    uint32_t n = 0;
    for (struct partition *p = partition_next(0); p; p = partition_next(p)) {
        uint32_t j = n++;
        while (j > 0 && order[j - 1]->id > p->id) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = p;
    }
    return n;
}

/* The MapGpaPages flags a child's mapping was made with, from its rights. */
static uint64_t map_flags_of(uint8_t rights)
{
    return (rights & SLAT_READ ? HV_MAP_GPA_READABLE : 0) |
           (rights & SLAT_WRITE ? HV_MAP_GPA_WRITABLE : 0) |
           (rights & SLAT_EXEC ? HV_MAP_GPA_EXECUTABLE : 0);
}

/* A page the model lists: lent to a child or the hypervisor. */
static int listed(const struct page_info *pg)
{
    return pg->kind == PAGE_DEPOSITED || pg->kind == PAGE_SHARED ||
           (pg->kind == PAGE_OWNED && pg->owner != 0);
}

/* The frame's 34 bytes in the canonical encoding. */
static void frame_bytes(uint64_t page, const struct page_info *pg, uint8_t b[34])
{
    uint64_t owner = 0, peer = 0, gpa = 0, rights = 0;
    switch (pg->kind) {
    case PAGE_OWNED:
        owner = id_of_slot(pg->owner);
        gpa = pg->owner == 0 ? 0 : pg->gpa;
        rights = pg->owner == 0 ? 0 : map_flags_of(pg->rights);
        break;
    case PAGE_SHARED:
        owner = HV_PARTITION_ID_ROOT;
        peer = id_of_slot(pg->peer);
        gpa = pg->gpa;
        rights = map_flags_of(pg->rights);
        break;
    case PAGE_DEPOSITED:
        peer = id_of_slot(pg->peer);
        break;
    default:
        break;
    }
    const uint64_t v[4] = {page, owner, peer, gpa};
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v[0] >> (8 * i));
        b[9 + i] = (uint8_t)(v[1] >> (8 * i));
        b[17 + i] = (uint8_t)(v[2] >> (8 * i));
        b[25 + i] = (uint8_t)(v[3] >> (8 * i));
    }
    b[8] = pg->kind;
    b[33] = (uint8_t)rights;
}

static uint64_t frame_hash(uint64_t page, const struct page_info *pg)
{
    uint8_t b[34];
    frame_bytes(page, pg, b);
    return fnv1a64(b, sizeof b);
}

void abstract_pages_reset(void)
{
    frames_listed = 0;
    frames_sum = 0;
}

void abstract_page_change(uint64_t page, const struct page_info *old,
                          const struct page_info *new_info)
{
    if (listed(old)) {
        frames_listed--;
        frames_sum -= frame_hash(page, old);
    }
    if (listed(new_info)) {
        frames_listed++;
        frames_sum += frame_hash(page, new_info);
    }
}

unsigned abstract_ram_ranges(void (*put_range)(uint64_t first, uint64_t pages))
{
    unsigned n = 0;
    for (uint64_t p = 0; p < PAGES_MAX;) {
        if (!page_root_exclusive(p)) {
            p++;
            continue;
        }
        uint64_t first = p;
        while (p < PAGES_MAX && page_root_exclusive(p))
            p++;
        put_range(first, p - first);
        n++;
    }
    return n;
}

static int port_before(const struct port *a, const struct port *b)
{
    return a->partition != b->partition ? a->partition < b->partition
                                        : a->port_id < b->port_id;
}

static int conn_before(const struct connection *a, const struct connection *b)
{
    return a->partition != b->partition ? a->partition < b->partition
                                        : a->conn_id < b->conn_id;
}

static void put_message(struct out *o, const struct synic_message *m)
{
    put(o, m->seq, 8);
    put(o, m->sender, 8);
    put(o, m->msg.header.port_id, 4);
    put(o, m->msg.header.message_type, 4);
    put(o, m->msg.header.payload_size, 4);
    put(o, fnv1a64(m->msg.payload, m->msg.header.payload_size), 8);
}

static int sint_empty(const struct sint *s)
{
    return !s->slot_full && s->queue_len == 0 && s->event_flags == 0;
}

static size_t encode(void (*emit)(const uint8_t *bytes, size_t n, void *ctx), void *ctx,
                     int digest_form)
{
    struct out o;
    o.emit = emit;
    o.ctx = ctx;
    o.len = 0;
    o.used = 0;
    put(&o, ENCODING_MAGIC, 4);
    put(&o, ENCODING_VERSION, 2);
    put(&o, hv.shutdown_requested ? 1 : 0, 1);
    put(&o, hv.shutdown_code, 8);
    put(&o, hv.trace_mask, 8);
    put(&o, hv.next_partition_id, 8);
    put(&o, hv.messages.posted, 8);
    put(&o, hv.messages.acked, 8);
    put(&o, hv.messages.discarded, 8);
    put(&o, hv.messages.events_signaled, 8);

    struct partition *order[HV_MAX_PARTITIONS];
    uint32_t np = partitions_by_id(order);
    put(&o, np, 1);
    for (uint32_t k = 0; k < np; k++) {
        const struct partition *p = order[k];
        put(&o, p->id, 8);
        put(&o, (uint64_t)p->state, 1);
        put(&o, p->privileges, 8);
        put(&o, p->deposit_used, 4);
        for (uint32_t v = 0; v < HV_MAX_VPS_PER_PARTITION; v++) {
            const struct vp *vp = &p->vps[v];
            put(&o, (uint64_t)vp->state, 1);
            for (int r = 0; r < HV_VP_REGISTER_SUBSET_COUNT; r++)
                put(&o, vp->state == HV_VP_STATE_CREATED ? vp->regs[r] : 0, 8);
        }
    }

    /* Frames that are not a plain root page (owned by the root, lent to
     * nobody): the digest form has their count and hash sum, the full
     * form (a trace-states dump) lists them, by page, ascending. */
    put(&o, frames_listed, 4);
    if (digest_form) {
        put(&o, frames_sum, 8);
    } else {
        for (uint64_t page = 0; page < PAGES_MAX; page++) {
            const struct page_info *pg = page_at(page);
            if (!listed(pg))
                continue;
            uint8_t b[34];
            frame_bytes(page, pg, b);
            for (unsigned i = 0; i < sizeof b; i++)
                put(&o, b[i], 1);
        }
    }

    uint32_t n = 0;
    for (int i = 0; i < HV_MAX_PORTS; i++)
        n += hv.ports[i].used != 0;
    put(&o, n, 1);
    const struct port *last_port = 0;
    for (uint32_t k = 0; k < n; k++) {
        const struct port *best = 0;
        for (int i = 0; i < HV_MAX_PORTS; i++) {
            const struct port *pt = &hv.ports[i];
            if (pt->used && (!last_port || port_before(last_port, pt)) &&
                (!best || port_before(pt, best)))
                best = pt;
        }
        put(&o, best->partition, 8);
        put(&o, best->port_id, 4);
        put(&o, best->type, 1);
        put(&o, best->sint, 1);
        put(&o, best->vp, 1);
        put(&o, best->conn_partition, 8);
        put(&o, best->served, 1);
        last_port = best;
    }

    n = 0;
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        n += hv.connections[i].used != 0;
    put(&o, n, 1);
    const struct connection *last_conn = 0;
    for (uint32_t k = 0; k < n; k++) {
        const struct connection *best = 0;
        for (int i = 0; i < HV_MAX_CONNECTIONS; i++) {
            const struct connection *c = &hv.connections[i];
            if (c->used && (!last_conn || conn_before(last_conn, c)) &&
                (!best || conn_before(c, best)))
                best = c;
        }
        put(&o, best->partition, 8);
        put(&o, best->conn_id, 4);
        put(&o, best->port_partition, 8);
        put(&o, best->port_id, 4);
        last_conn = best;
    }

    n = 0;
    for (uint32_t k = 0; k < np; k++)
        for (uint32_t v = 0; v < HV_MAX_VPS_PER_PARTITION; v++)
            for (uint32_t q = 0; q < HV_SYNIC_SINT_COUNT; q++)
                n += !sint_empty(&order[k]->vps[v].synic.sint[q]);
    put(&o, n, 2);
    for (uint32_t k = 0; k < np; k++)
        for (uint32_t v = 0; v < HV_MAX_VPS_PER_PARTITION; v++)
            for (uint32_t q = 0; q < HV_SYNIC_SINT_COUNT; q++) {
                const struct sint *s = &order[k]->vps[v].synic.sint[q];
                if (sint_empty(s))
                    continue;
                put(&o, order[k]->id, 8);
                put(&o, v, 1);
                put(&o, q, 1);
                put(&o, s->event_flags, 8);
                put(&o, s->slot_full, 1);
                put(&o, s->queue_len, 1);
                if (s->slot_full)
                    put_message(&o, &s->slot);
                for (uint32_t m = 0; m < s->queue_len; m++)
                    put_message(&o, &s->queue[m]);
            }
    flush(&o);
    return o.len;
}

static void hash_bytes(const uint8_t *bytes, size_t n, void *ctx)
{
    uint64_t *h = ctx;
    for (size_t i = 0; i < n; i++) {
        *h ^= bytes[i];
        *h *= 0x100000001b3ull;
    }
}

size_t abstract_encode(void (*emit)(const uint8_t *bytes, size_t n, void *ctx), void *ctx)
{
    return encode(emit, ctx, 0);
}

uint64_t abstract_digest(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    encode(hash_bytes, &h, 1);
    return h;
}
#endif
