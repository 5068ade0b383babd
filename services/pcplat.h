/* SPDX-License-Identifier: MIT */
/*
 * The small PC a Linux child sees (docs/architecture/linux-guest.md): the
 * 16550 at COM1, the 8254 PIT's channel 0, the two 8259 PICs' registers,
 * the reset control register 0xcf9, and every other legacy port as an empty
 * slot (reads all ones, writes dropped).  Pure code with no hypercalls,
 * like the UART model: served by the root in BUILD=micro (intercept
 * messages, partitions/root/linux_child.c) and inside the hypervisor in
 * BUILD=mono (kernel/services/mono_io.c).
 *
 * Time is the guest's TSC, passed in with each access.  The model never
 * injects anything itself: after an access it says what the hypervisor's
 * one-line virtual timer of the VP must become (`timer_changed`: the
 * vector, the next deadline in TSC ticks, the period or 0; `mask_changed`:
 * IRQ 0 masked at the PIC or not).  The hypervisor raises the vector when
 * the deadline passes (kernel/core/vtimer.c).
 */
#pragma once
#include <stdint.h>

#include "uart16550.h"

#define PCPLAT_PIT_HZ 1193182u
#define PCPLAT_RESET_PORT 0xcf9

struct pcplat {
    struct uart16550 com1;
    uint64_t tsc_khz; /* the guest's TSC frequency */
    /* 8254 channel 0 */
    uint8_t pit_mode, pit_access, pit_lo_next, pit_read_lo_next;
    uint8_t pit_latched, pit_have_lo;
    uint16_t pit_latch, pit_lo;
    uint32_t pit_count; /* 1..65536 */
    uint64_t pit_start; /* TSC when the count was loaded; 0: not counting */
    uint8_t port61;
    /* 8259 master (0) and slave (1) */
    uint8_t pic_imr[2], pic_base[2], pic_icw[2], pic_icw4[2];
    /* What the virtual timer must become, after the last access. */
    int timer_changed, mask_changed, irq_changed;
    /* COM1's interrupt (IRQ 4) as the PIC passes it on: a level line. */
    uint8_t irq_vector, irq_level;
    uint8_t timer_vector, timer_masked;
    uint64_t timer_deadline, timer_period; /* TSC ticks; deadline 0: stopped */
    /* The guest asked for a reset (0xcf9 with bit 2): the platform ends it. */
    int reset;
    uint64_t accesses, empty_slot_accesses;
};

void pcplat_init(struct pcplat *p, uint64_t tsc_khz);
/* Whether the model answers this port (all but the COM2 UART of the
 * small test children). */
int pcplat_claims(uint16_t port);
/* One access of `size` bytes at `now` (guest TSC); returns what a read gets.
 * Sets timer_changed / mask_changed / reset when the access changed them. */
uint32_t pcplat_access(struct pcplat *p, uint16_t port, uint8_t size, int write,
                       uint32_t value, uint64_t now);
