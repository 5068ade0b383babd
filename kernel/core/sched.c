/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: round-robin over runnable VPs on the one physical CPU.
 * A VP keeps the CPU until it halts, stops, or the run ends.
 */
#include "sched.h"

#include "exits.h"
#include "hv_state.h"
#include "hypercall.h"
#include "partition.h"
#include "../arch/arch.h"

/* The scheduler's walks go over the slots themselves, not through
 * partition_next: one call per partition was the largest single cost of a
 * message to a halted receiver (make profile WORKLOAD=message). */
#define FOR_EACH_PARTITION(p)                                                      \
    for (struct partition *p = hv.partitions; p < hv.partitions + HV_MAX_PARTITIONS; p++) \
        if (p->state != PARTITION_FREE)

static struct vp *pick_after(struct vp *last)
{
    /* Walk all VPs in (partition, index) order, starting after `last`. */
    struct vp *first_runnable = 0;
    int passed_last = last == 0;
    FOR_EACH_PARTITION(p) {
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
            struct vp *vp = &p->vps[i];
            int runnable = vp->state == HV_VP_STATE_RUNNING && !vp->blocked;
            if (runnable && !first_runnable)
                first_runnable = vp;
            if (runnable && passed_last)
                return vp;
            if (vp == last)
                passed_last = 1;
        }
    }
    return first_runnable;
}

/* The VP that did work (took an exit it resumed from) before it halted,
 * since the last wake-up, and whether a second one did too
 * (wait_for_interrupt). */
static struct vp *worked;
static int several_worked;

static void note_work(struct vp *vp)
{
    if (!worked)
        worked = vp;
    else if (worked != vp)
        several_worked = 1;
}

/* A halted VP sleeps until a message or event arrives for it, or the
 * next timer tick (which also ends the wait when every VP has halted):
 * it waits for others, never for ever. */
static int wake_all_halted(void)
{
    int woke = 0;
    worked = 0;
    several_worked = 0;
    FOR_EACH_PARTITION(p)
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
            if (p->vps[i].state == HV_VP_STATE_RUNNING && p->vps[i].blocked) {
                p->vps[i].blocked = 0;
                woke = 1;
            }
    return woke;
}

/* Virtual interrupts on arrival: one pending SINT vector per entry, when
 * the guest has interrupts enabled (otherwise it stays pending), and only
 * if no event is queued for this entry yet.  A queued one (an event the
 * backend re-queued because an exit cut its delivery short, or the
 * exception the core raised for the last exit) goes first: the processor
 * has one event slot, and the vector stays pending in the SynIC for a
 * later entry instead of overwriting it. */
static void deliver_interrupt(struct vp *vp)
{
    /* The line of an unenlightened guest's timer (vtimer.h) goes first:
     * only a VP whose device model programmed it pays the clock read. */
    struct vtimer *t = &vp->vtimer;
    if (t->deadline | t->pending | t->irq_level) {
        if (vtimer_poll(vp, arch_tsc()) &&
            (hv_virt->vcpu_get(vp->arch, VCPU_RFLAGS) & 0x200) &&
            !hv_virt->vcpu_event_queued(vp->arch)) {
            int timer = t->pending && !t->masked;
            if (timer) {
                t->pending = 0;
                t->injected++;
            }
            hv_virt->vcpu_inject_interrupt(vp->arch, timer ? t->vector : t->irq_vector);
            return;
        }
    }
    if (!synic_any_pending(&vp->synic) ||
        !(hv_virt->vcpu_get(vp->arch, VCPU_RFLAGS) & 0x200) ||
        hv_virt->vcpu_event_queued(vp->arch))
        return;
    uint8_t v = synic_take_pending(&vp->synic);
    if (v)
        hv_virt->vcpu_inject_interrupt(vp->arch, v);
}

/* Halted VPs whose virtual timer has fired run again. */
static void wake_timers(void)
{
    uint64_t now = 0;
    if (!vtimer_programmed)
        return;
    FOR_EACH_PARTITION(p)
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
            struct vp *vp = &p->vps[i];
            if (!(vp->vtimer.deadline | vp->vtimer.pending | vp->vtimer.irq_level) ||
                !vp->blocked)
                continue;
            if (!now)
                now = arch_tsc();
            if (vtimer_poll(vp, now))
                vp->blocked = 0;
        }
}

/* TSC ticks the CPU spent halted, in wait_for_timer and
 * wait_for_interrupt (sched.h). */
static uint64_t idle_ticks;

uint64_t sched_idle_ticks(void)
{
    return idle_ticks;
}

/* Nothing can run: if a VP waits for its virtual timer, the CPU waits for
 * that deadline (a guest idling in HLT between its timer ticks) instead of
 * waking every halted VP.  Returns 1 if it waited. */
static int wait_for_timer(void)
{
    uint64_t deadline = vtimer_earliest();
    if (!deadline)
        return 0;
    uint64_t t0 = arch_tsc();
    arch_wait_until(deadline);
    idle_ticks += arch_tsc() - t0;
    wake_timers();
    return 1;
}

/* Nothing can run and no virtual timer is due, but some VPs halted:
 * only an interrupt can change that (today the periodic timer, whose
 * tick wakes them).  The CPU sleeps until it comes, instead of waking
 * them at once: a root polling its UART between HLTs would otherwise
 * spin through the scheduler, a HLT exit per turn, hundreds of thousands
 * of exits a second on an idle machine.  Except when two VPs worked
 * since the last wake-up (note_work): then one may be waiting for what
 * the other just did (a root polling a child's exit count), and they are
 * woken at once to look.  Returns 1 if it woke any. */
static int wait_for_interrupt(void)
{
    if (several_worked)
        return wake_all_halted();
    int halted = 0;
    for (struct partition *p = partition_next(0); p && !halted; p = partition_next(p))
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
            halted |= p->vps[i].state == HV_VP_STATE_RUNNING && p->vps[i].blocked;
    if (!halted)
        return 0;
    uint64_t t0 = arch_tsc();
    arch_wait_interrupt();
    idle_ticks += arch_tsc() - t0;
    return wake_all_halted();
}

void sched_timer_tick(void)
{
    wake_all_halted();
}

void sched_run(void)
{
    struct vp *vp = 0;
    while (!hv.shutdown_requested) {
        wake_timers();
        struct vp *next = pick_after(vp);
        if (!next && wait_for_timer())
            next = pick_after(vp);
        if (!next && wait_for_interrupt())
            next = pick_after(vp);
        if (!next)
            return;
        vp = next;
        for (unsigned exits = 0;; exits++) {
            struct vm_exit e;
            deliver_interrupt(vp);
            hv_virt->vcpu_run(vp->arch, &vp->gprs, &e);
            enum exit_action a = exit_handle(vp, &e);
            if (a != EXIT_RESUME || hv.shutdown_requested ||
                vp->state != HV_VP_STATE_RUNNING) {
                if (exits)
                    note_work(vp);
                break;
            }
        }
    }
}
