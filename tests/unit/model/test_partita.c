/* SPDX-License-Identifier: MIT */
/* test_partita.c — Partita's own calls. */
#include "helpers.h"
#include "model/state.h"

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
    ck_assert_uint_eq(r.out[1], cfg.probe_page << HV_PAGE_SHIFT);
    ck_assert_uint_eq(r.out[2], cfg.probe_pages);
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

static struct model_result intercept(uint64_t child)
{
    struct model_event e = {.kind = MODEL_EV_IO_INTERCEPT, .actor = child,
                            .arg = {0x11, sizeof(struct hv_x64_io_intercept_message)}};
    return step_event(&e);
}

static uint8_t vp_state(uint64_t id)
{
    return model_partition_by_id(&cfg, &st, id)->vp[0].state;
}

/* The unenlightened path: intercepts go to the root's intercept SINT,
 * fault news to its news SINT, neither to the other's; the root's answer
 * resumes the VP; a full SINT refuses (the VP retries); finalizing cancels
 * a waiting VP, and the root's late answer is refused. */
START_TEST(io_intercept)
{
    ck_assert_uint_eq(model_intercept_sint(&cfg), HV_SINT_INTERCEPTS);
    ck_assert_uint_eq(model_news_sint(&cfg), HV_SINT_PARTITION_NEWS);
    struct model_sint *in = &st.sint[0][0][HV_SINT_INTERCEPTS];
    struct model_sint *news = &st.sint[0][0][HV_SINT_PARTITION_NEWS];
    uint64_t c = running_child(), d = running_child();
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 7), HV_STATUS_INVALID_VP_STATE);

    struct model_result r = intercept(c);
    ck_assert_int_eq(r.possible, 1);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(vp_state(c), HV_VP_STATE_WAITING_IO);
    ck_assert_uint_eq(in->slot_full, 1);
    ck_assert_uint_eq(in->slot.type, HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT);
    ck_assert_uint_eq(in->slot.sender, 0);
    ck_assert_uint_eq(in->slot.port_id, 0);
    ck_assert_uint_eq(news->slot_full, 0);
    /* a waiting VP does nothing until it is answered */
    ck_assert_int_eq(intercept(c).possible, 0);
    struct model_event call = {.kind = MODEL_EV_HYPERCALL, .actor = c, .input = HVCALL_PARTITA_NULL};
    ck_assert_int_eq(step_event(&call).possible, 0);

    /* news of d's fault: a flag on the news SINT, the intercepts untouched */
    struct model_event f = {.kind = MODEL_EV_FAULT, .actor = d};
    ck_assert_uint_eq(step_event(&f).status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(news->event_flags, 1ull << (d % HV_EVENT_FLAGS_PER_SINT));
    ck_assert_uint_eq(in->event_flags, 0);
    ck_assert_uint_eq(in->queue_len, 0);
    r = HC(ROOT, HVCALL_PARTITA_READ_SINT_MESSAGE, HV_SINT_INTERCEPTS);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_READ_SINT_MESSAGE, HV_SINT_PARTITION_NEWS),
                      HV_STATUS_NO_DATA);

    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 7), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(vp_state(c), HV_VP_STATE_RUNNING);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 7), HV_STATUS_INVALID_VP_STATE);

    /* the slot is still full: fill the queue behind it, then one more is refused */
    for (uint32_t i = 0; i < cfg.queue_depth; i++) {
        ck_assert_uint_eq(intercept(c).status, HV_STATUS_SUCCESS);
        ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 0), HV_STATUS_SUCCESS);
    }
    ck_assert_uint_eq(intercept(c).status, HV_STATUS_INSUFFICIENT_BUFFERS);
    ck_assert_uint_eq(vp_state(c), HV_VP_STATE_RUNNING);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_SINT_EOM, HV_SINT_INTERCEPTS), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(intercept(c).status, HV_STATUS_SUCCESS);

    /* finalized while waiting: stopped unanswered; the message stays */
    uint8_t queued = in->queue_len;
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(vp_state(c), HV_VP_STATE_STOPPED);
    ck_assert_uint_eq(in->queue_len, queued);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 7), HV_STATUS_INVALID_VP_STATE);
    ck_assert_uint_eq(S(ROOT, HVCALL_DELETE_PARTITION, c), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(in->queue_len, queued);
    ck_assert_uint_eq(S(ROOT, HVCALL_PARTITA_COMPLETE_IO, c, 0, 7), HV_STATUS_INVALID_PARTITION_ID);
}
END_TEST

START_TEST(two_sints_needed)
{
    struct model_config small = model_config_small();
    ck_assert_ptr_null(model_config_check(&small));
    small.sints = 1;
    ck_assert_ptr_nonnull(model_config_check(&small));
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
    tcase_add_test(t, io_intercept);
    tcase_add_test(t, two_sints_needed);
    suite_add_tcase(s, t);
    return s;
}
