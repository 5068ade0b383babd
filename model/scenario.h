/* SPDX-License-Identifier: MIT */
/*
 * scenario.h — the scenario language (docs/architecture/scenarios.md):
 * parse a .scn file and run it against the model, one step per line.
 */
#ifndef PARTITA_MODEL_SCENARIO_H
#define PARTITA_MODEL_SCENARIO_H

#include <stdio.h>

#include "model.h"

/* Run the scenario in `text` (named `name` in messages).  Each step is
 * printed to out; the first error — syntax, unmet expectation, impossible
 * step, invariant violation — is printed to err as "name:LINE: ..." and
 * stops the run.  Returns 0 if every step met its expectation, else 1. */
int scenario_run_text(const char *name, const char *text, FILE *out,
                      FILE *err);
/* The same for a file; 2 if it cannot be read. */
int scenario_run_file(const char *path, FILE *out, FILE *err);

/*
 * For tools that turn a scenario into something else (the lockstep
 * scenario compiler): each step line as the runner is about to issue it,
 * names resolved, with the arguments of every rep element — including
 * elements the model will not reach because an earlier one is refused.
 */
#define SCENARIO_MAX_LIST 16
struct scenario_call {
    unsigned line;
    /* Element 0: input with rep start 0, in_gpa/out_gpa resolved (the
     * actor's lowest reachable page unless given), arg[] of element 0. */
    struct model_event event;
    uint32_t elements; /* rep elements (1 for a simple call or a fault) */
    uint64_t elem_arg[SCENARIO_MAX_LIST][MODEL_ARGS]; /* [element][arg] */
    int in_gpa_given, out_gpa_given;
    /* PostMessage payload="text": the text's bytes (not NUL-terminated),
     * since the event carries only their digest.  NULL otherwise. */
    const char *payload_text;
    size_t payload_len;
};
typedef void (*scenario_call_fn)(const struct scenario_call *call, void *ctx);

/* scenario_run_text, calling fn before each step runs. */
int scenario_run_text_with(const char *name, const char *text, FILE *out,
                           FILE *err, scenario_call_fn fn, void *ctx);
/* The same for a file. */
int scenario_run_file_with(const char *path, FILE *out, FILE *err,
                           scenario_call_fn fn, void *ctx);

/* Coverage across every scenario run in this process: which calls were
 * reached and which statuses they returned.  Prints the table; returns
 * how many calls and statuses were never reached. */
int scenario_coverage_report(FILE *out);

#endif /* PARTITA_MODEL_SCENARIO_H */
