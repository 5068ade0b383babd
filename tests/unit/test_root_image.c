/* SPDX-License-Identifier: MIT */
/* Where the root's image goes (kernel/core/root_image.c): every page of
 * its boot area and of every segment must be free RAM, taken from the
 * frame allocator, or the image is refused. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../../kernel/core/root_image.h"

#define FRAMES 8192 /* 32 MiB */
#define MiB (1024ull * 1024)
#define AREA 0x10000ull /* root_setup.c's boot area: 64 KiB */

static uint8_t used[FRAMES / 8], reserved[FRAMES / 8];
static struct frame_alloc fa;

/* Low RAM, RAM from 1 to 16 MiB with a reserved block at 8 MiB, the
 * hypervisor's image at 1 MiB and a boot module at 2 MiB. */
static void setup(void)
{
    static struct boot_info bi;
    memset(&bi, 0, sizeof bi);
    bi.regions[bi.region_count++] = (struct boot_region){0, 0x9fc00, BOOT_REGION_RAM};
    bi.regions[bi.region_count++] = (struct boot_region){1 * MiB, 15 * MiB, BOOT_REGION_RAM};
    bi.regions[bi.region_count++] = (struct boot_region){8 * MiB, 1 * MiB, BOOT_REGION_RESERVED};
    bi.module_count = 1;
    bi.modules[0] = (struct boot_module){2 * MiB, 2 * MiB + 0x3000, "m"};
    frame_alloc_init(&fa, used, reserved, FRAMES);
    frame_alloc_setup(&fa, &bi, 1 * MiB, 1 * MiB + 0x40000);
}

/* An image of one segment per [start, end) pair. */
static struct elf_image image(const uint64_t (*seg)[2], uint32_t n)
{
    struct elf_image img;
    memset(&img, 0, sizeof img);
    img.lowest = UINT64_MAX;
    for (uint32_t i = 0; i < n; i++) {
        img.segments[img.segment_count++] =
            (struct elf_segment){seg[i][0], 0, 0, seg[i][1] - seg[i][0]};
        if (seg[i][0] < img.lowest)
            img.lowest = seg[i][0];
        if (seg[i][1] > img.highest)
            img.highest = seg[i][1];
    }
    img.entry = img.lowest;
    return img;
}

START_TEST(boot_area_and_every_segment_page_are_taken)
{
    setup();
    const uint64_t seg[][2] = {{4 * MiB, 4 * MiB + 0x1800}, {4 * MiB + 0x3000, 4 * MiB + 0x5001}};
    struct elf_image img = image(seg, 2);
    uint64_t first, last, bad = 0, before = fa.free_count;
    ck_assert_int_eq(root_image_claim(&fa, &img, AREA, &first, &last, &bad), ROOT_IMAGE_OK);
    ck_assert_uint_eq(first, 4 * MiB - AREA);
    ck_assert_uint_eq(last, 4 * MiB + 0x6000);
    for (uint64_t pa = first; pa < last; pa += FRAME_SIZE)
        ck_assert_msg(!frame_alloc_is_free(&fa, pa), "page 0x%llx not taken",
                      (unsigned long long)pa);
    ck_assert_uint_eq(before - fa.free_count, (last - first) / FRAME_SIZE);
    ck_assert(frame_alloc_is_free(&fa, first - FRAME_SIZE));
    ck_assert(frame_alloc_is_free(&fa, last));
}
END_TEST

/* The bug: below 64 KiB the boot area's start wrapped around to the top
 * of the address space, the loop over [first, last) ran zero times and
 * the image was loaded over whatever was there, unchecked. */
START_TEST(segment_below_the_boot_area_is_refused)
{
    static const uint64_t lows[] = {0, 0x1000, 0x8000, AREA - FRAME_SIZE};
    for (unsigned i = 0; i < sizeof lows / sizeof lows[0]; i++) {
        setup();
        const uint64_t seg[][2] = {{lows[i], lows[i] + 0x2000}, {4 * MiB, 4 * MiB + 0x1000}};
        struct elf_image img = image(seg, 2);
        uint64_t first, last, bad = 0, before = fa.free_count;
        ck_assert_int_eq(root_image_claim(&fa, &img, AREA, &first, &last, &bad),
                         ROOT_IMAGE_NO_ROOM_BELOW);
        ck_assert_uint_eq(fa.free_count, before); /* nothing taken */
    }
}
END_TEST

/* At exactly 64 KiB the boot area starts at page 0, which is never free. */
START_TEST(boot_area_at_page_zero_is_checked)
{
    setup();
    const uint64_t seg[][2] = {{AREA, AREA + 0x1000}};
    struct elf_image img = image(seg, 1);
    uint64_t first, last, bad = 1;
    ck_assert_int_eq(root_image_claim(&fa, &img, AREA, &first, &last, &bad),
                     ROOT_IMAGE_NOT_FREE);
    ck_assert_uint_eq(first, 0);
    ck_assert_uint_eq(bad, 0);
}
END_TEST

START_TEST(image_over_a_module_or_reserved_block_is_refused)
{
    setup();
    /* the boot area below it is free RAM; the module's first page is not */
    const uint64_t over_module[][2] = {{2 * MiB + 0x1000, 2 * MiB + 0x2000}};
    struct elf_image img = image(over_module, 1);
    uint64_t first, last, bad = 0;
    ck_assert_int_eq(root_image_claim(&fa, &img, AREA, &first, &last, &bad),
                     ROOT_IMAGE_NOT_FREE);
    ck_assert_uint_eq(bad, 2 * MiB);
    /* a later segment, far above the first, in the reserved block */
    setup();
    const uint64_t far[][2] = {{6 * MiB, 6 * MiB + 0x1000}, {8 * MiB + 0x4000, 8 * MiB + 0x5000}};
    img = image(far, 2);
    ck_assert_int_eq(root_image_claim(&fa, &img, AREA, &first, &last, &bad),
                     ROOT_IMAGE_NOT_FREE);
    ck_assert_uint_eq(bad, 8 * MiB);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("root_image");
    TCase *t = tcase_create("claim");
    tcase_add_test(t, boot_area_and_every_segment_page_are_taken);
    tcase_add_test(t, segment_below_the_boot_area_is_refused);
    tcase_add_test(t, boot_area_at_page_zero_is_checked);
    tcase_add_test(t, image_over_a_module_or_reserved_block_is_refused);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
