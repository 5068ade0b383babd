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
#include "step_build.h"
#include "steps_file.h"
#include "trace_parse.h"

struct lockstep_options {
    FILE *out;                  /* the report, or the PASS line */
    FILE *steps_out;            /* optional: each checked record, model space */
    const struct trace *states; /* optional: where to find S records */
    const char *name;           /* optional: the run's name in reports */
    /* The trace comes from the host test's fake machine, which writes M
     * records (tables.h): every step must have them and they must agree
     * with the model's frames.  Without it, M records present are checked. */
    int tables;
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

/* Where a check gets its steps, one at a time and in order (i = 0, 1,
 * 2, ...): a list in memory, or a generator (fuzz.h) that regenerates
 * the run's steps from its seed as the check goes, so a run of any length
 * needs no more memory than one step.  get returns 0, or -1 with a reason
 * in err. */
struct step_source {
    const char *name;
    uint32_t n;
    int (*get)(void *ctx, uint32_t i, struct scenario_step *st);
    void *ctx;
    const char *err;
};

int lockstep_check_source(const struct step_source *steps, const struct trace *t,
                          const struct lockstep_options *opt,
                          struct lockstep_result *res);

/* The same with a trace read as the check goes: when every record in *t
 * has been checked, more(more_ctx) empties t's records (the header, the
 * E record and S records stay) and parses the next ones; it returns how
 * many records it added (0: the trace has ended; -1: it cannot be read,
 * said on stderr).  A run of any length then needs the memory of one
 * chunk of records. */
int lockstep_check_stream(const struct step_source *steps, const struct trace *t,
                          int (*more)(void *more_ctx), void *more_ctx,
                          const struct lockstep_options *opt,
                          struct lockstep_result *res);

/* The same check without compiled steps: every H, F and I record, in
 * order, is the step (docs/architecture/trace-format.md, "Free-running
 * check").  0 if the whole trace agrees with the model, 1 otherwise. */
int lockstep_check_free(const struct trace *t, const struct lockstep_options *opt,
                        struct lockstep_result *res);

#endif
