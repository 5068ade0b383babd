/* SPDX-License-Identifier: MIT */
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

#include "model/encode.h"
#include "model/model.h"
#include "tests/lockstep/checker.h"
#include "tests/lockstep/trace_parse.h"

#define HEADER                                                                           \
    "T partita-trace 3 probe 8f9+8 ram 100+40 a00+1f8 digest 6d73c2b5826e9087\n"
#define NULL_CALL "H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 e7db33cba83bd720\n"

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
    ck_assert_uint_eq(t.probe_page, 0x8f9);
    ck_assert_uint_eq(t.probe_pages, 8);
    ck_assert_uint_eq(t.ram_ranges, 2);
    ck_assert_uint_eq(t.ram[0][0], 0x100);
    ck_assert_uint_eq(t.ram[0][1], 0x40);
    ck_assert_uint_eq(t.ram[1][0], 0xa00);
    ck_assert_uint_eq(t.ram[1][1], 0x1f8);
    ck_assert_uint_eq(t.digest, 0x6d73c2b5826e9087ull);
    ck_assert_int_eq(t.services_in_hypervisor, 0);
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
    ck_assert_int_eq(
        parse("T partita-trace 3 probe 0+8 ram 8+1f8 digest 1 services hypervisor\r\n\r\n"
              "E 0 3\r\n"),
        0);
    ck_assert_int_eq(t.end_result, 3);
    ck_assert_int_eq(t.services_in_hypervisor, 1);
    ck_assert_uint_eq(t.ram_ranges, 1);
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
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 e7db33cba83bd720\n",
     "expected 22 fields"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 e7db33cba83bd720\n",
     "expected 22 fields"},
    {"H x 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(seq) should be a decimal"},
    {"H 0 1 0 80g0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(input) should be a hex"},
    {"H 0 1 0 0x80 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(input) should be a hex"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 10000 0 0 0 0 0 0 1\n", "(status)"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 5 0 0 0 0 1\n", "(nout)"},
    {"H 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 10000000000000000\n", "(digest)"},
    {"H -1 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "(seq)"},
    {"H 3 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n", "has seq 3, expected 0"},
    {"F 0 2 0\n", "expected 4 fields"},
    {"E 0\n", "expected 'E <seq> <result>'"},
    {"E 0 x\n", "bad result"},
    {"Q 1 2 3\n", "unknown record 'Q'"},
    {"HH 1 2 3\n", "unknown record 'HH'"},
    {"S 0 abc\n", "even number of hex digits"},
    {"S 0 zz\n", "non-hex character"},
    {"S x ab\n", "should be decimal"},
    {"S\n", "expected 'S <seq> <hex>'"},
    {"T partita-trace 3 probe 0+8 ram 8+1f8 digest 1\n", "second T header"},
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
    ck_assert_int_eq(parse("T partita-trace 1 probe 0+8 ram 8+1f8 digest 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 1"));
    ck_assert_int_eq(parse("T partita-trace 3 probe 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "expected 'T partita-trace 3 probe"));
    ck_assert_int_eq(parse("T partita-trace 3 probe 0+8 ram 8-1f8 digest 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "RAM range '8-1f8' is not F+N"));
    ck_assert_int_eq(parse("T partita-trace 3 probe 0 ram 8+1f8 digest 1\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "probe P+N"));
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
    struct lockstep_options opt = {out, NULL, NULL, NULL, 0};
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

    snprintf(text, sizeof text, "%sH 0 1 0 8000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n",
             hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "OUT OF STEP"));

    snprintf(text, sizeof text,
             "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "6d73c2b5826e9087\n",
             hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "no E record"));

    snprintf(text, sizeof text,
             "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "1\nE 1 0\n",
             hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at record seq 0"));
    ck_assert_ptr_nonnull(strstr(report, "not available"));

    snprintf(text, sizeof text,
             "%sH 0 1 0 18000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
             "6d73c2b5826e9087\nE 1 0\n",
             hdr);
    ck_assert_int_eq(check(text, report, sizeof report), 0);
    ck_assert_ptr_nonnull(strstr(report, "PASS unit.scn: 1 steps, 1 records"));
}
END_TEST

START_TEST(intercept_record)
{
    ck_assert_int_eq(parse(HEADER NULL_CALL "I 1 2 1 0123456789abcdef 20 0 fedcba9876543210\n"
                           "I 2 2 1 1 20 b 1\nE 3 0\n"), 0);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_int_eq(t.rec[1].kind, 'I');
    ck_assert_uint_eq(t.rec[1].actor, 2);
    ck_assert_uint_eq(t.rec[1].vp, 1);
    ck_assert_uint_eq(t.rec[1].arg[0], 0x0123456789abcdefull);
    ck_assert_uint_eq(t.rec[1].arg[1], 0x20);
    ck_assert_uint_eq(t.rec[1].status, 0);
    ck_assert_uint_eq(t.rec[1].digest, 0xfedcba9876543210ull);
    ck_assert_uint_eq(t.rec[2].status, 0xb);
    ck_assert_int_eq(parse(HEADER "I 0 2 0 1 20 0\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "I record: expected 7 fields"));
    ck_assert_int_eq(parse(HEADER "I 0 2 0 1 20 10000 5\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "field 6 (status)"));
    ck_assert_int_eq(parse(HEADER "I 1 2 0 1 20 0 5\n"), -1);
    ck_assert_ptr_nonnull(strstr(err, "expected 0"));
}
END_TEST

/*
 * The free-running check.  An agreeing trace is written from the model's
 * own outcomes (this tests the checker's plumbing: translation, record
 * kinds, header and end; the model is tested elsewhere): the root builds
 * child 2 with one running VP, the child does port I/O (an I record),
 * the root reads the intercept message and shuts down, on the model's
 * default machine (the header says so).
 */
static char free_text[8192];
static size_t free_len;
static struct model_state *free_model;

static void free_emit(char kind, uint64_t actor, uint64_t input, uint64_t in_gpa,
                      uint64_t out_gpa, const uint64_t *arg, uint16_t want_status)
{
    static struct model_config c;
    const struct model_config *cfg = &c;
    static uint64_t seq;
    c = model_config_default();
    if (!free_len) {
        seq = 0;
        model_init(cfg, free_model);
        free_len = (size_t)snprintf(
            free_text, sizeof free_text,
            "T partita-trace 3 probe %llx+%llx ram %llx+%llx "
            "digest %016llx\n",
            (unsigned long long)cfg->probe_page, (unsigned long long)cfg->probe_pages,
            (unsigned long long)cfg->ram[0].first, (unsigned long long)cfg->ram[0].pages,
            (unsigned long long)model_digest(cfg, free_model));
    }
    struct model_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind == 'I' ? MODEL_EV_IO_INTERCEPT : MODEL_EV_HYPERCALL;
    e.actor = actor;
    e.input = input;
    e.in_gpa = in_gpa;
    e.out_gpa = out_gpa;
    memcpy(e.arg, arg, sizeof e.arg);
    struct model_result r;
    model_apply(cfg, free_model, &e, &r);
    ck_assert_int_eq(r.possible, 1);
    ck_assert_uint_eq(r.status, want_status);
    uint64_t d = model_digest(cfg, free_model);
    char *p = free_text + free_len;
    size_t room = sizeof free_text - free_len;
    uint64_t a1 = arg[1];
    if (kind == 'I')
        free_len += (size_t)snprintf(p, room, "I %llu %llx 0 %llx %llx %x %016llx\n",
                                     (unsigned long long)seq++, (unsigned long long)actor,
                                     (unsigned long long)arg[0], (unsigned long long)arg[1],
                                     r.status, (unsigned long long)d);
    else
        free_len += (size_t)snprintf(
            p, room,
            "H %llu %llx 0 %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx "
            "%x %x %u %llx %llx %llx %llx %016llx\n",
            (unsigned long long)seq++, (unsigned long long)actor,
            (unsigned long long)input, (unsigned long long)in_gpa,
            (unsigned long long)out_gpa, (unsigned long long)arg[0],
            (unsigned long long)a1, (unsigned long long)arg[2],
            (unsigned long long)arg[3], (unsigned long long)arg[4],
            (unsigned long long)arg[5], (unsigned long long)arg[6],
            (unsigned long long)arg[7], r.status, r.reps_completed, r.out_count,
            (unsigned long long)r.out[0], (unsigned long long)r.out[1],
            (unsigned long long)r.out[2], (unsigned long long)r.out[3],
            (unsigned long long)d);
}

static void free_trace(void)
{
    free_len = 0;
    free_model = malloc(sizeof *free_model);
    const uint64_t none[MODEL_ARGS] = {0};
    const uint64_t two[MODEL_ARGS] = {2};
    const uint64_t deposit[MODEL_ARGS] = {2, 20};
    const uint64_t vp[MODEL_ARGS] = {2, 0, 0};
    const uint64_t start[MODEL_ARGS] = {2, 0, 0x100000, 0x14000, 2, 0};
    const uint64_t io[MODEL_ARGS] = {0x1122334455667788ull, 0x20};
    const uint64_t intercepts[MODEL_ARGS] = {HV_SINT_INTERCEPTS};
    const uint64_t fast = HV_HYPERCALL_FAST_BIT;
    free_emit('H', 1, HVCALL_CREATE_PARTITION, 0x10000, 0x11000, none, 0);
    free_emit('H', 1, HVCALL_INITIALIZE_PARTITION | fast, 2, 0, two, 0);
    free_emit('H', 1, HV_HYPERCALL_INPUT(HVCALL_DEPOSIT_MEMORY, 0, 1, 0), 0x10000, 0, deposit, 0);
    free_emit('H', 1, HVCALL_CREATE_VP, 0x10000, 0, vp, 0);
    free_emit('H', 1, HVCALL_START_VP, 0x10000, 0, start, 0);
    free_emit('I', 2, 0, 0, 0, io, 0);
    free_emit('H', 1, HVCALL_PARTITA_READ_SINT_MESSAGE, 0x10000, 0x11000, intercepts, 0);
    free_emit('H', 1, HVCALL_PARTITA_SHUTDOWN | fast, 0, 0, none, 0);
    free_len += (size_t)snprintf(free_text + free_len, sizeof free_text - free_len, "E 8 0\n");
    free(free_model);
}

static int check_free(const char *text, char *report, size_t len)
{
    struct lockstep_result res;
    FILE *out = fmemopen(report, len, "w");
    ck_assert_int_eq(parse(text), 0);
    struct lockstep_options opt = {out, NULL, NULL, "unit run", 0};
    int rc = lockstep_check_free(&t, &opt, &res);
    fclose(out);
    return rc;
}

/* Replaces the field'th blank-separated field of trace line `line`. */
static void tamper(char *text, unsigned line, unsigned field, const char *value)
{
    char copy[8192], *p = text;
    for (unsigned l = 1; l < line; l++)
        p = strchr(p, '\n') + 1;
    for (unsigned f = 0; f < field; f++)
        p = strchr(p, ' ') + 1;
    char *end = p + strcspn(p, " \n");
    snprintf(copy, sizeof copy, "%s", end);
    sprintf(p, "%s%s", value, copy);
}

START_TEST(free_check_agrees)
{
    static char report[16384];
    free_trace();
    ck_assert_int_eq(check_free(free_text, report, sizeof report), 0);
    ck_assert_ptr_nonnull(strstr(report, "PASS unit run (free-running): 8 records checked "
                                         "(7 hypercalls, 0 faults, 1 intercepts)"));
}
END_TEST

START_TEST(free_check_catches_tampering)
{
    static char report[16384], text[8192];
    free_trace();
    /* The intercept's digest (line 7: the header is line 1). */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 7, 7, "0123456789abcdef");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at record seq 5 (trace line 7), "
                                         "free-running check of unit run"));
    ck_assert_ptr_nonnull(strstr(report, "the abstract states after the step differ"));
    /* The intercept refused (INSUFFICIENT_BUFFERS) where the model accepts it. */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 7, 6, "13");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "status, reps or number of outputs differ"));
    ck_assert_ptr_nonnull(strstr(report, "INSUFFICIENT_BUFFERS"));
    /* A hypercall's status: DepositMemory said INVALID_PARAMETER. */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 4, 15, "5");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at record seq 2"));
    /* A page beyond the header's RAM is no frame: the model refuses it. */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 4, 8, "1000");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at record seq 2"));
    ck_assert_ptr_nonnull(strstr(report, "INVALID_PARAMETER"));
    /* An intercept from a child with no running VP cannot happen. */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 7, 2, "3");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "cannot happen"));
    /* The boot digest, and a run that did not finish. */
    snprintf(text, sizeof text, "%s", free_text);
    tamper(text, 1, 8, "0000000000000001");
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "DIVERGENCE at boot"));
    snprintf(text, sizeof text, "%s", free_text);
    *strstr(text, "E 8 0") = 0;
    ck_assert_int_eq(check_free(text, report, sizeof report), 1);
    ck_assert_ptr_nonnull(strstr(report, "no E record"));
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
    tcase_add_test(tc, intercept_record);
    tcase_add_test(tc, free_check_agrees);
    tcase_add_test(tc, free_check_catches_tampering);
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
