/* SPDX-License-Identifier: MIT */
/*
 * The channel ring (services/ring.c): two struct rings, a reader and
 * a writer, attached to the same memory as the two partitions would be.
 * The memory is surrounded by guard bytes that must never change, and
 * ASan watches every access.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../../services/ring.h"

#define GUARD 64
#define BYTES 256 /* header 64 + data 192 */
#define DATA ((int)(BYTES - RING_HEADER_SIZE))

static _Alignas(8) uint8_t mem[GUARD + BYTES + GUARD];
static uint8_t *const shm = mem + GUARD;
static struct ring wr, rd;

static void setup(void)
{
    memset(mem, 0xa5, sizeof mem);
    ring_format(shm, BYTES);
    ck_assert_int_eq(ring_attach(&wr, shm, BYTES, RING_WRITER), RING_OK);
    ck_assert_int_eq(ring_attach(&rd, shm, BYTES, RING_READER), RING_OK);
}

static void guards_intact(void)
{
    for (int i = 0; i < GUARD; i++) {
        ck_assert_uint_eq(mem[i], 0xa5);
        ck_assert_uint_eq(mem[GUARD + BYTES + i], 0xa5);
    }
}

static struct ring_shared *hdr(void)
{
    return (struct ring_shared *)shm;
}

START_TEST(empty_ring)
{
    uint8_t b[8];
    ck_assert_uint_eq(ring_data_size(BYTES), DATA);
    ck_assert_uint_eq(ring_used(&rd), 0);
    ck_assert_uint_eq(ring_free(&wr), DATA - 1);
    ck_assert_uint_eq(ring_read(&rd, b, sizeof b), 0);
    ck_assert_int_eq(rd.error, RING_OK);
    guards_intact();
}
END_TEST

START_TEST(exact_fill_then_full)
{
    uint8_t in[DATA], out[DATA];
    for (int i = 0; i < DATA; i++)
        in[i] = (uint8_t)(i * 7 + 1);
    /* Capacity is size - 1: exactly that much goes in, then nothing. */
    ck_assert_uint_eq(ring_write(&wr, in, DATA - 1), DATA - 1);
    ck_assert_uint_eq(ring_free(&wr), 0);
    ck_assert_uint_eq(ring_write(&wr, in, 1), 0);
    ck_assert_int_eq(wr.error, RING_OK);
    ck_assert_uint_eq(ring_used(&rd), DATA - 1);
    ck_assert_uint_eq(ring_read(&rd, out, DATA), DATA - 1);
    ck_assert_mem_eq(in, out, DATA - 1);
    ck_assert_uint_eq(ring_used(&rd), 0);
    ck_assert_uint_eq(ring_free(&wr), DATA - 1);
    guards_intact();
}
END_TEST

START_TEST(partial_write_when_nearly_full)
{
    uint8_t in[DATA] = {0};
    ck_assert_uint_eq(ring_write(&wr, in, DATA - 11), DATA - 11);
    ck_assert_uint_eq(ring_write(&wr, in, 50), 10); /* only what fits */
    ck_assert_uint_eq(ring_free(&wr), 0);
    guards_intact();
}
END_TEST

START_TEST(wrap_around_many_times)
{
    /* Odd chunk sizes so every split point across the end is crossed. */
    uint8_t in[64], out[64];
    uint32_t sent = 0, got = 0;
    for (int round = 0; round < 500; round++) {
        uint32_t n = (uint32_t)(round % 61) + 1;
        for (uint32_t i = 0; i < n; i++)
            in[i] = (uint8_t)(sent + i);
        uint32_t w = ring_write(&wr, in, n);
        sent += w;
        uint32_t r = ring_read(&rd, out, (uint32_t)(round % 37) + 1);
        for (uint32_t i = 0; i < r; i++)
            ck_assert_uint_eq(out[i], (uint8_t)(got + i));
        got += r;
    }
    ck_assert_uint_gt(sent, 5 * DATA); /* wrapped several times */
    uint32_t r;
    while ((r = ring_read(&rd, out, sizeof out)) != 0) {
        for (uint32_t i = 0; i < r; i++)
            ck_assert_uint_eq(out[i], (uint8_t)(got + i));
        got += r;
    }
    ck_assert_uint_eq(got, sent);
    ck_assert_int_eq(wr.error, RING_OK);
    ck_assert_int_eq(rd.error, RING_OK);
    guards_intact();
}
END_TEST

START_TEST(writer_waiting_hint)
{
    uint8_t b[4] = {1, 2, 3, 4};
    ck_assert_int_eq(ring_take_writer_waiting(&rd), 0);
    ring_set_writer_waiting(&wr);
    ring_write(&wr, b, 4);
    ck_assert_int_eq(ring_take_writer_waiting(&rd), 1);
    ck_assert_int_eq(ring_take_writer_waiting(&rd), 0); /* taken: cleared */
}
END_TEST

/* Each malformation, seen from the side that must catch it.  After the
 * error the ring is dead: every call returns 0, nothing is copied, and no
 * byte outside the ring is touched. */
static void expect_dead(struct ring *r, enum ring_error want, uint32_t bad)
{
    uint8_t b[DATA * 2];
    memset(b, 0x11, sizeof b);
    if (r->role == RING_READER)
        ck_assert_uint_eq(ring_read(r, b, sizeof b), 0);
    else
        ck_assert_uint_eq(ring_write(r, b, sizeof b), 0);
    ck_assert_int_eq(r->error, want);
    ck_assert_uint_eq(r->bad_value, bad);
    ck_assert_uint_eq(ring_used(r), 0);
    ck_assert_uint_eq(ring_free(r), 0);
    uint32_t peer;
    ck_assert_int_eq(ring_check(r, &peer), want); /* sticky */
    ck_assert_str_ne(ring_error_name(want), "unknown ring error");
    guards_intact();
}

START_TEST(write_index_out_of_range)
{
    hdr()->write_index = DATA; /* one past the end */
    expect_dead(&rd, RING_BAD_WRITE_INDEX, DATA);
}
END_TEST

START_TEST(write_index_huge)
{
    hdr()->write_index = 0xffffffffu;
    expect_dead(&rd, RING_BAD_WRITE_INDEX, 0xffffffffu);
}
END_TEST

START_TEST(read_index_out_of_range)
{
    hdr()->read_index = DATA + 1000;
    expect_dead(&wr, RING_BAD_READ_INDEX, DATA + 1000);
}
END_TEST

START_TEST(read_index_moved_by_writer)
{
    uint8_t b[8] = {0};
    ring_write(&wr, b, 8);
    hdr()->read_index = 4; /* in range, but the reader never put it there */
    expect_dead(&rd, RING_READ_INDEX_MOVED, 4);
}
END_TEST

START_TEST(write_index_moved_by_reader)
{
    hdr()->write_index = 100;
    expect_dead(&wr, RING_WRITE_INDEX_MOVED, 100);
}
END_TEST

START_TEST(size_changed)
{
    /* A bigger size would let a trusting side index past the memory. */
    hdr()->size = DATA * 16;
    expect_dead(&rd, RING_BAD_SIZE, DATA * 16);
    hdr()->size = DATA;
    ring_attach(&wr, shm, BYTES, RING_WRITER);
    hdr()->size = 0;
    expect_dead(&wr, RING_BAD_SIZE, 0);
}
END_TEST

START_TEST(magic_overwritten)
{
    hdr()->magic = 0;
    expect_dead(&rd, RING_BAD_MAGIC, 0);
}
END_TEST

START_TEST(bad_ring_at_attach)
{
    struct ring r;
    hdr()->read_index = DATA;
    ck_assert_int_eq(ring_attach(&r, shm, BYTES, RING_READER), RING_BAD_READ_INDEX);
    hdr()->read_index = 0;
    hdr()->write_index = 0x80000000u;
    ck_assert_int_eq(ring_attach(&r, shm, BYTES, RING_WRITER), RING_BAD_WRITE_INDEX);
    ck_assert_int_eq(ring_attach(&r, shm, RING_HEADER_SIZE + 1, RING_READER), RING_NOT_ATTACHED);
    ck_assert_int_eq(ring_attach(&r, NULL, BYTES, RING_READER), RING_NOT_ATTACHED);
    guards_intact();
}
END_TEST

START_TEST(wrong_role)
{
    uint8_t b[4] = {0};
    ck_assert_uint_eq(ring_write(&rd, b, 4), 0);
    ck_assert_int_eq(rd.error, RING_NOT_ATTACHED);
    ck_assert_uint_eq(ring_read(&wr, b, 4), 0);
    ck_assert_int_eq(wr.error, RING_NOT_ATTACHED);
}
END_TEST

/* Tampering in the middle of a stream: the data already read was intact,
 * and the first bad access stops everything. */
START_TEST(tamper_mid_stream)
{
    uint8_t in[100], out[100];
    for (int i = 0; i < 100; i++)
        in[i] = (uint8_t)i;
    ck_assert_uint_eq(ring_write(&wr, in, 100), 100);
    ck_assert_uint_eq(ring_read(&rd, out, 60), 60);
    ck_assert_mem_eq(in, out, 60);
    hdr()->write_index = DATA + 5;
    ck_assert_uint_eq(ring_read(&rd, out, 40), 0);
    ck_assert_int_eq(rd.error, RING_BAD_WRITE_INDEX);
    /* Restoring the index does not revive the ring. */
    hdr()->write_index = 100;
    ck_assert_uint_eq(ring_read(&rd, out, 40), 0);
    guards_intact();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ring");
    TCase *t = tcase_create("ring");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, empty_ring);
    tcase_add_test(t, exact_fill_then_full);
    tcase_add_test(t, partial_write_when_nearly_full);
    tcase_add_test(t, wrap_around_many_times);
    tcase_add_test(t, writer_waiting_hint);
    tcase_add_test(t, write_index_out_of_range);
    tcase_add_test(t, write_index_huge);
    tcase_add_test(t, read_index_out_of_range);
    tcase_add_test(t, read_index_moved_by_writer);
    tcase_add_test(t, write_index_moved_by_reader);
    tcase_add_test(t, size_changed);
    tcase_add_test(t, magic_overwritten);
    tcase_add_test(t, bad_ring_at_attach);
    tcase_add_test(t, wrong_role);
    tcase_add_test(t, tamper_mid_stream);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
