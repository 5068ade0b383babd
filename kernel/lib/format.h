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
