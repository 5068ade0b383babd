/* SPDX-License-Identifier: MIT */
/* test_main.c — runs every suite of the model's Check tests. */
#include <stdlib.h>

#include "helpers.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_partition());
    srunner_add_suite(sr, suite_memory());
    srunner_add_suite(sr, suite_vp());
    srunner_add_suite(sr, suite_port());
    srunner_add_suite(sr, suite_message());
    srunner_add_suite(sr, suite_partita());
    srunner_add_suite(sr, suite_dispatch());
    srunner_add_suite(sr, suite_invariants());
    srunner_add_suite(sr, suite_encode());
    srunner_add_suite(sr, suite_scenario());
    srunner_add_suite(sr, suite_explore());
    /* In one process: every test starts from its own fixture (helpers.c
     * resets the state), and forking a process that holds megabytes of
     * model state for each of the tests cost 20 s where the tests take 1 s.
     * CK_FORK=yes in the environment still forks, to isolate a crash. */
    if (!getenv("CK_FORK"))
        srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
