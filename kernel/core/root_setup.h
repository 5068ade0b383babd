/* SPDX-License-Identifier: MIT */
#pragma once
#include "bootinfo.h"
#include "frame_alloc.h"
#include "partition.h"

/*
 * Creates the root partition from its boot module: loads the image, gives
 * the root every free frame of RAM (identity-mapped: guest-physical ==
 * host-physical, so the root can drive devices), builds its boot area and
 * its vCPU.  Returns NULL after printing why on failure.
 */
struct partition *root_create(struct frame_alloc *fa, const struct boot_info *bi,
                              const struct boot_module *image);
