/* SPDX-License-Identifier: MIT */
/* test_dispatch.c — the checks every call goes through before its
 * handler: input value, then input page, then output page. */
#include "helpers.h"

#include "model/alphabet.h"

static struct model_event ev(uint64_t actor, uint64_t input)
{
    struct model_event e = {.kind = MODEL_EV_HYPERCALL, .actor = actor,
                            .input = input};
    e.in_gpa = model_default_in_gpa(&cfg, &st, actor);
    e.out_gpa = e.in_gpa + 2048;
    return e;
}

static hv_status_t run(struct model_event e)
{
    struct model_result r = step_event(&e);
    ck_assert(r.possible);
    return r.status;
}

START_TEST(input_value)
{
    ck_assert_uint_eq(run(ev(ROOT, 0x7777)), HV_STATUS_INVALID_HYPERCALL_CODE);
    ck_assert_uint_eq(run(ev(ROOT, 0x0000)), HV_STATUS_INVALID_HYPERCALL_CODE);
    ck_assert_uint_eq(run(ev(ROOT, HVCALL_GET_PARTITION_ID | (1ull << 17))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT); /* var. header size */
    ck_assert_uint_eq(run(ev(ROOT, HVCALL_GET_PARTITION_ID | (1ull << 63))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT);
    ck_assert_uint_eq(run(ev(ROOT, model_input(HVCALL_CREATE_PARTITION, 1, 0, 0))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT); /* not fast-capable */
    ck_assert_uint_eq(run(ev(ROOT, model_input(HVCALL_CREATE_PARTITION, 0, 1, 0))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT); /* not a rep call */
    ck_assert_uint_eq(run(ev(ROOT, model_input(HVCALL_DEPOSIT_MEMORY, 0, 0, 0))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT); /* rep count 0 */
    ck_assert_uint_eq(run(ev(ROOT, model_input(HVCALL_DEPOSIT_MEMORY, 0, 2, 2))),
                      HV_STATUS_INVALID_HYPERCALL_INPUT); /* start >= count */
    /* the code is checked before the rest of the input value */
    ck_assert_uint_eq(run(ev(ROOT, 0x7777 | (1ull << 63))),
                      HV_STATUS_INVALID_HYPERCALL_CODE);
}
END_TEST

START_TEST(input_page)
{
    struct model_event e = ev(ROOT, HVCALL_CREATE_PARTITION);
    e.in_gpa += 4;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
    e = ev(ROOT, HVCALL_CREATE_PORT);
    e.in_gpa += HV_PAGE_SIZE - 16; /* 40-byte block crosses the page */
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
    e = ev(ROOT, HVCALL_CREATE_PARTITION);
    e.in_gpa = 0; /* frame 0 is the hypervisor's */
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARAMETER);
    e.in_gpa = model_ram_end(&cfg) << HV_PAGE_SHIFT; /* beyond RAM */
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARAMETER);
    /* alignment is checked before reachability */
    e.in_gpa = 4;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
    /* rep elements count toward the block size */
    e = ev(ROOT, model_input(HVCALL_DEPOSIT_MEMORY, 0, 2, 0));
    e.in_gpa += HV_PAGE_SIZE - 24; /* 8 + 2 * 8 = 24 fits exactly */
    e.arg[0] = 42;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARTITION_ID);
    e.input = model_input(HVCALL_DEPOSIT_MEMORY, 0, 3, 0);
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
}
END_TEST

START_TEST(output_page)
{
    struct model_event e = ev(ROOT, HVCALL_GET_PARTITION_ID);
    e.out_gpa = 8; /* hypervisor frame */
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARAMETER);
    e.out_gpa = e.in_gpa + 3;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
    /* a call without output ignores R8 */
    e = ev(ROOT, HVCALL_INITIALIZE_PARTITION);
    e.arg[0] = 42;
    e.out_gpa = 3;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARTITION_ID);
}
END_TEST

START_TEST(child_pages_and_fast_calls)
{
    uint64_t c = running_child();
    /* GPA page 0 is the child's; page 1 is not mapped */
    struct model_event e = ev(c, HVCALL_PARTITA_GET_EXIT_STATS);
    ck_assert_uint_eq(e.in_gpa, 0);
    e.arg[0] = HV_PARTITION_ID_SELF;
    ck_assert_uint_eq(run(e), HV_STATUS_SUCCESS);
    e.in_gpa = HV_PAGE_SIZE;
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARAMETER);
    /* a fast call passes its input in registers: no page is checked */
    struct model_event f = ev(c, model_input(HVCALL_PARTITA_NULL, 1, 0, 0));
    f.in_gpa = 5;
    f.out_gpa = 7;
    ck_assert_uint_eq(run(f), HV_STATUS_SUCCESS);
    /* a child without memory can still make fast calls */
    ck_assert_uint_eq(S(ROOT, HVCALL_UNMAP_GPA_PAGES, c, 0, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(run(ev(c, HVCALL_GET_PARTITION_ID)),
                      HV_STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(run(ev(c, model_input(HVCALL_PARTITA_NULL, 1, 0, 0))),
                      HV_STATUS_SUCCESS);
}
END_TEST

/* An output block must lie in a page the caller may write; an input
 * block may lie in one it may only read.  Order: alignment, reach, then
 * the right to write. */
START_TEST(read_only_pages)
{
    uint64_t c = running_child();
    const uint64_t r = HV_MAP_GPA_READABLE;
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 1, r, free_root_frame()),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 2, r | HV_MAP_GPA_PARTITA_SHARED,
                        free_root_frame()),
                      HV_STATUS_SUCCESS);
    struct model_event e = ev(c, HVCALL_PARTITA_GET_EXIT_STATS);
    ck_assert_uint_eq(e.in_gpa, 0); /* the writable page */
    e.arg[0] = HV_PARTITION_ID_SELF;
    for (uint64_t page = 1; page <= 2; page++) {
        e.out_gpa = page << HV_PAGE_SHIFT;
        ck_assert_uint_eq(run(e), HV_STATUS_ACCESS_DENIED);
        e.out_gpa += 4;
        ck_assert_uint_eq(run(e), HV_STATUS_INVALID_ALIGNMENT);
    }
    /* the input block in a read-only page, the output in a writable one */
    e.in_gpa = HV_PAGE_SIZE;
    e.out_gpa = 2048;
    ck_assert_uint_eq(run(e), HV_STATUS_SUCCESS);
    /* a read-only input page is checked before the output page */
    e.out_gpa = 2 * HV_PAGE_SIZE;
    e.in_gpa = 3 * HV_PAGE_SIZE; /* not mapped */
    ck_assert_uint_eq(run(e), HV_STATUS_INVALID_PARAMETER);
    /* the root writes its own pages, shared ones too */
    struct model_event rt = ev(ROOT, HVCALL_GET_PARTITION_ID);
    for (uint32_t i = 0; i < st.frames_listed; i++)
        if (st.frame[i].kind == MODEL_FRAME_SHARED)
            rt.out_gpa = st.frame[i].page << HV_PAGE_SHIFT;
    ck_assert_uint_eq(run(rt), HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(impossible_events)
{
    struct model_event e = ev(42, HVCALL_PARTITA_NULL); /* no such actor */
    ck_assert_int_eq(step_event(&e).possible, 0);
    e = ev(ROOT, HVCALL_PARTITA_NULL);
    e.vp = 1; /* the root's VP 1 is not running */
    ck_assert_int_eq(step_event(&e).possible, 0);
    uint64_t c = new_child(); /* no running VP yet */
    e = ev(c, HVCALL_PARTITA_NULL);
    ck_assert_int_eq(step_event(&e).possible, 0);
}
END_TEST

Suite *suite_dispatch(void)
{
    Suite *s = suite_create("dispatch");
    TCase *t = tcase_create("checks");
    tcase_add_checked_fixture(t, fx_setup, NULL);
    tcase_add_test(t, input_value);
    tcase_add_test(t, input_page);
    tcase_add_test(t, output_page);
    tcase_add_test(t, child_pages_and_fast_calls);
    tcase_add_test(t, read_only_pages);
    tcase_add_test(t, impossible_events);
    suite_add_tcase(s, t);
    return s;
}
