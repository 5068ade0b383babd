/* test_partita.c — Partita's own calls. */
#include "helpers.h"

START_TEST(null_call)
{
    uint64_t c = running_child();
    ck_assert_uint_eq(S(c, HVCALL_PARTITA_NULL, NOARG), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_NULL, NOARG), HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(exit_stats)
{
    uint64_t c = running_child(), d = running_child();
    struct model_result r = HC(c, HVCALL_PARTITA_GET_EXIT_STATS,
                               HV_PARTITION_ID_SELF);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], c);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_GET_EXIT_STATS, d), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(c, HVCALL_PARTITA_GET_EXIT_STATS, d),
                      HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_GET_EXIT_STATS, 42),
                      HV_STATUS_INVALID_PARTITION_ID);
}
END_TEST

START_TEST(hv_info)
{
    struct model_result r = HC(ROOT, HVCALL_PARTITA_GET_HV_INFO, NOARG);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], HV_ABI_INTERFACE_VERSION);
    ck_assert_uint_eq(r.out[1], 0);
    ck_assert_uint_eq(r.out[2], cfg.hv_frames);
    ck_assert_uint_eq(r.out[3], cfg.queue_depth);
    /* a child learns the version and limits, not where the hypervisor is */
    uint64_t c = running_child();
    r = HC(c, HVCALL_PARTITA_GET_HV_INFO, NOARG);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out_count, 4);
    ck_assert_uint_eq(r.out[0], HV_ABI_INTERFACE_VERSION);
    ck_assert_uint_eq(r.out[1], 0);
    ck_assert_uint_eq(r.out[2], 0);
    ck_assert_uint_eq(r.out[3], cfg.queue_depth);
}
END_TEST

START_TEST(trace_control)
{
    uint64_t c = running_child();
    ck_assert_uint_eq(S(c, HVCALL_PARTITA_TRACE_CONTROL, 0), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_TRACE_CONTROL, 0x10),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_TRACE_CONTROL, HV_TRACE_EXITS),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(st.trace_mask, HV_TRACE_EXITS);
}
END_TEST

START_TEST(shutdown)
{
    uint64_t c = running_child();
    ck_assert_uint_eq(S(c, HVCALL_PARTITA_SHUTDOWN, 3), HV_STATUS_ACCESS_DENIED);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_SHUTDOWN, 3), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(st.hv_state, MODEL_HV_SHUT_DOWN);
    ck_assert_uint_eq(st.shutdown_code, 3);
    /* nothing happens after shutdown */
    struct model_event e = {.kind = MODEL_EV_HYPERCALL, .actor = ROOT,
                            .input = HVCALL_PARTITA_NULL};
    ck_assert_int_eq(step_event(&e).possible, 0);
}
END_TEST

START_TEST(fault)
{
    uint64_t c = running_child();
    struct model_event e = {.kind = MODEL_EV_FAULT, .actor = c};
    ck_assert_int_eq(step_event(&e).possible, 1);
    /* the faulted VP can no longer act, nor fault again */
    ck_assert_int_eq(step_event(&e).possible, 0);
    struct model_event call = {.kind = MODEL_EV_HYPERCALL, .actor = c,
                               .input = HVCALL_PARTITA_NULL};
    ck_assert_int_eq(step_event(&call).possible, 0);
    /* the root cannot fault */
    e.actor = ROOT;
    ck_assert_int_eq(step_event(&e).possible, 0);
}
END_TEST

Suite *suite_partita(void)
{
    Suite *s = suite_create("partita");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, null_call);
    tcase_add_test(t, exit_stats);
    tcase_add_test(t, hv_info);
    tcase_add_test(t, trace_control);
    tcase_add_test(t, shutdown);
    tcase_add_test(t, fault);
    suite_add_tcase(s, t);
    return s;
}
