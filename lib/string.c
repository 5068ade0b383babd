/* SPDX-License-Identifier: MIT */
/*
 * Simple loops keep the trusted base easy to audit.  memset and memcpy move
 * eight bytes per step of a string instruction (rep stosq / rep movsq) and
 * the rest a byte at a time: every message is copied into a slot and out
 * of it, every new page is zeroed, and a loop of eight-byte stores cost
 * four instructions per step where the string instruction costs one.  Only
 * built for the freestanding image; host builds use the C library.  The
 * direction flag is clear on every entry (the ABI's rule, and VM exits
 * clear it); it is cleared again anyway, one instruction, so a guest's
 * interrupt handler that finds it set still copies forwards.
 */
#include "string.h"

#include <stdint.h>

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    size_t words = n / 8;
    uint64_t v = (unsigned char)c * 0x0101010101010101ull;
    __asm__ volatile("cld; rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory", "cc");
    for (n &= 7; n; n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t words = n / 8;
    __asm__ volatile("cld; rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory", "cc");
    for (n &= 7; n; n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i])
            return (unsigned char)a[i] - (unsigned char)b[i];
    }
    return 0;
}
