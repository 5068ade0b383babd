/* SPDX-License-Identifier: MIT */
/*
 * Where the root partition's image goes: its boot area (page tables, GDT,
 * boot information, stack) just below the image's lowest page, then every
 * page up to the end of its highest segment.  Every one of those frames
 * must be free RAM the hypervisor hands over, or the root is not built.
 */
#pragma once
#include <stdint.h>

#include "../../lib/elf.h"
#include "frame_alloc.h"

enum root_image_status {
    ROOT_IMAGE_OK = 0,
    ROOT_IMAGE_NO_ROOM_BELOW, /* the boot area does not fit below the image */
    ROOT_IMAGE_NOT_FREE,      /* a page is not free RAM (hypervisor, module, hole) */
};

/*
 * Takes from fa every frame of [*first, *last): the boot area of
 * area_size bytes below the image, and the image's pages.  On
 * ROOT_IMAGE_NOT_FREE, *bad is the first page that could not be taken
 * (frames before it stay taken: the boot stops anyway).
 */
enum root_image_status root_image_claim(struct frame_alloc *fa, const struct elf_image *img,
                                        uint64_t area_size, uint64_t *first, uint64_t *last,
                                        uint64_t *bad);
