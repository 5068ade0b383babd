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
#define APIC_TIMER_CURRENT 0x390
#define TIMER_MASKED (1u << 16)
#define PERIOD 0x100000u

static volatile uint64_t ticks;

static void apic_write(uint32_t reg, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)(APIC_BASE + reg) = value;
}

static uint64_t tsc_khz, apic_khz;

static uint32_t apic_read(uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)(APIC_BASE + reg);
}

/* PIT channel 2 counts 11932 ticks (10 ms) in mode 0 while the TSC runs;
 * the gate is port 0x61 bit 0, the channel's output bit 5. */
static uint64_t calibrate_tsc_khz(void)
{
    const uint32_t count = 11932;
    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xb0); /* channel 2, low then high byte, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    uint64_t t0 = rdtsc();
    uint32_t a0 = apic_read(APIC_TIMER_CURRENT);
    for (uint32_t i = 0; i < 50000000u; i++)
        if (inb(0x61) & 0x20) {
            uint32_t a1 = apic_read(APIC_TIMER_CURRENT);
            apic_khz = (uint64_t)(a0 - a1) * 1193182ull / (count * 1000ull);
            return (rdtsc() - t0) * 1193182ull / (count * 1000ull);
        }
    return 0;
}

uint64_t arch_tsc(void)
{
    return rdtsc();
}

uint64_t arch_tsc_khz(void)
{
    return tsc_khz;
}

/* The CPU halts until the deadline: the APIC timer, one-shot for the
 * wait, then periodic again (an emulator skips the halted time at once,
 * where a spinning loop would be emulated instruction by instruction). */
void arch_wait_until(uint64_t tsc)
{
    uint64_t now = rdtsc();
    if (now >= tsc)
        return;
    if (!tsc_khz || !apic_khz) {
        while (rdtsc() < tsc)
            __asm__ volatile("pause");
        return;
    }
    apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot */
    for (; now < tsc; now = rdtsc()) {
        uint64_t n = (tsc - now) * apic_khz / tsc_khz + 1;
        apic_write(APIC_TIMER_INITIAL, n > 0xffffffffull ? 0xffffffffu : (uint32_t)n);
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
    apic_write(APIC_LVT_TIMER, TIMER_PERIODIC | TIMER_VECTOR);
    apic_write(APIC_TIMER_INITIAL, PERIOD);
}

void arch_legacy_irqs_off(void)
{
    /* The legacy 8259 PICs would deliver the PIT on vector 8 (the BIOS
     * mapping), which is the double-fault vector: mask them all. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

/* sti;hlt: the interrupt shadow of STI covers HLT, so a tick that is
 * already pending wakes the HLT instead of being taken before it. */
void arch_wait_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

void arch_timer_start(void)
{
    /* The APIC timer counts down, masked, while the PIT measures 10 ms. */
    apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR);
    apic_write(APIC_TIMER_DIVIDE, 0x3);
    apic_write(APIC_LVT_TIMER, TIMER_MASKED | TIMER_VECTOR);
    apic_write(APIC_TIMER_INITIAL, 0xffffffffu);
    tsc_khz = calibrate_tsc_khz();
    arch_legacy_irqs_off();
    apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR); /* software enable */
    apic_write(APIC_TIMER_DIVIDE, 0x3);            /* divide by 16 */
    apic_write(APIC_LVT_TIMER, TIMER_PERIODIC | TIMER_VECTOR);
    apic_write(APIC_TIMER_INITIAL, PERIOD);
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
