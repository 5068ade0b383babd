/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-x: VMCS field encodings, exit reasons, control bits and the VMX
 * instructions as inline functions.  Numbers are from the Intel SDM vol. 3C:
 * field encodings appendix B, exit reasons appendix C, controls chapter 25.
 */
#pragma once
#include <stdint.h>

/* ------------------------------------------------------------------ MSRs */
#define MSR_IA32_FEATURE_CONTROL 0x03A
#define FEATURE_CONTROL_LOCK (1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define MSR_IA32_EFER 0xC0000080
#define MSR_VMX_BASIC 0x480
#define VMX_BASIC_TRUE_CTLS (1ull << 55)
#define MSR_VMX_PINBASED_CTLS 0x481
#define MSR_VMX_PROCBASED_CTLS 0x482
#define MSR_VMX_EXIT_CTLS 0x483
#define MSR_VMX_ENTRY_CTLS 0x484
#define MSR_VMX_MISC 0x485 /* bits 4:0: preemption timer rate (TSC >> n) */
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED_CTLS2 0x48B
#define MSR_VMX_EPT_VPID_CAP 0x48C
#define MSR_VMX_TRUE_PINBASED_CTLS 0x48D
#define MSR_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_VMX_TRUE_EXIT_CTLS 0x48F
#define MSR_VMX_TRUE_ENTRY_CTLS 0x490

/* IA32_VMX_EPT_VPID_CAP bits */
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)
#define EPT_CAP_INVVPID (1ull << 32)
#define EPT_CAP_INVVPID_SINGLE (1ull << 41)
#define EPT_CAP_INVVPID_ALL (1ull << 42)

/* ---------------------------------------------------------- controls */
/* Pin-based VM-execution controls */
#define PIN_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_PREEMPTION_TIMER (1u << 6)
/* Primary processor-based controls */
#define PROC_HLT_EXITING (1u << 7)
#define PROC_MWAIT_EXITING (1u << 10)
#define PROC_RDPMC_EXITING (1u << 11)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_USE_TPR_SHADOW (1u << 21)
#define PROC_UNCOND_IO_EXITING (1u << 24)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_MONITOR_EXITING (1u << 29)
#define PROC_ACTIVATE_SECONDARY (1u << 31)
/* Secondary processor-based controls */
#define PROC2_ENABLE_EPT (1u << 1)
#define PROC2_ENABLE_RDTSCP (1u << 3)
#define PROC2_ENABLE_VPID (1u << 5)
#define PROC2_WBINVD_EXITING (1u << 6)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_ENABLE_INVPCID (1u << 12)
/* VM-exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define EXIT_SAVE_EFER (1u << 20)
#define EXIT_LOAD_EFER (1u << 21)
/* VM-entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_LOAD_EFER (1u << 15)

/* VM-entry / VM-exit interruption information */
#define INTR_INFO_VALID (1u << 31)
#define INTR_INFO_ERROR_CODE (1u << 11)
#define INTR_TYPE_EXTERNAL (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HW_EXCEPTION (3u << 8)
#define INTR_TYPE_SW_INTERRUPT (4u << 8)
#define INTR_TYPE_SW_EXCEPTION (6u << 8)
#define INTR_TYPE_MASK (7u << 8)

/* ------------------------------------------------------- field encodings */
enum vmcs_field {
    /* 16-bit */
    VMCS_VPID = 0x0000,
    GUEST_ES_SELECTOR = 0x0800, /* ES CS SS DS FS GS LDTR TR follow, step 2 */
    HOST_ES_SELECTOR = 0x0C00,
    HOST_CS_SELECTOR = 0x0C02,
    HOST_SS_SELECTOR = 0x0C04,
    HOST_DS_SELECTOR = 0x0C06,
    HOST_FS_SELECTOR = 0x0C08,
    HOST_GS_SELECTOR = 0x0C0A,
    HOST_TR_SELECTOR = 0x0C0C,
    /* 64-bit */
    IO_BITMAP_A = 0x2000,
    IO_BITMAP_B = 0x2002,
    MSR_BITMAP = 0x2004,
    VIRTUAL_APIC_PAGE = 0x2012,
    EPT_POINTER = 0x201A,
    GUEST_PHYSICAL_ADDRESS = 0x2400,
    VMCS_LINK_POINTER = 0x2800,
    GUEST_IA32_DEBUGCTL = 0x2802,
    GUEST_IA32_EFER = 0x2806,
    HOST_IA32_EFER = 0x2C02,
    /* 32-bit */
    PIN_BASED_CONTROLS = 0x4000,
    PROC_BASED_CONTROLS = 0x4002,
    EXCEPTION_BITMAP = 0x4004,
    PAGE_FAULT_ERROR_MASK = 0x4006,
    PAGE_FAULT_ERROR_MATCH = 0x4008,
    CR3_TARGET_COUNT = 0x400A,
    EXIT_CONTROLS = 0x400C,
    EXIT_MSR_STORE_COUNT = 0x400E,
    EXIT_MSR_LOAD_COUNT = 0x4010,
    ENTRY_CONTROLS = 0x4012,
    ENTRY_MSR_LOAD_COUNT = 0x4014,
    ENTRY_INTR_INFO = 0x4016,
    ENTRY_EXCEPTION_ERROR_CODE = 0x4018,
    ENTRY_INSTRUCTION_LEN = 0x401A,
    TPR_THRESHOLD = 0x401C,
    SECONDARY_CONTROLS = 0x401E,
    VM_INSTRUCTION_ERROR = 0x4400,
    EXIT_REASON = 0x4402,
    EXIT_INTR_INFO = 0x4404,
    EXIT_INTR_ERROR_CODE = 0x4406,
    IDT_VECTORING_INFO = 0x4408,
    IDT_VECTORING_ERROR_CODE = 0x440A,
    EXIT_INSTRUCTION_LEN = 0x440C,
    GUEST_ES_LIMIT = 0x4800,    /* segment limits, same order, step 2 */
    GUEST_GDTR_LIMIT = 0x4810,
    GUEST_IDTR_LIMIT = 0x4812,
    GUEST_ES_AR = 0x4814,       /* access rights, same order, step 2 */
    GUEST_INTERRUPTIBILITY = 0x4824,
    GUEST_ACTIVITY_STATE = 0x4826,
    GUEST_SYSENTER_CS = 0x482A,
    GUEST_PREEMPTION_TIMER = 0x482E,
    HOST_SYSENTER_CS = 0x4C00,
    /* natural width */
    CR0_GUEST_HOST_MASK = 0x6000,
    CR4_GUEST_HOST_MASK = 0x6002,
    CR0_READ_SHADOW = 0x6004,
    CR4_READ_SHADOW = 0x6006,
    EXIT_QUALIFICATION = 0x6400,
    GUEST_LINEAR_ADDRESS = 0x640A,
    GUEST_CR0 = 0x6800,
    GUEST_CR3 = 0x6802,
    GUEST_CR4 = 0x6804,
    GUEST_ES_BASE = 0x6806,     /* segment bases, same order, step 2 */
    GUEST_GDTR_BASE = 0x6816,
    GUEST_IDTR_BASE = 0x6818,
    GUEST_DR7 = 0x681A,
    GUEST_RSP = 0x681C,
    GUEST_RIP = 0x681E,
    GUEST_RFLAGS = 0x6820,
    GUEST_PENDING_DBG = 0x6822,
    GUEST_SYSENTER_ESP = 0x6824,
    GUEST_SYSENTER_EIP = 0x6826,
    HOST_CR0 = 0x6C00,
    HOST_CR3 = 0x6C02,
    HOST_CR4 = 0x6C04,
    HOST_FS_BASE = 0x6C06,
    HOST_GS_BASE = 0x6C08,
    HOST_TR_BASE = 0x6C0A,
    HOST_GDTR_BASE = 0x6C0C,
    HOST_IDTR_BASE = 0x6C0E,
    HOST_SYSENTER_ESP = 0x6C10,
    HOST_SYSENTER_EIP = 0x6C12,
    HOST_RSP = 0x6C14,
    HOST_RIP = 0x6C16,
};

/* Guest segment registers in VMCS order: field = base field + 2 * seg. */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/* ------------------------------------------------------- basic exit reasons */
enum vmx_exit {
    EXIT_EXCEPTION_NMI = 0,
    EXIT_EXTERNAL_INTERRUPT = 1,
    EXIT_TRIPLE_FAULT = 2,
    EXIT_CPUID = 10,
    EXIT_GETSEC = 11,
    EXIT_HLT = 12,
    EXIT_INVD = 13,
    EXIT_RDPMC = 15,
    EXIT_VMCALL = 18,
    EXIT_VMCLEAR = 19, /* VMCLEAR .. VMXON: 19-27, the other VMX instructions */
    EXIT_VMXON = 27,
    EXIT_CR_ACCESS = 28,
    EXIT_IO = 30,
    EXIT_RDMSR = 31,
    EXIT_WRMSR = 32,
    EXIT_MWAIT = 36,
    EXIT_MONITOR = 39,
    EXIT_EPT_VIOLATION = 48,
    EXIT_EPT_MISCONFIG = 49,
    EXIT_INVEPT = 50,
    EXIT_PREEMPTION_TIMER = 52,
    EXIT_INVVPID = 53,
    EXIT_WBINVD = 54,
    EXIT_XSETBV = 55,
    EXIT_VMFUNC = 59,
};
#define EXIT_REASON_ENTRY_FAILED (1u << 31)

/* ------------------------------------------------------ VMX instructions */
/* Each returns 0 on success, -1 on VMfailInvalid or VMfailValid
 * (CF or ZF set: "below or equal"). */

static inline int vmx_on(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmxon %1; setbe %0" : "=qm"(fail) : "m"(phys) : "cc", "memory");
    return fail ? -1 : 0;
}

static inline int vmx_clear(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmclear %1; setbe %0" : "=qm"(fail) : "m"(phys) : "cc", "memory");
    return fail ? -1 : 0;
}

static inline int vmx_ptrld(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmptrld %1; setbe %0" : "=qm"(fail) : "m"(phys) : "cc", "memory");
    return fail ? -1 : 0;
}

static inline uint64_t vmread(uint64_t field)
{
    uint64_t value;
    __asm__ volatile("vmread %1, %0" : "=r"(value) : "r"(field) : "cc");
    return value;
}

static inline void vmwrite(uint64_t field, uint64_t value)
{
    __asm__ volatile("vmwrite %1, %0" : : "r"(field), "rm"(value) : "cc");
}

/* INVEPT / INVVPID take a 128-bit descriptor in memory and a type. */
static inline void vmx_invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, zero; } desc = {eptp, 0};
    __asm__ volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

static inline void vmx_invvpid(uint64_t type, uint16_t vpid)
{
    struct { uint64_t vpid, linear; } desc = {vpid, 0};
    __asm__ volatile("invvpid %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

/* ---------------------------------------------------------- shared state */
/* Set by vmx.c once VMXON succeeded: INVEPT/INVVPID are legal only then. */
extern int vmx_enabled;
