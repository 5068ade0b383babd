/* SPDX-License-Identifier: MIT */
/*
 * The block service provider (VSP) as the root runs it
 * (docs/architecture/block.md): serves a child's block channel with the
 * root's own ATA driver.  The data path is services/block_service.c;
 * in BUILD=mono the root sets the channel up and the hypervisor runs that
 * data path with its own copy of the driver (serve_in_hv.c).
 */
#pragma once
#include <stdint.h>

#include "../../services/block_service.h"
#include "child.h"

/* Where the block channel lives (the console has slot 1, child ports 1-2,
 * rings at 0x800000 and root SINTs 2-3). */
#define BLOCK_SLOT 2u
#define BLOCK_CHILD_MSG_PORT 3u
#define BLOCK_CHILD_EVENT_PORT 4u
#define BLOCK_CHILD_EVENT_SINT 2u
#define BLOCK_CHILD_RING_GPA 0x802000ull
#define BLOCK_ROOT_MSG_SINT 4u
#define BLOCK_ROOT_EVENT_SINT 5u

/* Offers the block channel to a child whose console channel is open. */
int vsp_block_offer(struct vsp_block *vb, const struct child *c, void *pages,
                    const struct ata_disk *disk);

/* Serves requests until the channel closes: the child's CLOSE (0), a
 * malformed ring or an unfollowable stream (1), or no sign of life for
 * idle_halts halts (1). */
int vsp_block_serve(struct vsp_block *vb, unsigned idle_halts);
