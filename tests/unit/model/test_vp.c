/* SPDX-License-Identifier: MIT */
/* test_vp.c — CreateVp, StartVp, Get/SetVpRegisters. */
#include "helpers.h"

#include "model/state.h"

START_TEST(create_vp)
{
    uint64_t x = running_child();
    uint64_t c = HC(ROOT, HVCALL_CREATE_PARTITION, 0).out[0];
    ck_assert_uint_eq(S(x, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, 42, 0, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0),
                      HV_STATUS_INVALID_PARTITION_STATE); /* not initialized */
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 1),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, cfg.vps, 0),
                      HV_STATUS_INVALID_VP_INDEX);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0),
                      HV_STATUS_INSUFFICIENT_MEMORY); /* nothing deposited */
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, free_root_frame()),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_SUCCESS);
    uint32_t slot = model_slot_of(&cfg, &st, c);
    ck_assert_uint_eq(st.part[slot].vp[0].state, HV_VP_STATE_CREATED);
    ck_assert_uint_eq(st.part[slot].deposit_used, 1);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0),
                      HV_STATUS_INVALID_VP_STATE); /* exists */
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 1, 0),
                      HV_STATUS_INSUFFICIENT_MEMORY); /* deposit all used */
}
END_TEST

START_TEST(start_vp)
{
    uint64_t x = running_child();
    uint64_t c = new_child();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, free_root_frame()),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(x, HVCALL_START_VP, c, 0, 0x1000, 0, 2, 0),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, 42, 0, 0x1000, 0, 2, 0),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0, 2, 0),
                      HV_STATUS_INVALID_VP_INDEX); /* not created */
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0, 0, 0),
                      HV_STATUS_INVALID_REGISTER_VALUE); /* rflags bit 1 */
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x0000800000000000ull, 0, 2,
                        0),
                      HV_STATUS_INVALID_REGISTER_VALUE); /* non-canonical */
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0x8000, 2, 0),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0x8000, 2, 0),
                      HV_STATUS_INVALID_VP_STATE);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0x8000, 2, 0),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(registers)
{
    uint64_t x = running_child();
    uint64_t c = new_child();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, free_root_frame()),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_SUCCESS);
    /* reset value */
    struct model_result r =
        HC(ROOT, HVCALL_GET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RFLAGS);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], 2);
    ck_assert_uint_eq(S(ROOT, HVCALL_SET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RIP,
                        0xFFFF800000001000ull),
                      HV_STATUS_SUCCESS);
    r = HC(ROOT, HVCALL_GET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RIP);
    ck_assert_uint_eq(r.out[0], 0xFFFF800000001000ull);
    /* errors, in check order */
    ck_assert_uint_eq(S(x, HVCALL_GET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RIP),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(x, HVCALL_SET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RIP, 0),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_GET_VP_REGISTERS, 42, 0, HV_X64_REGISTER_RIP),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_GET_VP_REGISTERS, c, 1, HV_X64_REGISTER_RIP),
                      HV_STATUS_INVALID_VP_INDEX);
    ck_assert_uint_eq(S(ROOT, HVCALL_GET_VP_REGISTERS, c, 0, 0x12345),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_SET_VP_REGISTERS, c, 0, 0x12345, 0),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_SET_VP_REGISTERS, c, 0,
                        HV_X64_REGISTER_RFLAGS, 0),
                      HV_STATUS_INVALID_REGISTER_VALUE);
    ck_assert_uint_eq(S(ROOT, HVCALL_SET_VP_REGISTERS, c, 0, HV_X64_REGISTER_RSP,
                        0x0001000000000000ull),
                      HV_STATUS_INVALID_REGISTER_VALUE);
    /* a running VP's registers are the guest's: refused */
    ck_assert_uint_eq(S(x, HVCALL_GET_VP_REGISTERS, HV_PARTITION_ID_SELF, 0,
                        HV_X64_REGISTER_RIP),
                      HV_STATUS_INVALID_VP_STATE);
    ck_assert_uint_eq(S(ROOT, HVCALL_SET_VP_REGISTERS, x, 0, HV_X64_REGISTER_RIP,
                        0),
                      HV_STATUS_INVALID_VP_STATE);
}
END_TEST

Suite *suite_vp(void)
{
    Suite *s = suite_create("vp");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, create_vp);
    tcase_add_test(t, start_vp);
    tcase_add_test(t, registers);
    suite_add_tcase(s, t);
    return s;
}
