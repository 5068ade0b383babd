/* SPDX-License-Identifier: MIT */
/*
 * invariants.c — one function per invariant, each saying in a sentence
 * what it found wrong.
 */
#include "invariants.h"

#include <inttypes.h>
#include <stdio.h>

#include "state.h"

#define FAIL(...)                                                           \
    do {                                                                    \
        snprintf(why, n, __VA_ARGS__);                                      \
        return 0;                                                           \
    } while (0)

static int live(const struct model_config *cfg, const struct model_state *s,
                uint64_t id)
{
    return model_slot_of(cfg, s, id) != MODEL_NO_SLOT;
}

static int is_child(const struct model_config *cfg,
                    const struct model_state *s, uint64_t id)
{
    uint32_t slot = model_slot_of(cfg, s, id);
    return slot != MODEL_NO_SLOT && slot != MODEL_ROOT_SLOT;
}

/* The frame list is what it claims: ascending pages, every one a frame
 * (root RAM at boot) that is not a plain root page, with the sum of their
 * hashes kept right; deposited frames have no partition owner. */
static int frame_list(const struct model_config *cfg, const struct model_state *s,
                      char *why, size_t n)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < s->frames_listed; i++) {
        const struct model_frame *fr = &s->frame[i];
        if (i > 0 && fr->page <= s->frame[i - 1].page)
            FAIL("frames listed out of order at page %" PRIu64, fr->page);
        if (!model_page_is_ram(cfg, fr->page))
            FAIL("page %" PRIu64 " is listed but is no frame", fr->page);
        if (model_frame_plain_root(fr))
            FAIL("frame %" PRIu64 " is a plain root page but listed", fr->page);
        if (fr->kind == MODEL_FRAME_DEPOSITED && fr->owner != 0)
            FAIL("deposited frame %" PRIu64 " has partition owner %" PRIu64, fr->page,
                 fr->owner);
        sum += model_frame_hash(fr);
    }
    if (sum != s->frames_sum)
        FAIL("the frames' hash sum is %016" PRIx64
             ", the listed frames add up to %016" PRIx64,
             s->frames_sum, sum);
    return 1;
}

/* Exactly one owner per page; SHARED means root + one child; each child
 * GPA page maps at most one frame, inside the child's GPA space. */
static int one_owner(const struct model_config *cfg,
                     const struct model_state *s, char *why, size_t n)
{
    for (uint32_t i = 0; i < s->frames_listed; i++) {
        const struct model_frame *fr = &s->frame[i];
        uint64_t f = fr->page;
        switch (fr->kind) {
        case MODEL_FRAME_OWNED:
            if (!live(cfg, s, fr->owner) || fr->peer)
                FAIL("frame %" PRIu64 ": owner %" PRIu64 " not live or a second "
                     "owner %" PRIu64,
                     f, fr->owner, fr->peer);
            if (fr->owner == HV_PARTITION_ID_ROOT && fr->gpa)
                FAIL("root frame %" PRIu64 " has a child GPA", f);
            break;
        case MODEL_FRAME_SHARED:
            if (fr->owner != HV_PARTITION_ID_ROOT || !is_child(cfg, s, fr->peer))
                FAIL("shared frame %" PRIu64 " is not root + one live child", f);
            break;
        case MODEL_FRAME_DEPOSITED:
            if (!is_child(cfg, s, fr->peer) || fr->gpa)
                FAIL("deposited frame %" PRIu64 " is accounted to %" PRIu64
                     ", not a live child",
                     f, fr->peer);
            break;
        default: FAIL("frame %" PRIu64 " has unknown kind %u", f, fr->kind);
        }
        int in_child = fr->kind == MODEL_FRAME_SHARED ||
                       (fr->kind == MODEL_FRAME_OWNED &&
                        fr->owner != HV_PARTITION_ID_ROOT);
        /* Rights belong to a child's mapping, which is always readable. */
        if (!in_child && fr->rights)
            FAIL("frame %" PRIu64 " is mapped in no child but has rights 0x%x", f,
                 fr->rights);
        if (!in_child)
            continue;
        if (!(fr->rights & HV_MAP_GPA_READABLE) ||
            (fr->rights & ~(HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                            HV_MAP_GPA_EXECUTABLE)))
            FAIL("frame %" PRIu64 " is mapped in a child with rights 0x%x", f,
                 fr->rights);
        uint64_t child = fr->kind == MODEL_FRAME_SHARED ? fr->peer : fr->owner;
        if (fr->gpa >= cfg->child_gpa_pages)
            FAIL("frame %" PRIu64 " mapped outside child %" PRIu64 "'s GPA space", f,
                 child);
        /* Quadratic, but only the explorer, the unit tests and scenario
         * runs check invariants, on small states. */
        for (uint32_t j = i + 1; j < s->frames_listed; j++) {
            const struct model_frame *o = &s->frame[j];
            uint64_t oc = o->kind == MODEL_FRAME_SHARED ? o->peer
                          : o->kind == MODEL_FRAME_OWNED ? o->owner : 0;
            if (oc == child && o->gpa == fr->gpa)
                FAIL("frames %" PRIu64 " and %" PRIu64 " both at GPA page %" PRIu64
                     " of child %" PRIu64,
                     f, o->page, fr->gpa, child);
        }
    }
    return 1;
}

static int queue_bound(const struct model_config *cfg,
                       const struct model_state *s, char *why, size_t n)
{
    /* LAB 1.1 BEGIN: the queue bound, and nothing queued behind an empty slot */
    for (uint32_t p = 0; p < cfg->partitions; p++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[p][v][q];
                if (si->queue_len > cfg->queue_depth)
                    FAIL("partition %" PRIu64 " vp %u sint %u holds %u "
                         "queued messages; the bound is %u",
                         s->part[p].id, v, q, si->queue_len,
                         cfg->queue_depth);
                if (si->queue_len && !si->slot_full)
                    FAIL("partition %" PRIu64 " vp %u sint %u has queued "
                         "messages behind an empty slot",
                         s->part[p].id, v, q);
            }
    return 1;
    /* LAB 1.1 END */
}

/* posted == acked + discarded + in flight; each in-flight message has a
 * distinct seq below posted; per SINT, slot then queue is in post order. */
static int message_once(const struct model_config *cfg,
                        const struct model_state *s, char *why, size_t n)
{
    /* LAB 1.2 BEGIN: every message delivered once or refused: conserved, in order */
    uint64_t in_flight = 0;
    for (uint32_t p = 0; p < cfg->partitions; p++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[p][v][q];
                uint32_t len = si->queue_len < MODEL_MAX_QUEUE
                                   ? si->queue_len : MODEL_MAX_QUEUE;
                const struct model_message *msgs[1 + MODEL_MAX_QUEUE];
                uint32_t k = 0;
                if (si->slot_full)
                    msgs[k++] = &si->slot;
                for (uint32_t i = 0; i < len; i++)
                    msgs[k++] = &si->queue[i];
                for (uint32_t i = 0; i < k; i++) {
                    if (msgs[i]->seq >= s->messages_posted)
                        FAIL("message seq %" PRIu64 " was never posted",
                             msgs[i]->seq);
                    if (i && msgs[i]->seq <= msgs[i - 1]->seq)
                        FAIL("partition %" PRIu64 " sint %u: message %"
                             PRIu64 " after %" PRIu64 " (duplicate or out "
                             "of order)", s->part[p].id, q, msgs[i]->seq,
                             msgs[i - 1]->seq);
                }
                in_flight += k;
            }
    /* Across SINTs: gather every in-flight seq; each may appear once. */
    static uint64_t seqs[MODEL_MAX_PARTITIONS * MODEL_MAX_VPS *
                        MODEL_MAX_SINTS * (1 + MODEL_MAX_QUEUE)];
    size_t count = 0;
    for (uint32_t p = 0; p < cfg->partitions; p++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[p][v][q];
                if (si->slot_full)
                    seqs[count++] = si->slot.seq;
                for (uint32_t i = 0; i < si->queue_len && i < MODEL_MAX_QUEUE;
                     i++)
                    seqs[count++] = si->queue[i].seq;
            }
    for (size_t i = 1; i < count; i++) { /* insertion sort: tiny arrays */
        uint64_t x = seqs[i];
        size_t j = i;
        for (; j > 0 && seqs[j - 1] > x; j--)
            seqs[j] = seqs[j - 1];
        seqs[j] = x;
    }
    for (size_t i = 1; i < count; i++)
        if (seqs[i] == seqs[i - 1])
            FAIL("message %" PRIu64 " is in flight twice", seqs[i]);
    uint64_t accounted = s->messages_acked + s->messages_discarded + in_flight;
    if (accounted != s->messages_posted)
        FAIL("%" PRIu64 " messages posted but %" PRIu64 " acked + %" PRIu64
             " discarded + %" PRIu64 " in flight (%s)", s->messages_posted,
             s->messages_acked, s->messages_discarded, in_flight,
             accounted < s->messages_posted ? "lost" : "duplicated");
    return 1;
    /* LAB 1.2 END */
}

/* A deleted partition owns nothing and has no ports, connections or
 * queued messages: every reference names a live partition. */
static int deleted_owns_nothing(const struct model_config *cfg,
                                const struct model_state *s, char *why,
                                size_t n)
{
    /* LAB 1.3 BEGIN: a deleted partition owns nothing, nothing refers to it */
    for (uint32_t p = 0; p < cfg->partitions; p++) {
        const struct model_partition *pp = &s->part[p];
        if (model_partition_live(pp)) {
            if (pp->id == 0 || pp->id >= s->next_partition_id)
                FAIL("partition id %" PRIu64 " was never handed out", pp->id);
            continue;
        }
        if (pp->id || pp->deposit_used)
            FAIL("free partition slot %u still holds id %" PRIu64, p, pp->id);
        for (uint32_t v = 0; v < cfg->vps; v++) {
            if (pp->vp[v].state != HV_VP_STATE_NONE)
                FAIL("free partition slot %u still has VP %u", p, v);
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[p][v][q];
                if (si->slot_full || si->queue_len || si->event_flags)
                    FAIL("free partition slot %u still has messages or "
                         "events on sint %u", p, q);
            }
        }
    }
    for (uint32_t i = 0; i < cfg->ports; i++) {
        const struct model_port *pt = &s->port[i];
        if (pt->used && (!live(cfg, s, pt->partition) ||
                         !live(cfg, s, pt->conn_partition)))
            FAIL("port %u of partition %" PRIu64 " refers to a deleted "
                 "partition", pt->port_id, pt->partition);        if (pt->used && pt->served &&
            (pt->partition != HV_PARTITION_ID_ROOT || pt->type != HV_PORT_TYPE_EVENT))
            FAIL("port %u of partition %" PRIu64 " is served by the hypervisor but is "
                 "not an event port of the root", pt->port_id, pt->partition);
    }
    for (uint32_t i = 0; i < cfg->connections; i++) {
        const struct model_connection *cn = &s->conn[i];
        if (!cn->used)
            continue;
        if (!live(cfg, s, cn->partition))
            FAIL("connection %u belongs to deleted partition %" PRIu64,
                 cn->conn_id, cn->partition);
        if (model_port_find(cfg, s, cn->port_partition, cn->port_id) < 0)
            FAIL("connection %u of partition %" PRIu64 " leads to no port",
                 cn->conn_id, cn->partition);
    }
    return 1;
    /* LAB 1.3 END */
}

static int deposit(const struct model_config *cfg,
                   const struct model_state *s, char *why, size_t n)
{
    for (uint32_t p = 1; p < cfg->partitions; p++) {
        const struct model_partition *pp = &s->part[p];
        if (!model_partition_live(pp))
            continue;
        uint32_t vps = 0;
        for (uint32_t v = 0; v < cfg->vps; v++)
            vps += pp->vp[v].state != HV_VP_STATE_NONE;
        if (pp->deposit_used != vps)
            FAIL("partition %" PRIu64 " is charged %u pages for %u VPs",
                 pp->id, pp->deposit_used, vps);
        if (pp->deposit_used > model_deposited_count(cfg, s, pp->id))
            FAIL("partition %" PRIu64 " is charged %u pages but has %u "
                 "deposited", pp->id, pp->deposit_used,
                 model_deposited_count(cfg, s, pp->id));
        if (pp->privileges)
            FAIL("child %" PRIu64 " holds privileges", pp->id);
    }
    return 1;
}

static int root(const struct model_config *cfg, const struct model_state *s,
                char *why, size_t n)
{
    (void)cfg;
    const struct model_partition *r = &s->part[MODEL_ROOT_SLOT];
    if (r->id != HV_PARTITION_ID_ROOT || r->state != MODEL_PART_INITIALIZED ||
        r->privileges != HV_PRIVILEGE_ROOT ||
        r->vp[0].state != HV_VP_STATE_RUNNING)
        FAIL("the root partition is not live, privileged and running");
    return 1;
}

typedef int (*check_fn)(const struct model_config *, const struct model_state *,
                        char *, size_t);
static const struct {
    enum model_invariant id;
    const char *name;
    check_fn check;
} checks[] = {
    {MODEL_INV_ROOT, "root-live", root},
    {MODEL_INV_FRAME_LIST, "frame-list", frame_list},
    {MODEL_INV_ONE_OWNER, "one-owner", one_owner},
    {MODEL_INV_QUEUE_BOUND, "queue-bound", queue_bound},
    {MODEL_INV_MESSAGE_ONCE, "message-once", message_once},
    {MODEL_INV_DELETED_OWNS_NOTHING, "deleted-owns-nothing", deleted_owns_nothing},
    {MODEL_INV_DEPOSIT, "deposit-accounting", deposit},
};

enum model_invariant model_check_invariants(const struct model_config *cfg,
                                            const struct model_state *s,
                                            char *why, size_t why_len)
{
    char scratch[256];
    if (!why || why_len == 0) {
        why = scratch;
        why_len = sizeof scratch;
    }
    why[0] = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (!checks[i].check(cfg, s, why, why_len))
            return checks[i].id;
    return MODEL_INV_OK;
}

const char *model_invariant_name(enum model_invariant inv)
{
    if (inv == MODEL_INV_OK)
        return "ok";
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (checks[i].id == inv)
            return checks[i].name;
    return "?";
}
