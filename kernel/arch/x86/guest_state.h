/* SPDX-License-Identifier: MIT */
/*
 * Processor state that VM entry and exit do not switch, kept per vCPU and
 * switched by the hypervisor: x87/MMX/SSE/AVX (XSAVE, or FXSAVE where the
 * processor has no XSAVE), XCR0, DR0-DR3, and on VT-x also DR6, CR2,
 * KernelGsBase and the SYSCALL MSRs.  Both backends use it alike; what each
 * switches where is listed in docs/architecture/virtualization.md.
 *
 * The switch is lazy by owner: the hypervisor itself never touches any of
 * this state (it is built -mgeneral-regs-only, uses no debug registers,
 * takes no page faults, never executes SYSCALL or SWAPGS), so the real
 * registers keep the last vCPU's values until a *different* vCPU is
 * entered.  A VP that exits and re-enters pays nothing.
 */
#pragma once
#include <stdint.h>

/* What a backend asks to be switched beyond the FPU, XCR0 and DR0-DR3
 * (which its VMCS / VMCB does not hold). */
#define GUEST_STATE_DR6 0x1u          /* VT-x: DR6 is not in the VMCS */
#define GUEST_STATE_CR2 0x2u          /* VT-x: CR2 is not in the VMCS */
#define GUEST_STATE_SYSCALL_MSRS 0x4u /* VT-x: STAR LSTAR CSTAR SFMASK KernelGsBase */

#define GUEST_STATE_MSRS 5

struct guest_state {
    uint8_t *fpu;  /* XSAVE / FXSAVE image: one page of the hypervisor's pool */
    uint64_t xcr0; /* the partition's own XCR0 (XSETBV always exits) */
    uint64_t dr[4];
    uint64_t dr6;
    uint64_t cr2;
    uint64_t msr[GUEST_STATE_MSRS]; /* in the order of guest_state_msrs */
};

/* Called once by the backend's enable(): host CR0/CR4 bits for FXSAVE and
 * XSAVE, and the XCR0 features partitions may enable.  `extra` is the set
 * of GUEST_STATE_* this backend needs. */
void guest_state_host_init(unsigned extra);

/* A new vCPU's state as after RESET (FCW 0x37f, MXCSR 0x1f80, XCR0 = x87,
 * DR6 = 0xffff0ff0, everything else 0).  0 = ok, -1 = out of memory. */
int guest_state_init(struct guest_state *s);
/* The vCPU is gone: its page goes back and its values are never saved. */
void guest_state_free(struct guest_state *s);

/* Whose values are in the registers (guest_state.c). */
extern struct guest_state *guest_state_owner;
void guest_state_switch(struct guest_state *s);

/* Makes `s` the state in the processor's registers: called before every
 * VM entry.  Costs one compare when `s` already owns them (inline: the
 * call was most of it). */
static inline void guest_state_enter(struct guest_state *s)
{
    if (guest_state_owner != s)
        guest_state_switch(s);
}

/* XSETBV by the partition: 0 if `value` is a valid XCR0 for a partition
 * (x87 set, AVX only with SSE, AVX-512 all together and with AVX, nothing
 * outside the offered features), -1 if the guest must get #GP. */
int guest_state_set_xcr0(struct guest_state *s, uint64_t value);

/* MSRs a partition reads and writes without an exit: each is its own,
 * switched by the VMCS / VMCB or by guest_state_enter. */
extern const uint32_t guest_passthrough_msrs[];
extern const unsigned guest_passthrough_msr_count;
