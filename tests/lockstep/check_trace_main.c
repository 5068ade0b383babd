/*
 * check-trace STEPS.bin TRACE.log [--states TRACE_WITH_STATES.log]
 *             [--steps-out FILE]
 *
 * Checks a hypervisor trace against the reference model, step by step,
 * using the compiled steps the run played.  Exit 0 and "PASS ..." when
 * they agree; 1 with a report at the first divergence; 2 on bad input.
 */
#include <stdio.h>
#include <string.h>

#include "checker.h"

static int usage(void)
{
    fprintf(stderr, "usage: check-trace STEPS.bin TRACE.log [--states "
                    "TRACE_WITH_STATES.log] [--steps-out FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *steps_path = NULL, *trace_path = NULL, *states_path = NULL,
               *steps_out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--states") == 0 && i + 1 < argc)
            states_path = argv[++i];
        else if (strcmp(argv[i], "--steps-out") == 0 && i + 1 < argc)
            steps_out = argv[++i];
        else if (argv[i][0] == '-')
            return usage();
        else if (!steps_path)
            steps_path = argv[i];
        else if (!trace_path)
            trace_path = argv[i];
        else
            return usage();
    }
    if (!steps_path || !trace_path)
        return usage();

    char err[512];
    static struct steps_list steps;
    static struct trace t, st;
    if (steps_read(steps_path, &steps, err, sizeof err)) {
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
    struct lockstep_options opt = {stdout, so, states_path ? &st : NULL};
    struct lockstep_result res;
    int rc = lockstep_check(&steps, &t, &opt, &res);
    if (so && fclose(so)) {
        perror(steps_out);
        rc = 2;
    }
    trace_free(&t);
    trace_free(&st);
    steps_list_free(&steps);
    return rc;
}
