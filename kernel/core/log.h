/* SPDX-License-Identifier: MIT */
/* Formatted output to the hypervisor log channel, and panic(). */
#pragma once

#include "../../lib/format.h"

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

__attribute__((noreturn, format(printf, 3, 4))) void
panic_at(const char *file, int line, const char *fmt, ...);

/* Stops the hypervisor with the file and line of the caller. */
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
