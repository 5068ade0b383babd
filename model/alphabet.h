/* SPDX-License-Identifier: MIT */
/*
 * alphabet.h — the explorer's event alphabet: for a state, every event
 * the explorer tries (valid and invalid arguments), and the named start
 * states it explores from.
 */
#ifndef PARTITA_MODEL_ALPHABET_H
#define PARTITA_MODEL_ALPHABET_H

#include "model.h"

#define MODEL_ALPHABET_MAX 128

/* Fill out[] with the events to try in state s; returns how many. */
size_t model_alphabet(const struct model_config *cfg,
                      const struct model_state *s, struct model_event *out,
                      size_t max);

enum model_start {
    MODEL_START_BOOT,  /* the root alone */
    MODEL_START_SETUP, /* + two children, each initialized, with one
                          deposited page, VP 0 running and GPA page 0
                          mapped (its hypercall page) */
    MODEL_START_IPC,   /* + port 1 on the first child (message, sint 0,
                          admits the second) connected as its connection
                          1, and port 2 on the second (event, sint 1,
                          admits the first) connected as its connection 2 */
};

/* Build the start state by running the prelude through model_step;
 * returns 0, or -1 (with a message on stderr) if a prelude step failed.
 * The prelude events are stored in prelude[] (count in *n) for reports. */
int model_start_state(const struct model_config *cfg, enum model_start start,
                      struct model_state *s, struct model_event *prelude,
                      size_t *n, size_t max);
int model_start_parse(const char *text, enum model_start *out);
const char *model_start_name(enum model_start start);

/* model_default_in_gpa, the input page the explorer uses: state.h. */

#endif /* PARTITA_MODEL_ALPHABET_H */
