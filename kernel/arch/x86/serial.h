/* SPDX-License-Identifier: MIT */
/*
 * 16550 UARTs.  Each port is one channel with one job, so that output from
 * different sources never interleaves mid-line:
 *   COM1 console, COM2 hypervisor log, COM3 trace, COM4 debug data.
 */
#pragma once
#include <stdint.h>

enum serial_port {
    SERIAL_COM1 = 0x3f8,
    SERIAL_COM2 = 0x2f8,
    SERIAL_COM3 = 0x3e8,
    SERIAL_COM4 = 0x2e8,
};

void serial_init(enum serial_port port);
void serial_putc(enum serial_port port, char c);
void serial_write(enum serial_port port, const char *s, unsigned long n);
void serial_flush(enum serial_port port);
