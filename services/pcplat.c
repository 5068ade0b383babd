/* SPDX-License-Identifier: MIT */
#include "pcplat.h"

void pcplat_init(struct pcplat *p, uint64_t tsc_khz)
{
    char *b = (char *)p;
    for (unsigned i = 0; i < sizeof *p; i++)
        b[i] = 0;
    p->tsc_khz = tsc_khz;
    p->pic_imr[0] = p->pic_imr[1] = 0xff;
    p->pic_base[0] = 0x08; /* the BIOS mapping, until Linux programs its own */
    p->pic_base[1] = 0x70;
    p->timer_masked = 1;
    p->pit_access = 3;
}

int pcplat_claims(uint16_t port)
{
    return port < UART16550_COM2 || port >= UART16550_COM2 + 8;
}

/* PIT ticks to TSC ticks. */
static uint64_t pit_to_tsc(const struct pcplat *p, uint64_t ticks)
{
    return ticks * p->tsc_khz * 1000 / PCPLAT_PIT_HZ;
}

/* The count channel 0 shows now (counting down from pit_count). */
static uint16_t pit_current(const struct pcplat *p, uint64_t now)
{
    if (!p->pit_start || !p->tsc_khz)
        return (uint16_t)p->pit_count;
    uint64_t ticks = (now - p->pit_start) * PCPLAT_PIT_HZ / (p->tsc_khz * 1000);
    uint32_t n = p->pit_count;
    if (p->pit_mode == 2 || p->pit_mode == 3)
        ticks %= n;
    else if (ticks >= n)
        return (uint16_t)(0x10000 - (ticks - n) % 0x10000); /* wraps on */
    return (uint16_t)(n - ticks);
}

static void timer_update(struct pcplat *p)
{
    uint8_t vector = p->pic_base[0];
    uint64_t deadline = 0, period = 0;
    if (p->pit_start && p->tsc_khz) {
        deadline = p->pit_start + pit_to_tsc(p, p->pit_count);
        if (p->pit_mode == 2 || p->pit_mode == 3)
            period = pit_to_tsc(p, p->pit_count);
    }
    if (deadline != p->timer_deadline || period != p->timer_period ||
        vector != p->timer_vector) {
        p->timer_deadline = deadline;
        p->timer_period = period;
        p->timer_vector = vector;
        p->timer_changed = 1;
    }
    uint8_t level = uart16550_irq(&p->com1) && !(p->pic_imr[0] & 0x10);
    uint8_t irqv = (uint8_t)(p->pic_base[0] + 4);
    if (level != p->irq_level || irqv != p->irq_vector) {
        p->irq_level = level;
        p->irq_vector = irqv;
        p->irq_changed = 1;
    }
    uint8_t masked = p->pic_imr[0] & 1;
    if (masked != p->timer_masked) {
        p->timer_masked = masked;
        p->mask_changed = 1;
    }
}

static uint8_t pit_access(struct pcplat *p, uint16_t port, int write, uint8_t v, uint64_t now)
{
    if (port == 0x43) {
        if (!write)
            return 0xff;
        unsigned channel = v >> 6, access = (v >> 4) & 3;
        if (channel != 0)
            return 0; /* channels 1 and 2 and read-back: not emulated */
        if (access == 0) { /* latch the count for reading */
            p->pit_latch = pit_current(p, now);
            p->pit_latched = 2;
            p->pit_read_lo_next = 1;
            return 0;
        }
        p->pit_access = (uint8_t)access;
        p->pit_mode = (v >> 1) & 7;
        if (p->pit_mode > 5)
            p->pit_mode &= 3;
        p->pit_have_lo = 0;
        p->pit_start = 0; /* a new mode stops the count until it is loaded */
        p->pit_read_lo_next = 1;
        return 0;
    }
    if (port == 0x40) {
        if (write) {
            if (p->pit_access == 3 && !p->pit_have_lo) {
                p->pit_lo = v;
                p->pit_have_lo = 1;
                return 0;
            }
            uint32_t count = p->pit_access == 1   ? v
                             : p->pit_access == 2 ? (uint32_t)v << 8
                                                  : (uint32_t)v << 8 | p->pit_lo;
            p->pit_have_lo = 0;
            p->pit_count = count ? count : 0x10000;
            p->pit_start = now ? now : 1;
            return 0;
        }
        uint16_t c = p->pit_latched ? p->pit_latch : pit_current(p, now);
        uint8_t out;
        if (p->pit_access == 1)
            out = (uint8_t)c;
        else if (p->pit_access == 2)
            out = (uint8_t)(c >> 8);
        else {
            out = p->pit_read_lo_next ? (uint8_t)c : (uint8_t)(c >> 8);
            p->pit_read_lo_next ^= 1;
        }
        if (p->pit_latched && --p->pit_latched == 0)
            p->pit_read_lo_next = 1;
        if (p->pit_latched && p->pit_access != 3)
            p->pit_latched = 0;
        return out;
    }
    /* 0x41, 0x42: channels 1 and 2 are not emulated (calibration that
     * needs them fails fast and Linux takes tsc_early_khz). */
    return write ? 0 : 0;
}

static uint8_t pic_access(struct pcplat *p, unsigned n, int data, int write, uint8_t v)
{
    if (!write)
        return data ? p->pic_imr[n] : 0; /* IRR / ISR: nothing is tracked */
    if (!data) {
        if (v & 0x10) { /* ICW1: initialization; the mask is cleared */
            p->pic_icw[n] = 1;
            p->pic_icw4[n] = v & 1;
            p->pic_imr[n] = 0;
        }
        return 0; /* OCW2 (EOI), OCW3: no state kept */
    }
    switch (p->pic_icw[n]) {
    case 1: /* ICW2: the vector base */
        p->pic_base[n] = v & 0xf8;
        p->pic_icw[n] = 2;
        return 0;
    case 2: /* ICW3: cascade wiring */
        p->pic_icw[n] = p->pic_icw4[n] ? 3 : 0;
        return 0;
    case 3: /* ICW4 */
        p->pic_icw[n] = 0;
        return 0;
    default: /* OCW1: the mask */
        p->pic_imr[n] = v;
        return 0;
    }
}

uint32_t pcplat_access(struct pcplat *p, uint16_t port, uint8_t size, int write,
                       uint32_t value, uint64_t now)
{
    uint8_t v = (uint8_t)value;
    uint32_t out = 0xffffffffu;
    p->accesses++;
    p->timer_changed = p->mask_changed = p->irq_changed = 0;
    if (port >= UART16550_COM1 && port < UART16550_COM1 + 8 && size == 1)
        out = uart16550_access(&p->com1, (uint16_t)(port - UART16550_COM1), write, v);
    else if (port >= 0x40 && port <= 0x43 && size == 1)
        out = pit_access(p, port, write, v, now);
    else if (port == 0x61 && size == 1) {
        /* NMI status and PIT channel 2 gate: OUT2 reads high, so Linux's
         * PIT calibration loops end at once */
        if (write)
            p->port61 = v & 0x0f;
        out = p->port61 | 0x20;
    } else if ((port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1) && size == 1)
        out = pic_access(p, port >= 0xa0, port & 1, write, v);
    else if ((port == 0x70 || port == 0x71) && size == 1)
        out = 0; /* CMOS/RTC: present, never busy, every register zero */
    else if (port == PCPLAT_RESET_PORT && size == 1) {
        if (write && (v & 4))
            p->reset = 1;
        out = 0;
    } else
        p->empty_slot_accesses++;
    timer_update(p);
    if (!write && size < 4)
        out &= (1u << (8 * size)) - 1;
    return write ? 0 : out;
}
