/* SPDX-License-Identifier: MIT */
/*
 * host_exhaustion.c — the hypervisor's own memory running out, injected on
 * the fake machine (host_exhaustion.h).
 *
 * The pool that holds second-level tables and VMCBs/VMCSs is the
 * hypervisor's business, so the model has none; the checker accepts
 * INSUFFICIENT_MEMORY from MapGpaPages, StartVp and CreatePartition where
 * the model would complete the element, if exactly the elements before it
 * took effect (checker.c, pool_ran_out).  This makes the pool run out at
 * chosen points and checks both sides: the trace against the model, and
 * what the partitions see (who maps each page afterwards, the VP's state,
 * the partitions there are) against expectations written here.
 */
#include "host_exhaustion.h"

#include <string.h>

#include "fake_arch.h"
#include "host_machine.h"
#include "kernel/abi/scenario_steps.h"
#include "kernel/arch/arch.h"
#include "kernel/core/partition.h"

/* Root pages (scenario numbering) the set-up leaves to the root. */
#define FIRST_PAGE 300u
#define ELEMENTS 3u
#define CHILD_GPA 0x100u

static uint64_t host_page(uint32_t i)
{
    return scenario_frame_page(FIRST_PAGE + i);
}

/* MapGpaPages of the three pages at CHILD_GPA.., from element `start`;
 * returns RAX (status and reps completed). */
static uint64_t map_three(uint64_t child, uint32_t start)
{
    struct {
        struct hv_input_map_gpa_pages h;
        uint64_t pages[ELEMENTS];
    } in;
    memset(&in, 0, sizeof in);
    in.h.target_partition_id = child;
    in.h.target_gpa_base = CHILD_GPA;
    in.h.map_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE;
    for (uint32_t i = 0; i < ELEMENTS; i++)
        in.pages[i] = host_page(i);
    uint64_t input = HV_HYPERCALL_INPUT(HVCALL_MAP_GPA_PAGES, 0, ELEMENTS, start);
    host_machine_root_call(input, &in, sizeof in, NULL, 0);
    return partition_at_slot(0)->vps[0].gprs.rax;
}

/* Who maps page i now: the child at CHILD_GPA + i, or the root. */
static void expect_mapped(struct host_run *r, struct partition *child, uint32_t mapped)
{
    struct partition *root = partition_at_slot(0);
    for (uint32_t i = 0; i < ELEMENTS; i++) {
        uint32_t rights;
        char what[96];
        uint64_t hpa = hv_virt->slat_lookup(&child->slat, (CHILD_GPA + i) << HV_PAGE_SHIFT,
                                            &rights);
        snprintf(what, sizeof what, "the child maps page %u at its GPA", i);
        host_expect(r, what, rights ? hpa >> HV_PAGE_SHIFT : 0, i < mapped ? host_page(i) : 0);
        hv_virt->slat_lookup(&root->slat, host_page(i) << HV_PAGE_SHIFT, &rights);
        snprintf(what, sizeof what, "the root still maps page %u", i);
        host_expect(r, what, rights != 0, i >= mapped);
    }
}

static uint16_t start_vp(uint64_t child, uint32_t vp)
{
    struct hv_input_start_vp in;
    memset(&in, 0, sizeof in);
    in.partition_id = child;
    in.vp_index = vp;
    in.context.rip = 0x1000;
    in.context.rsp = 0x8000;
    in.context.rflags = 2;
    return host_machine_root_call(HVCALL_START_VP, &in, sizeof in, NULL, 0);
}

static uint16_t status_of(uint64_t rax)
{
    return (uint16_t)rax;
}

static uint32_t reps_of(uint64_t rax)
{
    return (uint32_t)(rax >> 32) & 0xfff;
}

int host_exhaustion_check(const struct steps_list *setup, FILE *out)
{
    struct host_run r = {out, 0};
    char err[512];
    if (host_machine_boot(err, sizeof err) || host_machine_play_setup(setup, err, sizeof err)) {
        fprintf(out, "%s: %s\n", setup->name, err);
        return 1;
    }
    struct partition *child = partition_next(partition_at_slot(0));
    if (!child || child->vps[1].state != HV_VP_STATE_CREATED) {
        fprintf(out, "%s: the set-up leaves no child with VP 1 created\n", setup->name);
        return 1;
    }

    fprintf(out, "  MapGpaPages of %u pages, no table page at all\n", ELEMENTS);
    fake_inject_pool_exhaustion(0, 0);
    uint64_t rax = map_three(child->id, 0);
    host_expect(&r, "the status", status_of(rax), HV_STATUS_INSUFFICIENT_MEMORY);
    host_expect(&r, "reps completed", reps_of(rax), 0);
    expect_mapped(&r, child, 0);

    fprintf(out, "  the same, the pool runs out after one\n");
    fake_inject_pool_exhaustion(1, 0);
    rax = map_three(child->id, 0);
    host_expect(&r, "the status", status_of(rax), HV_STATUS_INSUFFICIENT_MEMORY);
    host_expect(&r, "reps completed", reps_of(rax), 1);
    expect_mapped(&r, child, 1);

    fprintf(out, "  memory back: the call resumed at element 1\n");
    fake_inject_off();
    rax = map_three(child->id, 1);
    host_expect(&r, "the status", status_of(rax), HV_STATUS_SUCCESS);
    host_expect(&r, "reps completed", reps_of(rax), ELEMENTS);
    expect_mapped(&r, child, ELEMENTS);

    fprintf(out, "  StartVp with no page for the VMCB/VMCS, then with one\n");
    fake_inject_pool_exhaustion(0, 1);
    host_expect(&r, "StartVp's status", start_vp(child->id, 1), HV_STATUS_INSUFFICIENT_MEMORY);
    host_expect(&r, "the VP's state", child->vps[1].state, HV_VP_STATE_CREATED);
    fake_inject_off();
    host_expect(&r, "StartVp's status", start_vp(child->id, 1), HV_STATUS_SUCCESS);
    host_expect(&r, "the VP's state", child->vps[1].state, HV_VP_STATE_RUNNING);

    /* A new partition needs a page for its top-level table: refused with
     * no slot taken and no id used, then created with the id the refused
     * call would have had (c1 was 2). */
    fprintf(out, "  CreatePartition with no page for its tables, then with one\n");
    struct hv_input_create_partition cp = {0};
    struct hv_output_create_partition created = {0};
    fake_inject_pool_exhaustion(0, 0);
    host_expect(&r, "CreatePartition's status",
                host_machine_root_call(HVCALL_CREATE_PARTITION, &cp, sizeof cp, NULL, 0),
                HV_STATUS_INSUFFICIENT_MEMORY);
    uint32_t live = 0;
    for (struct partition *p = partition_next(0); p; p = partition_next(p))
        live++;
    host_expect(&r, "partitions after the refusal", live, 2);
    fake_inject_off();
    host_expect(&r, "CreatePartition's status",
                host_machine_root_call(HVCALL_CREATE_PARTITION, &cp, sizeof cp, &created,
                                       sizeof created),
                HV_STATUS_SUCCESS);
    host_expect(&r, "the new partition's id", created.partition_id, 3);
    return host_run_verdict(&r, "pool exhaustion", "4 refusals and 3 recoveries as expected");
}
