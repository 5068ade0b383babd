/* SPDX-License-Identifier: MIT */
/* test_scenario.c — the scenario runner: passes, fails with the line
 * number on an unmet expectation, and survives bad input. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/scenario.h"

/* Run text; return the exit code, with stderr captured into err. */
static int run(const char *text, char *err, size_t len)
{
    FILE *out = fopen("/dev/null", "w");
    FILE *e = tmpfile();
    ck_assert(out && e);
    int rc = scenario_run_text("t.scn", text, out, e);
    rewind(e);
    size_t n = fread(err, 1, len - 1, e);
    err[n] = 0;
    fclose(e);
    fclose(out);
    return rc;
}

START_TEST(passes)
{
    char err[512];
    ck_assert_int_eq(run("# comment\n"
                         "root CreatePartition -> c1 expect SUCCESS partition_id=2\n"
                         "root InitializePartition partition=c1\n"
                         "  \n"
                         "root FinalizePartition partition=c1 # trailing\n",
                         err, sizeof err),
                     0);
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(wrong_expect_names_line)
{
    char err[512];
    ck_assert_int_eq(run("root CreatePartition -> c1\n"
                         "\n"
                         "root InitializePartition partition=c1 expect ACCESS_DENIED\n"
                         "root PartitaNull\n",
                         err, sizeof err),
                     1);
    ck_assert_ptr_nonnull(strstr(err, "t.scn:3:"));
    ck_assert_ptr_nonnull(strstr(err, "expected ACCESS_DENIED, got SUCCESS"));
}
END_TEST

START_TEST(bad_input_is_reported)
{
    static const char *bad[] = {
        "root\n", "root Nope\n", "root CreatePartition flags\n",
        "root CreatePartition flags=\n", "root CreatePartition flags=\"x\n",
        "ghost PartitaNull\n", "root PostMessage connection=1,2\n",
        "root CreatePartition -> \n", "root CreatePartition expect\n",
        "root CreatePartition expect NOPE\n", "root CreatePartition x=1\n",
        "config frames=999\n", "root/9 PartitaNull\n",
        "root CreatePartition flags=0xFFFFFFFFFFFFFFFFFF\n",
        "root DepositMemory partition=2 page=1,,2\n",
        "root DepositMemory partition=2 page=1,2 count=99\n",
        "root GetPartitionId -> 9x\n", "bind x\n",
        "root CreatePartition expect SUCCESS nope=1\n",
        "root PartitaShutdown code=0\nroot PartitaNull\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[512];
        ck_assert_int_eq(run(bad[i], err, sizeof err), 1);
        ck_assert_msg(strstr(err, "t.scn:") != NULL, "no location for: %s",
                      bad[i]);
    }
}
END_TEST

START_TEST(random_bytes_never_crash)
{
    /* Lines of random printable words drawn from the language's pieces:
     * the runner must answer every one with 0 or 1 (ASan/UBSan watch). */
    static const char *words[] = {
        "root", "c1", "CreatePartition", "PostMessage", "->", "expect",
        "SUCCESS", "partition=c1", "page=1,2", "flags=rw|shared", "=", "\"",
        "count=3", "config", "queue_depth=2", "x=", "#", "Raw", "code=1",
        "Fault", "dump", "bind", "c1=2", "/", "root/1", "payload=\"hi\"",
    };
    srand(7);
    char text[2048];
    for (int round = 0; round < 300; round++) {
        size_t at = 0;
        for (int line = 0; line < 6; line++) {
            int n = rand() % 7;
            for (int w = 0; w < n; w++)
                at += (size_t)snprintf(text + at, sizeof text - at, "%s ",
                                       words[rand() % (sizeof words /
                                                       sizeof words[0])]);
            at += (size_t)snprintf(text + at, sizeof text - at, "\n");
        }
        char err[512];
        int rc = run(text, err, sizeof err);
        ck_assert(rc == 0 || rc == 1);
    }
}
END_TEST

Suite *suite_scenario(void)
{
    Suite *s = suite_create("scenario");
    TCase *t = tcase_create("runner");
    tcase_add_test(t, passes);
    tcase_add_test(t, wrong_expect_names_line);
    tcase_add_test(t, bad_input_is_reported);
    tcase_add_test(t, random_bytes_never_crash);
    suite_add_tcase(s, t);
    return s;
}
