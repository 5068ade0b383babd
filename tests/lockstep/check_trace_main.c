/* SPDX-License-Identifier: MIT */
/*
 * check-trace STEPS.bin TRACE.log [--states TRACE_WITH_STATES.log]
 *             [--steps-out FILE]
 * check-trace --free TRACE.log [--name NAME] [--states ...] [--steps-out ...]
 * check-trace --seed N --steps M TRACE.log [--states ...] [--steps-out ...]
 *
 * Checks a hypervisor trace against the reference model, step by step,
 * using the compiled steps the run played, or (--free) taking every
 * record in order as the step: runs that play no scenario (the demo, the
 * services).  Exit 0 and "PASS ..." when they agree; 1 with a report at
 * the first divergence; 2 on bad input.  --seed/--steps: the run's steps
 * were generated inside the machine from the seed (the root's in-machine
 * generator); the checker regenerates them step by step as it goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "fuzz.h"

static int usage(void)
{
    fprintf(stderr, "usage: check-trace STEPS.bin TRACE.log [--states "
                    "TRACE_WITH_STATES.log] [--steps-out FILE]\n"
                    "       check-trace --free TRACE.log [--name NAME] [--states "
                    "TRACE_WITH_STATES.log] [--steps-out FILE]\n"
                    "       check-trace --seed N --steps M TRACE.log [--states "
                    "TRACE_WITH_STATES.log] [--steps-out FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *steps_path = NULL, *trace_path = NULL, *states_path = NULL,
               *steps_out = NULL, *name = NULL;
    int free_running = 0, generated = 0;
    unsigned long long seed = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--seed") == 0 || strcmp(argv[i], "--steps") == 0) &&
            i + 1 < argc) {
            unsigned long long *v = argv[i][3] == 'e' ? &seed : &count;
            char *end;
            errno = 0;
            *v = strtoull(argv[++i], &end, 0);
            if (!argv[i][0] || *end || errno || argv[i][0] == '-' || count > UINT32_MAX - 1)
                return usage();
            generated |= v == &seed ? 1 : 2;
        } else if (strcmp(argv[i], "--free") == 0)
            free_running = 1;
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--states") == 0 && i + 1 < argc)
            states_path = argv[++i];
        else if (strcmp(argv[i], "--steps-out") == 0 && i + 1 < argc)
            steps_out = argv[++i];
        else if (argv[i][0] == '-')
            return usage();
        else if (!steps_path && !free_running && !generated)
            steps_path = argv[i];
        else if (!trace_path)
            trace_path = argv[i];
        else
            return usage();
    }
    if (generated && (generated != 3 || free_running || steps_path))
        return usage();
    if ((!steps_path && !free_running && !generated) || !trace_path)
        return usage();
    static struct fuzz_source gen;
    if (generated && fuzz_source_open(&gen, seed, (uint32_t)count)) {
        fprintf(stderr, "check-trace: out of memory\n");
        return 2;
    }

    char err[512];
    static struct steps_list steps;
    static struct trace t, st;
    if (steps_path && steps_read(steps_path, &steps, err, sizeof err)) {
        fprintf(stderr, "check-trace: %s\n", err);
        return 2;
    }
    if (trace_read_file(&t, trace_path, err, sizeof err)) {
        fprintf(stderr, "check-trace: %s: %s\n", trace_path, err);
        return 2;
    }
    if (states_path && trace_read_file(&st, states_path, err, sizeof err)) {
        fprintf(stderr, "check-trace: %s: %s\n", states_path, err);
        return 2;
    }
    FILE *so = NULL;
    if (steps_out && !(so = fopen(steps_out, "w"))) {
        perror(steps_out);
        return 2;
    }
    struct lockstep_options opt = {stdout, so, states_path ? &st : NULL,
                                   name ? name : trace_path, 0};
    struct lockstep_result res;
    int rc = free_running ? lockstep_check_free(&t, &opt, &res)
             : generated  ? lockstep_check_source(&gen.src, &t, &opt, &res)
                          : lockstep_check(&steps, &t, &opt, &res);
    if (so && fclose(so)) {
        perror(steps_out);
        rc = 2;
    }
    trace_free(&t);
    trace_free(&st);
    steps_list_free(&steps);
    fuzz_source_close(&gen);
    return rc;
}
