/* SPDX-License-Identifier: MIT */
#include "abstract.h"

#include "hypercall.h"
#include "memory.h"
#include "pages.h"
#include "port.h"

uint64_t hv_trace_mask = HV_TRACE_DEFAULT_MASK;
uint64_t hv_shutdown_code;


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
/* The window, the encoding and the digest exist for the trace alone:
 * check builds (TRACE=1) and the host tests.  A release hypervisor
 * carries none of them. */
#include "log.h"

#define ENCODING_MAGIC 0x53544150u /* "PATS" */
#define ENCODING_VERSION 3u
#define FRAMES_END 0xffffffffu

static uint64_t window_base;

void abstract_init(uint64_t window_base_page)
{
    window_base = window_base_page;
}

uint64_t abstract_window_base(void)
{
    return window_base;
}

void abstract_window_check(void)
{
    for (uint64_t f = ABSTRACT_HV_FRAMES; f < ABSTRACT_FRAMES; f++)
        if (!page_root_exclusive(window_base + f))
            kprintf("warning: model frame %llu (page 0x%llx) is not root RAM\n",
                    (unsigned long long)f, (unsigned long long)(window_base + f));
}

/* Bytes go to emit() in chunks, not field by field: the digest runs on
 * every step of a check build, over 30 bytes per listed frame. */
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

static void put_frame(struct out *o, const struct page_info *pg)
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
    put(o, pg->kind, 1);
    put(o, owner, 8);
    put(o, peer, 8);
    put(o, gpa, 8);
    put(o, rights, 1);
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

size_t abstract_encode(void (*emit)(const uint8_t *bytes, size_t n, void *ctx), void *ctx)
{
    struct out o;
    o.emit = emit;
    o.ctx = ctx;
    o.len = 0;
    o.used = 0;
    put(&o, ENCODING_MAGIC, 4);
    put(&o, ENCODING_VERSION, 2);
    put(&o, hv_shutdown_requested ? 1 : 0, 1);
    put(&o, hv_shutdown_code, 8);
    put(&o, hv_trace_mask, 8);
    put(&o, hv_next_partition_id, 8);
    put(&o, synic_counters.posted, 8);
    put(&o, synic_counters.acked, 8);
    put(&o, synic_counters.discarded, 8);
    put(&o, synic_counters.events_signaled, 8);

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

    /* Only frames that are not a plain root page (owned by the root,
     * lent to nobody), each with its index, then an end mark: a digest
     * costs what is in use, not the window's size. */
    put(&o, ABSTRACT_FRAMES, 4);
    for (uint32_t f = 0; f < ABSTRACT_FRAMES; f++) {
        static const struct page_info absent = {PAGE_HYPERVISOR, PAGE_NOBODY, PAGE_NOBODY, 0, 0};
        const struct page_info *pg = page_at(window_base + f);
        if (!pg)
            pg = &absent;
        if (pg->kind == PAGE_OWNED && pg->owner == 0)
            continue;
        put(&o, f, 4);
        put_frame(&o, pg);
    }
    put(&o, FRAMES_END, 4);

    uint32_t n = 0;
    for (int i = 0; i < HV_MAX_PORTS; i++)
        n += ports[i].used != 0;
    put(&o, n, 1);
    const struct port *last_port = 0;
    for (uint32_t k = 0; k < n; k++) {
        const struct port *best = 0;
        for (int i = 0; i < HV_MAX_PORTS; i++) {
            const struct port *pt = &ports[i];
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
        n += connections[i].used != 0;
    put(&o, n, 1);
    const struct connection *last_conn = 0;
    for (uint32_t k = 0; k < n; k++) {
        const struct connection *best = 0;
        for (int i = 0; i < HV_MAX_CONNECTIONS; i++) {
            const struct connection *c = &connections[i];
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

uint64_t abstract_digest(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    abstract_encode(hash_bytes, &h);
    return h;
}
_Static_assert(HV_POOL_TAIL_PAGES == ABSTRACT_FRAMES - ABSTRACT_HV_FRAMES,
               "the RAM above the pool is the root part of the model window");
_Static_assert(HV_PROBE_PAGES == ABSTRACT_HV_FRAMES,
               "the model's hypervisor frames are the probe range");
#endif
