/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the hypercall decoder and dispatcher (kernel/core/) with
 * the reference model as the oracle.  An input is
 *   seed (8 bytes) | step count (1 byte) | edits (5 bytes each)
 * The seed and count give a run of the lockstep fuzz generator
 * (tests/lockstep/fuzz.c: mostly valid calls from the root and live
 * children); each edit XORs one byte of one step — of its input value
 * (RCX: call code, rep count and start, fast bit), its input or output
 * GPA, or its input block — so the fuzzer explores the bad inputs next to
 * valid states.  The core plays the steps on the fake machine, exactly
 * as host-lockstep does, and the trace is checked step for step against
 * the model; a divergence, a sanitizer report or a crash is a finding.
 * Steps the machine cannot issue (an edited GPA the actor cannot write)
 * end the input early; what was played is still checked.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "fake_arch.h"
#include "fuzz.h"
#include "host_machine.h"

#define EDIT_BYTES 5

static void edit(struct steps_list *l, const uint8_t *e)
{
    struct scenario_step *st = &l->v[(e[0] | e[1] << 8) % l->n];
    uint8_t pos = e[3], val = e[4];
    switch (e[2] % 4) {
    case 0: st->input ^= (uint64_t)val << (8 * (pos % 8)); break;
    case 1: st->in_gpa ^= (uint64_t)val << (8 * (pos % 8)); break;
    case 2: st->out_gpa ^= (uint64_t)val << (8 * (pos % 8)); break;
    default:
        if (st->block_len)
            st->block[pos % st->block_len] ^= val;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    uint64_t seed;
    memcpy(&seed, data, 8);
    uint32_t steps = 1 + data[8] % 48u;
    static struct steps_list l;
    char err[512];
    if (fuzz_generate(seed, steps, &l, err, sizeof err)) {
        fprintf(stderr, "fuzz_hypercall: the generator failed: %s\n", err);
        abort();
    }
    snprintf(l.name, sizeof l.name, "fuzz-input");
    for (size_t i = 9; i + EDIT_BYTES <= size; i += EDIT_BYTES)
        edit(&l, data + i);

    if (host_machine_boot(err, sizeof err)) {
        fprintf(stderr, "fuzz_hypercall: boot: %s\n", err);
        abort();
    }
    int rc = host_machine_play(&l, err, sizeof err);
    if (rc == -2) { /* an observation failed: a finding like a divergence */
        fprintf(stderr, "fuzz_hypercall: %s\n", err);
        abort();
    }
    int played = rc == 0;
    size_t len;
    const char *text = fake_trace_text(&len);
    static struct trace t;
    memset(&t, 0, sizeof t);
    if (trace_parse_text(&t, text, len, err, sizeof err)) {
        fprintf(stderr, "fuzz_hypercall: the trace does not parse: %s\n", err);
        abort();
    }
    /* A whole run is checked against the steps; a run cut short (a step
     * the machine could not issue) record by record, free-running. */
    char *report = NULL;
    size_t report_len = 0;
    FILE *rep = open_memstream(&report, &report_len);
    struct lockstep_options opt = {rep, NULL, NULL, "fuzz-input", 1};
    struct lockstep_result res;
    int bad =
        played ? lockstep_check(&l, &t, &opt, &res) : lockstep_check_free(&t, &opt, &res);
    fclose(rep);
    if (bad) {
        fputs(report, stderr);
        fprintf(stderr,
                "fuzz_hypercall: the hypervisor and the model disagree "
                "(seq %llu, step %u)\n",
                (unsigned long long)res.seq, res.step_index);
        abort();
    }
    free(report);
    trace_free(&t);
    host_machine_teardown();
    steps_list_free(&l);
    return 0;
}
