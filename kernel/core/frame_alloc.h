/* SPDX-License-Identifier: MIT */
/*
 * Physical page-frame allocator: one bit per 4 KiB frame, set when the frame
 * is in use or must never be handed out.  Start with everything in use, add
 * the RAM the boot loader reports, then reserve what must stay untouched
 * (firmware areas, the hypervisor image, boot modules, the boot information
 * itself).  Reservation always wins over RAM, whatever order the loader's
 * map lists them in.
 */
#pragma once
#include <stdint.h>

#include "bootinfo.h"

#define FRAME_SIZE 4096ull
#define FRAME_SHIFT 12

enum frame_status {
    FRAME_OK = 0,
    FRAME_ERR_OUT_OF_RANGE, /* address beyond what the bitmap covers */
    FRAME_ERR_UNALIGNED,    /* address not on a frame boundary */
    FRAME_ERR_NOT_IN_USE,   /* freeing a frame that is free: a double free */
    FRAME_ERR_RESERVED,     /* freeing a frame that was never allocatable */
};

struct frame_alloc {
    uint8_t *used;      /* bit set: in use or reserved */
    uint8_t *reserved;  /* bit set: never allocatable */
    uint64_t frame_count;
    uint64_t free_count;
    uint64_t next;      /* where the next search starts */
};

/* Both bitmaps hold frame_count bits, provided by the caller. */
void frame_alloc_init(struct frame_alloc *fa, uint8_t *used, uint8_t *reserved,
                      uint64_t frame_count);

/* Marks the whole frames inside [base, base+length) as free RAM. */
void frame_alloc_add_ram(struct frame_alloc *fa, uint64_t base, uint64_t length);

/* Marks every frame touching [base, base+length) as reserved. */
void frame_alloc_reserve(struct frame_alloc *fa, uint64_t base, uint64_t length);

/*
 * Builds the free set from the boot information: RAM regions, minus
 * non-RAM regions, the first megabyte, the image and modules and the boot
 * information.  Must run after frame_alloc_init.
 */
void frame_alloc_setup(struct frame_alloc *fa, const struct boot_info *bi,
                       uint64_t image_start, uint64_t image_end);

/* Returns the physical address of a free frame, or 0 when none is left. */
uint64_t frame_alloc_get(struct frame_alloc *fa);

enum frame_status frame_alloc_put(struct frame_alloc *fa, uint64_t paddr);

int frame_alloc_is_free(const struct frame_alloc *fa, uint64_t paddr);

/* COUNT physically contiguous free frames, marked in use; 0 if no such run. */
uint64_t frame_alloc_get_contiguous(struct frame_alloc *fa, uint64_t count);

/* Marks one specific free frame in use; FRAME_ERR_NOT_IN_USE is never
 * returned here: a frame that is not free gives FRAME_ERR_RESERVED. */
enum frame_status frame_alloc_take(struct frame_alloc *fa, uint64_t paddr);
