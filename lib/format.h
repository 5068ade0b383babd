/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting shared by the hypervisor, the partitions and host
 * tests.  Supports %d %i %u %x %X %p %s %c %% with flags '-', '0', a width,
 * and the length modifiers l, ll, z.
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>

/* Calls emit(c, ctx) for each output character; returns the count. */
int format_emit(void (*emit)(char c, void *ctx), void *ctx, const char *fmt,
                va_list ap);

/* Like vsnprintf: always NUL-terminates when size > 0; returns the full length. */
int format_buffer(char *buf, size_t size, const char *fmt, va_list ap);
int format_string(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Text a partition supplied, made safe to put on a serial console inside
 * a line that someone else started (a child's line after its "[name] "
 * prefix, a message quoted by the root): printable ASCII and tab stay as
 * they are, a backslash becomes "\\", and every other byte — control
 * characters (newline, CR and ESC included), DEL and bytes >= 0x80 —
 * becomes "\xNN", so it can neither end the line, move the cursor nor
 * start a terminal escape sequence.  Callers that split lines do so
 * before, on the raw bytes.
 *
 * Writes at most size - 1 characters and a NUL (size > 0), only whole
 * escapes; returns how many bytes of src it wrote out (all n if they fit).
 */
size_t format_escape(char *dst, size_t size, const char *src, size_t n);
