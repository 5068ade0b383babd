/* SPDX-License-Identifier: MIT */
/* translate.c — records and compiled steps as model events (translate.h). */
#include "translate.h"

#include <string.h>

void record_to_event(const struct trace_record *r, struct model_event *e,
                     uint64_t out[TRACE_OUTS])
{
    memset(e, 0, sizeof *e);
    e->kind = r->kind == 'F'   ? MODEL_EV_FAULT
              : r->kind == 'I' ? MODEL_EV_IO_INTERCEPT
                               : MODEL_EV_HYPERCALL;
    e->actor = r->actor;
    e->vp = r->vp;
    for (int i = 0; i < TRACE_OUTS; i++)
        out[i] = r->out[i];
    if (r->kind == 'F')
        return;
    if (r->kind == 'I') {
        e->arg[0] = r->arg[0];
        e->arg[1] = r->arg[1];
        return;
    }
    e->input = r->input;
    e->in_gpa = r->in_gpa;
    e->out_gpa = r->out_gpa;
    for (int i = 0; i < MODEL_ARGS; i++)
        e->arg[i] = r->arg[i];
}

static uint64_t gpa(uint64_t g)
{
    return scenario_frame_page(g >> HV_PAGE_SHIFT) << HV_PAGE_SHIFT |
           (g & (HV_PAGE_SIZE - 1));
}

void relocate_step_event(const struct scenario_step *st, struct model_event *e)
{
    if (st->actor != HV_PARTITION_ID_ROOT || st->kind != SCENARIO_STEP_HYPERCALL)
        return;
    if (st->flags & SCENARIO_STEP_ROOT_GPAS) {
        e->in_gpa = gpa(e->in_gpa);
        e->out_gpa = gpa(e->out_gpa);
    }
    /* The root page among the arguments, where the player relocated the
     * block's page list (scenario_steps.h: reloc_offset). */
    if (!st->reloc_count)
        return;
    switch ((uint16_t)(e->input & HV_HYPERCALL_CODE_MASK)) {
    case HVCALL_DEPOSIT_MEMORY: e->arg[1] = scenario_frame_page(e->arg[1]); break;
    case HVCALL_MAP_GPA_PAGES:
        e->arg[3] = scenario_frame_page(e->arg[3]);
        break;
    case HVCALL_PARTITA_SERVE_CHANNEL: /* the rings' root page */
        e->arg[5] = scenario_frame_page(e->arg[5]);
        break;
    default:
        break;
    }
}
