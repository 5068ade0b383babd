/*
 * scenario.h — the scenario language (docs/architecture/scenarios.md):
 * parse a .scn file and run it against the model, one step per line.
 */
#ifndef PARTITA_MODEL_SCENARIO_H
#define PARTITA_MODEL_SCENARIO_H

#include <stdio.h>

/* Run the scenario in `text` (named `name` in messages).  Each step is
 * printed to out; the first error — syntax, unmet expectation, impossible
 * step, invariant violation — is printed to err as "name:LINE: ..." and
 * stops the run.  Returns 0 if every step met its expectation, else 1. */
int scenario_run_text(const char *name, const char *text, FILE *out,
                      FILE *err);
/* The same for a file; 2 if it cannot be read. */
int scenario_run_file(const char *path, FILE *out, FILE *err);

/* Coverage across every scenario run in this process: which calls were
 * reached and which statuses they returned.  Prints the table; returns
 * how many calls and statuses were never reached. */
int scenario_coverage_report(FILE *out);

#endif /* PARTITA_MODEL_SCENARIO_H */
