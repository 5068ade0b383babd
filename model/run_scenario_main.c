/* SPDX-License-Identifier: MIT */
/*
 * run_scenario_main.c — `run-scenario FILE...`: run scenarios against the
 * model alone.  Exit 0 if all pass, 1 if any fails (the message names the
 * file and line), 2 on usage errors.
 */
#include <stdio.h>
#include <string.h>

#include "scenario.h"

int main(int argc, char **argv)
{
    int quiet = 0, cov = 0, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-q") == 0)
            quiet = 1;
        else if (strcmp(argv[first], "--coverage") == 0)
            cov = 1;
        else
            first = argc; /* unknown option: usage */
    }
    if (argc <= first) {
        fprintf(stderr,
                "usage: run-scenario [-q] [--coverage] FILE.scn...\n"
                "  -q          print one PASS line per file, not every step\n"
                "  --coverage  after the run, print which calls and statuses\n"
                "              were reached; fail if any was not\n");
        return 2;
    }
    FILE *sink = quiet ? fopen("/dev/null", "w") : stdout;
    if (!sink)
        sink = stdout;
    int rc = 0;
    for (int i = first; i < argc; i++) {
        int r = scenario_run_file(argv[i], sink, stderr);
        if (r) {
            fprintf(stderr, "FAIL %s\n", argv[i]);
            rc = r > rc ? r : rc;
        } else if (quiet) {
            printf("PASS %s\n", argv[i]);
        }
    }
    if (sink != stdout)
        fclose(sink);
    if (cov) {
        int missing = scenario_coverage_report(stdout);
        if (missing) {
            fprintf(stderr, "run-scenario: %d calls or statuses never reached\n",
                    missing);
            rc = rc ? rc : 1;
        }
    }
    return rc;
}
