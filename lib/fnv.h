/* SPDX-License-Identifier: MIT */
/* FNV-1a, 32 bits: both ends of the console hash what passed, so the root
 * can tell that every byte arrived intact and in order. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT 0x811c9dc5u

static inline uint32_t fnv1a(uint32_t h, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    return h;
}
