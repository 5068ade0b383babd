/* SPDX-License-Identifier: MIT */
/* test_explore.c — the explorer finds no violation on the small
 * configuration (and, in the defect build, must find one). */
#include "helpers.h"

#include <stdio.h>

#include "model/explore.h"

START_TEST(ipc_depth_4_clean)
{
    struct explore_options o = {
        .cfg = model_config_small(), .depth = 4, .start = MODEL_START_IPC,
        .report = stderr,
    };
    struct explore_stats s;
    ck_assert_int_eq(model_explore(&o, &s), 0);
    ck_assert_uint_gt(s.states, 100);
    ck_assert_int_eq(s.violation, 0);
}
END_TEST

START_TEST(boot_depth_4_clean)
{
    struct explore_options o = {
        .cfg = model_config_small(), .depth = 4, .start = MODEL_START_BOOT,
        .report = stderr,
    };
    struct explore_stats s;
    ck_assert_int_eq(model_explore(&o, &s), 0);
}
END_TEST

Suite *suite_explore(void)
{
    Suite *s = suite_create("explore");
    TCase *t = tcase_create("small");
    tcase_set_timeout(t, 30);
    tcase_add_test(t, ipc_depth_4_clean);
    tcase_add_test(t, boot_depth_4_clean);
    suite_add_tcase(s, t);
    return s;
}
