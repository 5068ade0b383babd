/* SPDX-License-Identifier: MIT */
#include "log.h"

#include "../arch/arch.h"

/* Lines are collected and written whole so a log line is never split. */
struct line_buffer {
    char text[160];
    size_t used;
};

static void line_flush(struct line_buffer *lb)
{
    if (lb->used)
        arch_log_write(lb->text, lb->used);
    lb->used = 0;
}

static void line_emit(char c, void *ctx)
{
    struct line_buffer *lb = ctx;
    lb->text[lb->used++] = c;
    if (c == '\n' || lb->used == sizeof lb->text)
        line_flush(lb);
}

static int log_vprintf(const char *fmt, va_list ap)
{
    struct line_buffer lb = {.used = 0};
    int n = format_emit(line_emit, &lb, fmt, ap);
    line_flush(&lb);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = log_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    kprintf("PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    arch_shutdown(3);
}
