/* SPDX-License-Identifier: MIT */
#include "console.h"

#include "../../lib/portio.h"
#include <stdint.h>

static void (*sink)(const char *s, size_t n) = console_write_com1;

void console_set_sink(void (*write)(const char *s, size_t n))
{
    sink = write;
}

void console_write(const char *s, size_t n)
{
    sink(s, n);
}

void console_write_com1(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (int spin = 0; spin < 100000 && !(inb(0x3f8 + 5) & 0x20); spin++)
            ;
        outb(0x3f8, (uint8_t)s[i]);
    }
}

struct line {
    char buf[160];
    size_t used;
};

static void emit(char c, void *ctx)
{
    struct line *l = ctx;
    l->buf[l->used++] = c;
    if (c == '\n' || l->used == sizeof l->buf) {
        sink(l->buf, l->used);
        l->used = 0;
    }
}

int printf(const char *fmt, ...)
{
    struct line l = {.used = 0};
    va_list ap;
    va_start(ap, fmt);
    int n = format_emit(emit, &l, fmt, ap);
    va_end(ap);
    if (l.used)
        sink(l.buf, l.used);
    return n;
}
