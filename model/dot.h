/* SPDX-License-Identifier: MIT */
/*
 * dot.h — Graphviz state machines generated from the model's reachable
 * state graph (the explorer on a tiny configuration), projected onto one
 * object: a partition, a VP, a port, a SINT's message queue.  Nothing is
 * drawn by hand, so the diagrams cannot drift from the model.
 */
#ifndef PARTITA_MODEL_DOT_H
#define PARTITA_MODEL_DOT_H

#include <stdio.h>

/* The diagrams model_dot_write can produce. */
extern const char *const model_dot_diagrams[];

/* Write diagram `name` as a dot graph; 0 on success. */
int model_dot_write(const char *name, FILE *out);

#endif /* PARTITA_MODEL_DOT_H */
