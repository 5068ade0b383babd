/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU processor state the world switch itself does not carry: see
 * guest_state.h for what and why it is switched lazily.
 */
#include "guest_state.h"

#include "../../../lib/string.h"
#include "../../core/log.h"
#include "../arch.h"
#include "../virt.h"
#include "io.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)

/* XCR0 features partitions may enable: x87, SSE, AVX, the three AVX-512
 * components and PKRU.  Others (MPX, AMX, CET through XSS) are not offered:
 * their state would need more than the one page an image gets here. */
#define XCR0_X87 0x1ull
#define XCR0_SSE 0x2ull
#define XCR0_AVX 0x4ull
#define XCR0_AVX512 0xe0ull
#define XCR0_PKRU 0x200ull
#define XCR0_CANDIDATES (XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512 | XCR0_PKRU)

#define MSR_KERNEL_GS_BASE 0xc0000102u

/* STAR LSTAR CSTAR SFMASK KernelGsBase: the order of guest_state.msr[]. */
static const uint32_t syscall_msrs[GUEST_STATE_MSRS] = {
    0xc0000081u, 0xc0000082u, 0xc0000083u, 0xc0000084u, MSR_KERNEL_GS_BASE,
};

const uint32_t guest_passthrough_msrs[] = {
    0x174u,      0x175u,      0x176u, /* SYSENTER_CS ESP EIP */
    0xc0000081u, 0xc0000082u, 0xc0000083u,
    0xc0000084u,                                  /* STAR LSTAR CSTAR SFMASK */
    0xc0000100u, 0xc0000101u, MSR_KERNEL_GS_BASE, /* FS.base GS.base KernelGsBase */
};
const unsigned guest_passthrough_msr_count =
    sizeof guest_passthrough_msrs / sizeof guest_passthrough_msrs[0];

static unsigned extra;            /* GUEST_STATE_* of this backend */
static uint64_t xsave_mask;       /* features XSAVE saves; 0: FXSAVE only */
static uint64_t xcr0_now;         /* what XCR0 holds now */
struct guest_state *guest_state_owner; /* whose values are in the registers */

static uint64_t read_cr(int n)
{
    uint64_t v = 0;
    switch (n) {
    case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
    case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
    }
    return v;
}

static void xsetbv(uint64_t value)
{
    if (value == xcr0_now)
        return;
    __asm__ volatile("xsetbv"
                     :
                     : "c"(0), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
    xcr0_now = value;
}

void guest_state_host_init(unsigned backend_extra)
{
    extra = backend_extra;
    /* FXSAVE and XSAVE need CR0.EM and TS clear; CR4.OSFXSR makes FXSAVE
     * include the XMM registers; CR4.OSXSAVE enables XSAVE and XSETBV. */
    uint64_t cr0 = (read_cr(0) & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    uint64_t cr4 = read_cr(4) | CR4_OSFXSR | CR4_OSXMMEXCPT;
    int has_xsave = !!(cpuid(1, 0).ecx & (1u << 26));
    if (has_xsave)
        cr4 |= CR4_OSXSAVE;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    if (!has_xsave)
        return;

    struct cpuid_regs d = cpuid(0xd, 0);
    uint64_t mask = ((uint64_t)d.edx << 32 | d.eax) & XCR0_CANDIDATES;
    if (!(mask & XCR0_AVX))
        mask &= ~(XCR0_AVX512);
    if ((mask & XCR0_AVX512) != XCR0_AVX512)
        mask &= ~XCR0_AVX512;
    xcr0_now = XCR0_X87; /* the value after RESET */
    xsetbv(mask);
    if (cpuid(0xd, 0).ebx > 4096) { /* cannot happen with these features */
        mask &= ~(XCR0_AVX512 | XCR0_PKRU);
        xsetbv(mask);
    }
    xsave_mask = mask;
}

uint64_t arch_xcr0_offered(void)
{
    return xsave_mask;
}

int guest_state_init(struct guest_state *s)
{
    memset(s, 0, sizeof *s);
    uint64_t page =
        hv_page_alloc(); /* zeroed: XSTATE_BV 0 = every feature in its initial state */
    if (!page)
        return -1;
    s->fpu = (uint8_t *)(uintptr_t)page;
    *(uint16_t *)(s->fpu + 0) = 0x037f;  /* FCW as after FNINIT */
    *(uint32_t *)(s->fpu + 24) = 0x1f80; /* MXCSR: all exceptions masked */
    s->xcr0 = XCR0_X87;
    s->dr6 = 0xffff0ff0;
    return 0;
}

void guest_state_free(struct guest_state *s)
{
    if (guest_state_owner == s)
        guest_state_owner = 0; /* its values stay in the registers until the next
                                  load overwrites them all */
    if (s->fpu)
        hv_page_free((uint64_t)(uintptr_t)s->fpu);
    s->fpu = 0;
}

/* The image is saved and restored with every offered feature enabled:
 * legacy SSE instructions reach the XMM registers whatever the partition's
 * XCR0, so its XCR0 must not decide what is kept. */
static void save(struct guest_state *s)
{
    if (xsave_mask) {
        xsetbv(xsave_mask);
        __asm__ volatile("xsave64 %0"
                         : "+m"(*(uint8_t(*)[4096])s->fpu)
                         : "a"((uint32_t)xsave_mask), "d"((uint32_t)(xsave_mask >> 32)));
    } else {
        __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])s->fpu));
    }
    __asm__ volatile("mov %%dr0, %0" : "=r"(s->dr[0]));
    __asm__ volatile("mov %%dr1, %0" : "=r"(s->dr[1]));
    __asm__ volatile("mov %%dr2, %0" : "=r"(s->dr[2]));
    __asm__ volatile("mov %%dr3, %0" : "=r"(s->dr[3]));
    if (extra & GUEST_STATE_DR6)
        __asm__ volatile("mov %%dr6, %0" : "=r"(s->dr6));
    if (extra & GUEST_STATE_CR2)
        s->cr2 = read_cr(2);
    if (extra & GUEST_STATE_SYSCALL_MSRS)
        for (unsigned i = 0; i < GUEST_STATE_MSRS; i++)
            s->msr[i] = rdmsr(syscall_msrs[i]);
}

static void load(const struct guest_state *s)
{
    if (xsave_mask) {
        xsetbv(xsave_mask);
        __asm__ volatile("xrstor64 %0"
                         :
                         : "m"(*(const uint8_t(*)[4096])s->fpu),
                           "a"((uint32_t)xsave_mask), "d"((uint32_t)(xsave_mask >> 32)));
        xsetbv(s->xcr0);
    } else {
        __asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t(*)[512])s->fpu));
    }
    __asm__ volatile("mov %0, %%dr0" : : "r"(s->dr[0]));
    __asm__ volatile("mov %0, %%dr1" : : "r"(s->dr[1]));
    __asm__ volatile("mov %0, %%dr2" : : "r"(s->dr[2]));
    __asm__ volatile("mov %0, %%dr3" : : "r"(s->dr[3]));
    if (extra & GUEST_STATE_DR6)
        __asm__ volatile("mov %0, %%dr6" : : "r"(s->dr6));
    if (extra & GUEST_STATE_CR2)
        __asm__ volatile("mov %0, %%cr2" : : "r"(s->cr2));
    if (extra & GUEST_STATE_SYSCALL_MSRS)
        for (unsigned i = 0; i < GUEST_STATE_MSRS; i++)
            wrmsr(syscall_msrs[i], s->msr[i]);
}

void guest_state_switch(struct guest_state *s)
{
    if (guest_state_owner)
        save(guest_state_owner);
    load(s);
    guest_state_owner = s;
}

int guest_state_set_xcr0(struct guest_state *s, uint64_t value)
{
    if (!xsave_mask || !(value & XCR0_X87) || (value & ~xsave_mask))
        return -1;
    if ((value & XCR0_AVX) && !(value & XCR0_SSE))
        return -1;
    if ((value & XCR0_AVX512) &&
        ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX)))
        return -1;
    s->xcr0 = value;
    if (guest_state_owner == s)
        xsetbv(value);
    return 0;
}
