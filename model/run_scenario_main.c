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
    int quiet = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "-q") == 0)
        quiet = 1, first = 2;
    if (argc <= first) {
        fprintf(stderr, "usage: run-scenario [-q] FILE.scn...\n");
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
    return rc;
}
