/* SPDX-License-Identifier: MIT */
/*
 * AMD-V backend: one VMCB per vCPU, nested paging (npt.c), one ASID per
 * partition.  Read beside the AMD64 Architecture Programmer's Manual,
 * volume 2, chapter 15 and appendix B (VMCB layout).
 *
 * Works without NRIPS (QEMU TCG has none): the length of each exiting
 * instruction is known from its fixed encoding, or from EXITINFO2 for I/O.
 */
#include <stdint.h>

#include "../../../lib/string.h"
#include "../../core/log.h"
#include "../virt.h"
#include "guest_gprs_offsets.h" /* the entry stub's offsets, checked here */
#include "guest_state.h"
#include "io.h"
#include "io_bitmap.h"
#include "npt.h"

#define MSR_EFER 0xc0000080
#define MSR_VM_HSAVE_PA 0xc0010117
#define EFER_SVME (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

/* VMCB control area offsets */
#define VMCB_INTERCEPT_EXCEPTIONS 0x008
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_IOPM_BASE 0x040
#define VMCB_MSRPM_BASE 0x048
#define VMCB_ASID 0x058
#define VMCB_TLB_CONTROL 0x05c
#define VMCB_VINTR 0x060
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_EXITINTINFO 0x088
#define VMCB_NP_ENABLE 0x090
#define VMCB_EVENTINJ 0x0a8
#define VMCB_N_CR3 0x0b0
#define VMCB_NRIP 0x0c8

/* VMCB state save area offsets */
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_FS 0x440
#define VMCB_GS 0x450
#define VMCB_GDTR 0x460
#define VMCB_LDTR 0x470
#define VMCB_IDTR 0x480
#define VMCB_TR 0x490
#define VMCB_CPL 0x4cb
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_CR2 0x640
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_G_PAT 0x668

/* Intercept bits in MISC1 (offset 0x00c) and MISC2 (0x010). */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_RDPMC (1u << 15)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_INVD (1u << 22)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_INVLPGA (1u << 26)
#define INTERCEPT_IOIO (1u << 27)
#define INTERCEPT_MSR (1u << 28)
#define INTERCEPT_SHUTDOWN (1u << 31)
#define INTERCEPT_VMRUN (1u << 0) /* required by the architecture */
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_SVM_INSNS 0x7c  /* VMLOAD VMSAVE STGI CLGI SKINIT */
#define INTERCEPT_WBINVD (1u << 9)
#define INTERCEPT_MONITOR (1u << 10)
#define INTERCEPT_MWAIT (1u << 11) /* and bit 12: MWAIT when armed */
#define INTERCEPT_MWAIT_ARMED (1u << 12)
#define INTERCEPT_XSETBV (1u << 13)

/* EVENTINJ and EXITINTINFO share one format (APM volume 2, 15.20 and
 * 15.7.2): vector in bits 7:0, type in 10:8, error code valid (EV) 11,
 * valid (V) 31, the error code in 63:32.  Bits 30:12 are reserved. */
#define EVENT_VECTOR 0xffu
#define EVENT_TYPE_MASK (7u << 8)
#define EVENT_TYPE_INTR (0u << 8)
#define EVENT_TYPE_EXCEPTION (3u << 8)
#define EVENT_TYPE_SOFT_INT (4u << 8)
#define EVENT_ERROR_VALID (1u << 11)
#define EVENT_VALID (1u << 31)
#define EVENT_DEFINED                                                                    \
    (0xffffffff00000000ull | EVENT_VALID | EVENT_ERROR_VALID | EVENT_TYPE_MASK |         \
     EVENT_VECTOR)

/* Exit codes */
#define EXIT_EXCEPTION_BASE 0x40
#define EXIT_INTR 0x60
#define EXIT_NMI 0x61
#define EXIT_RDPMC 0x6f
#define EXIT_CPUID 0x72
#define EXIT_INVD 0x76
#define EXIT_HLT 0x78
#define EXIT_INVLPGA 0x7a
#define EXIT_IOIO 0x7b
#define EXIT_MSR 0x7c
#define EXIT_SHUTDOWN 0x7f
#define EXIT_VMRUN 0x80
#define EXIT_VMMCALL 0x81
#define EXIT_SKINIT 0x86 /* VMLOAD 0x82 .. SKINIT: the other SVM instructions */
#define EXIT_WBINVD 0x89
#define EXIT_MONITOR 0x8a
#define EXIT_MWAIT 0x8b
#define EXIT_MWAIT_ARMED 0x8c
#define EXIT_XSETBV 0x8d
#define EXIT_NPF 0x400
#define EXIT_INVALID 0xffffffffffffffffull

struct arch_vcpu {
    int used;
    uint8_t *vmcb;     /* hypervisor-virtual == host-physical */
    uint64_t vmcb_pa;
    struct guest_state gs; /* FPU/SIMD, XCR0, DR0-DR3 */
};

static int have_nrips;
int npt_flush_pending;

/* From svm_entry.S: enters the guest, returns at the next #VMEXIT. */
void svm_vmrun(uint64_t vmcb_pa, struct guest_gprs *gprs);

static uint64_t *field64(struct arch_vcpu *v, unsigned off)
{
    return (uint64_t *)(v->vmcb + off);
}

static uint32_t *field32(struct arch_vcpu *v, unsigned off)
{
    return (uint32_t *)(v->vmcb + off);
}

/*
 * VMRUN and #VMEXIT switch only part of the state; FS, GS, TR and LDTR
 * (with their hidden parts), KernelGsBase, STAR, LSTAR, CSTAR, SFMASK and
 * SYSENTER_CS/ESP/EIP move between the processor and a VMCB only with
 * VMLOAD and VMSAVE.  The hypervisor uses none of them (no IST, no FS/GS,
 * no SYSCALL), so they are switched lazily: the registers hold the values
 * of `loaded`'s VMCB until another vCPU is entered.
 */
static struct arch_vcpu *loaded;

static void vmload_state_of(struct arch_vcpu *v)
{
    if (loaded == v)
        return;
    if (loaded)
        __asm__ volatile("vmsave %%rax" : : "a"(loaded->vmcb_pa) : "memory");
    __asm__ volatile("vmload %%rax" : : "a"(v->vmcb_pa) : "memory");
    loaded = v;
    /* VMRUN should load CR2 from the VMCB, and #VMEXIT saves it there; Bochs
     * (2.7) only saves it.  Loading it here when another vCPU comes in makes
     * both emulators agree (between two runs of one vCPU the register keeps
     * its value: the hypervisor takes no page faults). */
    __asm__ volatile("mov %0, %%cr2" : : "r"(*field64(v, VMCB_CR2)));
}

static int svm_enable(const char **why)
{
    struct cpuid_regs r = cpuid(0x8000000a, 0);
    if (!(r.edx & 1)) {
        *why = "AMD-V without nested paging (NPT) is not supported";
        return -1;
    }
    have_nrips = !!(r.edx & (1u << 3));
    uint64_t hsave = hv_page_alloc();
    if (!hsave) {
        *why = "no memory for the host save area";
        return -1;
    }
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, hsave);
    /* DR6 and CR2 are in the VMCB; the rest comes with VMLOAD/VMSAVE. */
    guest_state_host_init(0);
    return 0;
}

/* Segment in VMCB format: selector, packed attributes, limit, base. */
static void set_segment(struct arch_vcpu *v, unsigned off, uint16_t sel,
                        uint16_t attrib, uint32_t limit, uint64_t base)
{
    *(uint16_t *)(v->vmcb + off) = sel;
    *(uint16_t *)(v->vmcb + off + 2) = attrib;
    *(uint32_t *)(v->vmcb + off + 4) = limit;
    *(uint64_t *)(v->vmcb + off + 8) = base;
}

static void setup_long64(struct arch_vcpu *v, const struct vcpu_setup *s)
{
    const uint16_t code = 0xa9b; /* present, DPL0, code, L=1, G=1 */
    const uint16_t data = 0xc93; /* present, DPL0, data writable, D/B=1, G=1 */
    set_segment(v, VMCB_CS, 0x08, code, 0xffffffff, 0);
    set_segment(v, VMCB_DS, 0x10, data, 0xffffffff, 0);
    set_segment(v, VMCB_ES, 0x10, data, 0xffffffff, 0);
    set_segment(v, VMCB_SS, 0x10, data, 0xffffffff, 0);
    set_segment(v, VMCB_FS, 0x10, data, 0xffffffff, 0);
    set_segment(v, VMCB_GS, 0x10, data, 0xffffffff, 0);
    set_segment(v, VMCB_TR, 0, 0x08b, 0x67, 0);
    set_segment(v, VMCB_LDTR, 0, 0x082, 0, 0);
    set_segment(v, VMCB_GDTR, 0, 0, s->gdt_limit, s->gdt_base);
    set_segment(v, VMCB_IDTR, 0, 0, 0, 0);
    *field64(v, VMCB_CR0) = 0x80000031; /* PG NE ET PE */
    *field64(v, VMCB_CR3) = s->cr3;
    *field64(v, VMCB_CR4) = 0x20;       /* PAE */
    *field64(v, VMCB_EFER) = EFER_SVME | EFER_LME | EFER_LMA;
}

static void setup_real(struct arch_vcpu *v)
{
    const uint16_t code = 0x09b, data = 0x093;
    set_segment(v, VMCB_CS, 0, code, 0xffff, 0);
    set_segment(v, VMCB_DS, 0, data, 0xffff, 0);
    set_segment(v, VMCB_ES, 0, data, 0xffff, 0);
    set_segment(v, VMCB_SS, 0, data, 0xffff, 0);
    set_segment(v, VMCB_FS, 0, data, 0xffff, 0);
    set_segment(v, VMCB_GS, 0, data, 0xffff, 0);
    set_segment(v, VMCB_TR, 0, 0x08b, 0xffff, 0);
    set_segment(v, VMCB_LDTR, 0, 0x082, 0xffff, 0);
    set_segment(v, VMCB_GDTR, 0, 0, 0xffff, 0);
    set_segment(v, VMCB_IDTR, 0, 0, 0x3ff, 0);
    *field64(v, VMCB_CR0) = 0x10; /* ET */
    *field64(v, VMCB_EFER) = EFER_SVME;
}

/* Permission maps: bit set = intercept.  Both must be physically contiguous. */
static uint64_t build_iopm(const uint8_t *io_allow)
{
    uint64_t pa = hv_pages_alloc(3); /* 12 KiB: one bit per port and spare */
    if (!pa)
        return 0;
    uint8_t *map = (uint8_t *)(uintptr_t)pa;
    io_exit_bits(map, io_allow, 65536 / 8);
    memset(map + 65536 / 8, 0xff, 3 * 4096 - 65536 / 8);
    return pa;
}

/* Every MSR exits but the partition's own segment and system-call MSRs,
 * which VMLOAD/VMSAVE switch.  Two bits per MSR (read, write) in three
 * ranges: 0-1FFF, C0000000-C0001FFF, C0010000-C0011FFF. */
static uint64_t build_msrpm(void)
{
    uint64_t pa = hv_pages_alloc(2); /* 8 KiB */
    if (!pa)
        return 0;
    uint8_t *map = (uint8_t *)(uintptr_t)pa;
    memset(map, 0xff, 8192);
    for (unsigned i = 0; i < guest_passthrough_msr_count; i++) {
        uint32_t msr = guest_passthrough_msrs[i];
        uint32_t bit = 2 * (msr & 0x1fff) + (msr >= 0xc0000000u ? 0x800 * 8 : 0);
        map[bit / 8] &= (uint8_t)~(3u << (bit % 8));
    }
    return pa;
}

static struct arch_vcpu vcpus[HV_MAX_PARTITIONS * HV_MAX_VPS_PER_PARTITION];

static struct arch_vcpu *svm_vcpu_create(const struct vcpu_partition_info *p,
                                         const struct vcpu_setup *s)
{
    struct arch_vcpu *v = 0;
    for (unsigned i = 0; i < sizeof vcpus / sizeof vcpus[0] && !v; i++)
        if (!vcpus[i].used)
            v = &vcpus[i];
    if (!v)
        return 0;
    uint64_t vmcb = hv_page_alloc();
    uint64_t iopm = build_iopm(p->io_allow);
    uint64_t msrpm = build_msrpm();
    int gs_failed = guest_state_init(&v->gs);
    if (!vmcb || !iopm || !msrpm || gs_failed) {
        guest_state_free(&v->gs);
        if (vmcb)
            hv_page_free(vmcb);
        for (int i = 0; iopm && i < 3; i++)
            hv_page_free(iopm + 4096ull * i);
        for (int i = 0; msrpm && i < 2; i++)
            hv_page_free(msrpm + 4096ull * i);
        return 0;
    }
    v->used = 1;
    v->vmcb = (uint8_t *)(uintptr_t)vmcb;
    v->vmcb_pa = vmcb;

    /* #MC stays with the host.  #DF is caught so a partition about to
     * triple-fault is stopped first: Bochs's AMD-V does not deliver the
     * SHUTDOWN intercept for a guest triple fault. */
    /* LAB 2.1 BEGIN: the intercepts: what must exit to the hypervisor */
    *field32(v, VMCB_INTERCEPT_EXCEPTIONS) = 1u << 8 | 1u << 18;
    /* Sensitive instructions exit and are answered by the core the same
     * way on both backends (kernel/core/exits.c). */
    *field32(v, VMCB_INTERCEPT_MISC1) =
        INTERCEPT_INTR | INTERCEPT_RDPMC | INTERCEPT_CPUID | INTERCEPT_INVD | INTERCEPT_HLT |
        INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR | INTERCEPT_SHUTDOWN;
    *field32(v, VMCB_INTERCEPT_MISC2) =
        INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_SVM_INSNS | INTERCEPT_WBINVD |
        INTERCEPT_MONITOR | INTERCEPT_MWAIT | INTERCEPT_MWAIT_ARMED | INTERCEPT_XSETBV;
    /* LAB 2.1 END */
    *field64(v, VMCB_IOPM_BASE) = iopm;
    *field64(v, VMCB_MSRPM_BASE) = msrpm;
    *field32(v, VMCB_ASID) = p->tag;
    *field64(v, VMCB_NP_ENABLE) = 1;
    *field64(v, VMCB_N_CR3) = p->slat->root;
    *field64(v, VMCB_VINTR) = 1ull << 24; /* V_INTR_MASKING: host owns real IF */
    *field64(v, VMCB_G_PAT) = 0x0007040600070406ull;
    *field64(v, VMCB_DR7) = 0x400;
    *field64(v, VMCB_DR6) = 0xffff0ff0;

    if (s->mode == VCPU_MODE_LONG64)
        setup_long64(v, s);
    else
        setup_real(v);
    *field64(v, VMCB_RIP) = s->rip;
    *field64(v, VMCB_RSP) = s->rsp;
    *field64(v, VMCB_RFLAGS) = s->rflags | 2;
    return v;
}

/* Fixed instruction lengths, for CPUs without NRIPS. */
static uint32_t known_length(uint64_t code)
{
    switch (code) {
    case EXIT_VMMCALL: return 3; /* 0f 01 d9 */
    case EXIT_CPUID: return 2;   /* 0f a2 */
    case EXIT_HLT: return 1;     /* f4 */
    case EXIT_MSR: return 2;     /* 0f 32 / 0f 30 */
    case EXIT_INVD: return 2;    /* 0f 08 */
    case EXIT_WBINVD: return 2;  /* 0f 09 */
    case EXIT_XSETBV: return 3;  /* 0f 01 d1 */
    default: return 0;
    }
}

/* The sensitive instructions the core answers (kernel/core/exits.c). */
static enum vm_insn sensitive_insn(uint64_t code)
{
    switch (code) {
    case EXIT_INVD: return VM_INSN_INVD;
    case EXIT_WBINVD: return VM_INSN_WBINVD;
    case EXIT_XSETBV: return VM_INSN_XSETBV;
    case EXIT_RDPMC: return VM_INSN_RDPMC;
    case EXIT_MONITOR: return VM_INSN_MONITOR;
    case EXIT_MWAIT:
    case EXIT_MWAIT_ARMED: return VM_INSN_MWAIT;
    case EXIT_INVLPGA: return VM_INSN_INVLPGA;
    case EXIT_VMRUN: return VM_INSN_VIRT;
    default: return code > EXIT_VMMCALL && code <= EXIT_SKINIT ? VM_INSN_VIRT : VM_INSN_NONE;
    }
}

static void decode_exit(struct arch_vcpu *v, struct vm_exit *e)
{
    /* LAB 2.2 BEGIN: decode an exit: reason, instruction length, I/O, MSR and NPF details */
    uint64_t code = *field64(v, VMCB_EXITCODE);
    uint64_t info1 = *field64(v, VMCB_EXITINFO1);
    uint64_t info2 = *field64(v, VMCB_EXITINFO2);
    *e = (struct vm_exit){.raw_reason = code, .qualification = info1, .info2 = info2};
    e->insn_len = known_length(code);
    if (have_nrips && e->insn_len)
        e->insn_len = (uint32_t)(*field64(v, VMCB_NRIP) - *field64(v, VMCB_RIP));

    if (code >= EXIT_EXCEPTION_BASE && code < EXIT_EXCEPTION_BASE + 32) {
        e->reason = HV_EXIT_EXCEPTION;
        e->vector = (uint8_t)(code - EXIT_EXCEPTION_BASE);
        e->error_code = (uint32_t)info1;
        return;
    }
    switch (code) {
    case EXIT_VMMCALL: e->reason = HV_EXIT_HYPERCALL; break;
    case EXIT_CPUID: e->reason = HV_EXIT_CPUID; break;
    case EXIT_HLT: e->reason = HV_EXIT_HLT; break;
    case EXIT_IOIO:
        e->reason = HV_EXIT_IO;
        e->io_in = info1 & 1;
        e->io_string = !!(info1 & (1u << 2));
        e->io_size = (info1 & (1u << 4)) ? 1 : (info1 & (1u << 5)) ? 2 : 4;
        e->port = (uint16_t)(info1 >> 16);
        e->insn_len = (uint32_t)(info2 - *field64(v, VMCB_RIP)); /* info2 = next RIP */
        break;
    case EXIT_MSR:
        e->reason = HV_EXIT_MSR;
        e->msr_write = info1 & 1;
        break;
    case EXIT_NPF:
        e->reason = HV_EXIT_NPF;
        e->gpa = info2;
        e->write = !!(info1 & 2);
        break;
    case EXIT_SHUTDOWN: e->reason = HV_EXIT_TRIPLE_FAULT; break;
    case EXIT_INTR:
    case EXIT_NMI: e->reason = HV_EXIT_INTERRUPT; break;
    case EXIT_INVALID:
        e->reason = HV_EXIT_OTHER;
        e->name = "invalid guest state (VMRUN failed)";
        break;
    default:
        e->reason = HV_EXIT_OTHER;
        e->insn = sensitive_insn(code);
        e->name = "unhandled AMD-V exit code";
        break;
    }
    /* LAB 2.2 END */
}

/*
 * An exit can interrupt the delivery of an event to the guest (a nested
 * page fault while pushing an interrupt frame, say): EXITINTINFO then holds
 * that event, which the guest has not received.  Queue it again in EVENTINJ
 * (the same format) for the next VMRUN, as VT-x re-queues its IDT-vectoring
 * information, and tell the core (e->event), which then adds no event of its
 * own for that entry.  INT n, INT3 and INTO are the exception: the exit is
 * fault-like and RIP still points at the instruction, which raises them
 * again when the guest resumes.  VT-x re-injects them with the instruction's
 * length; EVENTINJ has no length, and without NRIPS (QEMU) an injected
 * software interrupt would return to the INT instruction and run twice.
 */
static void requeue_interrupted_event(struct arch_vcpu *v, struct vm_exit *e)
{
    uint64_t info = *field64(v, VMCB_EXITINTINFO) & EVENT_DEFINED;
    uint32_t type = info & EVENT_TYPE_MASK, vector = info & EVENT_VECTOR;
    e->event = (uint32_t)info;
    int int3_into = type == EVENT_TYPE_EXCEPTION && (vector == 3 || vector == 4);
    if (type == EVENT_TYPE_SOFT_INT || int3_into)
        return;
    *field64(v, VMCB_EVENTINJ) = info;
}

static void svm_vcpu_run(struct arch_vcpu *v, struct guest_gprs *gprs, struct vm_exit *exit)
{
    /* LAB 2.3 BEGIN: the VMRUN round trip: TLB flush, guest state, RAX, the exit, a cut-short event */
    *(uint8_t *)(v->vmcb + VMCB_TLB_CONTROL) = npt_flush_pending ? 1 : 0;
    npt_flush_pending = 0;
    vmload_state_of(v);
    guest_state_enter(&v->gs);
    *field64(v, VMCB_RAX) = gprs->rax;
    svm_vmrun(v->vmcb_pa, gprs);
    gprs->rax = *field64(v, VMCB_RAX);
    /* Whatever EVENTINJ held was delivered, or its delivery was cut short
     * by this exit and EXITINTINFO has it (re-queued below). */
    *field64(v, VMCB_EVENTINJ) = 0;
    decode_exit(v, exit);
    if (exit->reason == HV_EXIT_MSR)
        exit->msr = (uint32_t)gprs->rcx;
    /* Every exit pays this test of the valid bit, and hardly any has it
     * set.  Bit 31 is bit 7 of the field's byte 3: testing that byte is one
     * compare with memory instead of a load and a test (601 instead of 602
     * instructions per null hypercall under QEMU -icount, 598 without). */
    if (v->vmcb[VMCB_EXITINTINFO + 3] & (EVENT_VALID >> 24))
        requeue_interrupted_event(v, exit);
    /* LAB 2.3 END */
}

static unsigned reg_offset(enum vcpu_reg reg)
{
    switch (reg) {
    case VCPU_RSP: return VMCB_RSP;
    case VCPU_RIP: return VMCB_RIP;
    case VCPU_RFLAGS: return VMCB_RFLAGS;
    case VCPU_CR0: return VMCB_CR0;
    case VCPU_CR3: return VMCB_CR3;
    case VCPU_CR4: return VMCB_CR4;
    case VCPU_EFER: return VMCB_EFER;
    case VCPU_CPL: break; /* a byte: read in svm_vcpu_get */
    }
    return VMCB_RIP;
}

static uint64_t svm_vcpu_get(struct arch_vcpu *v, enum vcpu_reg reg)
{
    if (reg == VCPU_CPL)
        return *(v->vmcb + VMCB_CPL);
    uint64_t value = *field64(v, reg_offset(reg));
    if (reg == VCPU_EFER)
        value &= ~EFER_SVME; /* the guest never sees that it runs under SVM */
    return value;
}

static void svm_vcpu_set(struct arch_vcpu *v, enum vcpu_reg reg, uint64_t value)
{
    if (reg == VCPU_CPL)
        return;
    if (reg == VCPU_EFER)
        value |= EFER_SVME; /* VMRUN refuses a guest without it */
    if (reg == VCPU_RFLAGS)
        value |= 2;
    *field64(v, reg_offset(reg)) = value;
}

static void svm_vcpu_skip(struct arch_vcpu *v, const struct vm_exit *exit)
{
    /* LAB 2.4 BEGIN: advance RIP past the instruction that exited */
    *field64(v, VMCB_RIP) += exit->insn_len;
    /* LAB 2.4 END */
}

static void svm_inject_exception(struct arch_vcpu *v, uint8_t vector, int has_error,
                                 uint32_t error_code)
{
    uint64_t ev = vector | EVENT_TYPE_EXCEPTION | EVENT_VALID;
    if (has_error)
        ev |= EVENT_ERROR_VALID | (uint64_t)error_code << 32;
    *field64(v, VMCB_EVENTINJ) = ev;
}

static void svm_inject_interrupt(struct arch_vcpu *v, uint8_t vector)
{
    *field64(v, VMCB_EVENTINJ) = vector | EVENT_TYPE_INTR | EVENT_VALID;
}

/* svm_vcpu_run clears EVENTINJ after every exit: it is valid only after a
 * re-queue or an injection since. */
static int svm_event_queued(struct arch_vcpu *v)
{
    return (*field32(v, VMCB_EVENTINJ) & EVENT_VALID) != 0;
}

static int svm_set_xcr0(struct arch_vcpu *v, uint64_t xcr0)
{
    return guest_state_set_xcr0(&v->gs, xcr0);
}

static void svm_vcpu_destroy(struct arch_vcpu *v)
{
    if (loaded == v)
        loaded = 0; /* never saved into a freed VMCB */
    guest_state_free(&v->gs);
    uint64_t iopm = *field64(v, VMCB_IOPM_BASE), msrpm = *field64(v, VMCB_MSRPM_BASE);
    for (int i = 0; i < 3; i++)
        hv_page_free(iopm + 4096ull * i);
    for (int i = 0; i < 2; i++)
        hv_page_free(msrpm + 4096ull * i);
    hv_page_free(v->vmcb_pa);
    v->used = 0;
}

const struct virt_backend svm_backend = {
    .name = "AMD-V",
    .kind = HV_BACKEND_SVM,
    .hypercall_insn = "vmmcall",
    .enable = svm_enable,
    .slat_init = npt_init,
    .slat_map = npt_map,
    .slat_unmap = npt_unmap,
    .slat_lookup = npt_lookup,
    .slat_flush = npt_flush,
    .slat_destroy = npt_destroy,
    .vcpu_create = svm_vcpu_create,
    .vcpu_run = svm_vcpu_run,
    .vcpu_get = svm_vcpu_get,
    .vcpu_set = svm_vcpu_set,
    .vcpu_skip = svm_vcpu_skip,
    .vcpu_inject_exception = svm_inject_exception,
    .vcpu_inject_interrupt = svm_inject_interrupt,
    .vcpu_event_queued = svm_event_queued,
    .vcpu_set_xcr0 = svm_set_xcr0,
    .vcpu_destroy = svm_vcpu_destroy,
};
