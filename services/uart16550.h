/* SPDX-License-Identifier: MIT */
/*
 * A 16550 UART as a device model: the registers an unenlightened guest
 * programs, and the lines it transmits.  Pure code with no hypercalls, so
 * the same file serves in the root partition (BUILD=micro, reached through
 * intercept messages) and inside the hypervisor (BUILD=mono, called straight
 * from the I/O exit).
 *
 * Enough of a 16550A for Linux's 8250 driver to find and use it: the
 * divisor latch (LCR.DLAB), the FIFO bits of IIR once FCR enables it, the
 * modem-status loopback its probe checks, and a small receive queue
 * (uart16550_rx).  Its interrupt output (uart16550_irq) is what IER asks
 * for: transmitter empty (always, bytes leave at once) and data received;
 * IIR names the cause.
 */
#pragma once
#include <stdint.h>

#define UART16550_COM1 0x3f8
#define UART16550_COM2 0x2f8
#define UART16550_RX 64

struct uart16550 {
    char name[16]; /* printed before each line */
    char line[128];
    uint32_t used;
    uint8_t scratch, lcr, ier, mcr, fcr, dll, dlm;
    uint8_t rx[UART16550_RX];
    uint32_t rx_head, rx_count;
    uint64_t accesses, bytes_out, lines;
    /* Where a finished line goes, escaped (format_escape) and without its newline. */
    void (*line_out)(const char *name, const char *line, void *ctx);
    void *ctx;
};

/* One access to register `reg` (0-7); returns what a read gets. */
uint8_t uart16550_access(struct uart16550 *u, uint16_t reg, int write, uint8_t value);
/* The interrupt output: 1 while an enabled cause holds. */
int uart16550_irq(const struct uart16550 *u);
/* A byte for the guest to receive; 0 if the queue is full. */
int uart16550_rx(struct uart16550 *u, uint8_t byte);
