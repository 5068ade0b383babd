/* SPDX-License-Identifier: MIT */
/*
 * translate.h — a trace record in model space.
 *
 * The hypervisor lays the model's 512 frames over a window of root GPA
 * space: model frame i is root GPA page window + i.  Root GPAs and root
 * page numbers in a record are therefore shifted by the window
 * (docs/architecture/trace-format.md, "Model space"); children's GPAs
 * and fast-call registers are not.  PartitaGetHvInfo's probe base is a
 * root GPA, reported to the root only.
 */
#ifndef PARTITA_LOCKSTEP_TRANSLATE_H
#define PARTITA_LOCKSTEP_TRANSLATE_H

#include "model/model.h"
#include "trace_parse.h"

/* The model event a record stands for, and the record's outputs, both
 * in model space.  A zero page argument stays zero: it is what the
 * hypervisor traces for a call its dispatcher refused before decoding. */
void record_to_event(const struct trace_record *r, uint64_t window,
                     struct model_event *e, uint64_t out[TRACE_OUTS]);

/* The root GPA translation alone (kernel -> model). */
static inline uint64_t gpa_to_model(uint64_t gpa, uint64_t window)
{
    return gpa - (window << HV_PAGE_SHIFT);
}

#endif
