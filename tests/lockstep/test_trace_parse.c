/*
 * Check unit tests of the trace-record parser and of the checker's
 * handling of short and misaligned traces: every malformed input gets a
 * message naming its line, never a crash (built with ASan and UBSan).
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lockstep/checker.h"
#include "tests/lockstep/trace_parse.h"

#define HEADER "T partita-trace 1 window 8f9 frames 64 hv-frames 8 digest f21dabbe867df10d\n"
#define NULL_CALL "H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 f21dabbe867df10d\n"

static struct trace t;
static char err[512];

static int parse(const char *text)
{
    trace_free(&t);
    err[0] = 0;
    return trace_parse_text(&t, text, strlen(text), err, sizeof err);
}

static void setup(void)
{
    memset(&t, 0, sizeof t);
}

static void teardown(void)
{
    trace_free(&t);
}

START_TEST(well_formed_trace)
{
    ck_assert_int_eq(parse(HEADER NULL_CALL "F 1 2 0 0123456789abcdef\nE 2 0\n"), 0);
    ck_assert(t.have_header);
    ck_assert_uint_eq(t.window, 0x8f9);
    ck_assert_uint_eq(t.frames, 64);
    ck_assert_uint_eq(t.hv_frames, 8);
    ck_assert_uint_eq(t.digest, 0xf21dabbe867df10dull);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_int_eq(t.rec[0].kind, 'H');
    ck_assert_uint_eq(t.rec[0].input, 0x8000);
    ck_assert_int_eq(t.rec[1].kind, 'F');
    ck_assert_uint_eq(t.rec[1].actor, 2);
    ck_assert_uint_eq(t.rec[1].digest, 0x0123456789abcdefull);
    ck_assert(t.have_end);
    ck_assert_uint_eq(t.end_seq, 2);
    ck_assert_int_eq(t.end_result, 0);
}
END_TEST

START_TEST(crlf_and_blank_lines)
{
    ck_assert_int_eq(parse("T partita-trace 1 window 10 frames 64 hv-frames 8 digest 1\r\n\r\n"
                           "E 0 3\r\n"), 0);
    ck_assert_int_eq(t.end_result, 3);
}
END_TEST

START_TEST(state_record)
{
    ck_assert_int_eq(parse(HEADER NULL_CALL "S 0 50415453ff\n"), 0);
    const struct trace_state *s = trace_state_at(&t, 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->len, 5);
    ck_assert_uint_eq(s->bytes[0], 0x50);
    ck_assert_uint_eq(s->bytes[4], 0xff);
    ck_assert_ptr_null(trace_state_at(&t, 1));
}
END_TEST

/* Each malformed record: an error that names line 2 and what was wrong. */
static const struct {
    const char *line;
    const char *says;
} bad[] = {
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 f21dabbe867df10d\n", "expected 20 fields"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 f21dabbe867df10d\n", "expected 20 fields"},
    {"H x 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(seq) should be a decimal"},
    {"H 0 1 0 80g0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(input) should be a hex"},
    {"H 0 1 0 0x80 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(input) should be a hex"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 10000 0 0 0 0 0 0 1\n", "(status)"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 5 0 0 0 0 1\n", "(nout)"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 10000000000000000\n", "(digest)"},
    {"H -1 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(seq)"},
    {"H 3 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "has seq 3, expected 0"},
    {"F 0 2 0\n", "expected 4 fields"},
    {"E 0\n", "expected 'E <seq> <result>'"},
    {"E 0 x\n", "bad result"},
    {"Q 1 2 3\n", "unknown record 'Q'"},
    {"HH 1 2 3\n", "unknown record 'HH'"},
    {"S 0 abc\n", "even number of hex digits"},
    {"S 0 zz\n", "non-hex character"},
    {"S x ab\n", "should be decimal"},
    {"S\n", "expected 'S <seq> <hex>'"},
    {"T partita-trace 1 window 1 frames 64 hv-frames 8 digest 1\n", "second T header"},
};

START_TEST(malformed_records)
{
    char text[512];
    snprintf(text, sizeof text, "%s%s", HEADER, bad[_i].line);
    ck_assert_int_eq(parse(text), -1);
    if (!strstr(err, "trace line 2:") || !strstr(err, bad[_i].says))
        ck_abort_msg("for %s expected an error mentioning line 2 and '%s', got '%s'",
                     bad[_i].line, bad[_i].says, err);
}
END_TEST

START_TEST(header_first_and_version)
{
    ck_assert_int_eq(parse(NULL_CALL), -1);
    ck_assert_ptr_nonnull(strstr(err, "before the 'T partita-trace' header"));
    ck_assert_int_eq(parse("T partita-trace 2 window 1 frames 64 hv-frames 8 digest 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 2"));
    ck_assert_int_eq(parse("T partita-trace 1 window 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "expected 'T partita-trace 1 window"));
    ck_assert_int_eq(parse(""), -1);
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    ck_assert_int_eq(parse(HEADER "E 0 0\n" NULL_CALL), -1);
    ck_assert_ptr_nonnull(strstr(err, "after the E record"));
}
END_TEST

START_TEST(cut_off_last_line_is_kept_as_truncation)
{
    ck_assert_int_eq(parse(HEADER NULL_CALL "H 1 1 0 80"), 0);
    ck_assert_uint_eq(t.n, 1);
    ck_assert_uint_eq(t.truncated_line, 3);
    ck_assert(!t.have_end);
}
END_TEST

START_TEST(random_bytes_never_crash)
{
    char text[600];
    uint64_t x = 0x12345678;
    for (int round = 0; round < 3000; round++) {
        size_t n = strlen(HEADER);
        memcpy(text, HEADER, n);
        size_t len = n + (size_t)(x % 200);
        for (size_t i = n; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* Mostly record-like characters, with some of anything. */
            static const char alphabet[] = "HFESTt 0123456789abcdefx-\n\r";
            text[i] = (x & 0x300) ? alphabet[x % (sizeof alphabet - 1)] : (char)(x >> 8);
        }
        trace_free(&t);
        trace_parse_text(&t, text, len, err, sizeof err);
    }
}
END_TEST

/* The checker on traces that stop short or do not match the steps. */
static struct steps_list one_null_step(void)
{
    struct steps_list l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "unit.scn");
    struct scenario_step *s = steps_push(&l);
    s->kind = SCENARIO_STEP_HYPERCALL;
    s->actor = 1;
    s->input = 0x18000; /* PartitaNull, fast */
    s->line = 7;
    return l;
}

static int check(const char *text, char *report, size_t len)
{
    struct steps_list l = one_null_step();
    struct lockstep_result res;
    FILE *out = fmemopen(report, len, "w");
    ck_assert_int_eq(parse(text), 0);
    struct lockstep_options opt = {out, NULL, NULL};
    int rc = lockstep_check(&l, &t, &opt, &res);
    fclose(out);
    steps_list_free(&l);
    return rc;
}

START_TEST(checker_short_and_misaligned)
{
    static char report[8192];
    const char *hdr = HEADER;
    char text[1024];
    snprintf(text, sizeof text, "%s", hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "TRACE ENDS EARLY"));
    ck_assert_ptr_nonnull(strstr(report, "line 7"));

    snprintf(text, sizeof text, "%sH 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "OUT OF STEP"));

    snprintf(text, sizeof text, "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "f21dabbe867df10d\n", hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "no E record"));

    snprintf(text, sizeof text, "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "1\nE 1 0\n", hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at record seq 0"));
    ck_assert_ptr_nonnull(strstr(report, "not available"));

    snprintf(text, sizeof text, "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "f21dabbe867df10d\nE 1 0\n", hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 0);
    ck_assert_ptr_nonnull(strstr(report, "PASS unit.scn: 1 steps, 1 records"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("trace_parse");
    TCase *tc = tcase_create("records");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, well_formed_trace);
    tcase_add_test(tc, crlf_and_blank_lines);
    tcase_add_test(tc, state_record);
    tcase_add_loop_test(tc, malformed_records, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(tc, header_first_and_version);
    tcase_add_test(tc, cut_off_last_line_is_kept_as_truncation);
    tcase_add_test(tc, random_bytes_never_crash);
    tcase_add_test(tc, checker_short_and_misaligned);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
