/* SPDX-License-Identifier: MIT */
/*
 * The boot-information parser against well-formed and malformed multiboot1
 * and multiboot2 structures laid out in a fake physical memory.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../../kernel/core/bootinfo.h"

#define FAKE_BASE 0x10000u
#define FAKE_SIZE 0x4000u

static uint8_t fake[FAKE_SIZE];
static struct boot_info bi;

static const void *fake_map(uint64_t paddr, uint64_t len, void *ctx)
{
    (void)ctx;
    if (paddr < FAKE_BASE || len > FAKE_SIZE || paddr - FAKE_BASE > FAKE_SIZE - len)
        return NULL;
    return fake + (paddr - FAKE_BASE);
}

static void put32(uint32_t off, uint32_t v) { memcpy(fake + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(fake + off, &v, 8); }

/* ---------------------------------------------------------- multiboot2 */

struct mb2 {
    uint32_t off; /* next tag offset from the start of fake[] */
};

static void mb2_begin(struct mb2 *m)
{
    memset(fake, 0, sizeof fake);
    m->off = 8;
}

static uint32_t mb2_tag(struct mb2 *m, uint32_t type, uint32_t size)
{
    uint32_t at = m->off;
    put32(at, type);
    put32(at + 4, size);
    m->off += (size + 7) & ~7u;
    return at;
}

static void mb2_end(struct mb2 *m)
{
    mb2_tag(m, 0, 8);
    put32(0, m->off);
    put32(4, 0);
}

static void mb2_string(struct mb2 *m, uint32_t type, const char *s)
{
    uint32_t len = (uint32_t)strlen(s) + 1;
    uint32_t at = mb2_tag(m, type, 8 + len);
    memcpy(fake + at + 8, s, len);
}

static void mb2_module(struct mb2 *m, uint32_t start, uint32_t end, const char *s)
{
    uint32_t len = (uint32_t)strlen(s) + 1;
    uint32_t at = mb2_tag(m, 3, 16 + len);
    put32(at + 8, start);
    put32(at + 12, end);
    memcpy(fake + at + 16, s, len);
}

struct region { uint64_t base, len; uint32_t type; };

static void mb2_mmap(struct mb2 *m, const struct region *r, int n)
{
    uint32_t at = mb2_tag(m, 6, 16 + 24 * (uint32_t)n);
    put32(at + 8, 24);
    put32(at + 12, 0);
    for (int i = 0; i < n; i++) {
        put64(at + 16 + 24 * i, r[i].base);
        put64(at + 24 + 24 * i, r[i].len);
        put32(at + 32 + 24 * i, r[i].type);
        put32(at + 36 + 24 * i, 0);
    }
}

static const struct region two_ram[] = {
    {0, 0x9fc00, 1}, {0x100000, 0x7f00000, 1}, {0xfffc0000, 0x40000, 2}};

static enum boot_error parse2(void)
{
    return bootinfo_parse(BOOT_MAGIC_MB2, FAKE_BASE, fake_map, NULL, &bi);
}

START_TEST(mb2_complete_structure_is_parsed)
{
    struct mb2 m;
    memset(fake, 0, sizeof fake);
    mb2_begin(&m);
    mb2_string(&m, 1, "test=boot verbose");
    mb2_string(&m, 2, "GRUB 2.06");
    mb2_module(&m, 0x400000, 0x401234, "root.elf");
    mb2_mmap(&m, two_ram, 3);
    mb2_tag(&m, 4, 16); /* basic meminfo: ignored */
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_int_eq(bi.protocol, 2);
    ck_assert_str_eq(bi.cmdline, "test=boot verbose");
    ck_assert_str_eq(bi.loader, "GRUB 2.06");
    ck_assert_uint_eq(bi.module_count, 1);
    ck_assert_uint_eq(bi.modules[0].start, 0x400000);
    ck_assert_uint_eq(bi.modules[0].end, 0x401234);
    ck_assert_str_eq(bi.modules[0].cmdline, "root.elf");
    ck_assert_uint_eq(bi.region_count, 3);
    ck_assert_uint_eq(bi.regions[1].base, 0x100000);
    ck_assert_uint_eq(bi.regions[1].length, 0x7f00000);
    ck_assert_uint_eq(bi.regions[2].type, BOOT_REGION_RESERVED);
    ck_assert_uint_eq(bi.info_start, FAKE_BASE);
    ck_assert_uint_eq(bi.info_end, FAKE_BASE + m.off);
}
END_TEST

START_TEST(mb2_total_size_past_readable_memory_is_truncated)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    mb2_end(&m);
    put32(0, FAKE_SIZE + 64);
    ck_assert_int_eq(parse2(), BOOT_ERR_TRUNCATED);
}
END_TEST

START_TEST(mb2_tag_shorter_than_header_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    uint32_t bad = mb2_tag(&m, 1, 8);
    put32(bad + 4, 4); /* a size of 4 would never advance */
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_BAD_TAG);
}
END_TEST

START_TEST(mb2_tag_running_past_the_end_is_truncated)
{
    struct mb2 m;
    mb2_begin(&m);
    uint32_t at = mb2_tag(&m, 1, 16);
    mb2_end(&m);
    put32(at + 4, 4000); /* claims more than the structure holds */
    ck_assert_int_eq(parse2(), BOOT_ERR_TRUNCATED);
}
END_TEST

START_TEST(mb2_without_end_tag_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    put32(0, m.off); /* total size stops right after the map: no end tag */
    ck_assert_int_eq(parse2(), BOOT_ERR_NO_END_TAG);
}
END_TEST

START_TEST(mb2_without_memory_map_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_string(&m, 1, "x");
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_NO_MEMORY_MAP);
}
END_TEST

START_TEST(mb2_map_entry_size_too_small_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    uint32_t at = m.off;
    mb2_mmap(&m, two_ram, 3);
    put32(at + 8, 8);
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_BAD_TAG);
}
END_TEST

START_TEST(zero_length_regions_are_dropped_and_counted)
{
    struct region r[] = {{0x100000, 0, 1}, {0x100000, 0x100000, 1}, {0x300000, 0, 2}};
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, r, 3);
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_uint_eq(bi.region_count, 1);
    ck_assert_uint_eq(bi.dropped_empty_regions, 2);
}
END_TEST

START_TEST(region_wrapping_around_is_rejected)
{
    struct region r[] = {{0xfffffffffffff000ull, 0x2000, 1}};
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, r, 1);
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_BAD_REGION);
}
END_TEST

START_TEST(too_many_modules_are_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    for (uint32_t i = 0; i <= BOOT_MAX_MODULES; i++)
        mb2_module(&m, 0x400000 + i * 0x1000, 0x400800 + i * 0x1000, "m");
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_TOO_MANY_MODULES);
}
END_TEST

START_TEST(module_ending_before_start_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    mb2_module(&m, 0x500000, 0x400000, "backwards");
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_ERR_BAD_MODULE);
}
END_TEST

START_TEST(module_overlapping_the_image_is_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    mb2_module(&m, 0x140000, 0x160000, "overlaps");
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_int_eq(bootinfo_check_modules(&bi, 0x100000, 0x150000),
                     BOOT_ERR_MODULE_OVERLAPS_IMAGE);
    ck_assert_int_eq(bootinfo_check_modules(&bi, 0x100000, 0x140000), BOOT_OK);
}
END_TEST

START_TEST(overlapping_modules_are_rejected)
{
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    mb2_module(&m, 0x400000, 0x402000, "a");
    mb2_module(&m, 0x401000, 0x403000, "b");
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_int_eq(bootinfo_check_modules(&bi, 0x100000, 0x150000),
                     BOOT_ERR_MODULES_OVERLAP);
}
END_TEST

START_TEST(unterminated_string_is_cut_inside_its_tag)
{
    struct mb2 m;
    mb2_begin(&m);
    uint32_t at = mb2_tag(&m, 1, 8 + 5);
    memcpy(fake + at + 8, "abcdeXXXX", 9); /* no NUL inside the tag */
    mb2_mmap(&m, two_ram, 3);
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_str_eq(bi.cmdline, "abcde");
}
END_TEST

START_TEST(long_module_command_line_is_kept_whole)
{
    char path[201];
    memset(path, 'x', 200);
    memcpy(path, "/home/student/a/long/checkout/", 30);
    path[200] = '\0';
    struct mb2 m;
    mb2_begin(&m);
    mb2_mmap(&m, two_ram, 3);
    mb2_module(&m, 0x400000, 0x401000, path);
    mb2_end(&m);
    ck_assert_int_eq(parse2(), BOOT_OK);
    ck_assert_str_eq(bi.modules[0].cmdline, path);
}
END_TEST

START_TEST(unknown_magic_is_rejected)
{
    ck_assert_int_eq(bootinfo_parse(0x12345678, FAKE_BASE, fake_map, NULL, &bi),
                     BOOT_ERR_BAD_MAGIC);
}
END_TEST

/* ---------------------------------------------------------- multiboot1 */

static void mb1_basic(uint32_t flags)
{
    memset(fake, 0, sizeof fake);
    put32(0, flags);
}

static enum boot_error parse1(void)
{
    return bootinfo_parse(BOOT_MAGIC_MB1, FAKE_BASE, fake_map, NULL, &bi);
}

START_TEST(mb1_complete_structure_is_parsed)
{
    mb1_basic(0x004 | 0x008 | 0x040 | 0x200);
    strcpy((char *)fake + 0x100, "partita.elf test=x");
    put32(16, FAKE_BASE + 0x100);
    /* one module */
    put32(20, 1);
    put32(24, FAKE_BASE + 0x200);
    put32(0x200, 0x400000);
    put32(0x204, 0x402000);
    put32(0x208, FAKE_BASE + 0x280);
    strcpy((char *)fake + 0x280, "root");
    /* two map entries, each with its size field in front */
    put32(44, 2 * 24);
    put32(48, FAKE_BASE + 0x300);
    put32(0x300, 20);
    put64(0x304, 0x0);
    put64(0x30c, 0x9fc00);
    put32(0x314, 1);
    put32(0x318, 20);
    put64(0x31c, 0x100000);
    put64(0x324, 0x7f00000);
    put32(0x32c, 1);
    put32(64, FAKE_BASE + 0x380);
    strcpy((char *)fake + 0x380, "qemu");
    ck_assert_int_eq(parse1(), BOOT_OK);
    ck_assert_int_eq(bi.protocol, 1);
    ck_assert_str_eq(bi.cmdline, "partita.elf test=x");
    ck_assert_str_eq(bi.loader, "qemu");
    ck_assert_uint_eq(bi.module_count, 1);
    ck_assert_str_eq(bi.modules[0].cmdline, "root");
    ck_assert_uint_eq(bi.region_count, 2);
    ck_assert_uint_eq(bi.regions[1].length, 0x7f00000);
}
END_TEST

START_TEST(mb1_map_entry_with_zero_size_is_rejected)
{
    mb1_basic(0x040);
    put32(44, 48);
    put32(48, FAKE_BASE + 0x300);
    put32(0x300, 0); /* would never advance */
    ck_assert_int_eq(parse1(), BOOT_ERR_TRUNCATED);
}
END_TEST

START_TEST(mb1_map_outside_memory_is_unreadable)
{
    mb1_basic(0x040);
    put32(44, 48);
    put32(48, 0x90000000u);
    ck_assert_int_eq(parse1(), BOOT_ERR_UNREADABLE);
}
END_TEST

START_TEST(mb1_info_outside_memory_is_unreadable)
{
    ck_assert_int_eq(bootinfo_parse(BOOT_MAGIC_MB1, FAKE_BASE + FAKE_SIZE - 8,
                                    fake_map, NULL, &bi),
                     BOOT_ERR_UNREADABLE);
}
END_TEST

START_TEST(mb1_without_any_memory_information_is_rejected)
{
    mb1_basic(0);
    ck_assert_int_eq(parse1(), BOOT_ERR_NO_MEMORY_MAP);
}
END_TEST

START_TEST(mb1_too_many_modules_are_rejected)
{
    mb1_basic(0x008 | 0x001);
    put32(20, 1000);
    put32(24, FAKE_BASE + 0x200);
    ck_assert_int_eq(parse1(), BOOT_ERR_TOO_MANY_MODULES);
}
END_TEST

START_TEST(every_error_has_a_message)
{
    for (int e = BOOT_OK; e <= BOOT_ERR_MODULES_OVERLAP; e++)
        ck_assert_str_ne(boot_error_text((enum boot_error)e), "unknown boot error");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bootinfo");
    TCase *t2 = tcase_create("multiboot2");
    tcase_add_test(t2, mb2_complete_structure_is_parsed);
    tcase_add_test(t2, mb2_total_size_past_readable_memory_is_truncated);
    tcase_add_test(t2, mb2_tag_shorter_than_header_is_rejected);
    tcase_add_test(t2, mb2_tag_running_past_the_end_is_truncated);
    tcase_add_test(t2, mb2_without_end_tag_is_rejected);
    tcase_add_test(t2, mb2_without_memory_map_is_rejected);
    tcase_add_test(t2, mb2_map_entry_size_too_small_is_rejected);
    tcase_add_test(t2, zero_length_regions_are_dropped_and_counted);
    tcase_add_test(t2, region_wrapping_around_is_rejected);
    tcase_add_test(t2, too_many_modules_are_rejected);
    tcase_add_test(t2, module_ending_before_start_is_rejected);
    tcase_add_test(t2, module_overlapping_the_image_is_rejected);
    tcase_add_test(t2, overlapping_modules_are_rejected);
    tcase_add_test(t2, unterminated_string_is_cut_inside_its_tag);
    tcase_add_test(t2, unknown_magic_is_rejected);
    tcase_add_test(t2, long_module_command_line_is_kept_whole);
    suite_add_tcase(s, t2);
    TCase *t1 = tcase_create("multiboot1");
    tcase_add_test(t1, mb1_complete_structure_is_parsed);
    tcase_add_test(t1, mb1_map_entry_with_zero_size_is_rejected);
    tcase_add_test(t1, mb1_map_outside_memory_is_unreadable);
    tcase_add_test(t1, mb1_info_outside_memory_is_unreadable);
    tcase_add_test(t1, mb1_without_any_memory_information_is_rejected);
    tcase_add_test(t1, mb1_too_many_modules_are_rejected);
    tcase_add_test(t1, every_error_has_a_message);
    suite_add_tcase(s, t1);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
