/* SPDX-License-Identifier: MIT */
/*
 * The root's reader of its intercept SINT (HV_SINT_INTERCEPTS): takes the
 * message in the slot, hands an intercepted port access to the device
 * emulation, and never drops anything else without a word — any other
 * message is reported on a log line naming its type and sender, and
 * acknowledged so the queue behind it moves on.
 *
 * The SINT is reached through `struct intercept_sint`: hypercalls in the
 * root (uart_emul.c), fakes in the host test (tests/unit/test_intercept_reader.c).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"

struct intercept_sint {
    /* PartitaReadSintMessage on HV_SINT_INTERCEPTS: the slot's message, or
     * NULL if the slot is empty (or the call failed). */
    const struct hv_message *(*read)(void *ctx);
    /* PartitaSintEom on HV_SINT_INTERCEPTS. */
    void (*eom)(void *ctx);
    /* One line for the root's log (no newline). */
    void (*report)(void *ctx, const char *line);
    void *ctx;
};

/* 1: *io is an intercepted port access (acknowledged; the caller answers
 * it with PartitaCompleteIo); 0: another message was there, reported and
 * acknowledged; -1: the slot was empty. */
int intercept_take(const struct intercept_sint *s,
                   struct hv_x64_io_intercept_message *io);

/* The report line for a message that is not an intercept, as intercept_take
 * writes it; returns its length (format_string's). */
int intercept_describe(char *buf, size_t size, const struct hv_message *m);
