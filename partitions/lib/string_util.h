/* SPDX-License-Identifier: MIT */
/* Small helpers partitions use instead of a C library. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../../lib/string.h"

static inline uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
