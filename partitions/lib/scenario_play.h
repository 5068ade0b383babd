/* SPDX-License-Identifier: MIT */
/*
 * Playing a compiled scenario (kernel/abi/scenario_steps.h) from inside a
 * partition: the root plays its own steps, each child's agent plays that
 * child's, and a shared control page says whose turn it is, so the steps
 * happen strictly in file order whatever the scheduler does.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/scenario_steps.h"

struct scenario_player {
    const struct scenario_steps_header *header; /* a compiled file, or */
    const struct scenario_gen_header *gen;      /* a generated run's window */
    const struct scenario_step *steps;
    volatile struct scenario_control *control;
    uint64_t me;          /* partition id */
    uint32_t vp;          /* VP index */
    int relocate;         /* the root: its pages go where scenario_frame_page says */
    /* A child's agent: the control page is read-only to it and the
     * hypervisor advances the turn when its hypercall completes. */
    int turn_by_hypervisor;
};

/* 0 if the blob is a compiled scenario this player understands. */
int scenario_open(struct scenario_player *pl, const void *blob, uint64_t size);

/* Plays this partition's steps in order; returns how many it played. */
uint32_t scenario_play(struct scenario_player *pl);

/* One step, as this partition issues it (the root relocating its pages). */
void scenario_play_step(const struct scenario_player *pl, const struct scenario_step *s);
