/* SPDX-License-Identifier: MIT */
/*
 * The root's device emulation for unenlightened children (BUILD=micro): the
 * hypervisor sends each intercepted access as a message on the root's
 * intercept SINT (HV_SINT_INTERCEPTS); the root runs the UART model
 * (services/uart16550.c) and answers with HvPartitaCompleteIo.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"
#include "../../services/uart16550.h"

/* Prepares the UART model to print "[name] line" on the root's console. */
void uart_emul_init(struct uart16550 *u, const char *name);

/* Takes the next message on the root's intercept SINT (and sends its end
 * of message): 1 with *io if it was an intercepted port access, 0 if it was
 * another message (reported on the console: intercept_reader.h), -1 if none
 * was waiting. */
int uart_emul_next(struct hv_x64_io_intercept_message *io);

/* Answers one intercepted access (PartitaCompleteIo): an IN reads `value`;
 * 0 or a status. */
int uart_emul_complete(const struct hv_x64_io_intercept_message *m, uint64_t value);

/* Handles one intercepted access to the COM2 UART and completes it (any
 * other port is refused, as uart_emul_refuse does); 0 or a status. */
int uart_emul_access(struct uart16550 *u, const struct hv_x64_io_intercept_message *m);

/* An access the root has no device for (no emulation for that port, or
 * for that child): completed as a port with nothing behind it — an IN
 * reads all ones, an OUT goes nowhere, like the hypervisor's own unclaimed
 * ports — with a console line saying so, so that the child runs on instead
 * of waiting for ever.  0 or the status of PartitaCompleteIo. */
int uart_emul_refuse(const struct hv_x64_io_intercept_message *m, const char *why);
