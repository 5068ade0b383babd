/* SPDX-License-Identifier: MIT */
/*
 * scenario-compile FILE.scn OUT.bin [-v]
 *
 * Checks the scenario against the model and writes its compiled steps
 * (kernel/abi/scenario_steps.h).  -v prints every step as the model runs
 * it.  Exit 0, or 1 with "FILE:LINE: message" on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_compile.h"

int main(int argc, char **argv)
{
    int verbose = argc == 4 && strcmp(argv[3], "-v") == 0;
    if (argc != 3 && !verbose) {
        fprintf(stderr, "usage: scenario-compile FILE.scn OUT.bin [-v]\n");
        return 2;
    }
    FILE *trace = verbose ? stdout : fopen("/dev/null", "w");
    if (!trace) {
        perror("/dev/null");
        return 2;
    }
    static struct steps_list steps;
    int rc = scenario_compile_file(argv[1], &steps, trace, stderr);
    char err[512];
    if (rc == 0 && steps_write(argv[2], &steps, err, sizeof err)) {
        fprintf(stderr, "scenario-compile: %s\n", err);
        rc = 1;
    }
    if (rc == 0)
        printf("%s: %u steps -> %s\n", argv[1], steps.n, argv[2]);
    if (!verbose)
        fclose(trace);
    steps_list_free(&steps);
    return rc;
}
