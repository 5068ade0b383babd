/* SPDX-License-Identifier: MIT */
/* The KVM peer's arithmetic (tests/kvm/kvm_count.c): instructions per round
 * trip from an N loop and a 2N loop, and its text. */
#include <check.h>
#include <stdint.h>

#include "../kvm/kvm_count.h"

START_TEST(difference_over_n)
{
    uint64_t h = 0;
    /* A run seen under QEMU: N=1000, 2609732 and 5237822 ticks. */
    ck_assert_int_eq(kvm_per_trip(2609732, 5237822, 1000, &h), 1);
    ck_assert_uint_eq(h, 262809); /* 2628.09 */
    /* The fixed cost cancels: 500 + n*3 and 500 + 2n*3 give exactly 3. */
    ck_assert_int_eq(kvm_per_trip(500 + 3 * 10000, 500 + 6 * 10000, 10000, &h), 1);
    ck_assert_uint_eq(h, 300);
    /* Rounded to nearest hundredth: 2/3 -> 0.67, 1/3 -> 0.33. */
    ck_assert_int_eq(kvm_per_trip(10, 12, 3, &h), 1);
    ck_assert_uint_eq(h, 67);
    ck_assert_int_eq(kvm_per_trip(10, 11, 3, &h), 1);
    ck_assert_uint_eq(h, 33);
}
END_TEST

START_TEST(refuses_what_is_no_pair)
{
    uint64_t h = 12345;
    ck_assert_int_eq(kvm_per_trip(100, 200, 0, &h), 0);      /* no round trips */
    ck_assert_int_eq(kvm_per_trip(200, 200, 10, &h), 0);     /* 2N cost no more */
    ck_assert_int_eq(kvm_per_trip(300, 200, 10, &h), 0);     /* 2N cost less */
    ck_assert_int_eq(kvm_per_trip(0, UINT64_MAX, 1, &h), 0); /* would wrap */
    ck_assert_uint_eq(h, 12345);                             /* left alone */
    ck_assert_int_eq(kvm_per_trip(0, UINT64_MAX / 100 - 1, 1, &h), 1);
    ck_assert_uint_eq(h, (UINT64_MAX / 100 - 1) * 100);
}
END_TEST

START_TEST(hundredths_as_text)
{
    char buf[32];
    ck_assert_str_eq(kvm_hundredths_text(262809, buf, sizeof buf), "2628.09");
    ck_assert_str_eq(kvm_hundredths_text(300, buf, sizeof buf), "3.00");
    ck_assert_str_eq(kvm_hundredths_text(7, buf, sizeof buf), "0.07");
    ck_assert_str_eq(kvm_hundredths_text(0, buf, sizeof buf), "0.00");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kvm_count");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, difference_over_n);
    tcase_add_test(tc, refuses_what_is_no_pair);
    tcase_add_test(tc, hundredths_as_text);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
