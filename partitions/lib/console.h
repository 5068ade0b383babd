/* SPDX-License-Identifier: MIT */
/* Console output for partitions: printf to whatever console the partition has. */
#pragma once
#include <stddef.h>

#include "../../lib/format.h"

/* Where characters go: the root writes COM1 directly; children through a service. */
void console_set_sink(void (*write)(const char *s, size_t n));
void console_write_com1(const char *s, size_t n);
/* Writes n bytes to the partition's console (the sink), as printf does. */
void console_write(const char *s, size_t n);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
