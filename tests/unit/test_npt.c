/* SPDX-License-Identifier: MIT */
/*
 * AMD nested page tables (kernel/arch/x86/npt.c) on the host: the tables
 * are walked in ordinary memory, and what the next VMRUN is told to do
 * with the TLB (npt_flush_pending, which svm.c turns into TLB_CONTROL) is
 * a plain variable.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/arch/x86/npt.h"

int npt_flush_pending; /* svm.c's: the next VMRUN flushes the TLB */

static unsigned allocated, freed;

uint64_t hv_page_alloc(void)
{
    void *p = aligned_alloc(4096, 4096);
    ck_assert_ptr_nonnull(p);
    memset(p, 0, 4096);
    allocated++;
    return (uint64_t)(uintptr_t)p;
}

void hv_page_free(uint64_t hpa)
{
    ck_assert_uint_eq(hpa & 0xfff, 0);
    free((void *)(uintptr_t)hpa);
    freed++;
}

START_TEST(map_lookup_rights)
{
    struct slat s;
    ck_assert_int_eq(npt_init(&s), 0);
    ck_assert_int_eq(npt_map(&s, 0x5000, 0x123000, SLAT_READ), 0);
    ck_assert_int_eq(npt_map(&s, 0x6000, 0x124000, SLAT_READ | SLAT_WRITE), 0);
    uint32_t r;
    ck_assert_uint_eq(npt_lookup(&s, 0x5008, &r), 0x123000);
    ck_assert_uint_eq(r & SLAT_WRITE, 0); /* read-only stays read-only */
    ck_assert_uint_eq(npt_lookup(&s, 0x6000, &r), 0x124000);
    ck_assert_uint_ne(r & SLAT_WRITE, 0);
    npt_lookup(&s, 0x7000, &r);
    ck_assert_uint_eq(r, 0);
    npt_destroy(&s);
}
END_TEST

/* TLB entries are tagged with the ASID, not with the tables: after a
 * partition's tables are freed, translations cached under its ASID would
 * still point at its old pages when the next partition in its slot (same
 * ASID) runs.  Destroying the tables must make the next VMRUN flush. */
START_TEST(destroy_flushes_before_the_asid_is_reused)
{
    struct slat s;
    allocated = freed = 0;
    ck_assert_int_eq(npt_init(&s), 0);
    ck_assert_int_eq(npt_map(&s, 0x1000, 0x200000, SLAT_READ | SLAT_WRITE), 0);
    ck_assert_int_eq(npt_map(&s, 0x40000000, 0x201000, SLAT_READ), 0);
    npt_flush_pending = 0; /* a VMRUN has run since the last change */
    npt_destroy(&s);
    ck_assert_int_eq(npt_flush_pending, 1);
    ck_assert_uint_eq(s.root, 0);
    ck_assert_uint_eq(freed, allocated); /* every table back to the pool */
    /* destroying nothing is harmless */
    npt_flush_pending = 0;
    npt_destroy(&s);
    ck_assert_uint_eq(freed, allocated);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("npt");
    TCase *t = tcase_create("tables");
    tcase_add_test(t, map_lookup_rights);
    tcase_add_test(t, destroy_flushes_before_the_asid_is_reused);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
