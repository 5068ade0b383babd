/* SPDX-License-Identifier: MIT */
/*
 * The isolation matrix (the root's test=isolation, the isoprobe child):
 * what both ends share.
 *
 *   - the rows: one per piece of CPU state a partition must keep for
 *     itself (registers, x87/SSE/AVX, segment bases, MSRs, debug and
 *     control registers, XCR0), then three rows of behaviour the
 *     hypervisor must enforce (CPL-3 hypercalls, read-only output pages,
 *     sensitive instructions);
 *   - the markers: the value each writer (the root, the "keep" child, the
 *     "set" child) puts into a piece of state; a value found there later
 *     says whose it was;
 *   - the code that writes a row's state and reads it back, the same in
 *     the root and in the child;
 *   - the messages between the root and the child (SynIC payloads);
 *   - an IDT that turns an exception into a report instead of a triple
 *     fault, with recovery points for instructions that may fault.
 */
#pragma once
#include <stdint.h>

enum iso_row {
    /* state: the root, the keep child and the set child each write their
     * marker; the root and the keep child must read their own back */
    ISO_GPRS,
    ISO_X87,
    ISO_MMX,
    ISO_SSE,
    ISO_AVX,
    ISO_SEGMENTS,
    ISO_KERNELGSBASE,
    ISO_SYSCALL_MSRS,
    ISO_DEBUG_REGS,
    ISO_CR2,
    ISO_TPR,
    ISO_XCR0,
    /* behaviour: one child (the probe) checks, the root judges */
    ISO_CPL3_HYPERCALL,
    ISO_READONLY_OUTPUT,
    ISO_SENSITIVE,
    ISO_ROW_COUNT
};
#define ISO_FIRST_BEHAVIOUR_ROW ISO_CPL3_HYPERCALL

enum iso_who { ISO_WHO_ROOT = 0, ISO_WHO_KEEP = 1, ISO_WHO_SET = 2, ISO_WHO_PROBE = 3 };

/* The most items (64-bit values) one row holds: SSE's 16 XMM registers as
 * two halves each, and MXCSR. */
#define ISO_MAX_ITEMS 33
struct iso_state {
    uint32_t count;
    uint64_t v[ISO_MAX_ITEMS];
};

/* The general-purpose registers a guest can hold across a halt and a
 * hypercall (RAX, RCX, RDX and R8 carry the call; RSP the stack). */
#define ISO_GPR_COUNT 11

const char *iso_row_name(enum iso_row r);
const char *iso_who_name(enum iso_who w);
/* The name of item `item` of row r ("xmm5.hi", "lstar"). */
const char *iso_item_name(enum iso_row r, uint32_t item, char *buf, unsigned size);

/* The markers writer `who` (partition `id`) puts into row r. */
void iso_markers(enum iso_row r, enum iso_who who, uint64_t id, struct iso_state *out);
/* Whose marker `value` is, if any (-1: nobody's); *id gets the partition
 * id where the marker carries one, else 0. */
int iso_marker_owner(enum iso_row r, uint32_t item, uint64_t value, uint64_t *id);

/* ---- the CPU as the rows need it ------------------------------------- */

struct iso_cpu {
    uint32_t backend; /* HV_BACKEND_* from CPUID 0x40000001 */
    int xsave, avx, monitor;
    uint64_t xcr0_supported; /* CPUID 0xD.0 EAX (0 without XSAVE) */
};
void iso_cpu_detect(struct iso_cpu *cpu);
/* Why row r cannot run on this CPU (printed as "skipped (...)"), or 0. */
const char *iso_row_skip(enum iso_row r, const struct iso_cpu *cpu);
/* CR4.OSFXSR and OSXMMEXCPT: SSE instructions work from here on.  (The
 * hypervisor starts a partition with CR4 = PAE only.) */
void iso_enable_sse(void);
/* CR4.OSXSAVE (XGETBV and XSETBV work from here on, or #UD without it). */
void iso_enable_osxsave(void);
/* CR4.OSXSAVE, then XSETBV XCR0 = xcr0. */
void iso_enable_xsave(uint64_t xcr0);

/* Writes the row's state (not ISO_GPRS: iso_hold_gprs).  0, or 1 if an
 * instruction faulted (iso_fault says which and where). */
int iso_write(enum iso_row r, const struct iso_state *s);
/* Reads it back into *out; 0, or 1 if an instruction faulted. */
int iso_read(enum iso_row r, struct iso_state *out);
/* The first item where a and b differ, or -1. */
int iso_first_difference(const struct iso_state *a, const struct iso_state *b);

/*
 * ISO_GPRS: holds the markers in the registers (RBX RSI RDI RBP R9-R15)
 * across a post and a wait, then stores what they hold in reg[].  With
 * wait_gpa 0 it never returns (the set child).  All GPAs are the
 * caller's, identity-mapped.
 */
struct iso_hold {
    uint64_t reg[ISO_GPR_COUNT]; /* in: the markers; out: what the registers held */
    uint64_t post_gpa;    /* a PostMessage input block sent once they hold them, or 0 */
    uint64_t wait_gpa;    /* struct hv_input_sint: the SINT whose next message ends the
                             wait, or 0: hold for ever */
    uint64_t news_gpa;    /* struct hv_input_sint of a SINT whose event flags also end
                             the wait (the root's partition news), or 0 */
    uint64_t out_gpa;     /* the output page: the message, or the flags */
    uint64_t max_halts;   /* give up after this many halts; 0: never */
    uint64_t use_vmcall;  /* VMCALL (VT-x) or VMMCALL (AMD-V) */
    uint64_t post_result; /* RAX of the post */
    uint64_t wait_result; /* RAX of the last read: SUCCESS if a message came */
    uint64_t news;        /* the flags that ended the wait, or 0 */
    uint64_t halts;
};
void iso_hold_gprs(struct iso_hold *h);

/* ---- exceptions ------------------------------------------------------ */

/* The GDT both programs load (iso_install_tables). */
#define ISO_SEL_CODE 0x08
#define ISO_SEL_DATA 0x10
/* Three more data descriptors, identical: the selector is the marker
 * (FS and GS of the segments row). */
#define ISO_SEL_MARK(who) (0x18 + 8 * (uint16_t)(who))
#define ISO_SEL_USER_DATA 0x33 /* index 6, RPL 3 */
#define ISO_SEL_USER_CODE 0x3b /* index 7, RPL 3: 64-bit */
#define ISO_SEL_TSS 0x40

struct iso_fault {
    uint32_t count;  /* exceptions since iso_fault_clear */
    uint32_t vector; /* the first one */
    uint32_t error_code;
    uint32_t item;   /* the row's item being written or read then */
    uint64_t rip, cs;
};
extern struct iso_fault iso_fault;
void iso_fault_clear(void);

/* Where an exception resumes: set by ISO_TRY just before an instruction
 * that may fault, cleared after it.  The handler resumes at rip with rsp
 * at CPL 0 (so a fault at CPL 3 comes back to the kernel too). */
struct iso_recover {
    uint64_t rip, rsp;
};
extern struct iso_recover iso_recover;

/* Runs `insn` (assembler text) with a recovery point after it: an
 * exception is recorded in iso_fault and execution goes on after it.
 * `outputs` and `inputs` are parenthesized operand lists; outputs, if
 * any, start with a comma: ISO_TRY("rdmsr", (, "=a"(lo), "=d"(hi)),
 * ("c"(msr))).  Operands %0 and %1 are the recovery point's. */
#define ISO_ARGS(...) __VA_ARGS__
// clang-format off
#define ISO_TRY(insn, outputs, inputs)                                          \
    __asm__ volatile("lea 1f(%%rip), %%r11\n\t"                               \
                     "mov %%r11, %[rec_rip]\n\t"                               \
                     "mov %%rsp, %[rec_rsp]\n\t" insn "\n"                     \
                     "1:\n\t"                                                  \
                     "movq $0, %[rec_rip]"                                     \
                     : [rec_rip] "=m"(iso_recover.rip),                        \
                       [rec_rsp] "=m"(iso_recover.rsp) ISO_ARGS outputs        \
                     : ISO_ARGS inputs                                         \
                     : "r11", "memory")
// clang-format on

/* Loads the GDT above (with a TSS whose RSP0 is `rsp0`, the top of a
 * stack for exceptions from CPL 3, unless rsp0 is 0) and an IDT whose
 * handlers record #DE #DB #BP #OF #BR #UD #NM #TS #NP #SS #GP #PF #MF #AC
 * #XM; without a recovery point they call `unexpected` (which should not
 * return: the handler halts if it does). */
void iso_install_tables(uint64_t rsp0, void (*unexpected)(const struct iso_fault *f));

/* ---- the sensitive instructions -------------------------------------- */

enum iso_insn_id {
    ISO_INSN_INVD,
    ISO_INSN_WBINVD,
    ISO_INSN_RDPMC,
    ISO_INSN_XSETBV,
    ISO_INSN_INVLPGA,
    ISO_INSN_VMRUN,
    ISO_INSN_VMLOAD,
    ISO_INSN_VMSAVE,
    ISO_INSN_STGI,
    ISO_INSN_CLGI,
    ISO_INSN_SKINIT,
    ISO_INSN_VMXON,
    ISO_INSN_VMPTRLD,
    ISO_INSN_VMCLEAR,
    ISO_INSN_VMPTRST,
    ISO_INSN_VMREAD,
    ISO_INSN_VMWRITE,
    ISO_INSN_INVEPT,
    ISO_INSN_INVVPID,
    ISO_INSN_VMLAUNCH,
    ISO_INSN_VMRESUME,
    ISO_INSN_VMXOFF,
    ISO_INSN_MONITOR,
    ISO_INSN_MWAIT, /* last: run natively it may wait for a while */
    ISO_INSN_COUNT
};
#define ISO_COMPLETES 0xffffffffu /* outcome: no exception, RIP moved on */
#define ISO_ON_VMX 1u             /* a VT-x processor can intercept it */
#define ISO_ON_SVM 2u             /* an AMD-V processor can intercept it */
struct iso_insn {
    const char *name;
    uint32_t outcome;   /* ISO_COMPLETES or the vector the guest must see */
    uint32_t intercept; /* ISO_ON_*: elsewhere the processor itself raises #UD */
    int needs_xsave;    /* skipped without XSAVE */
    int needs_monitor;  /* without CPUID MONITOR, the #UD may come before any intercept */
};
const struct iso_insn *iso_insn(uint32_t i);
/* Runs instruction i with a recovery point (the child's side); `scratch`
 * is a page-aligned page it may name as an operand. */
void iso_insn_run(uint32_t i, void *scratch);

/* ---- messages -------------------------------------------------------- */

#define ISO_MAGIC 0x314f5349u /* "ISO1" */
enum iso_kind {
    ISO_MSG_ARGS = 1, /* root -> child: row and role; for the set child also "go" */
    ISO_MSG_READY,    /* keep -> root: its marker is in place */
    ISO_MSG_SET,      /* set -> root: its marker is in place; it halts for ever */
    ISO_MSG_CHECK,    /* root -> keep: read your state back now */
    ISO_MSG_REPORT,   /* child -> root: the row's result from the child's side */
    ISO_MSG_INSN,     /* probe -> root: one sensitive instruction done */
};
enum iso_status {
    ISO_OK = 0,
    ISO_DIFFERS,   /* item `item` holds `got`, not `want` */
    ISO_FAULT,     /* an exception: vector, rip, cs */
    ISO_NOT_TAKEN, /* the write did not stick: read back `got` at once, wrote `want` */
    ISO_SKIPPED,
};
struct iso_msg {
    uint32_t magic, kind;
    uint32_t row, who;
    uint32_t status, item;
    uint64_t id; /* the child's partition id: ARGS tell it (its markers carry it), its
                    answers carry it (the root tells them from an earlier child's) */
    uint64_t got, want;
    uint32_t vector, error_code;
    uint64_t fault_rip, fault_cs;
    uint32_t reading; /* ISO_FAULT: 1 reading back, 0 writing */
    uint32_t reserved;
    uint64_t arg[8]; /* per row (see isoprobe/main.c) */
};
_Static_assert(sizeof(struct iso_msg) <= 240, "iso_msg must fit a message payload");

/* The child's page where the root maps a read-only page (readonly-output). */
#define ISO_RO_GPA 0x400000ull
