/* SPDX-License-Identifier: MIT */
/* test_memory.c — page ownership: deposit, withdraw, map, unmap. */
#include "helpers.h"

#include "model/state.h"

START_TEST(deposit)
{
    uint64_t c = new_child();
    uint64_t x = running_child();
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(x, HVCALL_DEPOSIT_MEMORY, c, f), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, 42, f),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, 0), /* hv frame */
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, model_ram_end(&cfg)),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, f), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(frame_at(f).kind, MODEL_FRAME_DEPOSITED);
    ck_assert_uint_eq(frame_at(f).owner, 0); /* the hypervisor's */
    ck_assert_uint_eq(frame_at(f).peer, c);
    /* deposited twice: no longer the root's */
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, f),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, free_root_frame()),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(withdraw)
{
    uint64_t c = new_child();
    uint64_t x = running_child();
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, f), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(x, HVCALL_WITHDRAW_MEMORY, c, 0), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_WITHDRAW_MEMORY, 42, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_WITHDRAW_MEMORY, c, 1),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_SUCCESS);
    /* the only deposited page backs the VP */
    ck_assert_uint_eq(S(ROOT, HVCALL_WITHDRAW_MEMORY, c, 0),
                      HV_STATUS_OPERATION_DENIED);
    uint64_t g = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, g), HV_STATUS_SUCCESS);
    struct model_result r = HC(ROOT, HVCALL_WITHDRAW_MEMORY, c, 0);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], g < f ? g : f); /* lowest deposited frame */
    ck_assert_uint_eq(frame_at(r.out[0]).kind, MODEL_FRAME_OWNED);
    ck_assert_uint_eq(frame_at(r.out[0]).owner, ROOT);
}
END_TEST

START_TEST(map)
{
    uint64_t c = new_child();
    uint64_t x = running_child();
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(x, HVCALL_MAP_GPA_PAGES, c, 0, RW, f),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, 42, 0, RW, f),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, ROOT, 0, RW, f),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, 0x10, f),
                      HV_STATUS_INVALID_PARAMETER); /* unknown flag */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, HV_MAP_GPA_WRITABLE, f),
                      HV_STATUS_INVALID_PARAMETER); /* not readable */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, cfg.child_gpa_pages, RW, f),
                      HV_STATUS_INVALID_PARAMETER); /* outside GPA space */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, RW, 1),
                      HV_STATUS_INVALID_PARAMETER); /* a hypervisor frame */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, RW, f), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(frame_at(f).kind, MODEL_FRAME_OWNED);
    ck_assert_uint_eq(frame_at(f).owner, c); /* ownership transferred */
    ck_assert_int_lt(model_frame_at_gpa(&cfg, &st, ROOT, f), 0);
    ck_assert_int_eq(model_frame_at_gpa(&cfg, &st, c, 0), (int)f);
    uint64_t g = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, RW, g),
                      HV_STATUS_INVALID_PARAMETER); /* gpa taken */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 1, RW, f),
                      HV_STATUS_INVALID_PARAMETER); /* not the root's now */
    /* a channel page: shared by root and child */
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 1,
                        RW | HV_MAP_GPA_PARTITA_SHARED, g),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(frame_at(g).kind, MODEL_FRAME_SHARED);
    ck_assert_int_eq(model_frame_at_gpa(&cfg, &st, ROOT, g), (int)g);
    ck_assert_int_eq(model_frame_at_gpa(&cfg, &st, c, 1), (int)g);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 2, RW, free_root_frame()),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(map_rep_elements)
{
    /* element i maps at gpa base + i: rep start selects the element */
    uint64_t c = new_child();
    uint64_t f = free_root_frame();
    struct model_event e = {
        .kind = MODEL_EV_HYPERCALL,
        .actor = ROOT,
        .input = model_input(HVCALL_MAP_GPA_PAGES, 0, 3, 2),
        .in_gpa = (uint64_t)cfg.ram[0].first << HV_PAGE_SHIFT,
        .out_gpa = ((uint64_t)cfg.ram[0].first << HV_PAGE_SHIFT) + 2048,
        .arg = {c, 10, RW, f},
    };
    struct model_result r = step_event(&e);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.reps_completed, 3);
    ck_assert_int_eq(model_frame_at_gpa(&cfg, &st, c, 12), (int)f);
}
END_TEST

START_TEST(unmap)
{
    uint64_t c = new_child();
    uint64_t x = running_child();
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 3, RW, f), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(x, HVCALL_UNMAP_GPA_PAGES, c, 3, 0), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, 42, 3, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, c, 3, 1),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, c, 4, 0),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, c, 3, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(frame_at(f).owner, ROOT);
    ck_assert_uint_eq(frame_at(f).gpa, 0);
}
END_TEST

Suite *suite_memory(void)
{
    Suite *s = suite_create("memory");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, deposit);
    tcase_add_test(t, withdraw);
    tcase_add_test(t, map);
    tcase_add_test(t, map_rep_elements);
    tcase_add_test(t, unmap);
    suite_add_tcase(s, t);
    return s;
}
