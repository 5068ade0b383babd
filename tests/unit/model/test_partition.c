/* SPDX-License-Identifier: MIT */
/* test_partition.c — partition life cycle: every call's success path and
 * each documented status, in check order. */
#include "helpers.h"

#include "model/state.h"

START_TEST(create_success)
{
    struct model_result r = HC(ROOT, HVCALL_CREATE_PARTITION, 0);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out_count, 1);
    ck_assert_uint_eq(r.out[0], 2);
    ck_assert_uint_eq(st.part[1].state, MODEL_PART_CREATED);
    ck_assert_uint_eq(HC(ROOT, HVCALL_CREATE_PARTITION, 0).out[0], 3);
}
END_TEST

START_TEST(create_errors)
{
    uint64_t c = running_child();
    ck_assert_uint_eq(S(c, HVCALL_CREATE_PARTITION, 0), HV_STATUS_ACCESS_DENIED);
    /* privilege is checked before the arguments */
    ck_assert_uint_eq(S(c, HVCALL_CREATE_PARTITION, 1), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PARTITION, 1),
                      HV_STATUS_INVALID_PARAMETER);
    for (uint32_t i = 2; i < cfg.partitions; i++)
        ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PARTITION, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PARTITION, 0),
                      HV_STATUS_INSUFFICIENT_MEMORY);
}
END_TEST

START_TEST(initialize)
{
    uint64_t c = HC(ROOT, HVCALL_CREATE_PARTITION, 0).out[0];
    uint64_t other = running_child();
    ck_assert_uint_eq(S(other, HVCALL_INITIALIZE_PARTITION, c),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, 99),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, ROOT),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, c),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(finalize)
{
    uint64_t c = running_child();
    uint64_t other = running_child();
    ck_assert_uint_eq(S(other, HVCALL_FINALIZE_PARTITION, c),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, 77),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    uint32_t slot = model_slot_of(&cfg, &st, c);
    ck_assert_uint_eq(st.part[slot].state, MODEL_PART_FINALIZED);
    ck_assert_uint_eq(st.part[slot].vp[0].state, HV_VP_STATE_STOPPED);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(delete_)
{
    uint64_t c = running_child();
    uint64_t other = running_child();
    message_channel(c, 1, other, 5, 0);
    message_channel(other, 2, c, 6, 0);
    ck_assert_uint_eq(S(other, HVCALL_POST_MESSAGE, 5, 1, 4, 0xAB),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(other, HVCALL_DELETE_PARTITION, c),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PARTITION, 55),
                      HV_STATUS_INVALID_PARTITION_ID);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PARTITION, c),
                      HV_STATUS_INVALID_PARTITION_STATE);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PARTITION, c), HV_STATUS_SUCCESS);
    /* it owns nothing, its ports and connections are gone, its queued
     * message is discarded and counted */
    ck_assert_uint_eq(model_slot_of(&cfg, &st, c), MODEL_NO_SLOT);
    for (uint32_t i = 0; i < st.frames_listed; i++)
        ck_assert(st.frame[i].owner != c && st.frame[i].peer != c);
    ck_assert_int_lt(model_port_find(&cfg, &st, c, 1), 0);
    ck_assert_int_lt(model_conn_find(&cfg, &st, c, 6), 0);
    ck_assert_int_lt(model_conn_find(&cfg, &st, other, 5), 0);
    ck_assert_uint_eq(st.messages_discarded, 1);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PARTITION, c),
                      HV_STATUS_INVALID_PARTITION_ID);
    /* ids are never reused */
    ck_assert_uint_eq(HC(ROOT, HVCALL_CREATE_PARTITION, 0).out[0], 4);
}
END_TEST

START_TEST(get_partition_id)
{
    uint64_t c = running_child();
    struct model_result r = HC(c, HVCALL_GET_PARTITION_ID, NOARG);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], c);
    ck_assert_uint_eq(HC(ROOT, HVCALL_GET_PARTITION_ID, NOARG).out[0], ROOT);
}
END_TEST

Suite *suite_partition(void)
{
    Suite *s = suite_create("partition");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, create_success);
    tcase_add_test(t, create_errors);
    tcase_add_test(t, initialize);
    tcase_add_test(t, finalize);
    tcase_add_test(t, delete_);
    tcase_add_test(t, get_partition_id);
    suite_add_tcase(s, t);
    return s;
}
