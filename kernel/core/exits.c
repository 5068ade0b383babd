/* SPDX-License-Identifier: MIT */
/*
 * Exit handling.  Each exit is counted, then either answered (hypercall,
 * CPUID, HLT, intercepted I/O and MSRs) or turned into a partition stop
 * with one report line.  Nothing a partition does reaches panic().
 */
#include "exits.h"

#include <stdarg.h>

#include "../arch/arch.h"
#include "cpuid.h"
#include "harness.h"
#include "hypercall.h"
#include "intercept.h"
#include "log.h"
#include "sched.h"
#include "services.h"
#include "trace.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

#define MSR_EFER 0xc0000080u
#define HV_X64_MSR_VP_INDEX 0x40000002u
#define MSR_IA32_MISC_ENABLE 0x1a0u
/* BTS and PEBS unavailable; no fast-string, MONITOR, XD-disable or CPUID-limit
 * bits: nothing the partition's CPUID does not offer. */
#define MISC_ENABLE_VALUE ((1u << 11) | (1u << 12))
#define EFER_WRITABLE ((1u << 0) | (1u << 8) | (1u << 11)) /* SCE LME NXE */
#define VECTOR_UD 6
#define VECTOR_GP 13

static const char *exception_name(uint8_t v)
{
    static const char *const names[] = {
        "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
        "invalid opcode", "device not available", "double fault", "coprocessor overrun",
        "invalid TSS", "segment not present", "stack fault", "general protection",
        "page fault", "reserved", "x87 error", "alignment check", "machine check",
        "SIMD error"};
    return v < sizeof names / sizeof names[0] ? names[v] : "exception";
}

static uint64_t rip_of(struct vp *vp)
{
    return hv_virt->vcpu_get(vp->arch, VCPU_RIP);
}

/* Ports nobody passed through read as a floating bus and ignore writes,
 * like a PC slot with no card in it. */
static void io_unclaimed(struct vp *vp, const struct vm_exit *e)
{
    if (e->io_in)
        vp->gprs.rax = io_merge_in(vp->gprs.rax, e->io_size, ~0ull);
}

/*
 * The instruction at RIP raises `vector` in the guest (every exception the
 * core raises is a fault: RIP has not been moved past the instruction).
 * If an event is already queued for the next entry, re-queued by the
 * backend because this exit cut its delivery short, it goes first and the
 * exception is not raised now: the instruction runs again after that event
 * and exits again.  The processor has one event slot; nothing is lost.
 */
static void raise_fault(struct vp *vp, uint8_t vector, int has_error)
{
    if (!hv_virt->vcpu_event_queued(vp->arch))
        hv_virt->vcpu_inject_exception(vp->arch, vector, has_error, 0);
}

/* 1 if the processor, and so the partition's CPUID, is Intel's. */
static int intel_cpu(void)
{
    uint32_t r[4];
    arch_cpuid(0, 0, r);
    return r[1] == 0x756e6547u && r[3] == 0x49656e69u &&
           r[2] == 0x6c65746eu; /* GenuineIntel */
}

/* MSRs: EFER, the TLFS VP index and the SynIC's SCONTROL and SINT0-15 are
 * emulated, and on an Intel processor IA32_MISC_ENABLE, which every Intel
 * CPU has (Linux's verify_cpu reads it without a #GP fixup), read-only;
 * any other access gets #GP, as on a processor that does not implement
 * the MSR. */
static int msr_access(struct vp *vp, const struct vm_exit *e)
{
    uint64_t value;
    if (e->msr == MSR_EFER) {
        if (e->msr_write) {
            value = (vp->gprs.rdx << 32) | (uint32_t)vp->gprs.rax;
            uint64_t cur = hv_virt->vcpu_get(vp->arch, VCPU_EFER);
            if ((value ^ cur) & ~(uint64_t)EFER_WRITABLE & ~(1ull << 10))
                return 0;
            hv_virt->vcpu_set(vp->arch, VCPU_EFER, value | (cur & (1ull << 10)));
            return 1;
        }
        value = hv_virt->vcpu_get(vp->arch, VCPU_EFER);
    } else if (e->msr == MSR_IA32_MISC_ENABLE && intel_cpu()) {
        value = MISC_ENABLE_VALUE;
        if (e->msr_write) /* rewriting the same value is the only change allowed */
            return ((vp->gprs.rdx << 32) | (uint32_t)vp->gprs.rax) == value;
    } else if (e->msr == HV_X64_MSR_VP_INDEX && !e->msr_write) {
        value = vp->index;
    } else if (e->msr == HV_X64_MSR_SCONTROL && !e->msr_write) {
        value = 1; /* the SynIC is always enabled */
    } else if (e->msr >= HV_X64_MSR_SINT0 &&
               e->msr < HV_X64_MSR_SINT0 + HV_SYNIC_SINT_COUNT) {
        uint8_t *vector = &vp->synic.vector[e->msr - HV_X64_MSR_SINT0];
        if (e->msr_write) {
            uint64_t v = (vp->gprs.rdx << 32) | (uint32_t)vp->gprs.rax;
            /* Vectors below 16 are exceptions, not interrupts. */
            *vector = (v & HV_X64_MSR_SINT_MASKED) || (v & 0xff) < 16 ? 0 : (uint8_t)v;
            /* Unmasking a SINT that already holds something raises it. */
            const struct sint *q = &vp->synic.sint[e->msr - HV_X64_MSR_SINT0];
            if (q->slot_full || q->event_flags)
                synic_raise(&vp->synic, e->msr - HV_X64_MSR_SINT0);
            return 1;
        }
        value = *vector ? *vector : HV_X64_MSR_SINT_MASKED;
    } else {
        return 0;
    }
    vp->gprs.rax = (uint32_t)value;
    vp->gprs.rdx = value >> 32;
    return 1;
}

/*
 * Instructions a partition may not run on the real processor, answered the
 * same on both backends.  INVD and WBINVD complete without touching the
 * caches: every agent a partition can reach is cache-coherent (there is no
 * device DMA), and a real flush would stall every other partition.  XSETBV
 * sets the partition's own XCR0 if the value is valid.  RDPMC gets #GP: no
 * performance counters are offered (CPUID leaf 0xA is zero).  MONITOR,
 * MWAIT, INVLPGA and the VMX/SVM instructions do not exist for a partition
 * (CPUID says so) and raise #UD, as on a processor without them.
 */
static void sensitive_instruction(struct vp *vp, const struct vm_exit *e)
{
    struct arch_vcpu *a = vp->arch;
    switch (e->insn) {
    case VM_INSN_INVD:
    case VM_INSN_WBINVD:
        hv_virt->vcpu_skip(a, e);
        return;
    case VM_INSN_XSETBV: {
        uint64_t value = (vp->gprs.rdx << 32) | (uint32_t)vp->gprs.rax;
        if (hv_virt->vcpu_get(a, VCPU_CPL) != 0 || (uint32_t)vp->gprs.rcx != 0 ||
            hv_virt->vcpu_set_xcr0(a, value))
            raise_fault(vp, VECTOR_GP, 1);
        else
            hv_virt->vcpu_skip(a, e);
        return;
    }
    case VM_INSN_RDPMC:
        raise_fault(vp, VECTOR_GP, 1);
        return;
    default:
        raise_fault(vp, VECTOR_UD, 0);
        return;
    }
}

static const char *event_kind(uint32_t event)
{
    switch (VM_EVENT_TYPE(event)) {
    case VM_EVENT_INTERRUPT: return "interrupt";
    case VM_EVENT_NMI: return "NMI";
    case VM_EVENT_EXCEPTION: return "exception";
    default: return "software interrupt";
    }
}

/* A fault stops the VP for good; it is a step of the trace.  The report
 * names the event the exit interrupted, if any (a SINT vector or exception
 * that was being delivered when, say, a second-level fault hit). */
static void stop(struct vp *vp, const struct vm_exit *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void stop(struct vp *vp, const struct vm_exit *e, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    format_buffer(why, sizeof why, fmt, ap);
    va_end(ap);
    if (e->event & VM_EVENT_VALID) {
        size_t n = strlen(why);
        format_string(why + n, sizeof why - n, ", while delivering %s 0x%x",
                      event_kind(e->event), e->event & 0xff);
    }
    exit_fault(vp, why);
}

/* The root hears of a child's fault through its partition-news SINT. */
static void tell_root(const struct partition *child)
{
    vp_signal_flag(&partition_at_slot(0)->vps[0], HV_SINT_PARTITION_NEWS,
                   (uint32_t)(child->id % HV_EVENT_FLAGS_PER_SINT));
}

void exit_fault(struct vp *vp, const char *why)
{
    vp_stop(vp, "%s", why);
    if (!partition_is_root(vp->partition))
        tell_root(vp->partition);
    trace_fault(vp);
    harness_vp_faulted(vp);
}

enum exit_action exit_handle(struct vp *vp, const struct vm_exit *e)
{
    struct partition *p = vp->partition;
    p->stats.total++;
    p->stats.count[e->reason < HV_EXIT_REASON_COUNT ? e->reason : HV_EXIT_OTHER]++;

    switch (e->reason) {
    case HV_EXIT_HYPERCALL:
        /* TLFS: a hypercall from CPL > 0 raises #UD in the guest.  It is
         * not a hypercall: nothing is decoded, changed or traced. */
        if (hv_virt->vcpu_get(vp->arch, VCPU_CPL) != 0) {
            raise_fault(vp, VECTOR_UD, 0);
            return EXIT_RESUME;
        }
        services_exit_of(p);
        if (hypercall_dispatch(vp))
            hv_virt->vcpu_skip(vp->arch, e);
        /* BUILD=mono: a signal the hypervisor's service took is served
         * now, after the call is traced, so the service's own steps
         * follow it in the trace.  Here, not in the dispatcher: the
         * services' SignalEvents go through the dispatcher
         * (hypercall_fast_for) and must not run the services again. */
        services_run();
        /* A message or event for another VP: let the scheduler look. */
        return EXIT_RESUME;
    case HV_EXIT_CPUID:
        cpuid_emulate(vp);
        hv_virt->vcpu_skip(vp->arch, e);
        return EXIT_RESUME;
    case HV_EXIT_HLT:
        services_exit_of(p);
        hv_virt->vcpu_skip(vp->arch, e);
        vp->blocked = 1; /* until a message or event arrives for it */
        return EXIT_YIELD;
    case HV_EXIT_INTERRUPT:
        /* The timer: the VP's time slice is over. */
        arch_service_interrupts();
        sched_timer_tick();
        return EXIT_YIELD;
    case HV_EXIT_IO:
        if (e->io_string) {
            stop(vp, e, "string I/O to port 0x%x is not emulated, rip 0x%llx",
                           e->port, (unsigned long long)rip_of(vp));
            return EXIT_STOPPED;
        }
#ifdef PARTITA_MONO
        if (!partition_is_root(p) && mono_io(vp, e))
            return EXIT_RESUME;
#endif
        /* A child's access no one here serves goes to the root's device
         * emulation (intercept.c).  Sent, the VP waits; refused for want
         * of room, it retries the instruction after the root has run. */
        if (!partition_is_root(p)) {
            intercept_send(vp, e);
            return EXIT_YIELD;
        }
        io_unclaimed(vp, e);
        hv_virt->vcpu_skip(vp->arch, e);
        return EXIT_RESUME;
    case HV_EXIT_MSR:
        if (msr_access(vp, e))
            hv_virt->vcpu_skip(vp->arch, e);
        else
            raise_fault(vp, VECTOR_GP, 1);
        return EXIT_RESUME;
    case HV_EXIT_NPF:
        stop(vp, e, "second-level page fault at GPA 0x%llx (%s), rip 0x%llx, exit 0x%llx qualification 0x%llx",
                       (unsigned long long)e->gpa, e->write ? "write" : "read",
                       (unsigned long long)rip_of(vp), (unsigned long long)e->raw_reason,
                       (unsigned long long)e->qualification);
        return EXIT_STOPPED;
    case HV_EXIT_EXCEPTION:
        if (e->vector == 8) {
            stop(vp, e, "triple fault: double fault caught before it became one, "
                              "rip 0x%llx, exit 0x%llx",
                           (unsigned long long)rip_of(vp), (unsigned long long)e->raw_reason);
            return EXIT_STOPPED;
        }
        stop(vp, e, "exception %u (%s), error code 0x%x, rip 0x%llx, exit 0x%llx",
                       e->vector, exception_name(e->vector), e->error_code,
                       (unsigned long long)rip_of(vp), (unsigned long long)e->raw_reason);
        return EXIT_STOPPED;
    case HV_EXIT_TRIPLE_FAULT:
        stop(vp, e, "triple fault, rip 0x%llx, exit 0x%llx",
                       (unsigned long long)rip_of(vp), (unsigned long long)e->raw_reason);
        return EXIT_STOPPED;
    case HV_EXIT_OTHER:
        if (e->insn != VM_INSN_NONE) {
            sensitive_instruction(vp, e);
            return EXIT_RESUME;
        }
        /* fall through */
    default:
        stop(vp, e, "unhandled exit: %s, exit 0x%llx qualification 0x%llx info 0x%llx, rip 0x%llx",
                       e->name ? e->name : "unknown", (unsigned long long)e->raw_reason,
                       (unsigned long long)e->qualification, (unsigned long long)e->info2,
                       (unsigned long long)rip_of(vp));
        return EXIT_STOPPED;
    }
}
