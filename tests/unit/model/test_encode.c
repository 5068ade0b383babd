/* SPDX-License-Identifier: MIT */
/* test_encode.c — the canonical encoding: golden bytes, round trip,
 * canonical under table order. */
#include "helpers.h"

#include <string.h>

#include "model/alphabet.h"
#include "model/encode.h"

/* The digest of the boot state of the default configuration.  The
 * hypervisor's abstraction function must produce the same value at boot
 * (docs/architecture/model.md quotes it). */
#define BOOT_DIGEST_DEFAULT 0x6d73c2b5826e9087ull

START_TEST(boot_golden)
{
    uint8_t buf[MODEL_ENCODING_MAX];
    size_t n = model_encode(&cfg, &st, buf, sizeof buf);
    ck_assert_uint_gt(n, 0);
    ck_assert_mem_eq(buf, "PATS\x04\x00", 6);
    ck_assert_uint_eq(model_fnv1a64("", 0), 0xcbf29ce484222325ull);
    ck_assert_uint_eq(model_fnv1a64("a", 1), 0xaf63dc4c8601ec8cull);
    ck_assert_uint_eq(model_digest(&cfg, &st), BOOT_DIGEST_DEFAULT);
}
END_TEST

START_TEST(round_trip)
{
    /* every state along a busy run decodes to an equal encoding */
    uint64_t a = running_child(), b = running_child();
    message_channel(a, 1, b, 4, 0);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 3, 7), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 3, 8), HV_STATUS_SUCCESS);
    static uint8_t x[MODEL_ENCODING_MAX], y[MODEL_ENCODING_MAX];
    static struct model_state d;
    size_t nx = model_encode(&cfg, &st, x, sizeof x);
    ck_assert_int_eq(model_decode(&cfg, x, nx, &d), 0);
    size_t ny = model_encode(&cfg, &d, y, sizeof y);
    ck_assert_uint_eq(nx, ny);
    ck_assert_mem_eq(x, y, nx);
    /* malformed input is refused, not trusted */
    ck_assert_int_eq(model_decode(&cfg, x, nx - 1, &d), -1);
    x[0] ^= 1;
    ck_assert_int_eq(model_decode(&cfg, x, nx, &d), -1);
}
END_TEST

START_TEST(canonical_order)
{
    /* the same ports created in two orders land in different table slots
     * but encode identically */
    uint64_t a = running_child(), b = running_child();
    static struct model_state s0, s1;
    s0 = st;
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, 1, 0, 0), 0);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, b, 2, a, 1, 0, 0), 0);
    s1 = st;
    st = s0;
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, b, 2, a, 1, 0, 0), 0);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, a, 1, b, 1, 0, 0), 0);
    ck_assert(memcmp(&s1.port, &st.port, sizeof st.port) != 0);
    ck_assert_uint_eq(model_digest(&cfg, &s1), model_digest(&cfg, &st));
}
END_TEST

START_TEST(digest_sees_every_change)
{
    uint64_t before = model_digest(&cfg, &st);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_TRACE_CONTROL, 0), 0);
    ck_assert_uint_ne(model_digest(&cfg, &st), before);
}
END_TEST

/* A child's rights to a page are state (what it may name as an output
 * block depends on them): the same page mapped read-only and read-write
 * encodes differently, and the rights survive a round trip. */
START_TEST(rights_are_encoded)
{
    uint64_t c = running_child();
    uint64_t f = free_root_frame();
    static struct model_state s0, d;
    s0 = st;
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 1, HV_MAP_GPA_READABLE, f), 0);
    uint64_t ro = model_digest(&cfg, &st);
    static uint8_t x[MODEL_ENCODING_MAX];
    size_t n = model_encode(&cfg, &st, x, sizeof x);
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), 0);
    ck_assert_uint_eq(model_frame_find(&d, f)->rights, HV_MAP_GPA_READABLE);
    st = s0;
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 1, RW, f), 0);
    ck_assert_uint_eq(frame_at(f).rights, RW);
    ck_assert_uint_ne(model_digest(&cfg, &st), ro);
    /* unmapped, the page is a plain root page again: no rights left */
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, c, 1, 0), 0);
    ck_assert_uint_eq(frame_at(f).rights, 0);
}
END_TEST

/* Frames are listed sparsely: only those that are not a plain root page,
 * by root page, ascending; anything else is refused by the decoder.  The
 * digest form carries their count and hash sum instead. */
START_TEST(frames_listed_sparsely)
{
    static uint8_t x[MODEL_ENCODING_MAX];
    static struct model_state d;
    /* the frame section (after the header and the partitions): at boot,
     * with the root alone, none */
    const size_t part = 21 + cfg.vps * (1 + 8 * MODEL_VP_REGS);
    size_t at = 63 + 1 + part;
    size_t n = model_encode(&cfg, &st, x, sizeof x);
    const uint8_t none[] = {0, 0, 0, 0};
    ck_assert_mem_eq(x + at, none, sizeof none);
    uint64_t c = running_child(); /* one deposited page, one mapped */
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, f), 0);
    n = model_encode(&cfg, &st, x, sizeof x);
    at += part;                  /* the child's */
    ck_assert_uint_ge(x[at], 2); /* the child's pages, the one deposited */
    const size_t entry = 8 + 1 + 3 * 8 + 1;
    uint8_t *e0 = x + at + 4, *e2 = e0 + (x[at] - 1) * entry;
    uint64_t p0, p2;
    memcpy(&p0, e0, 8);
    memcpy(&p2, e2, 8);
    ck_assert_uint_eq(p0, f); /* the child took the pages above it */
    ck_assert_uint_lt(p0, p2);
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), 0);
    ck_assert_uint_eq(d.frames_sum, st.frames_sum);
    /* the last listed as the first again: not ascending */
    memcpy(e2, &p0, 8);
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), -1);
    /* a page that is no frame (page 0: the hypervisor's) */
    memset(e2, 0, 8);
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), -1);
    memcpy(e2, &p2, 8);
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), 0);
    /* the deposited page listed as a plain root page: not canonical */
    e0[8] = MODEL_FRAME_OWNED;
    e0[9] = HV_PARTITION_ID_ROOT;
    memset(e0 + 17, 0, 8); /* no peer */
    ck_assert_int_eq(model_decode(&cfg, x, n, &d), -1);
    /* the digest sees the frames through their sum alone */
    uint64_t before = model_digest(&cfg, &st);
    frame_edit(f)->peer = c + 1;
    ck_assert_uint_eq(model_digest(&cfg, &st), before);
    frames_resum();
    ck_assert_uint_ne(model_digest(&cfg, &st), before);
}
END_TEST

Suite *suite_encode(void)
{
    Suite *s = suite_create("encode");
    TCase *t = tcase_create("canonical");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, boot_golden);
    tcase_add_test(t, round_trip);
    tcase_add_test(t, rights_are_encoded);
    tcase_add_test(t, canonical_order);
    tcase_add_test(t, digest_sees_every_change);
    tcase_add_test(t, frames_listed_sparsely);
    suite_add_tcase(s, t);
    return s;
}
