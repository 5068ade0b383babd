/* SPDX-License-Identifier: MIT */
/*
 * The isolation matrix's shared code (iso_state.h): markers, writing and
 * reading each row's state, holding the general-purpose registers across
 * a wait, the exception handlers and the sensitive instructions.
 *
 * Every instruction the hypervisor may refuse (MSRs, control and debug
 * registers, XSETBV) runs under ISO_TRY, so a refusal is a fault the row
 * reports, not the end of the partition.
 */
#include "iso_state.h"

#include "../../kernel/abi/hvabi.h"
#include "../../kernel/abi/partition_boot.h"
#include "../../lib/format.h"
#include "string_util.h"

struct iso_fault iso_fault;
struct iso_recover iso_recover;
/* The item iso_write/iso_read is at: a fault names it. */
static volatile uint32_t cur_item;

void iso_fault_clear(void)
{
    memset(&iso_fault, 0, sizeof iso_fault);
    cur_item = 0;
}

/* ---------------------------------------------------------------- rows */

static const char *const row_names[ISO_ROW_COUNT] = {
    [ISO_GPRS] = "gprs",
    [ISO_X87] = "x87",
    [ISO_MMX] = "mmx",
    [ISO_SSE] = "sse",
    [ISO_AVX] = "avx",
    [ISO_SEGMENTS] = "segments",
    [ISO_KERNELGSBASE] = "kernelgsbase",
    [ISO_SYSCALL_MSRS] = "syscall-msrs",
    [ISO_DEBUG_REGS] = "debug-regs",
    [ISO_CR2] = "cr2",
    [ISO_TPR] = "tpr",
    [ISO_XCR0] = "xcr0",
    [ISO_CPL3_HYPERCALL] = "cpl3-hypercall",
    [ISO_READONLY_OUTPUT] = "readonly-output",
    [ISO_SENSITIVE] = "sensitive",
};

const char *iso_row_name(enum iso_row r)
{
    return r < ISO_ROW_COUNT ? row_names[r] : "?";
}

const char *iso_who_name(enum iso_who w)
{
    static const char *const names[] = {"root", "keep", "set", "probe"};
    return w <= ISO_WHO_PROBE ? names[w] : "?";
}

static const char *const gpr_names[ISO_GPR_COUNT] = {
    "rbx", "rsi", "rdi", "rbp", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const segment_names[] = {"fs", "gs", "fs.base", "gs.base"};
static const char *const kgs_names[] = {"gs.base after swapgs",
                                        "kernel_gs_base after swapgs"};
static const char *const syscall_names[] = {
    "star", "lstar", "cstar", "sfmask", "sysenter_cs", "sysenter_esp", "sysenter_eip"};
/* STAR LSTAR CSTAR SFMASK, SYSENTER_CS ESP EIP */
static const uint32_t syscall_msrs[] = {0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
                                        0x174, 0x175, 0x176};
static const char *const debug_names[] = {"dr0", "dr1", "dr2", "dr3", "dr6", "dr7"};

const char *iso_item_name(enum iso_row r, uint32_t item, char *buf, unsigned size)
{
    switch (r) {
    case ISO_GPRS: return item < ISO_GPR_COUNT ? gpr_names[item] : "?";
    case ISO_X87: return item == 0 ? "st0" : "fcw";
    case ISO_MMX: return "mm0";
    case ISO_SSE:
        if (item == 32)
            return "mxcsr";
        format_string(buf, size, "xmm%u.%s", item / 2, item % 2 ? "hi" : "lo");
        return buf;
    case ISO_AVX:
        format_string(buf, size, "ymm%u[%s]", item / 2, item % 2 ? "255:192" : "191:128");
        return buf;
    case ISO_SEGMENTS: return item < 4 ? segment_names[item] : "?";
    case ISO_KERNELGSBASE: return item < 2 ? kgs_names[item] : "?";
    case ISO_SYSCALL_MSRS: return item < 7 ? syscall_names[item] : "?";
    case ISO_DEBUG_REGS: return item < 6 ? debug_names[item] : "?";
    case ISO_CR2: return "cr2";
    case ISO_TPR: return "cr8";
    case ISO_XCR0: return "xcr0";
    default: return "?";
    }
}

/* ------------------------------------------------------------- markers */

/*
 * Wide markers say whose they are: 0x00004d_W_0_IIII_NN_a5 (W = writer + 1,
 * IIII the partition id, NN the item).  Bit 47 is clear, so they are
 * canonical addresses (LSTAR, DR0 and the segment bases need that).
 * 32-bit markers for 32-bit MSRs: 0x4d_W_II_N_a5.  Registers of a few
 * bits take one value per writer from a table.
 */
enum kind { WIDE, NARROW, SMALL };

static uint64_t wide(enum iso_who w, uint64_t id, uint32_t item)
{
    return 0x4dull << 40 | (uint64_t)(w + 1) << 36 | (id & 0xffff) << 16 |
           (uint64_t)(item & 0xff) << 8 | 0xa5;
}

static uint64_t narrow(enum iso_who w, uint64_t id, uint32_t item)
{
    return 0x4d000000u | (uint32_t)(w + 1) << 20 | (uint32_t)(id & 0xff) << 12 |
           (item & 0xf) << 8 | 0xa5;
}

/* Small values per writer (root, keep, set), all valid for the register:
 * FCW with all exceptions masked and another rounding each; MXCSR with FZ,
 * round up, round down; DR6 with B0, B1, B2; DR7 with R/W fields but no
 * enable bit (no breakpoint fires); TPR 14 for the set child (the root
 * keeps 0); XCR0 x87+SSE+AVX, x87, x87+SSE. */
static const uint64_t fcw_marks[3] = {0x0f7f, 0x077f, 0x0b7f};
static const uint64_t mxcsr_marks[3] = {0x9f80, 0x3f80, 0x5f80};
static const uint64_t sel_marks[3] = {ISO_SEL_MARK(0), ISO_SEL_MARK(1), ISO_SEL_MARK(2)};
static const uint64_t sysenter_cs_marks[3] = {0x1052, 0x104b, 0x1053};
static const uint64_t dr6_marks[3] = {0xffff0ff1, 0xffff0ff2, 0xffff0ff4};
static const uint64_t dr7_marks[3] = {0x10400, 0x100400, 0x1000400};
static const uint64_t tpr_marks[3] = {0, 5, 14};
static const uint64_t xcr0_marks[3] = {7, 1, 3};

/* How item `item` of row r is marked; *table for SMALL ones. */
static enum kind item_kind(enum iso_row r, uint32_t item, const uint64_t **table)
{
    *table = 0;
    switch (r) {
    case ISO_X87:
        if (item == 1)
            *table = fcw_marks;
        break;
    case ISO_SSE:
        if (item == 32)
            *table = mxcsr_marks;
        break;
    case ISO_SEGMENTS:
        if (item < 2)
            *table = sel_marks;
        break;
    case ISO_SYSCALL_MSRS:
        if (item == 4)
            *table = sysenter_cs_marks;
        else if (item == 3 || item == 5 || item == 6)
            return NARROW; /* SFMASK and SYSENTER_ESP/EIP keep 32 bits on AMD */
        break;
    case ISO_DEBUG_REGS:
        if (item == 4)
            *table = dr6_marks;
        else if (item == 5)
            *table = dr7_marks;
        break;
    case ISO_TPR: *table = tpr_marks; break;
    case ISO_XCR0: *table = xcr0_marks; break;
    default: break;
    }
    return *table ? SMALL : WIDE;
}

static uint32_t item_count(enum iso_row r)
{
    static const uint8_t counts[ISO_ROW_COUNT] = {
        [ISO_GPRS] = ISO_GPR_COUNT,
        [ISO_X87] = 2,
        [ISO_MMX] = 1,
        [ISO_SSE] = 33,
        [ISO_AVX] = 32,
        [ISO_SEGMENTS] = 4,
        [ISO_KERNELGSBASE] = 2,
        [ISO_SYSCALL_MSRS] = 7,
        [ISO_DEBUG_REGS] = 6,
        [ISO_CR2] = 1,
        [ISO_TPR] = 1,
        [ISO_XCR0] = 1,
    };
    return r < ISO_ROW_COUNT ? counts[r] : 0;
}

void iso_markers(enum iso_row r, enum iso_who who, uint64_t id, struct iso_state *out)
{
    memset(out, 0, sizeof *out);
    out->count = item_count(r);
    for (uint32_t i = 0; i < out->count; i++) {
        const uint64_t *table;
        enum kind k = item_kind(r, i, &table);
        out->v[i] = k == SMALL    ? table[who < 3 ? who : 0]
                    : k == NARROW ? narrow(who, id, i)
                                  : wide(who, id, i);
    }
}

int iso_marker_owner(enum iso_row r, uint32_t item, uint64_t value, uint64_t *id)
{
    const uint64_t *table;
    enum kind k = item_kind(r, item, &table);
    *id = 0;
    if (k == SMALL) {
        for (int w = 0; w < 3; w++)
            if (table[w] == value)
                return w;
        return -1;
    }
    if (k == NARROW) {
        if (value >> 24 != 0x4d || (value & 0xff) != 0xa5)
            return -1;
        *id = (value >> 12) & 0xff;
        int w = (int)((value >> 20) & 0xf) - 1;
        return w >= 0 && w <= ISO_WHO_PROBE ? w : -1;
    }
    if (value >> 40 != 0x4d || ((value >> 32) & 0xf) != 0 || (value & 0xff) != 0xa5)
        return -1;
    *id = (value >> 16) & 0xffff;
    int w = (int)((value >> 36) & 0xf) - 1;
    return w >= 0 && w <= ISO_WHO_PROBE ? w : -1;
}

int iso_first_difference(const struct iso_state *a, const struct iso_state *b)
{
    uint32_t n = a->count < b->count ? a->count : b->count;
    for (uint32_t i = 0; i < n; i++)
        if (a->v[i] != b->v[i])
            return (int)i;
    return a->count == b->count ? -1 : (int)n;
}

/* ------------------------------------------------------------- the CPU */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

void iso_cpu_detect(struct iso_cpu *cpu)
{
    uint32_t r[4];
    memset(cpu, 0, sizeof *cpu);
    cpuid(HV_CPUID_INTERFACE_LEAF, 0, r);
    cpu->backend = r[1];
    cpuid(1, 0, r);
    cpu->monitor = (r[2] >> 3) & 1;
    cpu->xsave = (r[2] >> 26) & 1;
    cpu->avx = (r[2] >> 28) & 1;
    if (cpu->xsave) {
        cpuid(0xd, 0, r);
        cpu->xcr0_supported = r[0] | (uint64_t)r[3] << 32;
    }
}

const char *iso_row_skip(enum iso_row r, const struct iso_cpu *cpu)
{
    if (r == ISO_AVX && (!cpu->avx || !cpu->xsave || (cpu->xcr0_supported & 7) != 7))
        return "no AVX";
    /* Three different markers need three valid XCR0 values: 7, 1, 3. */
    if (r == ISO_XCR0 && !cpu->xsave)
        return "no XSAVE";
    if (r == ISO_XCR0 && (cpu->xcr0_supported & 7) != 7)
        return "no AVX state in XCR0: too few values for three markers";
    return 0;
}

#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)

static uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void set_cr4_bits(uint64_t bits)
{
    uint64_t cr4 = read_cr4();
    if ((cr4 & bits) != bits)
        ISO_TRY("mov %[v], %%cr4", (), ([v] "r"(cr4 | bits)));
}

void iso_enable_sse(void)
{
    set_cr4_bits(CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void iso_enable_osxsave(void)
{
    set_cr4_bits(CR4_OSXSAVE);
}

void iso_enable_xsave(uint64_t xcr0)
{
    iso_enable_osxsave();
    ISO_TRY("xsetbv", (), ("c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32))));
}

/* --------------------------------------------------- state, row by row */

static void wrmsr_try(uint32_t msr, uint64_t v)
{
    ISO_TRY("wrmsr", (), ("c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))));
}

static uint64_t rdmsr_try(uint32_t msr)
{
    uint32_t lo = 0, hi = 0;
    ISO_TRY("rdmsr", (, "+a"(lo), "+d"(hi)), ("c"(msr)));
    return (uint64_t)hi << 32 | lo;
}

#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u

static void write_x87(const struct iso_state *s)
{
    uint16_t fcw = (uint16_t)s->v[1];
    int64_t st0 = (int64_t)s->v[0];
    /* An empty stack, our control word, then the marker as ST0. */
    ISO_TRY("fninit\n\tfldcw %[fcw]\n\tfildll %[st0]", (),
            ([fcw] "m"(fcw), [st0] "m"(st0)));
}

static void read_x87(struct iso_state *o)
{
    uint16_t fcw = 0;
    int64_t st0 = 0;
    /* A copy of ST0 is stored and popped: the stack stays as it was. */
    ISO_TRY("fnstcw %[fcw]\n\tfld %%st(0)\n\tfistpll %[st0]",
            (, [fcw] "=m"(fcw), [st0] "=m"(st0)), ());
    o->v[0] = (uint64_t)st0;
    o->v[1] = fcw;
}

static void write_mmx(const struct iso_state *s)
{
    ISO_TRY("movq %[v], %%mm0", (), ([v] "r"(s->v[0])));
}

static void read_mmx(struct iso_state *o)
{
    uint64_t v = 0;
    ISO_TRY("movq %%mm0, %[v]", (, [v] "+r"(v)), ());
    o->v[0] = v;
}

#define XMM_IN(n) "movdqu " #n "*16(%[p]), %%xmm" #n "\n\t"
#define XMM_OUT(n) "movdqu %%xmm" #n ", " #n "*16(%[p])\n\t"
#define XMM_ALL(op)                                                                      \
    op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12)     \
        op(13) op(14) op(15)

static void write_sse(const struct iso_state *s)
{
    uint32_t mxcsr = (uint32_t)s->v[32];
    ISO_TRY(XMM_ALL(XMM_IN) "ldmxcsr %[m]", (), ([p] "r"(s->v), [m] "m"(mxcsr)));
}

static void read_sse(struct iso_state *o)
{
    uint32_t mxcsr = 0;
    ISO_TRY(XMM_ALL(XMM_OUT) "stmxcsr %[m]", (, [m] "=m"(mxcsr)), ([p] "r"(o->v)));
    o->v[32] = mxcsr;
}

#define YMM_IN(n) "vmovdqu " #n "*32(%[p]), %%ymm" #n "\n\t"
#define YMM_OUT(n) "vmovdqu %%ymm" #n ", " #n "*32(%[p])\n\t"

/* The items are the upper halves (bits 255:128) of YMM0-15; the lower
 * halves get other values (the sse row checks those). */
static void write_avx(const struct iso_state *s)
{
    uint64_t buf[64];
    for (int k = 0; k < 16; k++) {
        buf[4 * k] = ~s->v[2 * k];
        buf[4 * k + 1] = ~s->v[2 * k + 1];
        buf[4 * k + 2] = s->v[2 * k];
        buf[4 * k + 3] = s->v[2 * k + 1];
    }
    iso_enable_xsave(7); /* x87, SSE and AVX state */
    if (!iso_fault.count)
        ISO_TRY(XMM_ALL(YMM_IN), (), ([p] "r"(buf)));
}

static void read_avx(struct iso_state *o)
{
    uint64_t buf[64];
    memset(buf, 0, sizeof buf);
    ISO_TRY(XMM_ALL(YMM_OUT), (), ([p] "r"(buf)));
    for (int k = 0; k < 16; k++) {
        o->v[2 * k] = buf[4 * k + 2];
        o->v[2 * k + 1] = buf[4 * k + 3];
    }
}

static void write_segments(const struct iso_state *s)
{
    cur_item = 0;
    ISO_TRY("mov %[s], %%fs", (), ([s] "r"((uint16_t)s->v[0])));
    cur_item = 1;
    ISO_TRY("mov %[s], %%gs", (), ([s] "r"((uint16_t)s->v[1])));
    /* Loading a selector set the base from the descriptor: now the MSRs. */
    cur_item = 2;
    wrmsr_try(MSR_FS_BASE, s->v[2]);
    cur_item = 3;
    wrmsr_try(MSR_GS_BASE, s->v[3]);
}

static void read_segments(struct iso_state *o)
{
    uint16_t fs = 0, gs = 0;
    __asm__ volatile("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs), "=r"(gs));
    o->v[0] = fs;
    o->v[1] = gs;
    cur_item = 2;
    o->v[2] = rdmsr_try(MSR_FS_BASE);
    cur_item = 3;
    o->v[3] = rdmsr_try(MSR_GS_BASE);
}

/* Item 0 is what GS.base must hold after SWAPGS, item 1 KernelGSbase:
 * written the other way round, then swapped. */
static void write_kernelgsbase(const struct iso_state *s)
{
    cur_item = 0;
    wrmsr_try(MSR_GS_BASE, s->v[1]);
    cur_item = 1;
    wrmsr_try(MSR_KERNEL_GS_BASE, s->v[0]);
    ISO_TRY("swapgs", (), ());
}

static void read_kernelgsbase(struct iso_state *o)
{
    cur_item = 0;
    o->v[0] = rdmsr_try(MSR_GS_BASE);
    cur_item = 1;
    o->v[1] = rdmsr_try(MSR_KERNEL_GS_BASE);
}

static void write_syscall_msrs(const struct iso_state *s)
{
    for (uint32_t i = 0; i < 7; i++) {
        cur_item = i;
        wrmsr_try(syscall_msrs[i], s->v[i]);
    }
}

static void read_syscall_msrs(struct iso_state *o)
{
    for (uint32_t i = 0; i < 7; i++) {
        cur_item = i;
        o->v[i] = rdmsr_try(syscall_msrs[i]);
    }
}

#define DR_WRITE(n, val) ISO_TRY("mov %[x], %%dr" #n, (), ([x] "r"(val)))
#define DR_READ(n, val) ISO_TRY("mov %%dr" #n ", %[x]", (, [x] "+r"(val)), ())

static void write_debug_regs(const struct iso_state *s)
{
    cur_item = 0;
    DR_WRITE(0, s->v[0]);
    cur_item = 1;
    DR_WRITE(1, s->v[1]);
    cur_item = 2;
    DR_WRITE(2, s->v[2]);
    cur_item = 3;
    DR_WRITE(3, s->v[3]);
    cur_item = 4;
    DR_WRITE(6, s->v[4]);
    cur_item = 5;
    DR_WRITE(7, s->v[5]); /* no enable bits: no breakpoint fires */
}

static void read_debug_regs(struct iso_state *o)
{
    uint64_t v[6] = {0};
    cur_item = 0;
    DR_READ(0, v[0]);
    cur_item = 1;
    DR_READ(1, v[1]);
    cur_item = 2;
    DR_READ(2, v[2]);
    cur_item = 3;
    DR_READ(3, v[3]);
    cur_item = 4;
    DR_READ(6, v[4]);
    cur_item = 5;
    DR_READ(7, v[5]);
    memcpy(o->v, v, sizeof v);
}

static void write_cr2(const struct iso_state *s)
{
    ISO_TRY("mov %[v], %%cr2", (), ([v] "r"(s->v[0])));
}

static void read_cr2(struct iso_state *o)
{
    uint64_t v = 0;
    ISO_TRY("mov %%cr2, %[v]", (, [v] "+r"(v)), ());
    o->v[0] = v;
}

static void write_tpr(const struct iso_state *s)
{
    ISO_TRY("mov %[v], %%cr8", (), ([v] "r"(s->v[0])));
}

static void read_tpr(struct iso_state *o)
{
    uint64_t v = 0;
    ISO_TRY("mov %%cr8, %[v]", (, [v] "+r"(v)), ());
    o->v[0] = v;
}

static void write_xcr0(const struct iso_state *s)
{
    iso_enable_xsave(s->v[0]);
}

static void read_xcr0(struct iso_state *o)
{
    uint32_t lo = 0, hi = 0;
    ISO_TRY("xgetbv", (, "+a"(lo), "+d"(hi)), ("c"(0)));
    o->v[0] = (uint64_t)hi << 32 | lo;
}

int iso_write(enum iso_row r, const struct iso_state *s)
{
    iso_fault_clear();
    switch (r) {
    case ISO_X87: write_x87(s); break;
    case ISO_MMX: write_mmx(s); break;
    case ISO_SSE: write_sse(s); break;
    case ISO_AVX: write_avx(s); break;
    case ISO_SEGMENTS: write_segments(s); break;
    case ISO_KERNELGSBASE: write_kernelgsbase(s); break;
    case ISO_SYSCALL_MSRS: write_syscall_msrs(s); break;
    case ISO_DEBUG_REGS: write_debug_regs(s); break;
    case ISO_CR2: write_cr2(s); break;
    case ISO_TPR: write_tpr(s); break;
    case ISO_XCR0: write_xcr0(s); break;
    default: break; /* ISO_GPRS: iso_hold_gprs */
    }
    return iso_fault.count != 0;
}

int iso_read(enum iso_row r, struct iso_state *out)
{
    memset(out, 0, sizeof *out);
    out->count = item_count(r);
    iso_fault_clear();
    switch (r) {
    case ISO_X87: read_x87(out); break;
    case ISO_MMX: read_mmx(out); break;
    case ISO_SSE: read_sse(out); break;
    case ISO_AVX: read_avx(out); break;
    case ISO_SEGMENTS: read_segments(out); break;
    case ISO_KERNELGSBASE: read_kernelgsbase(out); break;
    case ISO_SYSCALL_MSRS: read_syscall_msrs(out); break;
    case ISO_DEBUG_REGS: read_debug_regs(out); break;
    case ISO_CR2: read_cr2(out); break;
    case ISO_TPR: read_tpr(out); break;
    case ISO_XCR0: read_xcr0(out); break;
    default: break;
    }
    return iso_fault.count != 0;
}

/* ------------------------------------------------ holding the registers */

/*
 * iso_hold_gprs(struct iso_hold *h): C cannot keep a value in a register
 * across a call, so this is assembly.  The struct pointer lives on the
 * stack (0(%rsp)); RAX, RCX, RDX and R8 carry the hypercalls; the eleven
 * others hold the markers from the first load to the final store.
 * Offsets: reg[] 0, post_gpa 88, wait_gpa 96, news_gpa 104, out_gpa 112,
 * max_halts 120, use_vmcall 128, post_result 136, wait_result 144,
 * news 152, halts 160.
 */
_Static_assert(__builtin_offsetof(struct iso_hold, post_gpa) == 88, "iso_hold layout");
_Static_assert(__builtin_offsetof(struct iso_hold, halts) == 160, "iso_hold layout");

__asm__(".macro ISO_HYPERCALL\n"
        "    mov (%rsp), %rax\n"
        "    cmpq $0, 128(%rax)\n"
        "    je 101f\n"
        "    vmcall\n"
        "    jmp 102f\n"
        "101: vmmcall\n"
        "102:\n"
        ".endm\n"
        "    .text\n"
        "    .globl iso_hold_gprs\n"
        "    .type iso_hold_gprs, @function\n"
        "iso_hold_gprs:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    push %rdi\n"
        "    mov 0(%rdi), %rbx\n"
        "    mov 8(%rdi), %rsi\n"
        "    mov 24(%rdi), %rbp\n"
        "    mov 32(%rdi), %r9\n"
        "    mov 40(%rdi), %r10\n"
        "    mov 48(%rdi), %r11\n"
        "    mov 56(%rdi), %r12\n"
        "    mov 64(%rdi), %r13\n"
        "    mov 72(%rdi), %r14\n"
        "    mov 80(%rdi), %r15\n"
        "    mov 16(%rdi), %rdi\n" /* last: it was the pointer */
        /* the post (PostMessage 0x5c), if any */
        "    mov (%rsp), %rax\n"
        "    mov 88(%rax), %rdx\n"
        "    test %rdx, %rdx\n"
        "    jz 2f\n"
        "    mov $0x5c, %ecx\n"
        "    xor %r8d, %r8d\n"
        "    ISO_HYPERCALL\n"
        "    mov (%rsp), %rcx\n"
        "    mov %rax, 136(%rcx)\n"
        "2:  mov (%rsp), %rax\n"
        "    cmpq $0, 96(%rax)\n"
        "    jne 3f\n"
        "4:  hlt\n" /* the set child: hold for ever */
        "    jmp 4b\n"
        /* the wait: PartitaReadSintMessage 0x8006 until a message comes */
        "3:  mov (%rsp), %rax\n"
        "    mov 96(%rax), %rdx\n"
        "    mov 112(%rax), %r8\n"
        "    mov $0x8006, %ecx\n"
        "    ISO_HYPERCALL\n"
        "    cmp $0x1b, %ax\n" /* HV_STATUS_NO_DATA */
        "    jne 6f\n"
        /* news: PartitaGetAndClearEventFlags 0x8007 on the news SINT */
        "    mov (%rsp), %rax\n"
        "    mov 104(%rax), %rdx\n"
        "    test %rdx, %rdx\n"
        "    jz 5f\n"
        "    mov 112(%rax), %r8\n"
        "    mov $0x8007, %ecx\n"
        "    ISO_HYPERCALL\n"
        "    test %ax, %ax\n"
        "    jnz 5f\n"
        "    mov (%rsp), %rax\n"
        "    mov 112(%rax), %rdx\n"
        "    mov (%rdx), %rdx\n"
        "    test %rdx, %rdx\n"
        "    jz 5f\n"
        "    mov %rdx, 152(%rax)\n"
        "    mov $0x1b, %eax\n"
        "    jmp 6f\n"
        "5:  mov (%rsp), %rax\n"
        "    incq 160(%rax)\n"
        "    mov 120(%rax), %rdx\n"
        "    test %rdx, %rdx\n"
        "    jz 7f\n"
        "    cmp %rdx, 160(%rax)\n"
        "    jb 7f\n"
        "    mov $0x1b, %eax\n" /* gave up: still no data */
        "    jmp 6f\n"
        "7:  hlt\n"
        "    jmp 3b\n"
        "6:  mov (%rsp), %rcx\n"
        "    mov %rax, 144(%rcx)\n"
        "    mov %rbx, 0(%rcx)\n"
        "    mov %rsi, 8(%rcx)\n"
        "    mov %rdi, 16(%rcx)\n"
        "    mov %rbp, 24(%rcx)\n"
        "    mov %r9, 32(%rcx)\n"
        "    mov %r10, 40(%rcx)\n"
        "    mov %r11, 48(%rcx)\n"
        "    mov %r12, 56(%rcx)\n"
        "    mov %r13, 64(%rcx)\n"
        "    mov %r14, 72(%rcx)\n"
        "    mov %r15, 80(%rcx)\n"
        "    pop %rdi\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n"
        "    .size iso_hold_gprs, .-iso_hold_gprs\n");

/* ---------------------------------------------------------- exceptions */

struct iso_frame {
    uint64_t rip, cs, rflags, rsp, ss;
};

static void (*unexpected_hook)(const struct iso_fault *f);

static void trap(struct iso_frame *f, uint32_t vector, uint64_t error_code)
{
    int recoverable = iso_recover.rip != 0;
    if (iso_fault.count++ == 0 || !recoverable) {
        iso_fault.vector = vector;
        iso_fault.error_code = (uint32_t)error_code;
        iso_fault.item = cur_item;
        iso_fault.rip = f->rip;
        iso_fault.cs = f->cs;
    }
    if (recoverable) {
        /* On at the recovery point, at CPL 0 even if the fault was at 3. */
        f->rip = iso_recover.rip;
        f->rsp = iso_recover.rsp;
        f->cs = ISO_SEL_CODE;
        f->ss = ISO_SEL_DATA;
        iso_recover.rip = 0;
        return;
    }
    if (unexpected_hook)
        unexpected_hook(&iso_fault);
    for (;;)
        __asm__ volatile("hlt");
}

#define HANDLER(v)                                                                       \
    __attribute__((interrupt)) static void vector_##v(struct iso_frame *f)               \
    {                                                                                    \
        trap(f, v, 0);                                                                   \
    }
#define HANDLER_EC(v)                                                                    \
    __attribute__((interrupt)) static void vector_##v(struct iso_frame *f,               \
                                                      unsigned long e)                   \
    {                                                                                    \
        trap(f, v, e);                                                                   \
    }
HANDLER(0)
HANDLER(1)
HANDLER(3)
HANDLER(4)
HANDLER(5)
HANDLER(6)
HANDLER(7)
HANDLER_EC(10)
HANDLER_EC(11)
HANDLER_EC(12)
HANDLER_EC(13)
HANDLER_EC(14)
HANDLER(16)
HANDLER_EC(17)
HANDLER(19)

struct gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

struct table_reg {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

static uint64_t gdt[10];
static struct gate idt[20];
static struct tss64 tss;

static void set_gate(unsigned v, void *handler)
{
    uint64_t a = (uint64_t)(uintptr_t)handler;
    idt[v] = (struct gate){.offset_low = (uint16_t)a,
                           .selector = ISO_SEL_CODE,
                           .type_attr = 0x8e, /* present interrupt gate, DPL 0 */
                           .offset_mid = (uint16_t)(a >> 16),
                           .offset_high = (uint32_t)(a >> 32)};
}

static void fill_gdt(uint64_t rsp0)
{
    const uint64_t data = 0x00CF92000000FFFFull;
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFFull; /* 64-bit code, DPL 0 */
    gdt[2] = gdt[3] = gdt[4] = gdt[5] = data;
    gdt[6] = 0x00CFF2000000FFFFull; /* data, DPL 3 */
    gdt[7] = 0x00AFFA000000FFFFull; /* 64-bit code, DPL 3 */
    if (!rsp0)
        return;
    memset(&tss, 0, sizeof tss);
    tss.rsp[0] = rsp0;
    tss.iomap_base = sizeof tss; /* no I/O bitmap */
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof tss - 1;
    /* A 16-byte system descriptor: type 9, an available 64-bit TSS. */
    gdt[8] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
             ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    gdt[9] = base >> 32;
}

void iso_install_tables(uint64_t rsp0, void (*unexpected)(const struct iso_fault *f))
{
    unexpected_hook = unexpected;
    fill_gdt(rsp0);
    memset(idt, 0, sizeof idt);
    set_gate(0, vector_0);
    set_gate(1, vector_1);
    set_gate(3, vector_3);
    set_gate(4, vector_4);
    set_gate(5, vector_5);
    set_gate(6, vector_6);
    set_gate(7, vector_7);
    set_gate(10, vector_10);
    set_gate(11, vector_11);
    set_gate(12, vector_12);
    set_gate(13, vector_13);
    set_gate(14, vector_14);
    set_gate(16, vector_16);
    set_gate(17, vector_17);
    set_gate(19, vector_19);
    struct table_reg g = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    struct table_reg i = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    /* The hypervisor started us with segment state but no GDT we own. */
    __asm__ volatile("lgdt %0\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw $0x10, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "lidt %1"
                     :
                     : "m"(g), "m"(i)
                     : "rax", "memory");
    if (rsp0)
        __asm__ volatile("ltr %w0" : : "r"(ISO_SEL_TSS));
}

/* ------------------------------------------------ sensitive instructions */

#define BOTH (ISO_ON_VMX | ISO_ON_SVM)
static const struct iso_insn insns[ISO_INSN_COUNT] = {
    [ISO_INSN_INVD] = {"invd", ISO_COMPLETES, BOTH, 0, 0},
    [ISO_INSN_WBINVD] = {"wbinvd", ISO_COMPLETES, BOTH, 0, 0},
    [ISO_INSN_RDPMC] = {"rdpmc", 13, BOTH, 0, 0},
    [ISO_INSN_XSETBV] = {"xsetbv-invalid", 13, BOTH, 1, 0},
    [ISO_INSN_INVLPGA] = {"invlpga", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_VMRUN] = {"vmrun", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_VMLOAD] = {"vmload", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_VMSAVE] = {"vmsave", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_STGI] = {"stgi", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_CLGI] = {"clgi", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_SKINIT] = {"skinit", 6, ISO_ON_SVM, 0, 0},
    [ISO_INSN_VMXON] = {"vmxon", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMPTRLD] = {"vmptrld", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMCLEAR] = {"vmclear", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMPTRST] = {"vmptrst", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMREAD] = {"vmread", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMWRITE] = {"vmwrite", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_INVEPT] = {"invept", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_INVVPID] = {"invvpid", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMLAUNCH] = {"vmlaunch", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMRESUME] = {"vmresume", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_VMXOFF] = {"vmxoff", 6, ISO_ON_VMX, 0, 0},
    [ISO_INSN_MONITOR] = {"monitor", 6, BOTH, 0, 1},
    [ISO_INSN_MWAIT] = {"mwait", 6, BOTH, 0, 1},
};

const struct iso_insn *iso_insn(uint32_t i)
{
    return i < ISO_INSN_COUNT ? &insns[i] : 0;
}

/* Raw encodings, so no assembler's idea of either vendor matters.  RAX
 * holds the scratch page (the memory operand, VMRUN's VMCB, MONITOR's
 * address) unless said otherwise; RCX, RDX and RBX are 0. */
#define RUN(bytes) ISO_TRY(bytes, (, "+a"(a), "+c"(c), "+d"(d), "+b"(b)), ())

void iso_insn_run(uint32_t i, void *scratch)
{
    uint64_t a = (uint64_t)(uintptr_t)scratch, c = 0, d = 0, b = 0;
    switch (i) {
    case ISO_INSN_INVD: RUN(".byte 0x0f, 0x08"); break;
    case ISO_INSN_WBINVD: RUN(".byte 0x0f, 0x09"); break;
    case ISO_INSN_RDPMC: RUN(".byte 0x0f, 0x33"); break; /* counter 0 */
    case ISO_INSN_XSETBV:
        a = 0; /* XCR0 = 0: bit 0 (x87) must be set, so the value is invalid */
        RUN(".byte 0x0f, 0x01, 0xd1");
        break;
    case ISO_INSN_INVLPGA: RUN(".byte 0x0f, 0x01, 0xdf"); break;
    case ISO_INSN_VMRUN: RUN(".byte 0x0f, 0x01, 0xd8"); break;
    case ISO_INSN_VMLOAD: RUN(".byte 0x0f, 0x01, 0xda"); break;
    case ISO_INSN_VMSAVE: RUN(".byte 0x0f, 0x01, 0xdb"); break;
    case ISO_INSN_STGI: RUN(".byte 0x0f, 0x01, 0xdc"); break;
    case ISO_INSN_CLGI: RUN(".byte 0x0f, 0x01, 0xdd"); break;
    case ISO_INSN_SKINIT: RUN(".byte 0x0f, 0x01, 0xde"); break;
    /* VMX: memory operands (%rax); VMREAD/VMWRITE field RAX, value RBX;
     * INVEPT/INVVPID type RCX, descriptor (%rax). */
    case ISO_INSN_VMXON: RUN(".byte 0xf3, 0x0f, 0xc7, 0x30"); break;
    case ISO_INSN_VMPTRLD: RUN(".byte 0x0f, 0xc7, 0x30"); break;
    case ISO_INSN_VMCLEAR: RUN(".byte 0x66, 0x0f, 0xc7, 0x30"); break;
    case ISO_INSN_VMPTRST: RUN(".byte 0x0f, 0xc7, 0x38"); break;
    case ISO_INSN_VMREAD: RUN(".byte 0x0f, 0x78, 0xc3"); break;
    case ISO_INSN_VMWRITE: RUN(".byte 0x0f, 0x79, 0xc3"); break;
    case ISO_INSN_INVEPT: RUN(".byte 0x66, 0x0f, 0x38, 0x80, 0x08"); break;
    case ISO_INSN_INVVPID: RUN(".byte 0x66, 0x0f, 0x38, 0x81, 0x08"); break;
    case ISO_INSN_VMLAUNCH: RUN(".byte 0x0f, 0x01, 0xc2"); break;
    case ISO_INSN_VMRESUME: RUN(".byte 0x0f, 0x01, 0xc3"); break;
    case ISO_INSN_VMXOFF: RUN(".byte 0x0f, 0x01, 0xc4"); break;
    case ISO_INSN_MONITOR: RUN(".byte 0x0f, 0x01, 0xc8"); break; /* address RAX */
    case ISO_INSN_MWAIT:
        a = 0; /* no hints */
        RUN(".byte 0x0f, 0x01, 0xc9");
        break;
    default: break;
    }
}
