/* SPDX-License-Identifier: MIT */
/*
 * host_machine.h — the hypervisor core booted on the fake machine, and
 * the partitions' side played from compiled steps.
 */
#ifndef PARTITA_LOCKSTEP_HOST_MACHINE_H
#define PARTITA_LOCKSTEP_HOST_MACHINE_H

#include <stddef.h>
#include <stdio.h>

#include "steps_file.h"

/* Boots as kernel/core/main.c and root_setup.c do: frame allocator over a
 * fake memory map, the hypervisor's pool, the page table, the root with
 * every remaining page identity-mapped and VP 0 running, the trace
 * header.  0 or -1 with err. */
int host_machine_boot(char *err, size_t errlen);

/* Plays the steps as the partitions would: write the input block through
 * the actor's mappings, load RCX/RDX/R8, and call the dispatcher again
 * while it asks for a rep continuation; FAULT steps stop the VP.  Stops
 * after a shutdown.  Writes the E record at the end.  0, or -1 with err
 * when a step could not be issued (the trace then ends early), or -2 with
 * err when what the partition saw in an output block the model does not
 * track breaks its own expectation (host_machine.c: observations). */
int host_machine_play(const struct steps_list *steps, char *err, size_t errlen);

/* One step at a time (a generated run): 0 played, 1 the run was shut
 * down before it, -1 or -2 with err as above; then host_machine_end
 * writes the E record. */
int host_machine_play_step(const struct scenario_step *st, uint32_t index, char *err,
                           size_t errlen);
void host_machine_end(void);

/* Tests that drive the core directly (host_intercepts.c,
 * host_exhaustion.c): the steps of a compiled set-up up to the shutdown
 * the compiler appends (0, or -1 with err); and one root hypercall with
 * input value `input` and its input block written first, returning its
 * status and copying out_len bytes of its output block. */
int host_machine_play_setup(const struct steps_list *setup, char *err, size_t errlen);
uint16_t host_machine_root_call(uint64_t input, const void *in, size_t in_len, void *out,
                                size_t out_len);
/* The observations of a test that drives the core directly: each differing
 * one is reported to out and marks the run failed. */
struct host_run {
    FILE *out;
    int failed;
};
void host_expect(struct host_run *r, const char *what, uint64_t got, uint64_t want);
/* A root call that must succeed (host_machine_root_call, no output). */
void host_expect_call(struct host_run *r, const char *what, uint64_t input, const void *in,
                      size_t in_len);
/* Ends the run (the E record), checks its whole trace free-running against
 * the model and prints "PASS|FAIL name: ..." (`passed` says what held);
 * 0 if every observation and every record agreed. */
int host_run_verdict(struct host_run *r, const char *name, const char *passed);

/* Frees what the backend holds for every live partition (vCPUs, second-
 * level tables), so that one process can boot many machines (the fuzz
 * target); host_machine_boot then starts from nothing again. */
void host_machine_teardown(void);

#endif
