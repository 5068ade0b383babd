/* SPDX-License-Identifier: MIT */
/* The page-frame allocator on synthetic memory maps. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/core/frame_alloc.h"

#define FRAMES 8192 /* 32 MiB */
static uint8_t used[FRAMES / 8], reserved[FRAMES / 8];
static struct frame_alloc fa;
static struct boot_info bi;

#define MiB (1024ull * 1024)
#define IMAGE_START (1 * MiB)
#define IMAGE_END (1 * MiB + 0x50000)
#define MODULE_START (2 * MiB)
#define MODULE_END (2 * MiB + 0x1800) /* ends mid-frame */

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
    bi.regions[bi.region_count++] = (struct boot_region){base, len, type};
}

/* A PC-like map: low RAM, a hole, RAM to 16 MiB, and a reserved block
 * inside the RAM listed *before* it, so order cannot decide. */
static void setup_pc(void)
{
    memset(&bi, 0, sizeof bi);
    add_region(8 * MiB, 1 * MiB, BOOT_REGION_RESERVED);
    add_region(0, 0x9fc00, BOOT_REGION_RAM);
    add_region(0x9fc00, 0x400, BOOT_REGION_RESERVED);
    add_region(1 * MiB, 15 * MiB, BOOT_REGION_RAM);
    bi.module_count = 1;
    bi.modules[0] = (struct boot_module){MODULE_START, MODULE_END, "m"};
    bi.info_start = 0x9000;
    bi.info_end = 0x9100;
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_setup(&fa, &bi, IMAGE_START, IMAGE_END);
}

static int in(uint64_t a, uint64_t start, uint64_t end)
{
    return a + FRAME_SIZE > start && a < end;
}

/* Frames we expect to be free in setup_pc(). */
static uint64_t expected_free_pc(void)
{
    uint64_t ram = 15 * MiB / FRAME_SIZE;               /* 1..16 MiB */
    ram -= (IMAGE_END - IMAGE_START) / FRAME_SIZE;       /* image */
    ram -= 2;                                            /* module: 1.5 frames */
    ram -= 1 * MiB / FRAME_SIZE;                         /* reserved block */
    return ram; /* nothing below 1 MiB is ever free */
}

START_TEST(free_count_matches_the_map)
{
    setup_pc();
    ck_assert_uint_eq(fa.free_count, expected_free_pc());
}
END_TEST

START_TEST(every_frame_is_handed_out_once_and_only_allowed_ones)
{
    setup_pc();
    uint64_t n = fa.free_count;
    uint8_t *seen = calloc(FRAMES, 1);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a = frame_alloc_get(&fa);
        ck_assert_uint_ne(a, 0);
        ck_assert_uint_eq(a % FRAME_SIZE, 0);
        ck_assert_msg(!seen[a / FRAME_SIZE], "frame %llx handed out twice",
                      (unsigned long long)a);
        seen[a / FRAME_SIZE] = 1;
        ck_assert_msg(a >= 1 * MiB, "frame %llx below 1 MiB", (unsigned long long)a);
        ck_assert_msg(!in(a, IMAGE_START, IMAGE_END), "frame %llx inside the image",
                      (unsigned long long)a);
        ck_assert_msg(!in(a, MODULE_START, MODULE_END), "frame %llx inside a module",
                      (unsigned long long)a);
        ck_assert_msg(!in(a, 8 * MiB, 9 * MiB), "frame %llx inside a reserved region",
                      (unsigned long long)a);
        ck_assert_msg(a < 16 * MiB, "frame %llx beyond RAM", (unsigned long long)a);
    }
    ck_assert_uint_eq(frame_alloc_get(&fa), 0); /* exhausted */
    ck_assert_uint_eq(fa.free_count, 0);
    free(seen);
}
END_TEST

START_TEST(freed_frame_can_be_allocated_again)
{
    setup_pc();
    uint64_t before = fa.free_count;
    uint64_t a = frame_alloc_get(&fa);
    ck_assert(!frame_alloc_is_free(&fa, a));
    ck_assert_int_eq(frame_alloc_put(&fa, a), FRAME_OK);
    ck_assert(frame_alloc_is_free(&fa, a));
    ck_assert_uint_eq(fa.free_count, before);
}
END_TEST

START_TEST(double_free_is_refused)
{
    setup_pc();
    uint64_t a = frame_alloc_get(&fa);
    ck_assert_int_eq(frame_alloc_put(&fa, a), FRAME_OK);
    uint64_t count = fa.free_count;
    ck_assert_int_eq(frame_alloc_put(&fa, a), FRAME_ERR_NOT_IN_USE);
    ck_assert_uint_eq(fa.free_count, count);
}
END_TEST

START_TEST(freeing_reserved_unaligned_or_far_frames_is_refused)
{
    setup_pc();
    uint64_t count = fa.free_count;
    ck_assert_int_eq(frame_alloc_put(&fa, IMAGE_START), FRAME_ERR_RESERVED);
    ck_assert_int_eq(frame_alloc_put(&fa, MODULE_START), FRAME_ERR_RESERVED);
    ck_assert_int_eq(frame_alloc_put(&fa, 0x123), FRAME_ERR_UNALIGNED);
    ck_assert_int_eq(frame_alloc_put(&fa, (uint64_t)FRAMES * FRAME_SIZE),
                     FRAME_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(fa.free_count, count);
    ck_assert(!frame_alloc_is_free(&fa, IMAGE_START));
}
END_TEST

START_TEST(overlapping_ram_regions_count_once)
{
    memset(&bi, 0, sizeof bi);
    add_region(1 * MiB, 4 * MiB, BOOT_REGION_RAM);
    add_region(3 * MiB, 4 * MiB, BOOT_REGION_RAM);
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_setup(&fa, &bi, 0x100000, 0x100000);
    ck_assert_uint_eq(fa.free_count, 6 * MiB / FRAME_SIZE);
}
END_TEST

START_TEST(zero_length_and_partial_frames_are_not_free)
{
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_add_ram(&fa, 4 * MiB, 0);
    ck_assert_uint_eq(fa.free_count, 0);
    frame_alloc_add_ram(&fa, 4 * MiB + 1, FRAME_SIZE * 2); /* covers one whole frame */
    ck_assert_uint_eq(fa.free_count, 1);
    ck_assert(frame_alloc_is_free(&fa, 4 * MiB + FRAME_SIZE));
    ck_assert(!frame_alloc_is_free(&fa, 4 * MiB));
}
END_TEST

START_TEST(reservation_wins_over_later_ram)
{
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_reserve(&fa, 5 * MiB, FRAME_SIZE);
    frame_alloc_add_ram(&fa, 4 * MiB, 2 * MiB);
    ck_assert(!frame_alloc_is_free(&fa, 5 * MiB));
    ck_assert_uint_eq(fa.free_count, 2 * MiB / FRAME_SIZE - 1);
}
END_TEST

START_TEST(ram_beyond_the_bitmap_is_ignored)
{
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_add_ram(&fa, 30 * MiB, 100 * MiB);
    ck_assert_uint_eq(fa.free_count, 2 * MiB / FRAME_SIZE);
    frame_alloc_reserve(&fa, 31 * MiB, 100 * MiB);
    ck_assert_uint_eq(fa.free_count, 1 * MiB / FRAME_SIZE);
}
END_TEST

START_TEST(contiguous_runs_skip_holes_and_reservations)
{
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_add_ram(&fa, 4 * MiB, 3 * FRAME_SIZE);  /* too short */
    frame_alloc_add_ram(&fa, 6 * MiB, 8 * FRAME_SIZE);
    frame_alloc_reserve(&fa, 6 * MiB + 2 * FRAME_SIZE, 1); /* splits it: 2 + 5 */
    uint64_t a = frame_alloc_get_contiguous(&fa, 4);
    ck_assert_uint_eq(a, 6 * MiB + 3 * FRAME_SIZE);
    for (int i = 0; i < 4; i++)
        ck_assert(!frame_alloc_is_free(&fa, a + i * FRAME_SIZE));
    ck_assert_uint_eq(fa.free_count, 3 + 2 + 1);
    ck_assert_uint_eq(frame_alloc_get_contiguous(&fa, 4), 0);
    ck_assert_uint_eq(frame_alloc_get_contiguous(&fa, 0), 0);
    ck_assert_uint_eq(fa.free_count, 6);
}
END_TEST

START_TEST(taking_a_specific_frame)
{
    setup_pc();
    uint64_t count = fa.free_count;
    ck_assert_int_eq(frame_alloc_take(&fa, 4 * MiB), FRAME_OK);
    ck_assert_uint_eq(fa.free_count, count - 1);
    ck_assert_int_eq(frame_alloc_take(&fa, 4 * MiB), FRAME_ERR_RESERVED);
    ck_assert_int_eq(frame_alloc_take(&fa, IMAGE_START), FRAME_ERR_RESERVED);
    ck_assert_int_eq(frame_alloc_take(&fa, 4 * MiB + 8), FRAME_ERR_UNALIGNED);
    ck_assert_int_eq(frame_alloc_take(&fa, (uint64_t)FRAMES * FRAME_SIZE),
                     FRAME_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(fa.free_count, count - 1);
    for (uint64_t i = 0; i < count - 1; i++)
        ck_assert_uint_ne(frame_alloc_get(&fa), 4 * MiB);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frame_alloc");
    TCase *t = tcase_create("core");
    tcase_add_test(t, free_count_matches_the_map);
    tcase_add_test(t, every_frame_is_handed_out_once_and_only_allowed_ones);
    tcase_add_test(t, freed_frame_can_be_allocated_again);
    tcase_add_test(t, double_free_is_refused);
    tcase_add_test(t, freeing_reserved_unaligned_or_far_frames_is_refused);
    tcase_add_test(t, overlapping_ram_regions_count_once);
    tcase_add_test(t, zero_length_and_partial_frames_are_not_free);
    tcase_add_test(t, reservation_wins_over_later_ram);
    tcase_add_test(t, ram_beyond_the_bitmap_is_ignored);
    tcase_add_test(t, contiguous_runs_skip_holes_and_reservations);
    tcase_add_test(t, taking_a_specific_frame);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
