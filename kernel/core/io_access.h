/* SPDX-License-Identifier: MIT */
/* Port I/O results, one rule for every path that completes an IN: the
 * root's emulation (PartitaCompleteIo), the hypervisor's own services
 * (BUILD=mono) and ports nobody claimed. */
#pragma once
#include <stdint.h>

/* The bytes an I/O access of `size` (1, 2 or 4) moves. */
static inline uint64_t io_width_mask(uint8_t size)
{
    return size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffff;
}

/* RAX after an IN of `size` bytes read `value`: the low bytes are
 * replaced, the rest kept — except that a 4-byte IN zero-extends, like
 * every 32-bit register write.  The one rule for every device path. */
static inline uint64_t io_merge_in(uint64_t rax, uint8_t size, uint64_t value)
{
    uint64_t mask = io_width_mask(size);
    return size == 4 ? value & mask : (rax & ~mask) | (value & mask);
}
