/* SPDX-License-Identifier: MIT */
/*
 * scenario-compile FILE.scn OUT.bin [-v]
 * scenario-compile FILE.scn OUT.bin FILE.scn OUT.bin ...
 *
 * Checks each scenario against the model and writes its compiled steps
 * (kernel/abi/scenario_steps.h).  -v prints every step as the model runs
 * it.  Exit 0, or 1 with "FILE:LINE: message" on stderr.  Many pairs in
 * one run cost one start-up: the sanitizers' exit scan of the megabytes of
 * model state was most of a compile's time.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_compile.h"

int main(int argc, char **argv)
{
    int verbose = argc == 4 && strcmp(argv[3], "-v") == 0;
    if (!verbose && (argc < 3 || argc % 2 == 0)) {
        fprintf(stderr,
                "usage: scenario-compile FILE.scn OUT.bin [-v]\n"
                "       scenario-compile FILE.scn OUT.bin FILE.scn OUT.bin ...\n");
        return 2;
    }
    FILE *trace = verbose ? stdout : fopen("/dev/null", "w");
    if (!trace) {
        perror("/dev/null");
        return 2;
    }
    int pairs = verbose ? 1 : (argc - 1) / 2, rc = 0;
    for (int i = 0; i < pairs && rc == 0; i++) {
        const char *scn = argv[1 + 2 * i], *out = argv[2 + 2 * i];
        static struct steps_list steps;
        rc = scenario_compile_file(scn, &steps, trace, stderr);
        char err[512];
        if (rc == 0 && steps_write(out, &steps, err, sizeof err)) {
            fprintf(stderr, "scenario-compile: %s\n", err);
            rc = 1;
        }
        if (rc == 0)
            printf("%s: %u steps -> %s\n", scn, steps.n, out);
        steps_list_free(&steps);
    }
    if (!verbose)
        fclose(trace);
    return rc;
}
