/* SPDX-License-Identifier: MIT */
#include "root_image.h"

enum root_image_status root_image_claim(struct frame_alloc *fa, const struct elf_image *img,
                                        uint64_t area_size, uint64_t *first, uint64_t *last,
                                        uint64_t *bad)
{
    uint64_t low = img->lowest & ~(FRAME_SIZE - 1);
    /* Computed as low - area_size, a start below 0 wraps to the top of the
     * address space: [first, last) is then empty and nothing is checked. */
    if (low < area_size)
        return ROOT_IMAGE_NO_ROOM_BELOW;
    *first = low - area_size;
    if (img->highest > UINT64_MAX - (FRAME_SIZE - 1)) {
        *bad = img->highest & ~(FRAME_SIZE - 1); /* no RAM up there */
        return ROOT_IMAGE_NOT_FREE;
    }
    *last = (img->highest + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
    /* Every segment lies in [lowest, highest): taking the whole span takes
     * every page of every segment (and the gaps between them). */
    for (uint64_t pa = *first; pa < *last; pa += FRAME_SIZE) {
        if (frame_alloc_take(fa, pa) != FRAME_OK) {
            *bad = pa;
            return ROOT_IMAGE_NOT_FREE;
        }
    }
    return ROOT_IMAGE_OK;
}
