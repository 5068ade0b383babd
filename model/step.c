/* SPDX-License-Identifier: MIT */
/*
 * step.c — model_step: one observable transition.
 *
 * A hypercall step runs the dispatcher's checks in the order the
 * hypervisor makes them (hypercalls.md, "Dispatch"), then the call's
 * handler.  Steps that cannot happen in a state (an actor with no running
 * VP, anything after shutdown) are reported as impossible rather than
 * given a status: the hypervisor can never emit them.
 */
#include <string.h>

#include "calls.h"
#include "state.h"

uint64_t model_input(uint16_t code, int fast, uint32_t rep_count,
                     uint32_t rep_start)
{
    return HV_HYPERCALL_INPUT(code, fast, rep_count, rep_start);
}

/* The input or output block at `gpa`.  Statuses, in check order:
 *   INVALID_ALIGNMENT  not 8-byte aligned, or it crosses a page
 *   INVALID_PARAMETER  not in memory the caller can reach
 *   ACCESS_DENIED      an output block in a page the caller may only read
 *                      (the hypervisor writes only what the caller could)
 *   SUCCESS */
static hv_status_t check_block(const struct model_call *c, uint64_t gpa,
                               uint64_t size, int output)
{
    if (gpa & 7u)
        return HV_STATUS_INVALID_ALIGNMENT;
    if ((gpa & (HV_PAGE_SIZE - 1)) + size > HV_PAGE_SIZE)
        return HV_STATUS_INVALID_ALIGNMENT;
    int64_t f = model_frame_at_gpa(c->cfg, c->s, c->caller->id, gpa >> HV_PAGE_SHIFT);
    if (f < 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (output && !model_frame_writable(c->s, c->caller->id, (uint64_t)f))
        return HV_STATUS_ACCESS_DENIED;
    return HV_STATUS_SUCCESS;
}

/* Dispatch: decode and validate the input value and the parameter
 * pages, then run the handler.  Returns the status. */
static hv_status_t dispatch(struct model_call *c)
{
    const struct model_event *e = c->e;
    uint16_t code = (uint16_t)(e->input & HV_HYPERCALL_CODE_MASK);
    int fast = (e->input & HV_HYPERCALL_FAST_BIT) != 0;
    uint32_t rep_count = (uint32_t)((e->input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                    HV_HYPERCALL_REP_COUNT_SHIFT);
    uint32_t rep_start = (uint32_t)((e->input & HV_HYPERCALL_REP_START_MASK) >>
                                    HV_HYPERCALL_REP_START_SHIFT);

    /* 1. the call code */
    const struct model_call_desc *d = model_call_by_code(code);
    if (!d || ((d->flags & MODEL_CALL_MONO) && !c->cfg->services_in_hypervisor))
        return HV_STATUS_INVALID_HYPERCALL_CODE;

    /* 2. the rest of the input value */
    if (e->input & HV_HYPERCALL_RESERVED_MASK)
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (fast && !(d->flags & MODEL_CALL_FAST_OK))
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (d->flags & MODEL_CALL_REP) {
        if (rep_count == 0 || rep_start >= rep_count)
            return HV_STATUS_INVALID_HYPERCALL_INPUT;
    } else if (rep_count != 0 || rep_start != 0) {
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    }
    c->rep_index = rep_start;

    /* 3. the input page (RDX), then the output page (R8) */
    if (!fast) {
        uint64_t in = d->in_size + (uint64_t)d->in_elem * rep_count;
        uint64_t out = d->out_size + (uint64_t)d->out_elem * rep_count;
        hv_status_t st;
        if (in && (st = check_block(c, e->in_gpa, in, 0)) != HV_STATUS_SUCCESS)
            return st;
        if (out && (st = check_block(c, e->out_gpa, out, 1)) != HV_STATUS_SUCCESS)
            return st;
        /* An output block over the input block would rewrite the input
         * between the elements of a rep call: refused. */
        if (in && out && e->in_gpa < e->out_gpa + out && e->out_gpa < e->in_gpa + in)
            return HV_STATUS_INVALID_PARAMETER;
    }

    /* 4. the call itself: privilege first, then its own checks */
    return d->handler(c);
}

/* Async: a child's running VP triple-faults.  The VP stops for good; the
 * root sees it in PartitaGetExitStats and may finalize the partition. */
static void fault(const struct model_config *cfg, struct model_state *s,
                  const struct model_event *e, struct model_result *r)
{
    uint32_t slot;
    struct model_partition *p = model_child_by_id(cfg, s, e->actor, &slot);
    if (!p || e->vp >= cfg->vps || p->vp[e->vp].state != HV_VP_STATE_RUNNING) {
        r->possible = 0;
        return;
    }
    p->vp[e->vp].state = HV_VP_STATE_STOPPED;
    /* The root hears of it: flag (id % 64) on its partition-news SINT,
     * raised like an event. */
    struct model_sint *news = &s->sint[MODEL_ROOT_SLOT][0][model_news_sint(cfg)];
    uint64_t bit = 1ull << (p->id % HV_EVENT_FLAGS_PER_SINT);
    if (!(news->event_flags & bit))
        s->events_signaled++;
    news->event_flags |= bit;
    r->status = HV_STATUS_SUCCESS;
}

/* Async: a child's running VP does port I/O that the root emulates.  The
 * hypervisor sends the root an intercept message on its intercept SINT
 * (sender 0, port 0) and the VP waits for PartitaCompleteIo — or for
 * FinalizePartition, which stops it unanswered.  If that SINT has no room
 * the access is refused for now (nothing changes; the VP retries). */
static void io_intercept(const struct model_config *cfg, struct model_state *s,
                         const struct model_event *e, struct model_result *r)
{
    struct model_partition *p = model_child_by_id(cfg, s, e->actor, NULL);
    if (!p || e->vp >= cfg->vps || p->vp[e->vp].state != HV_VP_STATE_RUNNING) {
        r->possible = 0;
        return;
    }
    struct model_sint *q = &s->sint[MODEL_ROOT_SLOT][0][model_intercept_sint(cfg)];
    if (q->slot_full && q->queue_len >= cfg->queue_depth) {
        r->status = HV_STATUS_INSUFFICIENT_BUFFERS;
        return;
    }
    struct model_message m = {
        .seq = s->messages_posted++,
        .sender = 0, /* the hypervisor */
        .port_id = 0,
        .type = HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT,
        .size = (uint32_t)e->arg[1],
        .payload_digest = e->arg[0],
    };
    if (!q->slot_full) {
        q->slot = m;
        q->slot_full = 1;
    } else {
        q->queue[q->queue_len++] = m;
    }
    p->vp[e->vp].state = HV_VP_STATE_WAITING_IO;
    r->status = HV_STATUS_SUCCESS;
}

void model_apply(const struct model_config *cfg, struct model_state *s,
                 const struct model_event *e, struct model_result *r)
{
    memset(r, 0, sizeof *r);
    r->possible = 1;
    if (s->hv_state != MODEL_HV_RUNNING) {
        r->possible = 0;
        return;
    }
    if (e->kind == MODEL_EV_FAULT) {
        fault(cfg, s, e, r);
        return;
    }
    if (e->kind == MODEL_EV_IO_INTERCEPT) {
        io_intercept(cfg, s, e, r);
        return;
    }
    if (e->kind != MODEL_EV_HYPERCALL) {
        r->possible = 0;
        return;
    }

    uint32_t slot = model_slot_of(cfg, s, e->actor);
    if (slot == MODEL_NO_SLOT || e->vp >= cfg->vps ||
        s->part[slot].vp[e->vp].state != HV_VP_STATE_RUNNING) {
        r->possible = 0; /* only a running VP can issue a hypercall */
        return;
    }
    struct model_call c = {
        .cfg = cfg, .s = s, .e = e, .r = r,
        .caller = &s->part[slot], .caller_slot = slot,
    };
    r->status = dispatch(&c);
    uint32_t rep_count = (uint32_t)((e->input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                    HV_HYPERCALL_REP_COUNT_SHIFT);
    /* Reps completed counts the whole call: the elements before this
     * step's rep start were completed by earlier steps. */
    if (rep_count)
        r->reps_completed = (uint16_t)(c.rep_index +
                                       (r->status == HV_STATUS_SUCCESS));
    if (r->status != HV_STATUS_SUCCESS)
        r->out_count = 0;
}

void model_step(const struct model_config *cfg, const struct model_state *s,
                const struct model_event *e, struct model_state *next,
                struct model_result *r)
{
    model_state_copy(cfg, next, s); /* what cfg uses: a state is megabytes */
    model_apply(cfg, next, e, r);
}
