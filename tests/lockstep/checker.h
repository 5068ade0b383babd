/* SPDX-License-Identifier: MIT */
/*
 * checker.h — the lockstep checker: walks the compiled steps of a run and
 * the hypervisor's trace records together, replays each record into the
 * reference model and stops at the first divergence with a readable
 * report (docs/architecture/trace-format.md, "Checking").
 */
#ifndef PARTITA_LOCKSTEP_CHECKER_H
#define PARTITA_LOCKSTEP_CHECKER_H

#include <stdio.h>

#include "model/model.h"
#include "steps_file.h"
#include "trace_parse.h"

struct lockstep_options {
    FILE *out;                  /* the report, or the PASS line */
    FILE *steps_out;            /* optional: each checked record, model space */
    const struct trace *states; /* optional: where to find S records */
    const char *name;           /* optional: the run's name in reports */
};

struct lockstep_result {
    int passed;
    uint32_t steps;       /* steps fully checked */
    uint64_t records;     /* H/F/I records checked */
    /* At a failure: the record's seq (or the last seq seen), the step. */
    uint64_t seq;
    uint32_t step_index;
    uint32_t line;
};

/* 0 if the trace matches the model step for step, 1 otherwise. */
int lockstep_check(const struct steps_list *steps, const struct trace *t,
                   const struct lockstep_options *opt,
                   struct lockstep_result *res);

/* The same check without compiled steps: every H, F and I record, in
 * order, is the step (docs/architecture/trace-format.md, "Free-running
 * check").  0 if the whole trace agrees with the model, 1 otherwise. */
int lockstep_check_free(const struct trace *t, const struct lockstep_options *opt,
                        struct lockstep_result *res);

/* The model event a compiled step stands for when issued with input
 * value `input` (the step's own, or a rep continuation of it: the element
 * is the input's rep start), in model space, its arguments read back from
 * the block the partition writes (or the fast-call registers). */
void step_event(const struct scenario_step *st, uint64_t input,
                struct model_event *e);

/* The input value of the continuation that resumes a rep call at
 * element `reps`. */
static inline uint64_t step_continuation(uint64_t input, uint32_t reps)
{
    return (input & ~HV_HYPERCALL_REP_START_MASK) |
           ((uint64_t)reps << HV_HYPERCALL_REP_START_SHIFT);
}

#endif
