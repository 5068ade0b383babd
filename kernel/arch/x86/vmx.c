/* SPDX-License-Identifier: MIT */
/*
 * The Intel VT-x backend (Intel SDM vol. 3C, chapters 23-28).
 *
 *   enable        VMXON (ch. 23.7), controls from the capability MSRs (A.3-A.5)
 *   vcpu_create   one VMCS per vCPU: controls, host state, guest state (ch. 24)
 *   vcpu_run      VMLAUNCH/VMRESUME via vmx_entry.S, then the exit is
 *                 normalized into struct vm_exit (ch. 27, appendix C)
 *
 * Second-level paging is in ept.c.  Only one logical processor runs guests,
 * so "the current VMCS" is simply the last vCPU run or touched.
 */
#include "vmx.h"
#include "../../../lib/string.h"
#include "../../core/log.h"
#include "../virt.h"
#include "ept.h"
#include "guest_gprs_offsets.h" /* the entry stub's offsets, checked here */
#include "guest_state.h"
#include "io.h"
#include "io_bitmap.h"

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_VMXE (1ull << 13)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define RFLAGS_FIXED1 (1ull << 1)

/* Segment access rights as the VMCS encodes them (descriptor bits 8-15
 * and 20-23, plus bit 16 = unusable). */
#define AR_CODE64 0xA09B     /* present, code exec/read accessed, L, G */
#define AR_DATA 0xC093       /* present, data read/write accessed, D/B, G */
#define AR_CODE16 0x009B     /* real-mode code segment */
#define AR_DATA16 0x0093     /* real-mode data segment */
#define AR_TSS_BUSY 0x008B   /* present busy TSS (64-bit in long mode) */
#define AR_UNUSABLE 0x10000

/* A guest that runs this many TSC ticks without any exit is stopped by
 * the VMX-preemption timer so the scheduler gets the processor back. */
#define PREEMPT_TSC_TICKS (1ull << 24)

/* Exceptions that always exit: double fault and machine check, because a
 * guest cannot recover from them and the core reports them. */
#define EXCEPTION_BITMAP_VALUE ((1u << 8) | (1u << 18))

struct arch_vcpu {
    uint64_t vmcs;      /* host-physical address of the VMCS */
    uint64_t io_a;      /* I/O bitmap A: ports 0000-7FFF, one bit each */
    uint64_t io_b;      /* I/O bitmap B: ports 8000-FFFF */
    uint64_t vapic;     /* virtual-APIC page: holds the guest's TPR (CR8) */
    int launched;       /* VMLAUNCH done: the next entry is VMRESUME */
    struct guest_state gs; /* FPU/SIMD, XCR0, DR0-DR3, DR6, CR2, SYSCALL MSRs */
};

/* vmx_entry.S */
int vmx_enter(struct guest_gprs *gprs, int launched);
extern char vmx_exit_stub[];

int vmx_enabled;
static struct arch_vcpu *current; /* whose VMCS is loaded (VMPTRLD) */
static uint64_t msr_bitmap;       /* one page, the same for every vCPU */

/* Computed once by enable(). */
static struct {
    uint32_t revision;
    uint32_t pin, proc, proc2, exit, entry;
    uint32_t preempt_value; /* VMX-preemption timer start value */
    int unrestricted;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
} caps;

/* ---------------------------------------------------------------- enable */

/*
 * A control MSR says in its low half which bits must be 1 (allowed-0
 * settings) and in its high half which bits may be 1 (allowed-1).
 */
static uint32_t adjust(uint32_t msr, uint32_t wanted)
{
    uint64_t v = rdmsr(msr);
    return (wanted | (uint32_t)v) & (uint32_t)(v >> 32);
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static int vmx_enable(const char **why)
{
    if (vmx_enabled)
        return 0;
    if (!(cpuid(1, 0).ecx & (1u << 5))) {
        *why = "CPUID reports no VMX";
        return -1;
    }

    /* Firmware locks IA32_FEATURE_CONTROL; VMXON outside SMX must be allowed.
     * If nobody locked it yet, allow VMX and lock it ourselves. */
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCK)) {
        fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
    }
    if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
        *why = "VMX disabled by firmware (IA32_FEATURE_CONTROL)";
        return -1;
    }

    uint64_t basic = rdmsr(MSR_VMX_BASIC);
    caps.revision = (uint32_t)basic & 0x7FFFFFFF;
    /* The "true" MSRs let default-1 controls such as CR3-load exiting be 0. */
    int t = !!(basic & VMX_BASIC_TRUE_CTLS);

    /* Physical interrupts and NMIs belong to the hypervisor: they exit
     * instead of reaching the guest's IDT.  The interrupt stays pending in
     * the interrupt controller ("acknowledge interrupt on exit" is off) so
     * the hypervisor takes it through its own IDT once it opens interrupts;
     * until it does, every VM entry exits again at once. */
    uint32_t want_pin = PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING;
    /* Sensitive instructions exit (INVD, XSETBV, GETSEC and the VMX
     * instructions always do) and the core answers them as on AMD-V.  CR8
     * reads and writes go to the TPR in each vCPU's virtual-APIC page, never
     * to the real TPR that gates the hypervisor's own timer.  DR7 and
     * IA32_DEBUGCTL are the guest's own, saved and loaded with the VMCS. */
    uint32_t want_proc = PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | PROC_ACTIVATE_SECONDARY |
                         PROC_USE_MSR_BITMAPS | PROC_USE_TPR_SHADOW | PROC_MWAIT_EXITING |
                         PROC_RDPMC_EXITING | PROC_MONITOR_EXITING;
    uint32_t want_proc2 = PROC2_ENABLE_EPT | PROC2_ENABLE_VPID | PROC2_WBINVD_EXITING;
    uint32_t want_exit = EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
                         EXIT_SAVE_DEBUG_CONTROLS;
    uint32_t want_entry = ENTRY_LOAD_EFER | ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_DEBUG_CONTROLS;

    caps.pin = adjust(t ? MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS, want_pin);
    caps.proc = adjust(t ? MSR_VMX_TRUE_PROCBASED_CTLS : MSR_VMX_PROCBASED_CTLS, want_proc);
    /* RDTSCP and INVPCID raise #UD in a VT-x guest unless enabled here (on
     * AMD-V they simply run): on where the processor allows, hidden from
     * CPUID where not (vmx_cpuid_adjust). */
    caps.proc2 =
        adjust(MSR_VMX_PROCBASED_CTLS2, want_proc2 | PROC2_UNRESTRICTED_GUEST |
                                            PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID);
    caps.exit = adjust(t ? MSR_VMX_TRUE_EXIT_CTLS : MSR_VMX_EXIT_CTLS, want_exit);
    caps.entry = adjust(t ? MSR_VMX_TRUE_ENTRY_CTLS : MSR_VMX_ENTRY_CTLS, want_entry);
    if ((caps.pin & want_pin) != want_pin || (caps.proc & want_proc) != want_proc ||
        (caps.exit & want_exit) != want_exit || (caps.entry & want_entry) != want_entry) {
        *why = "VMX controls lack a required feature";
        return -1;
    }
    if ((caps.proc2 & want_proc2) != want_proc2) {
        *why = "VMX without EPT, VPID and WBINVD exiting";
        return -1;
    }
    /* Port access is decided per port by the I/O bitmaps, not by
     * unconditional I/O exiting; CR8 goes to the TPR shadow, not to an exit.
     * (All three are allowed-0 with the true controls; clearing them states
     * the intent.) */
    caps.proc &= ~(PROC_UNCOND_IO_EXITING | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING);

    /* MSR bitmap: read-low, read-high, write-low, write-high, 1 KiB each;
     * a set bit makes the access exit.  Only the partition's own segment
     * and system-call MSRs pass (the VMCS or guest_state switches them). */
    msr_bitmap = hv_page_alloc();
    if (!msr_bitmap) {
        *why = "out of memory for the MSR bitmap";
        return -1;
    }
    uint8_t *bits = (uint8_t *)(uintptr_t)msr_bitmap;
    memset(bits, 0xff, 4096);
    for (unsigned i = 0; i < guest_passthrough_msr_count; i++) {
        uint32_t msr = guest_passthrough_msrs[i], n = msr & 0x1fff;
        unsigned base = msr >= 0xc0000000u ? 1024 : 0;
        bits[base + n / 8] &= (uint8_t)~(1u << (n % 8));
        bits[base + 2048 + n / 8] &= (uint8_t)~(1u << (n % 8));
    }
    guest_state_host_init(GUEST_STATE_DR6 | GUEST_STATE_CR2 | GUEST_STATE_SYSCALL_MSRS);
    /* IA-32e mode guest follows each vCPU's EFER.LMA: see write_efer. */
    caps.entry &= ~ENTRY_IA32E_MODE_GUEST;
    caps.unrestricted = !!(caps.proc2 & PROC2_UNRESTRICTED_GUEST);

    /*
     * A backstop for a guest that spins with interrupts disabled: external
     * interrupts should make it exit whatever its IF, but Bochs recomputes
     * its interrupt masking only when IF changes, so a guest entered with
     * IF = 0 would never exit.  The preemption timer restarts from this value
     * at every VM entry, so only a guest that runs long without any exit
     * meets it; its exit is reported like an interrupt.
     */
    caps.pin |= adjust(t ? MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS,
                       PIN_PREEMPTION_TIMER) & PIN_PREEMPTION_TIMER;
    caps.preempt_value = (uint32_t)(PREEMPT_TSC_TICKS >> (rdmsr(MSR_VMX_MISC) & 31));

    /* CR0 and CR4 must satisfy the fixed bits in VMX operation, and
     * CR4.VMXE must be set before VMXON. */
    caps.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
    caps.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
    caps.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
    caps.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
    uint64_t cr0 = (read_cr0() | caps.cr0_fixed0) & caps.cr0_fixed1;
    uint64_t cr4 = (read_cr4() | caps.cr4_fixed0 | CR4_VMXE) & caps.cr4_fixed1;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));

    uint64_t region = hv_page_alloc();
    if (!region) {
        *why = "out of memory for the VMXON region";
        return -1;
    }
    *(uint32_t *)region = caps.revision;
    if (vmx_on(region)) {
        *why = "VMXON failed";
        return -1;
    }
    vmx_enabled = 1;
    return 0;
}

/* ----------------------------------------------------------- vCPU setup */

static void make_current(struct arch_vcpu *v)
{
    if (current != v) {
        vmx_ptrld(v->vmcs);
        current = v;
    }
}

static void set_segment(enum vmx_seg seg, uint16_t sel, uint64_t base, uint32_t limit,
                        uint32_t ar)
{
    vmwrite(GUEST_ES_SELECTOR + 2 * seg, sel);
    vmwrite(GUEST_ES_BASE + 2 * seg, base);
    vmwrite(GUEST_ES_LIMIT + 2 * seg, limit);
    vmwrite(GUEST_ES_AR + 2 * seg, ar);
}

/*
 * CR0 and CR4 as the processor requires them in VMX operation, with the
 * value the guest asked for kept in the read shadows.  Bits set in the
 * guest/host masks read from the shadow, so the guest (and vcpu_get) see
 * its own value: CR4.VMXE, which VMX forces on; CR0.NE, forced on too; and
 * CR0.CD/NW, which VM entry never loads (the guest would inherit the
 * host's).  A guest write that changes a masked bit exits (cr-access).
 */
#define CR0_CD (1ull << 30)
#define CR0_NW (1ull << 29)
#define CR0_SHADOWED (CR0_CD | CR0_NW | CR0_NE)
#define CR4_SHADOWED CR4_VMXE

static void write_cr0(uint64_t value)
{
    uint64_t fixed0 = caps.cr0_fixed0;
    if (caps.unrestricted) /* unrestricted guests may run unpaged and in real mode */
        fixed0 &= ~(CR0_PE | CR0_PG);
    vmwrite(GUEST_CR0, (value | fixed0) & caps.cr0_fixed1);
    vmwrite(CR0_READ_SHADOW, value);
}

static void write_cr4(uint64_t value)
{
    vmwrite(GUEST_CR4, (value | caps.cr4_fixed0) & caps.cr4_fixed1);
    vmwrite(CR4_READ_SHADOW, value);
}

/* The IA-32e mode guest entry control must equal EFER.LMA. */
static void write_efer(uint64_t efer)
{
    vmwrite(GUEST_IA32_EFER, efer);
    uint64_t entry = vmread(ENTRY_CONTROLS) & ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
    vmwrite(ENTRY_CONTROLS, entry | ((efer & EFER_LMA) ? ENTRY_IA32E_MODE_GUEST : 0));
}

/* Host state: what the processor loads on every VM exit (SDM 24.5, 27.5).
 * Taken from the running hypervisor so this file needs no GDT details. */
static void write_host_state(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr, idtr;
    uint16_t tr;
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    __asm__ volatile("sidt %0" : "=m"(idtr));
    __asm__ volatile("str %0" : "=r"(tr));

    /* A 64-bit TSS descriptor spreads its base over two GDT entries. */
    uint64_t tss_base = 0;
    if (tr) {
        const uint32_t *d = (const uint32_t *)(gdtr.base + (tr & ~7u));
        tss_base = (d[0] >> 16) | (uint64_t)(d[1] & 0xFF) << 16 |
                   (uint64_t)(d[1] & 0xFF000000) | (uint64_t)d[2] << 32;
    } else {
        kprintf("vmx: no host TSS loaded (TR = 0): VM entry will fail\n");
    }

    vmwrite(HOST_CR0, read_cr0());
    vmwrite(HOST_CR3, read_cr3());
    vmwrite(HOST_CR4, read_cr4());
    vmwrite(HOST_CS_SELECTOR, 0x08);
    vmwrite(HOST_SS_SELECTOR, 0x10);
    vmwrite(HOST_DS_SELECTOR, 0x10);
    vmwrite(HOST_ES_SELECTOR, 0x10);
    vmwrite(HOST_FS_SELECTOR, 0x10);
    vmwrite(HOST_GS_SELECTOR, 0x10);
    vmwrite(HOST_TR_SELECTOR, tr & ~7u);
    vmwrite(HOST_FS_BASE, 0);
    vmwrite(HOST_GS_BASE, 0);
    vmwrite(HOST_TR_BASE, tss_base);
    vmwrite(HOST_GDTR_BASE, gdtr.base);
    vmwrite(HOST_IDTR_BASE, idtr.base);
    vmwrite(HOST_SYSENTER_CS, 0);
    vmwrite(HOST_SYSENTER_ESP, 0);
    vmwrite(HOST_SYSENTER_EIP, 0);
    vmwrite(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
    vmwrite(HOST_RIP, (uint64_t)vmx_exit_stub);
    /* HOST_RSP is written by vmx_enter before every entry. */
}

static void write_controls(const struct vcpu_partition_info *p, struct arch_vcpu *v)
{
    /* LAB 2.5 BEGIN: the VMCS controls: what must exit to the hypervisor */
    vmwrite(PIN_BASED_CONTROLS, caps.pin);
    vmwrite(PROC_BASED_CONTROLS, caps.proc);
    vmwrite(SECONDARY_CONTROLS, caps.proc2);
    vmwrite(EXIT_CONTROLS, caps.exit);
    vmwrite(ENTRY_CONTROLS, caps.entry);
    vmwrite(EXCEPTION_BITMAP, EXCEPTION_BITMAP_VALUE);
    vmwrite(PAGE_FAULT_ERROR_MASK, 0);
    vmwrite(PAGE_FAULT_ERROR_MATCH, 0);
    vmwrite(CR3_TARGET_COUNT, 0);
    vmwrite(EXIT_MSR_STORE_COUNT, 0);
    vmwrite(EXIT_MSR_LOAD_COUNT, 0);
    vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
    vmwrite(ENTRY_INTR_INFO, 0);
    if (caps.pin & PIN_PREEMPTION_TIMER)
        vmwrite(GUEST_PREEMPTION_TIMER, caps.preempt_value);
    vmwrite(CR0_GUEST_HOST_MASK, CR0_SHADOWED);
    vmwrite(CR4_GUEST_HOST_MASK, CR4_SHADOWED);

    /* I/O bitmaps: a set bit makes the port exit, so they are the inverse
     * of the partition's passthrough map. */
    io_exit_bits((uint8_t *)v->io_a, p->io_allow, 4096);
    io_exit_bits((uint8_t *)v->io_b, p->io_allow ? p->io_allow + 4096 : 0, 4096);
    vmwrite(IO_BITMAP_A, v->io_a);
    vmwrite(IO_BITMAP_B, v->io_b);
    vmwrite(MSR_BITMAP, msr_bitmap);
    /* LAB 2.5 END */
    vmwrite(VIRTUAL_APIC_PAGE, v->vapic); /* TPR (CR8) starts at 0 */
    vmwrite(TPR_THRESHOLD, 0);            /* never a TPR-below-threshold exit */

    vmwrite(VMCS_VPID, p->tag);
    vmwrite(EPT_POINTER, ept_pointer(p->slat));
}

static void write_guest_state(const struct vcpu_setup *s)
{
    if (s->mode == VCPU_MODE_REAL) {
        /* Real mode: base = selector << 4 with cs = ds = ... = 0 (SDM 26.3.1.2
         * relaxes the protected-mode checks for unrestricted guests). */
        write_cr0(CR0_ET); /* NE is forced on, but shadowed */
        write_cr4(0);
        vmwrite(GUEST_CR3, 0);
        write_efer(0);
        set_segment(SEG_CS, 0, 0, 0xFFFF, AR_CODE16);
        for (enum vmx_seg seg = SEG_ES; seg <= SEG_GS; seg++)
            if (seg != SEG_CS)
                set_segment(seg, 0, 0, 0xFFFF, AR_DATA16);
        vmwrite(GUEST_GDTR_BASE, 0);
        vmwrite(GUEST_GDTR_LIMIT, 0xFFFF);
        vmwrite(GUEST_IDTR_BASE, 0); /* the real-mode interrupt vector table */
        vmwrite(GUEST_IDTR_LIMIT, 0x3FF);
    } else {
        write_cr0(CR0_PE | CR0_PG | CR0_NE | CR0_ET);
        write_cr4(CR4_PAE);
        vmwrite(GUEST_CR3, s->cr3);
        write_efer(EFER_LME | EFER_LMA);
        set_segment(SEG_CS, 0x08, 0, 0xFFFFFFFF, AR_CODE64);
        for (enum vmx_seg seg = SEG_ES; seg <= SEG_GS; seg++)
            if (seg != SEG_CS)
                set_segment(seg, 0x10, 0, 0xFFFFFFFF, AR_DATA);
        vmwrite(GUEST_GDTR_BASE, s->gdt_base);
        vmwrite(GUEST_GDTR_LIMIT, s->gdt_limit);
        vmwrite(GUEST_IDTR_BASE, 0);
        vmwrite(GUEST_IDTR_LIMIT, 0);
    }
    /* A task register must be usable even if the guest never switches
     * tasks; an LDT it does not have is marked unusable. */
    set_segment(SEG_TR, 0, 0, 0x67, AR_TSS_BUSY);
    set_segment(SEG_LDTR, 0, 0, 0, AR_UNUSABLE);

    vmwrite(GUEST_RIP, s->rip);
    vmwrite(GUEST_RSP, s->rsp);
    vmwrite(GUEST_RFLAGS, s->rflags | RFLAGS_FIXED1);
    vmwrite(GUEST_DR7, 0x400);
    vmwrite(GUEST_IA32_DEBUGCTL, 0);
    vmwrite(GUEST_SYSENTER_CS, 0);
    vmwrite(GUEST_SYSENTER_ESP, 0);
    vmwrite(GUEST_SYSENTER_EIP, 0);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY_STATE, 0); /* active */
    vmwrite(GUEST_PENDING_DBG, 0);
    vmwrite(VMCS_LINK_POINTER, ~0ull); /* no shadow VMCS */
}

static struct arch_vcpu *vmx_vcpu_create(const struct vcpu_partition_info *p,
                                         const struct vcpu_setup *setup)
{
    if (!vmx_enabled || !p->slat || !p->slat->root || !p->tag)
        return 0;
    if (setup->mode == VCPU_MODE_REAL && !caps.unrestricted)
        return 0;
    /* The structure gets a page of its own: there is no small allocator. */
    uint64_t page = hv_page_alloc();
    uint64_t vmcs = hv_page_alloc();
    uint64_t io_a = hv_page_alloc();
    uint64_t io_b = hv_page_alloc();
    uint64_t vapic = hv_page_alloc();
    struct arch_vcpu *v = (struct arch_vcpu *)page;
    if (!page || !vmcs || !io_a || !io_b || !vapic || guest_state_init(&v->gs)) {
        if (page) hv_page_free(page);
        if (vmcs) hv_page_free(vmcs);
        if (io_a) hv_page_free(io_a);
        if (io_b) hv_page_free(io_b);
        if (vapic) hv_page_free(vapic);
        return 0;
    }
    v->vmcs = vmcs;
    v->io_a = io_a;
    v->io_b = io_b;
    v->vapic = vapic;

    *(uint32_t *)vmcs = caps.revision;
    /* VMCLEAR initializes the region and sets its launch state to "clear". */
    if (vmx_clear(vmcs) || vmx_ptrld(vmcs)) {
        kprintf("vmx: VMCLEAR/VMPTRLD of a new VMCS failed\n");
        current = 0;
        return 0; /* the pages stay allocated: a VMCS in an unknown state */
    }
    current = v;
    write_controls(p, v);
    write_host_state();
    write_guest_state(setup);
    return v;
}

/* ------------------------------------------------------------ running */

/* Short names of basic exit reasons (SDM appendix C) for reports. */
static const char *const exit_names[] = {
    [0] = "exception-or-nmi", [1] = "external-interrupt", [2] = "triple-fault",
    [3] = "init", [4] = "sipi", [7] = "interrupt-window", [8] = "nmi-window",
    [9] = "task-switch", [10] = "cpuid", [11] = "getsec", [12] = "hlt",
    [13] = "invd", [14] = "invlpg", [15] = "rdpmc", [16] = "rdtsc", [17] = "rsm",
    [18] = "vmcall", [19] = "vmclear", [20] = "vmlaunch", [21] = "vmptrld",
    [22] = "vmptrst", [23] = "vmread", [24] = "vmresume", [25] = "vmwrite",
    [26] = "vmxoff", [27] = "vmxon", [28] = "cr-access", [29] = "dr-access",
    [30] = "io", [31] = "rdmsr", [32] = "wrmsr", [36] = "mwait", [37] = "mtf",
    [39] = "monitor", [40] = "pause", [46] = "gdtr-idtr-access",
    [47] = "ldtr-tr-access", [48] = "ept-violation", [49] = "ept-misconfig",
    [50] = "invept", [51] = "rdtscp", [52] = "preemption-timer", [53] = "invvpid",
    [54] = "wbinvd", [55] = "xsetbv", [57] = "rdrand", [58] = "invpcid",
    [61] = "rdseed", [63] = "xsaves", [64] = "xrstors",
};

static const char *exit_name(uint32_t reason)
{
    const char *n = reason < sizeof exit_names / sizeof exit_names[0] ? exit_names[reason] : 0;
    return n ? n : "unknown";
}

/*
 * An exit can interrupt the delivery of an event to the guest (say, an EPT
 * violation while pushing an exception frame).  The IDT-vectoring field then
 * holds that event; queue it again so the guest does not lose it once the
 * core has fixed the cause, and tell the core (e->event), which then adds
 * no event of its own for that entry.
 */
static void requeue_interrupted_event(struct vm_exit *e)
{
    uint32_t info = (uint32_t)vmread(IDT_VECTORING_INFO);
    if (!(info & INTR_INFO_VALID))
        return;
    e->event = info & ~(1u << 12);
    vmwrite(ENTRY_INTR_INFO, info & ~(1u << 12)); /* bit 12 is undefined here */
    if (info & INTR_INFO_ERROR_CODE)
        vmwrite(ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
    /* INT n / INT3 / INTO push the address after their instruction: the
     * entry needs that instruction's length to deliver them again. */
    vmwrite(ENTRY_INSTRUCTION_LEN, vmread(EXIT_INSTRUCTION_LEN));
}

/* The sensitive instructions the core answers (kernel/core/exits.c). */
static enum vm_insn sensitive_insn(uint32_t reason)
{
    switch (reason) {
    case EXIT_INVD: return VM_INSN_INVD;
    case EXIT_WBINVD: return VM_INSN_WBINVD;
    case EXIT_XSETBV: return VM_INSN_XSETBV;
    case EXIT_RDPMC: return VM_INSN_RDPMC;
    case EXIT_MONITOR: return VM_INSN_MONITOR;
    case EXIT_MWAIT: return VM_INSN_MWAIT;
    case EXIT_GETSEC:
    case EXIT_INVEPT:
    case EXIT_INVVPID:
    case EXIT_VMFUNC: return VM_INSN_VIRT;
    default:
        return reason >= EXIT_VMCLEAR && reason <= EXIT_VMXON ? VM_INSN_VIRT : VM_INSN_NONE;
    }
}

/* Fill *e from the VMCS exit-information fields (SDM 24.9, 27.2). */
static void decode_exit(struct vm_exit *e, const struct guest_gprs *gprs)
{
    /* LAB 2.6 BEGIN: decode an exit: reason, length, I/O, MSR and EPT details */
    uint32_t reason = (uint32_t)vmread(EXIT_REASON) & 0xFFFF;
    uint64_t q = vmread(EXIT_QUALIFICATION);
    e->raw_reason = reason;
    e->qualification = q;
    e->insn_len = (uint32_t)vmread(EXIT_INSTRUCTION_LEN);
    e->name = exit_name(reason);

    switch (reason) {
    case EXIT_VMCALL:
        e->reason = HV_EXIT_HYPERCALL;
        break;
    case EXIT_CPUID:
        e->reason = HV_EXIT_CPUID;
        break;
    case EXIT_HLT:
        e->reason = HV_EXIT_HLT;
        break;
    case EXIT_IO: /* qualification: SDM table 27-5 */
        e->reason = HV_EXIT_IO;
        e->io_size = (uint8_t)((q & 7) + 1);
        e->io_in = (q >> 3) & 1;
        e->io_string = (q >> 4) & 1;
        e->port = (uint16_t)(q >> 16);
        if (e->io_string)
            e->info2 = vmread(GUEST_LINEAR_ADDRESS);
        break;
    case EXIT_RDMSR:
    case EXIT_WRMSR:
        e->reason = HV_EXIT_MSR;
        e->msr = (uint32_t)gprs->rcx;
        e->msr_write = reason == EXIT_WRMSR;
        break;
    case EXIT_EPT_VIOLATION: /* qualification: SDM table 27-7 */
        e->reason = HV_EXIT_NPF;
        e->gpa = vmread(GUEST_PHYSICAL_ADDRESS);
        e->write = (q >> 1) & 1;
        if (q & (1u << 7)) /* guest-linear address valid */
            e->info2 = vmread(GUEST_LINEAR_ADDRESS);
        break;
    case EXIT_EXCEPTION_NMI: {
        uint32_t info = (uint32_t)vmread(EXIT_INTR_INFO);
        /* An NMI belongs to the host, not to the guest that was running. */
        if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
            e->reason = HV_EXIT_INTERRUPT;
            break;
        }
        e->reason = HV_EXIT_EXCEPTION;
        e->vector = (uint8_t)info;
        if (info & INTR_INFO_ERROR_CODE)
            e->error_code = (uint32_t)vmread(EXIT_INTR_ERROR_CODE);
        break;
    }
    case EXIT_TRIPLE_FAULT:
        e->reason = HV_EXIT_TRIPLE_FAULT;
        break;
    case EXIT_EXTERNAL_INTERRUPT:
    case EXIT_PREEMPTION_TIMER:
        e->reason = HV_EXIT_INTERRUPT;
        break;
    default: /* includes EXIT_EPT_MISCONFIG: "ept-misconfig" */
        e->reason = HV_EXIT_OTHER;
        e->insn = sensitive_insn(reason);
        break;
    }
    requeue_interrupted_event(e);
    /* LAB 2.6 END */
}

/*
 * A guest MOV to CR0/CR4 exits only when it changes a shadowed bit (see
 * write_cr0).  AMD-V has no such exit, so it is completed here and the core
 * never sees it: store the value, keep EFER.LMA and the IA-32e mode control
 * in step with CR0.PG as the processor would, and step over the instruction.
 * Setting CR4.VMXE gets #GP, as on a processor without VMX (CPUID says so;
 * AMD-V raises the same for this reserved bit).  Returns 0 for anything
 * else (CLTS, LMSW): a real exit.
 */
static void vmx_inject_exception(struct arch_vcpu *v, uint8_t vector, int has_error,
                                 uint32_t error_code);

static int emulate_cr_write(struct guest_gprs *g)
{
    uint64_t q = vmread(EXIT_QUALIFICATION);
    unsigned cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
    if (type != 0 || (cr != 0 && cr != 4))
        return 0;
    /* Register numbering of the qualification (SDM table 27-3). */
    uint64_t *const regs[16] = {&g->rax, &g->rcx, &g->rdx, &g->rbx, 0, &g->rbp,
                                &g->rsi, &g->rdi, &g->r8,  &g->r9,  &g->r10, &g->r11,
                                &g->r12, &g->r13, &g->r14, &g->r15};
    uint64_t value = regs[reg] ? *regs[reg] : vmread(GUEST_RSP);
    if (cr == 4) {
        if (value & CR4_VMXE) {
            vmx_inject_exception(current, 13, 1, 0);
            return 1;
        }
        write_cr4(value);
    } else {
        uint64_t efer = vmread(GUEST_IA32_EFER);
        if ((efer & EFER_LME) && (value & CR0_PG))
            write_efer(efer | EFER_LMA);
        else if (!(value & CR0_PG))
            write_efer(efer & ~EFER_LMA);
        write_cr0(value);
    }
    vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_INSTRUCTION_LEN));
    return 1;
}

static void vmx_vcpu_run(struct arch_vcpu *v, struct guest_gprs *gprs, struct vm_exit *e)
{
    /* LAB 2.7 BEGIN: the VMLAUNCH/VMRESUME round trip, entry failures, the exit */
    make_current(v);
    guest_state_enter(&v->gs);
    for (;;) {
        int failed = vmx_enter(gprs, v->launched);
        *e = (struct vm_exit){0};
        if (failed) {
            /* VMLAUNCH/VMRESUME refused the VMCS (SDM 30.4 error numbers). */
            e->reason = HV_EXIT_OTHER;
            e->name = "vm-entry failure";
            e->raw_reason = ~0ull;
            e->qualification = failed == 2 ? vmread(VM_INSTRUCTION_ERROR) : ~0ull;
            return;
        }
        uint32_t reason = (uint32_t)vmread(EXIT_REASON);
        if (reason & EXIT_REASON_ENTRY_FAILED) {
            /* Guest state or MSR loading failed after the checks started
             * (SDM 26.8): the guest never ran and the VMCS is not launched. */
            e->reason = HV_EXIT_OTHER;
            e->name = "vm-entry failure";
            e->raw_reason = reason;
            e->qualification = vmread(EXIT_QUALIFICATION);
            return;
        }
        v->launched = 1;
        if (reason == EXIT_CR_ACCESS && emulate_cr_write(gprs))
            continue;
        decode_exit(e, gprs);
        return;
    }
    /* LAB 2.7 END */
}

/* ------------------------------------------------- registers and events */

static uint64_t vmx_vcpu_get(struct arch_vcpu *v, enum vcpu_reg reg)
{
    make_current(v);
    switch (reg) {
    case VCPU_RSP:
        return vmread(GUEST_RSP);
    case VCPU_RIP:
        return vmread(GUEST_RIP);
    case VCPU_RFLAGS:
        return vmread(GUEST_RFLAGS);
    case VCPU_CR0: /* what the guest reads: masked bits from the shadow */
        return (vmread(GUEST_CR0) & ~CR0_SHADOWED) | (vmread(CR0_READ_SHADOW) & CR0_SHADOWED);
    case VCPU_CR3:
        return vmread(GUEST_CR3);
    case VCPU_CR4:
        return (vmread(GUEST_CR4) & ~CR4_SHADOWED) | (vmread(CR4_READ_SHADOW) & CR4_SHADOWED);
    case VCPU_EFER:
        return vmread(GUEST_IA32_EFER);
    case VCPU_CPL: /* SS.DPL is the CPL (SDM 26.3.1.2) */
        return (vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3;
    }
    return 0;
}

static void vmx_vcpu_set(struct arch_vcpu *v, enum vcpu_reg reg, uint64_t value)
{
    make_current(v);
    switch (reg) {
    case VCPU_RSP:
        vmwrite(GUEST_RSP, value);
        break;
    case VCPU_RIP:
        vmwrite(GUEST_RIP, value);
        break;
    case VCPU_RFLAGS:
        vmwrite(GUEST_RFLAGS, value | RFLAGS_FIXED1);
        break;
    case VCPU_CR0:
        write_cr0(value);
        break;
    case VCPU_CR3:
        vmwrite(GUEST_CR3, value);
        break;
    case VCPU_CR4:
        write_cr4(value);
        break;
    case VCPU_EFER:
        write_efer(value);
        break;
    case VCPU_CPL: /* read only */
        break;
    }
}

static void vmx_vcpu_skip(struct arch_vcpu *v, const struct vm_exit *e)
{
    /* LAB 2.8 BEGIN: advance RIP past the instruction that exited */
    make_current(v);
    vmwrite(GUEST_RIP, vmread(GUEST_RIP) + e->insn_len);
    /* Blocking by STI / MOV SS covers one instruction: the skipped one. */
    vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~3ull);
    /* LAB 2.8 END */
}

static void vmx_inject_exception(struct arch_vcpu *v, uint8_t vector, int has_error,
                                 uint32_t error_code)
{
    make_current(v);
    uint32_t info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vector;
    /* Only protected-mode #DF, #TS, #NP, #SS, #GP, #PF, #AC push an error
     * code; asking for one elsewhere would make the VM entry fail. */
    int pushes = vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
    if (has_error && pushes && (vmread(GUEST_CR0) & CR0_PE)) {
        info |= INTR_INFO_ERROR_CODE;
        vmwrite(ENTRY_EXCEPTION_ERROR_CODE, error_code);
    }
    vmwrite(ENTRY_INTR_INFO, info);
}

static void vmx_inject_interrupt(struct arch_vcpu *v, uint8_t vector)
{
    make_current(v);
    vmwrite(ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL | vector);
}

/* Every VM exit clears the valid bit of the VM-entry interruption
 * information (SDM, "VM-Entry Controls for Event Injection"): it is set
 * only by a re-queue or an injection since the exit. */
static int vmx_event_queued(struct arch_vcpu *v)
{
    make_current(v);
    return (vmread(ENTRY_INTR_INFO) & INTR_INFO_VALID) != 0;
}

static int vmx_set_xcr0(struct arch_vcpu *v, uint64_t xcr0)
{
    return guest_state_set_xcr0(&v->gs, xcr0);
}

/* The partition is being deleted: its VMCS and bitmaps go back to the pool. */
static void vmx_vcpu_destroy(struct arch_vcpu *v)
{
    /* The processor may keep any VMCS it has used cached: VMCLEAR writes
     * it back and forgets it before the page can be reused. */
    vmx_clear(v->vmcs);
    if (current == v)
        current = 0;
    hv_page_free(v->vmcs);
    hv_page_free(v->io_a);
    hv_page_free(v->io_b);
    hv_page_free(v->vapic);
    guest_state_free(&v->gs);
    hv_page_free((uint64_t)(uintptr_t)v);
}

static void vmx_cpuid_adjust(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    if (leaf == 7 && sub == 0 && !(caps.proc2 & PROC2_ENABLE_INVPCID))
        r[1] &= ~(1u << 10);
    else if (leaf == 0x80000001u && !(caps.proc2 & PROC2_ENABLE_RDTSCP))
        r[3] &= ~(1u << 27);
}

const struct virt_backend vmx_backend = {
    .name = "VT-x",
    .kind = HV_BACKEND_VMX,
    .hypercall_insn = "vmcall",
    .enable = vmx_enable,
    .slat_init = ept_init,
    .slat_map = ept_map,
    .slat_unmap = ept_unmap,
    .slat_lookup = ept_lookup,
    .slat_flush = ept_flush,
    .slat_destroy = ept_destroy,
    .vcpu_create = vmx_vcpu_create,
    .vcpu_run = vmx_vcpu_run,
    .vcpu_get = vmx_vcpu_get,
    .vcpu_set = vmx_vcpu_set,
    .vcpu_skip = vmx_vcpu_skip,
    .vcpu_inject_exception = vmx_inject_exception,
    .vcpu_inject_interrupt = vmx_inject_interrupt,
    .vcpu_event_queued = vmx_event_queued,
    .vcpu_set_xcr0 = vmx_set_xcr0,
    .vcpu_destroy = vmx_vcpu_destroy,
    .cpuid_adjust = vmx_cpuid_adjust,
};
