/* SPDX-License-Identifier: MIT */
#include "frame_alloc.h"

static int bit_get(const uint8_t *map, uint64_t i)
{
    return (map[i / 8] >> (i % 8)) & 1;
}

static void bit_set(uint8_t *map, uint64_t i)
{
    map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void bit_clear(uint8_t *map, uint64_t i)
{
    map[i / 8] &= (uint8_t)~(1u << (i % 8));
}

void frame_alloc_init(struct frame_alloc *fa, uint8_t *used, uint8_t *reserved,
                      uint64_t frame_count)
{
    fa->used = used;
    fa->reserved = reserved;
    fa->frame_count = frame_count;
    fa->free_count = 0;
    fa->next = 0;
    for (uint64_t i = 0; i < (frame_count + 7) / 8; i++) {
        used[i] = 0xff;
        reserved[i] = 0;
    }
}

void frame_alloc_add_ram(struct frame_alloc *fa, uint64_t base, uint64_t length)
{
    if (length == 0 || base + length < base)
        return;
    uint64_t first = (base + FRAME_SIZE - 1) >> FRAME_SHIFT;
    uint64_t last = (base + length) >> FRAME_SHIFT; /* exclusive */
    if (last > fa->frame_count)
        last = fa->frame_count;
    for (uint64_t f = first; f < last; f++) {
        if (bit_get(fa->used, f) && !bit_get(fa->reserved, f)) {
            bit_clear(fa->used, f);
            fa->free_count++;
        }
    }
}

void frame_alloc_reserve(struct frame_alloc *fa, uint64_t base, uint64_t length)
{
    if (length == 0)
        return;
    uint64_t end = base + length < base ? UINT64_MAX : base + length;
    uint64_t first = base >> FRAME_SHIFT;
    uint64_t last = (end >> FRAME_SHIFT) + ((end & (FRAME_SIZE - 1)) != 0);
    if (last > fa->frame_count)
        last = fa->frame_count;
    for (uint64_t f = first; f < last; f++) {
        if (!bit_get(fa->used, f))
            fa->free_count--;
        bit_set(fa->used, f);
        bit_set(fa->reserved, f);
    }
}

void frame_alloc_setup(struct frame_alloc *fa, const struct boot_info *bi,
                       uint64_t image_start, uint64_t image_end)
{
    for (uint32_t i = 0; i < bi->region_count; i++)
        if (bi->regions[i].type == BOOT_REGION_RAM)
            frame_alloc_add_ram(fa, bi->regions[i].base, bi->regions[i].length);
    for (uint32_t i = 0; i < bi->region_count; i++)
        if (bi->regions[i].type != BOOT_REGION_RAM)
            frame_alloc_reserve(fa, bi->regions[i].base, bi->regions[i].length);
    /* Real-mode firmware data and the BIOS live below 1 MiB. */
    frame_alloc_reserve(fa, 0, 0x100000);
    frame_alloc_reserve(fa, image_start, image_end - image_start);
    for (uint32_t i = 0; i < bi->module_count; i++)
        frame_alloc_reserve(fa, bi->modules[i].start,
                            bi->modules[i].end - bi->modules[i].start);
    frame_alloc_reserve(fa, bi->info_start, bi->info_end - bi->info_start);
}

uint64_t frame_alloc_get(struct frame_alloc *fa)
{
    if (fa->free_count == 0)
        return 0;
    for (uint64_t n = 0; n < fa->frame_count; n++) {
        uint64_t f = (fa->next + n) % fa->frame_count;
        if (!bit_get(fa->used, f)) {
            bit_set(fa->used, f);
            fa->free_count--;
            fa->next = f + 1;
            return f << FRAME_SHIFT;
        }
    }
    return 0;
}

enum frame_status frame_alloc_put(struct frame_alloc *fa, uint64_t paddr)
{
    if (paddr & (FRAME_SIZE - 1))
        return FRAME_ERR_UNALIGNED;
    uint64_t f = paddr >> FRAME_SHIFT;
    if (f >= fa->frame_count)
        return FRAME_ERR_OUT_OF_RANGE;
    if (bit_get(fa->reserved, f))
        return FRAME_ERR_RESERVED;
    if (!bit_get(fa->used, f))
        return FRAME_ERR_NOT_IN_USE;
    bit_clear(fa->used, f);
    fa->free_count++;
    return FRAME_OK;
}

int frame_alloc_is_free(const struct frame_alloc *fa, uint64_t paddr)
{
    uint64_t f = paddr >> FRAME_SHIFT;
    return f < fa->frame_count && !bit_get(fa->used, f);
}

uint64_t frame_alloc_get_contiguous(struct frame_alloc *fa, uint64_t count)
{
    uint64_t run = 0;
    if (count == 0 || count > fa->free_count)
        return 0;
    for (uint64_t f = 0; f < fa->frame_count; f++) {
        run = bit_get(fa->used, f) ? 0 : run + 1;
        if (run == count) {
            uint64_t first = f + 1 - count;
            for (uint64_t g = first; g <= f; g++)
                bit_set(fa->used, g);
            fa->free_count -= count;
            return first << FRAME_SHIFT;
        }
    }
    return 0;
}

enum frame_status frame_alloc_take(struct frame_alloc *fa, uint64_t paddr)
{
    if (paddr & (FRAME_SIZE - 1))
        return FRAME_ERR_UNALIGNED;
    uint64_t f = paddr >> FRAME_SHIFT;
    if (f >= fa->frame_count)
        return FRAME_ERR_OUT_OF_RANGE;
    if (bit_get(fa->used, f))
        return FRAME_ERR_RESERVED;
    bit_set(fa->used, f);
    fa->free_count--;
    return FRAME_OK;
}
