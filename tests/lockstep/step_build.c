/* SPDX-License-Identifier: MIT */
/* step_build.c — compiled steps from resolved calls (see step_build.h). */
#include "step_build.h"

#include <string.h>

#include "block_layout.h"
#include "model/state.h"

static uint16_t code_of(uint64_t input)
{
    return (uint16_t)(input & HV_HYPERCALL_CODE_MASK);
}

void step_event(const struct scenario_step *st, uint64_t input,
                struct model_event *e)
{
    memset(e, 0, sizeof *e);
    e->kind = st->kind == SCENARIO_STEP_FAULT ? MODEL_EV_FAULT : MODEL_EV_HYPERCALL;
    e->actor = st->actor;
    e->vp = st->vp;
    if (e->kind == MODEL_EV_FAULT)
        return;
    uint32_t index = (uint32_t)((input & HV_HYPERCALL_REP_START_MASK) >>
                                HV_HYPERCALL_REP_START_SHIFT);
    e->input = input;
    e->in_gpa = st->in_gpa;
    e->out_gpa = st->out_gpa;
    if (input & HV_HYPERCALL_FAST_BIT) {
        uint8_t regs[16];
        memcpy(regs, &st->in_gpa, 8);
        memcpy(regs + 8, &st->out_gpa, 8);
        block_decode(code_of(input), regs, sizeof regs, index, e->arg);
    } else {
        block_decode(code_of(input), st->block, st->block_len, index, e->arg);
    }
}

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1ffff;
}

int step_build(const struct model_config *cfg, const struct model_state *s,
               const struct step_request *rq, struct scenario_step *st,
               int *truncated)
{
    memset(st, 0, sizeof *st);
    st->actor = rq->actor;
    st->vp = rq->vp;
    st->line = rq->line;
    *truncated = 0;
    if (rq->fault) {
        st->kind = SCENARIO_STEP_FAULT;
        return 0;
    }
    st->kind = SCENARIO_STEP_HYPERCALL;
    uint16_t code = (uint16_t)(rq->input & HV_HYPERCALL_CODE_MASK);
    int root = rq->actor == HV_PARTITION_ID_ROOT;
    struct block_out bo;
    if (block_encode(code, rq->elem, rq->elements, rq->payload, rq->payload_len,
                     st->block, SCENARIO_BLOCK_MAX, &bo, truncated))
        return -1;
    st->input = rq->input;
    if (rq->input & HV_HYPERCALL_FAST_BIT) {
        /* Fast: the block's first 16 bytes travel in RDX and R8. */
        uint64_t rdx, r8;
        memcpy(&rdx, st->block, 8);
        memcpy(&r8, st->block + 8, 8);
        st->in_gpa = rq->regs_given ? rq->in_gpa : rdx;
        st->out_gpa = rq->regs_given ? rq->out_gpa : r8;
        st->block_len = bo.len < 16 ? bo.len : 16;
    } else {
        st->in_gpa = rq->in_gpa;
        st->out_gpa = rq->out_gpa;
        if (root)
            st->flags |= SCENARIO_STEP_ROOT_GPAS;
        /* Written only where the partition can write it (a page it reaches
         * and may write: a read-only page would fault the agent), and only
         * up to the end of the page: the rest is the dispatcher's to refuse. */
        uint64_t room = HV_PAGE_SIZE - (st->in_gpa & (HV_PAGE_SIZE - 1));
        int f = model_frame_at_gpa(cfg, s, rq->actor, st->in_gpa >> HV_PAGE_SHIFT);
        if (bo.len && f >= 0 && model_frame_writable(s, rq->actor, f)) {
            st->flags |= SCENARIO_STEP_WRITE_BLOCK;
            st->block_len = (uint32_t)(bo.len < room ? bo.len : room);
            if (root && bo.reloc_count) {
                uint32_t fit = st->block_len > bo.reloc_offset
                                   ? (st->block_len - bo.reloc_offset) / 8 : 0;
                st->reloc_offset = bo.reloc_offset;
                st->reloc_count = (uint16_t)(fit < bo.reloc_count ? fit : bo.reloc_count);
            }
        } else {
            memset(st->block, 0, sizeof st->block);
        }
    }
    if (code == HVCALL_START_VP) {
        const uint64_t *a = rq->elem[0];
        st->start_agent = canonical(a[2]) && canonical(a[3]) &&
                          (a[4] & HV_X64_RFLAGS_FIXED1) != 0;
    }
    return 0;
}

int step_apply(const struct model_config *cfg, struct model_state *s,
               const struct scenario_step *st, struct model_result *last)
{
    uint64_t input = st->input;
    for (;;) {
        struct model_event e;
        step_event(st, input, &e);
        model_apply(cfg, s, &e, last);
        if (!last->possible)
            return -1;
        uint32_t count = (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                    HV_HYPERCALL_REP_COUNT_SHIFT);
        if (e.kind != MODEL_EV_HYPERCALL || last->status != HV_STATUS_SUCCESS ||
            !count || last->reps_completed >= count)
            return 0;
        input = step_continuation(st->input, last->reps_completed);
    }
}
