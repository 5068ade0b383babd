/* SPDX-License-Identifier: MIT */
/*
 * The IN-result rule (kernel/core/io_access.h) every device path uses:
 * 1- and 2-byte INs replace only their bytes of RAX, a 4-byte IN
 * zero-extends like any 32-bit register write.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../kernel/core/io_access.h"

START_TEST(in_byte_keeps_the_rest)
{
    ck_assert_uint_eq(io_merge_in(0x1122334455667788ull, 1, 0xab), 0x11223344556677abull);
    ck_assert_uint_eq(io_merge_in(0x1122334455667788ull, 1, 0x1ff), 0x11223344556677ffull);
}
END_TEST

START_TEST(in_word_keeps_the_rest)
{
    ck_assert_uint_eq(io_merge_in(0x1122334455667788ull, 2, 0xabcd), 0x112233445566abcdull);
}
END_TEST

START_TEST(in_dword_zero_extends)
{
    ck_assert_uint_eq(io_merge_in(0x1122334455667788ull, 4, 0xdeadbeefcafef00dull),
                      0xcafef00dull);
}
END_TEST

START_TEST(floating_bus_reads_all_ones)
{
    ck_assert_uint_eq(io_merge_in(0x1234, 1, ~0ull), 0x12ffull);
    ck_assert_uint_eq(io_merge_in(0x12345678ull << 32, 4, ~0ull), 0xffffffffull);
    ck_assert_uint_eq(io_width_mask(2), 0xffff);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("io_access");
    TCase *tc = tcase_create("in");
    tcase_add_test(tc, in_byte_keeps_the_rest);
    tcase_add_test(tc, in_word_keeps_the_rest);
    tcase_add_test(tc, in_dword_zero_extends);
    tcase_add_test(tc, floating_bus_reads_all_ones);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
