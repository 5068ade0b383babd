/* SPDX-License-Identifier: MIT */
/* test_message.c — PostMessage, SignalEvent, EOM, slot reads, event
 * flags; the queue fills, refuses, drains and accepts again. */
#include "helpers.h"

#include "model/state.h"

static uint64_t a, b; /* a receives on sint 2, b sends on connection 4 */

static void channel_setup(void)
{
    fx_setup();
    a = running_child();
    b = running_child();
    message_channel(a, 1, b, 4, 2);
}

START_TEST(post_and_read)
{
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 7, 12, 0xC0FFEE),
                      HV_STATUS_SUCCESS);
    struct model_result r = HC(a, HVCALL_PARTITA_READ_SINT_MESSAGE, 2);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], 7);        /* type */
    ck_assert_uint_eq(r.out[1], 12);       /* size */
    ck_assert_uint_eq(r.out[2], 1);        /* port */
    ck_assert_uint_eq(r.out[3], 0xC0FFEE); /* payload digest */
    /* reading does not consume */
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_READ_SINT_MESSAGE, 2), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(st.messages_acked, 1);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_READ_SINT_MESSAGE, 2), HV_STATUS_NO_DATA);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_NO_DATA);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, cfg.sints),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_READ_SINT_MESSAGE, cfg.sints),
                      HV_STATUS_INVALID_PARAMETER);
}
END_TEST

START_TEST(queue_fills_refuses_drains)
{
    /* one message in the slot, queue_depth behind it, then refusal */
    for (uint32_t i = 0; i <= cfg.queue_depth; i++)
        ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 8, i), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 8, 99),
                      HV_STATUS_INSUFFICIENT_BUFFERS);
    ck_assert_uint_eq(st.messages_posted, cfg.queue_depth + 1);
    /* drain one; the sender's retry is accepted */
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 8, 99), HV_STATUS_SUCCESS);
    /* delivered exactly once, in order */
    for (uint32_t i = 1; i <= cfg.queue_depth; i++) {
        struct model_result r = HC(a, HVCALL_PARTITA_READ_SINT_MESSAGE, 2);
        ck_assert_uint_eq(r.out[3], i);
        ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_SUCCESS);
    }
    ck_assert_uint_eq(HC(a, HVCALL_PARTITA_READ_SINT_MESSAGE, 2).out[3], 99);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_SINT_EOM, 2), HV_STATUS_NO_DATA);
    ck_assert_uint_eq(st.messages_acked, st.messages_posted);
}
END_TEST

START_TEST(post_errors)
{
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 5, 1, 8, 0),
                      HV_STATUS_INVALID_CONNECTION_ID); /* no connection 5 */
    ck_assert_uint_eq(S(a, HVCALL_POST_MESSAGE, 4, 1, 8, 0),
                      HV_STATUS_INVALID_CONNECTION_ID); /* not a's */
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 0, 8, 0),
                      HV_STATUS_INVALID_PARAMETER); /* type none */
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 0x80000000u, 8, 0),
                      HV_STATUS_INVALID_PARAMETER); /* hypervisor's type */
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, HV_MESSAGE_PAYLOAD + 1, 0),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, a), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 8, 0),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(events)
{
    event_channel(a, 2, b, 6, 3);
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 6, 5), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 6, 5), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 6, 63), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(st.events_signaled, 2); /* a set flag raises once */
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 4, 0),
                      HV_STATUS_INVALID_CONNECTION_ID); /* a message port */
    ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 6, 1, 0, 0),
                      HV_STATUS_INVALID_CONNECTION_ID); /* an event port */
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 6, HV_EVENT_FLAGS_PER_SINT),
                      HV_STATUS_INVALID_PARAMETER);
    struct model_result r = HC(a, HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, 3);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(r.out[0], (1ull << 5) | (1ull << 63));
    ck_assert_uint_eq(HC(a, HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, 3).out[0], 0);
    ck_assert_uint_eq(S(a, HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, cfg.sints),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(S(ROOT, HVCALL_FINALIZE_PARTITION, a), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 6, 1),
                      HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

Suite *suite_message(void)
{
    Suite *s = suite_create("message");
    TCase *t = tcase_create("calls");
    tcase_add_checked_fixture(t, channel_setup, NULL);
    tcase_add_test(t, post_and_read);
    tcase_add_test(t, queue_fills_refuses_drains);
    tcase_add_test(t, post_errors);
    tcase_add_test(t, events);
    suite_add_tcase(s, t);
    return s;
}
