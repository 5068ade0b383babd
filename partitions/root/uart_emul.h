/*
 * The root's device emulation for unenlightened children (BUILD=micro): the
 * hypervisor sends each intercepted access as a message on the root's
 * partition-news SINT; the root runs the UART model (kernel/services/) and
 * answers with HvPartitaCompleteIo.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"
#include "../../kernel/services/uart16550.h"

/* Prepares the UART model to print "[name] line" on the root's console. */
void uart_emul_init(struct uart16550 *u, const char *name);

/* Takes the next message on the root's partition-news SINT (and sends its
 * end of message): 1 with *io if it was an intercepted port access, 0 if
 * it was another message, -1 if none was waiting. */
int uart_emul_next(struct hv_x64_io_intercept_message *io);

/* Handles one intercepted access and completes it; 0 or a status. */
int uart_emul_access(struct uart16550 *u, const struct hv_x64_io_intercept_message *m);
