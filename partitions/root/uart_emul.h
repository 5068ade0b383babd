/*
 * Device emulation in the root for unenlightened children: a 16550 UART at
 * the COM2 ports.  The hypervisor sends each intercepted access as a
 * message on the root's partition-news SINT; the root answers with
 * HvPartitaCompleteIo.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"

struct uart_emul {
    char name[16];     /* printed before each line */
    char line[128];
    uint32_t used;
    uint8_t scratch, lcr, ier, mcr;
    uint64_t accesses, bytes_out, lines;
};

/* Handles one intercepted access and completes it; 0 or a status. */
int uart_emul_access(struct uart_emul *u, const struct hv_x64_io_intercept_message *m);
