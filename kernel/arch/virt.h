/* SPDX-License-Identifier: MIT */
/*
 * Hardware virtualization, arch-neutral.  The core creates vCPUs, runs them
 * until they exit, reads the normalized exit, and maps guest-physical pages
 * in a partition's second-level tables.  Two backends implement this:
 * kernel/arch/x86/vmx.c + ept.c (Intel VT-x) and svm.c + npt.c (AMD-V).
 * The backend is chosen once at boot from CPUID.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"

/* ---------------------------------------------------------------- exits */

/* What made the guest stop running.  Reason codes are the ABI's
 * enum hv_exit_reason so statistics need no translation. */
struct vm_exit {
    enum hv_exit_reason reason;
    uint64_t raw_reason;    /* VMX basic exit reason / SVM EXITCODE */
    uint64_t qualification; /* VMX exit qualification / SVM EXITINFO1 */
    uint64_t info2;         /* SVM EXITINFO2 / VMX guest-linear address */
    uint32_t insn_len;      /* length of the exiting instruction; 0 if unknown */
    /* HV_EXIT_NPF */
    uint64_t gpa;
    int write;              /* the faulting access was a write */
    /* HV_EXIT_IO */
    uint16_t port;
    uint8_t io_size;        /* 1, 2 or 4 */
    uint8_t io_in;          /* 1 = IN, 0 = OUT */
    uint8_t io_string;      /* INS/OUTS: not emulated, the partition is stopped */
    /* HV_EXIT_MSR */
    uint32_t msr;
    uint8_t msr_write;
    /* HV_EXIT_EXCEPTION */
    uint8_t vector;
    uint32_t error_code;
    /* Any exit: the event (interrupt or exception) whose delivery through
     * the guest's IDT the exit interrupted, which the backend has already
     * re-queued for the next entry; 0 if none.  Both processors report it
     * in one format (VMX IDT-vectoring information, SVM EXITINTINFO bits
     * 31:0): vector in bits 7:0, type in 10:8 (VM_EVENT_*), bit 11 an
     * error code goes with it, bit 31 valid. */
    uint32_t event;
    /* HV_EXIT_OTHER: a sensitive instruction the core answers (below), or
     * VM_INSN_NONE and a short name of the raw reason for the report */
    enum vm_insn {
        VM_INSN_NONE,
        VM_INSN_INVD,
        VM_INSN_WBINVD,
        VM_INSN_XSETBV,
        VM_INSN_RDPMC,
        VM_INSN_MONITOR, /* MONITOR, MONITORX */
        VM_INSN_MWAIT,   /* MWAIT, MWAITX */
        VM_INSN_INVLPGA,
        VM_INSN_VIRT,    /* VMX or SVM instructions, GETSEC (VMCALL / VMMCALL are hypercalls) */
    } insn;
    const char *name;
};

/* struct vm_exit's event field. */
#define VM_EVENT_VALID (1u << 31)
#define VM_EVENT_TYPE(event) (((event) >> 8) & 7)
#define VM_EVENT_INTERRUPT 0 /* external interrupt: a SINT vector the core injected */
#define VM_EVENT_NMI 2
#define VM_EVENT_EXCEPTION 3
#define VM_EVENT_SOFT_INTERRUPT 4 /* INT n (VT-x: also 5 for INT1, 6 for INT3/INTO) */

/* ------------------------------------------------------------ registers */

/* General-purpose registers the backends save and restore around a run.
 * RSP and RIP live in the VMCS / VMCB and are read with vcpu_get. */
struct guest_gprs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

enum vcpu_reg {
    VCPU_RSP,
    VCPU_RIP,
    VCPU_RFLAGS,
    VCPU_CR0,
    VCPU_CR3,
    VCPU_CR4,
    VCPU_EFER,
    VCPU_CPL, /* read only: the privilege level the guest runs at */
};

/* Initial state of a vCPU. */
enum vcpu_mode {
    VCPU_MODE_LONG64, /* 64-bit: paging on with cr3, flat segments */
    VCPU_MODE_REAL,   /* real mode at cs:ip = 0:rip (unrestricted guest / SVM) */
};

struct vcpu_setup {
    enum vcpu_mode mode;
    uint64_t rip, rsp, rflags;
    uint64_t cr3;      /* LONG64: guest-physical address of the PML4 */
    uint64_t gdt_base; /* LONG64: guest-physical base of a GDT with code 0x08, data 0x10 */
    uint16_t gdt_limit;
};

/* ------------------------------------------------- second-level tables */

/* Access rights of one guest-physical page. */
#define SLAT_READ 0x1u
#define SLAT_WRITE 0x2u
#define SLAT_EXEC 0x4u
#define SLAT_RWX (SLAT_READ | SLAT_WRITE | SLAT_EXEC)

struct slat {
    uint64_t root; /* host-physical address of the top-level table */
};

/* ------------------------------------------------------------- backend */

struct arch_vcpu; /* backend-private: one VMCS or VMCB and its state */

/* Partition-wide settings a vCPU needs from its partition. */
struct vcpu_partition_info {
    struct slat *slat;
    uint16_t tag;            /* VPID (VT-x) / ASID (AMD-V); never 0 */
    const uint8_t *io_allow; /* 65536-bit map: bit set = port passed through */
};

struct virt_backend {
    const char *name; /* "VT-x" or "AMD-V" */
    uint32_t kind;    /* HV_BACKEND_VMX or HV_BACKEND_SVM */
    const char *hypercall_insn; /* "vmcall" or "vmmcall" */

    /* Turn virtualization on (VMXON / EFER.SVME + host save area). 0 = ok. */
    int (*enable)(const char **why);

    /* Second-level tables (EPT / NPT).  0 = ok, -1 = out of memory or bad address. */
    int (*slat_init)(struct slat *slat);
    int (*slat_map)(struct slat *slat, uint64_t gpa, uint64_t hpa, uint32_t rights);
    int (*slat_unmap)(struct slat *slat, uint64_t gpa);
    /* Host-physical address a guest page maps to, or 0 with rights 0 if unmapped. */
    uint64_t (*slat_lookup)(struct slat *slat, uint64_t gpa, uint32_t *rights);
    /* Forget cached translations after unmap/protect. */
    void (*slat_flush)(struct slat *slat, uint16_t tag);
    /* Free every table of a partition that is being deleted. */
    void (*slat_destroy)(struct slat *slat);

    struct arch_vcpu *(*vcpu_create)(const struct vcpu_partition_info *p,
                                     const struct vcpu_setup *setup);
    /* Enter the guest; returns at the next exit with *exit filled in. */
    void (*vcpu_run)(struct arch_vcpu *v, struct guest_gprs *gprs, struct vm_exit *exit);
    uint64_t (*vcpu_get)(struct arch_vcpu *v, enum vcpu_reg reg);
    void (*vcpu_set)(struct arch_vcpu *v, enum vcpu_reg reg, uint64_t value);
    /* Move RIP past the instruction that caused the exit. */
    void (*vcpu_skip)(struct arch_vcpu *v, const struct vm_exit *exit);
    /* Queue an event for the next entry: vector, with an error code if
     * has_error.  The processor has one event slot per entry, so this
     * replaces whatever was queued: callers first ask vcpu_event_queued. */
    void (*vcpu_inject_exception)(struct arch_vcpu *v, uint8_t vector, int has_error,
                                  uint32_t error_code);
    void (*vcpu_inject_interrupt)(struct arch_vcpu *v, uint8_t vector);
    /* Nonzero if an event is already queued for the next entry: one the
     * backend re-queued because an exit interrupted its delivery
     * (vm_exit.event), or one the core injected since the exit.  The core
     * adds no event then (kernel/core/sched.c, exits.c). */
    int (*vcpu_event_queued)(struct arch_vcpu *v);
    /* XSETBV by the guest: 0 = taken, -1 = not a valid XCR0 (the guest gets #GP). */
    int (*vcpu_set_xcr0)(struct arch_vcpu *v, uint64_t xcr0);
    /* Free the vCPU's control structures (its partition is being deleted). */
    void (*vcpu_destroy)(struct arch_vcpu *v);
    /* Optional: clears the CPUID bits of instructions this backend cannot
     * let a guest run (kernel/core/cpuid.c). */
    void (*cpuid_adjust)(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
};

/* The backend this CPU supports, or NULL: chosen from CPUID. */
const struct virt_backend *virt_backend_detect(void);

extern const struct virt_backend vmx_backend;
extern const struct virt_backend svm_backend;

/* Page allocation for backends: zeroed 4 KiB frames from the hypervisor's
 * own pool (host-physical == hypervisor-virtual), 0 when exhausted. */
uint64_t hv_page_alloc(void);
/* COUNT physically contiguous zeroed frames (bitmaps the CPU reads whole). */
uint64_t hv_pages_alloc(unsigned count);
void hv_page_free(uint64_t hpa);
