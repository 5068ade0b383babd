/* SPDX-License-Identifier: MIT */
/* test_invariants.c — each invariant holds on real states and fires on
 * a state that breaks it. */
#include "helpers.h"

#include <string.h>

#include "model/invariants.h"
#include "model/state.h"

static uint64_t a, b;

/* A busy, valid state: two children, a channel with queued messages,
 * an event flag, a shared page. */
static void busy_setup(void)
{
    fx_setup();
    a = running_child();
    b = running_child();
    message_channel(a, 1, b, 4, 0);
    event_channel(a, 2, b, 5, 1);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(S(b, HVCALL_POST_MESSAGE, 4, 1, 0, i), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(b, HVCALL_SIGNAL_EVENT, 5, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, a, 1,
                        RW | HV_MAP_GPA_PARTITA_SHARED, free_root_frame()),
                      HV_STATUS_SUCCESS);
}

static enum model_invariant check(void)
{
    char why[256];
    enum model_invariant inv = model_check_invariants(&cfg, &st, why, sizeof why);
    ck_assert(inv == MODEL_INV_OK || why[0] != 0); /* says why */
    return inv;
}

static struct model_sint *a_sint(uint32_t n)
{
    return &st.sint[model_slot_of(&cfg, &st, a)][0][n];
}

START_TEST(valid_state_passes)
{
    ck_assert_int_eq(check(), MODEL_INV_OK);
}
END_TEST

START_TEST(hv_page_given_to_partition)
{
    struct model_frame *fr = frame_edit(0); /* page 0: the hypervisor's */
    fr->owner = a;
    frames_resum();
    ck_assert_int_eq(check(), MODEL_INV_FRAME_LIST);
}
END_TEST

START_TEST(frame_sum_wrong)
{
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, a, 3, RW, f), HV_STATUS_SUCCESS);
    ck_assert_int_eq(check(), MODEL_INV_OK);
    frame_edit(f)->rights = HV_MAP_GPA_READABLE; /* the sum not kept */
    ck_assert_int_eq(check(), MODEL_INV_FRAME_LIST);
}
END_TEST

START_TEST(two_owners)
{
    uint64_t f = free_root_frame();
    frame_edit(f)->peer = a; /* owned by the root and by a */
    frames_resum();
    ck_assert_int_eq(check(), MODEL_INV_ONE_OWNER);
}
END_TEST

START_TEST(two_frames_one_gpa)
{
    uint64_t f = free_root_frame();
    frame_edit(f)->owner = a;
    frame_edit(f)->gpa = 0; /* a already has GPA page 0 */
    frame_edit(f)->rights = HV_MAP_GPA_READABLE;
    frames_resum();
    ck_assert_int_eq(check(), MODEL_INV_ONE_OWNER);
}
END_TEST

/* Rights go with a child's mapping: a root page has none, a child's
 * page is at least readable. */
START_TEST(rights_without_mapping)
{
    frame_edit(free_root_frame())->rights = HV_MAP_GPA_READABLE;
    frames_resum();
    ck_assert_int_eq(check(), MODEL_INV_ONE_OWNER);
}
END_TEST

START_TEST(mapping_without_read)
{
    uint64_t f = free_root_frame();
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, a, 3, RW, f), HV_STATUS_SUCCESS);
    ck_assert_int_eq(check(), MODEL_INV_OK);
    frame_edit(f)->rights = HV_MAP_GPA_WRITABLE;
    frames_resum();
    ck_assert_int_eq(check(), MODEL_INV_ONE_OWNER);
}
END_TEST

START_TEST(queue_over_bound)
{
    /* well-formed messages, just one more than the bound */
    struct model_sint *q = a_sint(0);
    while (q->queue_len <= cfg.queue_depth) {
        struct model_message m = q->slot;
        m.seq = st.messages_posted++;
        q->queue[q->queue_len++] = m;
    }
    ck_assert_int_eq(check(), MODEL_INV_QUEUE_BOUND);
}
END_TEST

START_TEST(message_lost)
{
    st.messages_posted++; /* accepted but nowhere */
    ck_assert_int_eq(check(), MODEL_INV_MESSAGE_ONCE);
}
END_TEST

START_TEST(message_duplicated)
{
    struct model_sint *q = a_sint(0);
    q->queue[q->queue_len++] = q->slot; /* delivered twice */
    ck_assert_int_eq(check(), MODEL_INV_MESSAGE_ONCE);
}
END_TEST

START_TEST(message_in_two_sints)
{
    /* counts still add up: the last queued message is gone and the slot's
     * message appears in another SINT as well */
    struct model_sint *q = a_sint(0), *other = a_sint(3);
    q->queue_len--;
    memset(&q->queue[q->queue_len], 0, sizeof q->queue[0]);
    other->slot = q->slot;
    other->slot_full = 1;
    ck_assert_int_eq(check(), MODEL_INV_MESSAGE_ONCE);
}
END_TEST

START_TEST(deleted_partition_keeps_port)
{
    /* delete b by hand, forgetting its connection and the port admitting it */
    uint32_t slot = model_slot_of(&cfg, &st, b);
    for (uint32_t i = st.frames_listed; i-- > 0;)
        if ((st.frame[i].kind == MODEL_FRAME_OWNED && st.frame[i].owner == b) ||
            st.frame[i].peer == b)
            model_frame_give_to_root(&st, st.frame[i].page);
    memset(&st.part[slot], 0, sizeof st.part[slot]);
    ck_assert_int_eq(check(), MODEL_INV_DELETED_OWNS_NOTHING);
}
END_TEST

START_TEST(deposit_overcharged)
{
    st.part[model_slot_of(&cfg, &st, a)].deposit_used = 2;
    ck_assert_int_eq(check(), MODEL_INV_DEPOSIT);
}
END_TEST

START_TEST(root_stopped)
{
    st.part[0].vp[0].state = HV_VP_STATE_STOPPED;
    ck_assert_int_eq(check(), MODEL_INV_ROOT);
}
END_TEST

Suite *suite_invariants(void)
{
    Suite *s = suite_create("invariants");
    TCase *t = tcase_create("fire");
    tcase_add_checked_fixture(t, busy_setup, NULL);
    tcase_add_test(t, valid_state_passes);
    tcase_add_test(t, hv_page_given_to_partition);
    tcase_add_test(t, frame_sum_wrong);
    tcase_add_test(t, two_owners);
    tcase_add_test(t, two_frames_one_gpa);
    tcase_add_test(t, rights_without_mapping);
    tcase_add_test(t, mapping_without_read);
    tcase_add_test(t, queue_over_bound);
    tcase_add_test(t, message_lost);
    tcase_add_test(t, message_duplicated);
    tcase_add_test(t, message_in_two_sints);
    tcase_add_test(t, deleted_partition_keeps_port);
    tcase_add_test(t, deposit_overcharged);
    tcase_add_test(t, root_stopped);
    suite_add_tcase(s, t);
    return s;
}
