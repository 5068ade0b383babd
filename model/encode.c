/* SPDX-License-Identifier: MIT */
/*
 * encode.c — canonical encoding, decoding and digest.
 *
 * Canonical means: equal meaning, equal bytes.  Slots are not encoded;
 * every collection is written in ascending order of its natural key
 * (partition id, frame index, (partition, port id), ...), and integers are
 * little-endian with fixed widths.  model.md documents every byte.
 */
#include "encode.h"

#include <string.h>

#include "state.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

uint64_t model_fnv1a64(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* ---- writer ---------------------------------------------------------- */

struct writer {
    uint8_t *buf;
    size_t cap, len;
    int overflow;
};

static void put(struct writer *w, uint64_t v, unsigned bytes)
{
    if (w->len + bytes > w->cap) {
        w->overflow = 1;
        return;
    }
    for (unsigned i = 0; i < bytes; i++)
        w->buf[w->len++] = (uint8_t)(v >> (8 * i));
}
#define U8(w, v) put((w), (v), 1)
#define U16(w, v) put((w), (v), 2)
#define U32(w, v) put((w), (v), 4)
#define U64(w, v) put((w), (v), 8)

static void put_message(struct writer *w, const struct model_message *m)
{
    U64(w, m->seq);
    U64(w, m->sender);
    U32(w, m->port_id);
    U32(w, m->type);
    U32(w, m->size);
    U64(w, m->payload_digest);
}

static int sint_empty(const struct model_sint *q)
{
    return !q->slot_full && q->queue_len == 0 && q->event_flags == 0;
}

/* Live partition slots in ascending id order; returns how many. */
static uint32_t partitions_by_id(const struct model_config *cfg,
                                 const struct model_state *s, uint32_t *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < cfg->partitions; i++) {
        if (!model_partition_live(&s->part[i]))
            continue;
        uint32_t j = n++;
        while (j > 0 && s->part[out[j - 1]].id > s->part[i].id) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
    }
    return n;
}

static int port_less(const struct model_port *a, const struct model_port *b)
{
    return a->partition != b->partition ? a->partition < b->partition
                                        : a->port_id < b->port_id;
}

static int conn_less(const struct model_connection *a,
                     const struct model_connection *b)
{
    return a->partition != b->partition ? a->partition < b->partition
                                        : a->conn_id < b->conn_id;
}

/* The full form lists the frames; the digest form has their count and
 * hash sum in their place (model.md), so a digest does not grow with
 * the memory lent out. */
static size_t encode(const struct model_config *cfg, const struct model_state *s,
                     uint8_t *buf, size_t cap, int digest_form)
{
    struct writer w = {buf, cap, 0, 0};
    U32(&w, MODEL_ENCODING_MAGIC);
    U16(&w, MODEL_ENCODING_VERSION);
    U8(&w, s->hv_state);
    U64(&w, s->shutdown_code);
    U64(&w, s->trace_mask);
    U64(&w, s->next_partition_id);
    U64(&w, s->messages_posted);
    U64(&w, s->messages_acked);
    U64(&w, s->messages_discarded);
    U64(&w, s->events_signaled);

    uint32_t order[MODEL_MAX_PARTITIONS];
    uint32_t np = partitions_by_id(cfg, s, order);
    U8(&w, np);
    for (uint32_t k = 0; k < np; k++) {
        const struct model_partition *p = &s->part[order[k]];
        U64(&w, p->id);
        U8(&w, p->state);
        U64(&w, p->privileges);
        U32(&w, p->deposit_used);
        for (uint32_t v = 0; v < cfg->vps; v++) {
            U8(&w, p->vp[v].state);
            for (int r = 0; r < MODEL_VP_REGS; r++)
                U64(&w, p->vp[v].regs[r]);
        }
    }

    /* Frames: only those that are not a plain root page, ascending. */
    U32(&w, s->frames_listed);
    if (digest_form)
        U64(&w, s->frames_sum);
    for (uint32_t i = 0; i < s->frames_listed && !digest_form; i++) {
        const struct model_frame *fr = &s->frame[i];
        U64(&w, fr->page);
        U8(&w, fr->kind);
        U64(&w, fr->owner);
        U64(&w, fr->peer);
        U64(&w, fr->gpa);
        U8(&w, fr->rights);
    }

    /* Ports, ascending (partition, port id): selection by repeated min. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < cfg->ports; i++)
        n += s->port[i].used;
    U8(&w, n);
    const struct model_port *last_port = NULL;
    for (uint32_t k = 0; k < n; k++) {
        const struct model_port *best = NULL;
        for (uint32_t i = 0; i < cfg->ports; i++) {
            const struct model_port *pt = &s->port[i];
            if (pt->used && (!last_port || port_less(last_port, pt)) &&
                (!best || port_less(pt, best)))
                best = pt;
        }
        U64(&w, best->partition);
        U32(&w, best->port_id);
        U8(&w, best->type);
        U8(&w, best->sint);
        U8(&w, best->vp);
        U64(&w, best->conn_partition);
        U8(&w, best->served);
        last_port = best;
    }

    n = 0;
    for (uint32_t i = 0; i < cfg->connections; i++)
        n += s->conn[i].used;
    U8(&w, n);
    const struct model_connection *last_conn = NULL;
    for (uint32_t k = 0; k < n; k++) {
        const struct model_connection *best = NULL;
        for (uint32_t i = 0; i < cfg->connections; i++) {
            const struct model_connection *cn = &s->conn[i];
            if (cn->used && (!last_conn || conn_less(last_conn, cn)) &&
                (!best || conn_less(cn, best)))
                best = cn;
        }
        U64(&w, best->partition);
        U32(&w, best->conn_id);
        U64(&w, best->port_partition);
        U32(&w, best->port_id);
        last_conn = best;
    }

    n = 0;
    for (uint32_t k = 0; k < np; k++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++)
                n += !sint_empty(&s->sint[order[k]][v][q]);
    U16(&w, n);
    for (uint32_t k = 0; k < np; k++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[order[k]][v][q];
                if (sint_empty(si))
                    continue;
                U64(&w, s->part[order[k]].id);
                U8(&w, v);
                U8(&w, q);
                U64(&w, si->event_flags);
                U8(&w, si->slot_full);
                U8(&w, si->queue_len);
                if (si->slot_full)
                    put_message(&w, &si->slot);
                for (uint32_t m = 0; m < si->queue_len && m < MODEL_MAX_QUEUE;
                     m++)
                    put_message(&w, &si->queue[m]);
            }
    return w.overflow ? 0 : w.len;
}

/* ---- reader ---------------------------------------------------------- */

struct reader {
    const uint8_t *buf;
    size_t len, pos;
    int bad;
};

static uint64_t get(struct reader *r, unsigned bytes)
{
    if (r->pos + bytes > r->len) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)r->buf[r->pos++] << (8 * i);
    return v;
}

static void get_message(struct reader *r, struct model_message *m)
{
    m->seq = get(r, 8);
    m->sender = get(r, 8);
    m->port_id = (uint32_t)get(r, 4);
    m->type = (uint32_t)get(r, 4);
    m->size = (uint32_t)get(r, 4);
    m->payload_digest = get(r, 8);
}

int model_decode(const struct model_config *cfg, const uint8_t *buf,
                 size_t len, struct model_state *s)
{
    struct reader r = {buf, len, 0, 0};
    /* Clear exactly what cfg uses (model_state_copy's contract). */
    static const struct model_state zero;
    model_state_copy(cfg, s, &zero);

    if (get(&r, 4) != MODEL_ENCODING_MAGIC || get(&r, 2) != MODEL_ENCODING_VERSION)
        return -1;
    s->hv_state = (uint8_t)get(&r, 1);
    s->shutdown_code = get(&r, 8);
    s->trace_mask = get(&r, 8);
    s->next_partition_id = get(&r, 8);
    s->messages_posted = get(&r, 8);
    s->messages_acked = get(&r, 8);
    s->messages_discarded = get(&r, 8);
    s->events_signaled = get(&r, 8);

    uint32_t np = (uint32_t)get(&r, 1);
    if (np > cfg->partitions)
        return -1;
    for (uint32_t k = 0; k < np; k++) {
        struct model_partition *p = &s->part[k]; /* ascending id = slot */
        p->id = get(&r, 8);
        p->state = (uint8_t)get(&r, 1);
        p->privileges = get(&r, 8);
        p->deposit_used = (uint32_t)get(&r, 4);
        for (uint32_t v = 0; v < cfg->vps; v++) {
            p->vp[v].state = (uint8_t)get(&r, 1);
            for (int i = 0; i < MODEL_VP_REGS; i++)
                p->vp[v].regs[i] = get(&r, 8);
        }
    }

    /* Listed frames, strictly ascending, each a frame and none a plain
     * root page (the encoding is canonical: equal states, equal bytes). */
    uint32_t listed = (uint32_t)get(&r, 4);
    if (listed > MODEL_MAX_LISTED)
        return -1;
    for (uint32_t i = 0; i < listed && !r.bad; i++) {
        struct model_frame fr;
        fr.page = get(&r, 8);
        fr.kind = (uint8_t)get(&r, 1);
        fr.owner = get(&r, 8);
        fr.peer = get(&r, 8);
        fr.gpa = get(&r, 8);
        fr.rights = (uint8_t)get(&r, 1);
        if ((i > 0 && fr.page <= s->frame[i - 1].page) ||
            !model_page_is_ram(cfg, fr.page) || model_frame_plain_root(&fr))
            return -1;
        model_frame_set(s, &fr); /* appends: the pages ascend */
    }

    uint32_t n = (uint32_t)get(&r, 1);
    if (n > cfg->ports)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        struct model_port *pt = &s->port[i];
        pt->used = 1;
        pt->partition = get(&r, 8);
        pt->port_id = (uint32_t)get(&r, 4);
        pt->type = (uint8_t)get(&r, 1);
        pt->sint = (uint8_t)get(&r, 1);
        pt->vp = (uint8_t)get(&r, 1);
        pt->conn_partition = get(&r, 8);
        pt->served = (uint8_t)get(&r, 1);
    }

    n = (uint32_t)get(&r, 1);
    if (n > cfg->connections)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        struct model_connection *cn = &s->conn[i];
        cn->used = 1;
        cn->partition = get(&r, 8);
        cn->conn_id = (uint32_t)get(&r, 4);
        cn->port_partition = get(&r, 8);
        cn->port_id = (uint32_t)get(&r, 4);
    }

    n = (uint32_t)get(&r, 2);
    for (uint32_t i = 0; i < n && !r.bad; i++) {
        uint64_t id = get(&r, 8);
        uint32_t v = (uint32_t)get(&r, 1), q = (uint32_t)get(&r, 1);
        uint32_t slot = model_slot_of(cfg, s, id);
        if (slot == MODEL_NO_SLOT || v >= cfg->vps || q >= cfg->sints)
            return -1;
        struct model_sint *si = &s->sint[slot][v][q];
        si->event_flags = get(&r, 8);
        si->slot_full = (uint8_t)get(&r, 1);
        si->queue_len = (uint8_t)get(&r, 1);
        if (si->queue_len > MODEL_MAX_QUEUE)
            return -1;
        if (si->slot_full)
            get_message(&r, &si->slot);
        for (uint32_t m = 0; m < si->queue_len; m++)
            get_message(&r, &si->queue[m]);
    }
    return r.bad || r.pos != r.len ? -1 : 0;
}

size_t model_encode(const struct model_config *cfg, const struct model_state *s,
                    uint8_t *buf, size_t cap)
{
    return encode(cfg, s, buf, cap, 0);
}

uint64_t model_digest(const struct model_config *cfg,
                      const struct model_state *s)
{
    static uint8_t buf[MODEL_ENCODING_MAX];
    size_t n = encode(cfg, s, buf, sizeof buf, 1);
    return model_fnv1a64(buf, n);
}
