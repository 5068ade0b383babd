/* SPDX-License-Identifier: MIT */
/*
 * A 16550 UART as a device model: the registers an unenlightened guest
 * programs, and the lines it transmits.  Pure code with no hypercalls, so
 * the same file serves in the root partition (BUILD=micro, reached through
 * intercept messages) and inside the hypervisor (BUILD=mono, called straight
 * from the I/O exit).
 */
#pragma once
#include <stdint.h>

#define UART16550_COM2 0x2f8

struct uart16550 {
    char name[16]; /* printed before each line */
    char line[128];
    uint32_t used;
    uint8_t scratch, lcr, ier, mcr;
    uint64_t accesses, bytes_out, lines;
    /* Where a finished line goes, escaped (format_escape) and without its newline. */
    void (*line_out)(const char *name, const char *line, void *ctx);
    void *ctx;
};

/* One access to register `reg` (0-7); returns what a read gets. */
uint8_t uart16550_access(struct uart16550 *u, uint16_t reg, int write, uint8_t value);
