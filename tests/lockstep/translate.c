/* SPDX-License-Identifier: MIT */
/* translate.c — kernel space to model space (see translate.h). */
#include "translate.h"

#include <string.h>

static uint64_t page_to_model(uint64_t page, uint64_t window)
{
    return page ? page - window : 0;
}

void record_to_event(const struct trace_record *r, uint64_t window,
                     struct model_event *e, uint64_t out[TRACE_OUTS])
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
        /* A child's port access: nothing in root space to translate. */
        e->arg[0] = r->arg[0];
        e->arg[1] = r->arg[1];
        return;
    }
    e->input = r->input;
    e->in_gpa = r->in_gpa;
    e->out_gpa = r->out_gpa;
    for (int i = 0; i < MODEL_ARGS; i++)
        e->arg[i] = r->arg[i];
    if (r->actor != HV_PARTITION_ID_ROOT)
        return;
    /* The probe range PartitaGetHvInfo reports the root is root GPA space
     * (a child is told 0: nothing to translate). */
    if ((uint16_t)(r->input & HV_HYPERCALL_CODE_MASK) == HVCALL_PARTITA_GET_HV_INFO &&
        r->nout >= 2)
        out[1] = gpa_to_model(r->out[1], window);
    if (!(r->input & HV_HYPERCALL_FAST_BIT)) {
        e->in_gpa = gpa_to_model(r->in_gpa, window);
        e->out_gpa = gpa_to_model(r->out_gpa, window);
    }
    switch ((uint16_t)(r->input & HV_HYPERCALL_CODE_MASK)) {
    case HVCALL_DEPOSIT_MEMORY:
        e->arg[1] = page_to_model(r->arg[1], window);
        break;
    case HVCALL_MAP_GPA_PAGES:
        e->arg[3] = page_to_model(r->arg[3], window);
        break;
    case HVCALL_PARTITA_SERVE_CHANNEL: /* the rings' root page */
        e->arg[5] = page_to_model(r->arg[5], window);
        break;
    case HVCALL_WITHDRAW_MEMORY:
        if (r->nout >= 1)
            out[0] = r->out[0] - window;
        break;
    default:
        break;
    }
}
