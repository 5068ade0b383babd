/* SPDX-License-Identifier: MIT */
/*
 * dump.h — readable text for states, events and results, and a diff of
 * two states (what the lockstep checker prints side by side).
 */
#ifndef PARTITA_MODEL_DUMP_H
#define PARTITA_MODEL_DUMP_H

#include <stdio.h>

#include "model.h"

/* One fact per line, each line starting with a stable key, so two dumps
 * compare line by line. */
void model_dump(const struct model_config *cfg, const struct model_state *s,
                FILE *out);
/* Lines of a not in b ("- ") and of b not in a ("+ "); returns how many
 * lines differ (0: the states are equal). */
int model_diff(const struct model_config *cfg, const struct model_state *a,
               const struct model_state *b, FILE *out);

/* "p2/0 PostMessage connection=1 type=1 size=5 payload=0x..." */
void model_event_format(const struct model_event *e, char *buf, size_t len);
/* "SUCCESS reps=1 partition_id=2" or "(impossible)" */
void model_result_format(const struct model_event *e,
                         const struct model_result *r, char *buf, size_t len);

#endif /* PARTITA_MODEL_DUMP_H */
