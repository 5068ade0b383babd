/* SPDX-License-Identifier: MIT */
/*
 * explore.h — breadth-first enumeration of every event sequence up to a
 * depth, de-duplicated by canonical encoding, with the invariants checked
 * in every reachable state.
 */
#ifndef PARTITA_MODEL_EXPLORE_H
#define PARTITA_MODEL_EXPLORE_H

#include <stdio.h>

#include "alphabet.h"
#include "model.h"

/* Called for every possible transition (the dot exporter listens). */
typedef void (*model_edge_fn)(void *ctx, const struct model_state *from,
                              const struct model_event *e,
                              const struct model_result *r,
                              const struct model_state *to);

struct explore_options {
    struct model_config cfg;
    unsigned depth;
    enum model_start start;
    /* Only events whose call is in this NULL-terminated list of names
     * ("Fault" for the async fault); NULL = all. */
    const char *const *only;
    model_edge_fn on_edge;
    void *ctx;
    FILE *report; /* progress and the counterexample; NULL = quiet */
};

struct explore_stats {
    uint64_t states;      /* distinct reachable states (start included) */
    uint64_t transitions; /* possible events tried */
    uint64_t impossible;  /* events the state rules out */
    uint64_t per_depth[64];
    double seconds;
    int violation; /* 0 = none */
};

/* 0: no violation; 1: a violation (counterexample written to report);
 * -1: could not run (bad options, out of memory). */
int model_explore(const struct explore_options *o, struct explore_stats *st);

#endif /* PARTITA_MODEL_EXPLORE_H */
