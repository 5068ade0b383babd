/* SPDX-License-Identifier: MIT */
/*
 * The root's reader of its intercept SINT (partitions/root/intercept_reader.c)
 * over a fake SINT: an intercept is handed on; anything else there is
 * reported (type and sender on one line) and acknowledged, never dropped
 * without a word; every message taken is acknowledged exactly once.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../partitions/root/intercept_reader.h"

/* A SINT slot with a queue behind it, as the hypervisor keeps one. */
struct fake {
    struct hv_message msg[8];
    unsigned head, count, eoms, reports;
    char last[200];
};

static const struct hv_message *fake_read(void *ctx)
{
    struct fake *f = ctx;
    return f->count ? &f->msg[f->head] : NULL;
}

static void fake_eom(void *ctx)
{
    struct fake *f = ctx;
    ck_assert_uint_gt(f->count, 0); /* never an EOM on an empty slot */
    f->head++;
    f->count--;
    f->eoms++;
}

static void fake_report(void *ctx, const char *line)
{
    struct fake *f = ctx;
    f->reports++;
    snprintf(f->last, sizeof f->last, "%s", line);
}

static struct fake f;
static const struct intercept_sint sint = {fake_read, fake_eom, fake_report, &f};

static void push(uint32_t type, uint8_t size, uint32_t port, const void *payload)
{
    struct hv_message *m = &f.msg[f.head + f.count++];
    memset(m, 0, sizeof *m);
    m->header.message_type = type;
    m->header.payload_size = size;
    m->header.port_id = port;
    if (payload)
        memcpy(m->payload, payload, size);
}

static void setup(void)
{
    memset(&f, 0, sizeof f);
}

static const struct hv_x64_io_intercept_message out_com2 = {5, 1, 0x2f8, 1, 1, 0x41};

START_TEST(empty_slot)
{
    struct hv_x64_io_intercept_message io;
    ck_assert_int_eq(intercept_take(&sint, &io), -1);
    ck_assert_uint_eq(f.eoms, 0);
    ck_assert_uint_eq(f.reports, 0);
}
END_TEST

START_TEST(intercept_handed_on)
{
    struct hv_x64_io_intercept_message io;
    memset(&io, 0, sizeof io);
    push(HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT, sizeof out_com2, 0, &out_com2);
    ck_assert_int_eq(intercept_take(&sint, &io), 1);
    ck_assert_mem_eq(&io, &out_com2, sizeof io);
    ck_assert_uint_eq(f.eoms, 1);
    ck_assert_uint_eq(f.reports, 0);
}
END_TEST

/* A partition's message on the intercept SINT (a root port aimed there):
 * reported with its type and the port that names its sender, acknowledged,
 * and the intercept queued behind it is read next. */
START_TEST(other_message_reported_and_acknowledged)
{
    struct hv_x64_io_intercept_message io;
    push(0x1234, 5, 0x107, "hello");
    push(HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT, sizeof out_com2, 0, &out_com2);
    ck_assert_int_eq(intercept_take(&sint, &io), 0);
    ck_assert_uint_eq(f.eoms, 1);
    ck_assert_uint_eq(f.reports, 1);
    ck_assert_str_eq(f.last,
                     "root: SINT 14: message type 0x1234 (5 bytes) from the partition "
                     "of root port 263 is not an intercept: acknowledged, not served");
    ck_assert_int_eq(intercept_take(&sint, &io), 1);
    ck_assert_mem_eq(&io, &out_com2, sizeof io);
    ck_assert_uint_eq(f.eoms, 2);
    ck_assert_int_eq(intercept_take(&sint, &io), -1);
}
END_TEST

/* Something from the hypervisor that is not an intercept (a type this
 * root does not know), and an intercept of the wrong size or through a
 * port: none is taken for an access, each is reported. */
START_TEST(malformed_intercepts_reported)
{
    struct hv_x64_io_intercept_message io;
    push(0x80000001u, 0, 0, NULL);
    push(HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT, sizeof out_com2 - 8, 0, &out_com2);
    push(HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT, sizeof out_com2, 3, &out_com2);
    ck_assert_int_eq(intercept_take(&sint, &io), 0);
    ck_assert_str_eq(f.last, "root: SINT 14: message type 0x80000001 (0 bytes) from the "
                             "hypervisor is not an intercept: acknowledged, not served");
    ck_assert_int_eq(intercept_take(&sint, &io), 0);
    ck_assert_ptr_nonnull(
        strstr(f.last, "type 0x80010000 (16 bytes) from the hypervisor"));
    ck_assert_int_eq(intercept_take(&sint, &io), 0);
    ck_assert_ptr_nonnull(strstr(f.last,
                                 "type 0x80010000 (24 bytes) from the partition of "
                                 "root port 3"));
    ck_assert_uint_eq(f.reports, 3);
    ck_assert_uint_eq(f.eoms, 3);
    ck_assert_int_eq(intercept_take(&sint, &io), -1);
}
END_TEST

START_TEST(line_fits_its_buffer)
{
    char small[20];
    struct hv_message m;
    memset(&m, 0, sizeof m);
    m.header.message_type = 0xffffffffu;
    m.header.payload_size = 240;
    m.header.port_id = 0xffffff;
    int n = intercept_describe(small, sizeof small, &m);
    ck_assert_int_gt(n, (int)sizeof small);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("intercept_reader");
    TCase *tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, empty_slot);
    tcase_add_test(tc, intercept_handed_on);
    tcase_add_test(tc, other_message_reported_and_acknowledged);
    tcase_add_test(tc, malformed_intercepts_reported);
    tcase_add_test(tc, line_fits_its_buffer);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
