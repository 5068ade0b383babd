/* SPDX-License-Identifier: MIT */
/*
 * The block service's data path (docs/architecture/block.md): requests a
 * child writes into its block channel are checked, carried out on the ATA
 * disk (ata.c) and answered.  Every request is checked before the disk is
 * touched; a bad one gets an error reply, never a crash and never an
 * access outside the disk.  The same file runs in the root (BUILD=micro,
 * partitions/root/vsp_block.c around it) and in the hypervisor
 * (BUILD=mono, kernel/services/mono_channels.c); it reaches the child
 * through the channel data path (channel.h) and the console through the
 * environment (env.h).
 */
#pragma once
#include <stdint.h>

#include "ata.h"
#include "block_proto.h"
#include "channel.h"

struct vsp_block_stats {
    uint64_t requests;
    uint64_t sectors_read, sectors_written;
    uint64_t errors;                       /* error replies sent */
    uint64_t by_status[BLOCK_E_NO_DISK + 1];
    /* The last sector written and FNV-1a of its data, so the root can
     * read it back with its own driver and compare. */
    uint64_t last_written_sector;
    uint32_t last_written_fnv;
    int wrote;
};

struct vsp_block {
    struct channel ch;
    char name[16];
    const struct ata_disk *disk;
    struct vsp_block_stats stats;
    /* The request being assembled (a private copy: the ring is never
     * read twice) and the reply waiting for room in the ring. */
    uint8_t in[BLOCK_MAX_FRAME];
    uint32_t in_used;
    uint8_t out[BLOCK_MAX_FRAME];
    uint32_t out_len;
    int frame_lost; /* an E_FRAME reply is out: close after sending it */
};

/* Moves bytes from the ring into the request buffer, executes each
 * request as it completes and sends its reply when the whole reply fits.
 * >0 progress, 0 nothing to do, -1 the channel is over (a bad ring, or a
 * frame whose end is unknowable: its E_FRAME reply went out first). */
int vsp_block_pump(struct vsp_block *vb);
