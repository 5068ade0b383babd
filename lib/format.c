/* SPDX-License-Identifier: MIT */
#include "format.h"

#include <stdint.h>

struct spec {
    int left;     /* '-' flag */
    int zero;     /* '0' flag */
    int width;
    int longness; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static int emit_padded(void (*emit)(char, void *), void *ctx,
                       const struct spec *sp, const char *s, int len,
                       const char *prefix)
{
    int plen = 0;
    while (prefix && prefix[plen])
        plen++;
    int pad = sp->width > len + plen ? sp->width - len - plen : 0;
    int n = 0;
    if (!sp->left && !sp->zero)
        for (; pad > 0; pad--, n++)
            emit(' ', ctx);
    for (int i = 0; i < plen; i++, n++)
        emit(prefix[i], ctx);
    if (!sp->left && sp->zero)
        for (; pad > 0; pad--, n++)
            emit('0', ctx);
    for (int i = 0; i < len; i++, n++)
        emit(s[i], ctx);
    for (; pad > 0; pad--, n++)
        emit(' ', ctx);
    return n;
}

static int to_digits(char *out, uint64_t v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

int format_emit(void (*emit)(char c, void *ctx), void *ctx, const char *fmt,
                va_list ap)
{
    int total = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(*p, ctx);
            total++;
            continue;
        }
        struct spec sp = {0, 0, 0, 0};
        p++;
        for (;; p++) {
            if (*p == '-')
                sp.left = 1;
            else if (*p == '0')
                sp.zero = 1;
            else
                break;
        }
        while (*p >= '0' && *p <= '9')
            sp.width = sp.width * 10 + (*p++ - '0');
        if (*p == 'z') {
            sp.longness = 3;
            p++;
        } else {
            while (*p == 'l') {
                sp.longness++;
                p++;
            }
        }
        char buf[24];
        int len;
        uint64_t u;
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v;
            if (sp.longness == 0)
                v = va_arg(ap, int);
            else if (sp.longness == 1)
                v = va_arg(ap, long);
            else if (sp.longness == 2)
                v = va_arg(ap, long long);
            else
                v = (int64_t)va_arg(ap, size_t);
            u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            len = to_digits(buf, u, 10, 0);
            total += emit_padded(emit, ctx, &sp, buf, len, v < 0 ? "-" : 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            if (sp.longness == 0)
                u = va_arg(ap, unsigned);
            else if (sp.longness == 1)
                u = va_arg(ap, unsigned long);
            else if (sp.longness == 2)
                u = va_arg(ap, unsigned long long);
            else
                u = va_arg(ap, size_t);
            len = to_digits(buf, u, *p == 'u' ? 10 : 16, *p == 'X');
            total += emit_padded(emit, ctx, &sp, buf, len, 0);
            break;
        case 'p':
            u = (uintptr_t)va_arg(ap, void *);
            len = to_digits(buf, u, 16, 0);
            total += emit_padded(emit, ctx, &sp, buf, len, "0x");
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = 0;
            while (s[n])
                n++;
            sp.zero = 0;
            total += emit_padded(emit, ctx, &sp, s, n, 0);
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            sp.zero = 0;
            total += emit_padded(emit, ctx, &sp, buf, 1, 0);
            break;
        case '%':
            emit('%', ctx);
            total++;
            break;
        case '\0':
            return total;
        default:
            /* Unknown conversion: print it literally so the mistake shows. */
            emit('%', ctx);
            emit(*p, ctx);
            total += 2;
            break;
        }
    }
    return total;
}

struct buffer_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_emit(char c, void *ctx)
{
    struct buffer_sink *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int format_buffer(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer_sink b = {buf, size, 0};
    int n = format_emit(buffer_emit, &b, fmt, ap);
    if (size > 0)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int format_string(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_buffer(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* One byte as format_escape shows it; returns the length (1, 2 or 4). */
static size_t escape_one(unsigned char c, char out[4])
{
    static const char hex[] = "0123456789abcdef";
    if (c == '\\') {
        out[0] = out[1] = '\\';
        return 2;
    }
    if ((c >= 0x20 && c < 0x7f) || c == '\t') {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

size_t format_escape(char *dst, size_t size, const char *src, size_t n)
{
    size_t used = 0, i = 0;
    if (size == 0)
        return 0;
    for (; i < n; i++) {
        char esc[4];
        size_t len = escape_one((unsigned char)src[i], esc);
        if (used + len > size - 1)
            break; /* never half an escape */
        for (size_t k = 0; k < len; k++)
            dst[used++] = esc[k];
    }
    dst[used] = '\0';
    return i;
}
