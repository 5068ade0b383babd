/* SPDX-License-Identifier: MIT */
/*
 * The events a VM entry delivers (kernel/core/sched.c, exits.c), on the
 * host, with the hypervisor's real scheduler and exit handling over a
 * scripted backend.  The backend behaves as both processors do: one event
 * slot per entry (VT-x: the VM-entry interruption information; AMD-V:
 * EVENTINJ) that an injection overwrites, emptied when the entry delivers
 * the event, and left full, with vm_exit.event set, when an exit interrupts
 * the delivery (vmx.c and svm.c re-queue the event).
 *
 * The rule: the core never overwrites a queued event.  A re-queued event
 * goes first; a SINT vector stays pending in the SynIC for a later entry;
 * an exception for the instruction at RIP is not raised (RIP was not moved,
 * the instruction runs again and exits again).  Nothing is lost.
 *
 * No processor or emulator lets an exit the hypervisor resumes from cut
 * an event's delivery short today (docs/architecture/virtualization.md),
 * so this script is the only place the first case can be driven; the
 * system test sint-delivery-fault shows both backends do re-queue.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/core/frame_alloc.h"
#include "kernel/core/hv_state.h"
#include "kernel/core/hypercall.h"
#include "kernel/core/memory.h"
#include "kernel/core/pages.h"
#include "kernel/core/partition.h"
#include "kernel/core/sched.h"
#include "tests/lockstep/fake_arch.h"

#define EVENT_VALID 0x80000000u
#define INTERRUPT(v) ((uint32_t)(v) | EVENT_VALID)
#define EXCEPTION(v) ((uint32_t)(v) | 3u << 8 | EVENT_VALID)
#define SINT_A 0x40
#define SINT_B 0x41
#define UNKNOWN_MSR 0x1234u /* the core answers an access with #GP */

/* One guest run, as the script has it. */
struct run {
    enum hv_exit_reason reason;
    int cut_short;  /* the exit interrupts the delivery of the queued event */
    int raise_sint; /* a message for SINT 0 arrives while the guest runs */
};

static struct {
    const struct run *script;
    unsigned runs, at;
    uint32_t slot; /* the processor's event slot for the next entry */
    uint32_t delivered[8];
    unsigned delivered_count;
    struct vp *vp;
} m;

static void run(struct arch_vcpu *v, struct guest_gprs *g, struct vm_exit *e)
{
    (void)v;
    ck_assert_uint_lt(m.at, m.runs);
    const struct run *r = &m.script[m.at++];
    memset(e, 0, sizeof *e);
    if (m.slot & EVENT_VALID) {
        if (r->cut_short) {
            e->event = m.slot; /* re-queued: the slot stays full */
        } else {
            ck_assert_uint_lt(m.delivered_count, 8);
            m.delivered[m.delivered_count++] = m.slot;
            m.slot = 0;
        }
    }
    if (r->raise_sint)
        synic_raise(&m.vp->synic, 0);
    e->reason = r->reason;
    e->insn_len = 2;
    if (r->reason == HV_EXIT_MSR) {
        e->msr = UNKNOWN_MSR;
        g->rcx = UNKNOWN_MSR;
    }
    if (m.at == m.runs)
        hv.shutdown_requested = 1; /* the script is over: sched_run returns */
}

static uint64_t get(struct arch_vcpu *v, enum vcpu_reg reg)
{
    (void)v;
    return reg == VCPU_RFLAGS ? 0x202 : 0; /* IF set, CPL 0 */
}

static void inject_exception(struct arch_vcpu *v, uint8_t vector, int has_error,
                             uint32_t error_code)
{
    (void)v;
    (void)error_code;
    m.slot = EXCEPTION(vector) | (has_error ? 1u << 11 : 0);
}

static void inject_interrupt(struct arch_vcpu *v, uint8_t vector)
{
    (void)v;
    m.slot = INTERRUPT(vector);
}

static int event_queued(struct arch_vcpu *v)
{
    (void)v;
    return (m.slot & EVENT_VALID) != 0;
}

static void skip(struct arch_vcpu *v, const struct vm_exit *e)
{
    (void)v;
    (void)e;
}

/* The core as main.c boots it, on the fake machine (tests/lockstep/),
 * with the root's VP running the script. */
#define RAM_BASE 0x100000ull
#define RAM_PAGES (1 + HV_POOL_PAGES + 64)
#define FRAMES ((RAM_BASE >> 12) + RAM_PAGES)

static void boot(const struct run *script, unsigned runs)
{
    static uint8_t used[FRAMES / 8 + 1], reserved[FRAMES / 8 + 1];
    static struct frame_alloc frames;
    static struct boot_info bi;
    static struct virt_backend scripted;
    bi.protocol = 1;
    bi.region_count = 1;
    bi.regions[0] = (struct boot_region){RAM_BASE, RAM_PAGES * 4096ull, BOOT_REGION_RAM};
    fake_memory_init(FRAMES * 4096ull);
    frame_alloc_init(&frames, used, reserved, FRAMES);
    frame_alloc_setup(&frames, &bi, RAM_BASE, RAM_BASE + 4096);
    scripted = fake_backend;
    scripted.vcpu_run = run;
    scripted.vcpu_get = get;
    scripted.vcpu_skip = skip;
    scripted.vcpu_inject_exception = inject_exception;
    scripted.vcpu_inject_interrupt = inject_interrupt;
    scripted.vcpu_event_queued = event_queued;
    hv_virt = &scripted;
    hv_state_init();
    ck_assert_int_eq(memory_pool_init(&frames), 0);
    struct partition *root = partition_create_root();
    ck_assert_ptr_nonnull(root);
    struct vcpu_setup setup = {.mode = VCPU_MODE_LONG64, .rflags = 0x2};
    ck_assert_int_eq(vp_start(&root->vps[0], &setup), 0);
    memset(&m, 0, sizeof m);
    m.script = script;
    m.runs = runs;
    m.vp = &root->vps[0];
    m.vp->synic.vector[0] = SINT_A;
    m.vp->synic.vector[1] = SINT_B;
}

/* The events the entries delivered, in order, must be exactly `want`. */
static void expect_delivered(const uint32_t *want, unsigned n)
{
    char got[96] = "";
    for (unsigned i = 0; i < m.delivered_count; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), " %#x", m.delivered[i]);
    int same = m.delivered_count == n;
    for (unsigned i = 0; same && i < n; i++)
        same = m.delivered[i] == want[i];
    ck_assert_msg(same, "delivered:%s; expected %u events, the first %#x", got, n,
                  want[0]);
}

/* SINT A is injected; a timer exit cuts its delivery short.  At the next
 * entry SINT B is pending too: A must be delivered first, then B. */
START_TEST(requeued_interrupt_goes_first)
{
    static const struct run script[] = {
        {HV_EXIT_INTERRUPT, 1, 0},
        {HV_EXIT_CPUID, 0, 0},
        {HV_EXIT_CPUID, 0, 0},
    };
    boot(script, 3);
    synic_raise(&m.vp->synic, 0);
    synic_raise(&m.vp->synic, 1);
    sched_run();
    static const uint32_t want[] = {INTERRUPT(SINT_A), INTERRUPT(SINT_B)};
    expect_delivered(want, 2);
    ck_assert(!synic_any_pending(&m.vp->synic));
}
END_TEST

/* The guest reads an MSR nobody has while a message arrives: the core's
 * #GP is queued first, and the SINT vector waits for the next entry. */
START_TEST(core_exception_goes_before_sint)
{
    static const struct run script[] = {
        {HV_EXIT_MSR, 0, 1},
        {HV_EXIT_CPUID, 0, 0},
        {HV_EXIT_CPUID, 0, 0},
    };
    boot(script, 3);
    sched_run();
    static const uint32_t want[] = {EXCEPTION(13) | 1u << 11, INTERRUPT(SINT_A)};
    expect_delivered(want, 2);
    ck_assert(!synic_any_pending(&m.vp->synic));
}
END_TEST

/* An instruction exit that also reports an interrupted event (no
 * processor does both; the rule holds anyway): the re-queued interrupt
 * stays, the core's #GP is not raised over it. */
START_TEST(requeued_event_not_overwritten_by_core_exception)
{
    static const struct run script[] = {
        {HV_EXIT_MSR, 1, 0},
        {HV_EXIT_CPUID, 0, 0},
    };
    boot(script, 2);
    synic_raise(&m.vp->synic, 0);
    sched_run();
    static const uint32_t want[] = {INTERRUPT(SINT_A)};
    expect_delivered(want, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("event order");
    TCase *t = tcase_create("core");
    tcase_add_test(t, requeued_interrupt_goes_first);
    tcase_add_test(t, core_exception_goes_before_sint);
    tcase_add_test(t, requeued_event_not_overwritten_by_core_exception);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
