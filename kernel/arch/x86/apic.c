/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer: the hypervisor's only interrupt.  It fires
 * periodically so that a partition spinning in guest mode is interrupted
 * (a VM exit) and the scheduler can run the others.  Partitions never see
 * it.
 */
#include <stdint.h>

#include "../arch.h"
#include "io.h"

#define APIC_BASE 0xfee00000ull
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_DIVIDE 0x3e0
#define TIMER_VECTOR 0x20
#define SPURIOUS_VECTOR 0xff
#define TIMER_PERIODIC (1u << 17)

static volatile uint64_t ticks;

static void apic_write(uint32_t reg, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)(APIC_BASE + reg) = value;
}

void arch_timer_start(void)
{
    /* The legacy 8259 PICs would deliver the PIT on vector 8 (the BIOS
     * mapping), which is the double-fault vector: mask them all. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR); /* software enable */
    apic_write(APIC_TIMER_DIVIDE, 0x3);            /* divide by 16 */
    apic_write(APIC_LVT_TIMER, TIMER_PERIODIC | TIMER_VECTOR);
    apic_write(APIC_TIMER_INITIAL, 0x100000);
}

/* Called from the vector-0x20 stub (exceptions.S). */
void timer_interrupt(void);

void timer_interrupt(void)
{
    ticks++;
    apic_write(APIC_EOI, 0);
}

void arch_service_interrupts(void)
{
    /* A pending interrupt made the guest exit; take it here, then close again. */
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

uint64_t arch_timer_ticks(void)
{
    return ticks;
}
