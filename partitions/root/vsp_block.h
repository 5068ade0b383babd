/*
 * The block service provider (VSP) in the root (docs/architecture/block.md):
 * serves a child's block channel with the root's own ATA driver.  Every
 * request is checked before the disk is touched; a bad one gets an error
 * reply, never a crash and never an access outside the disk.
 */
#pragma once
#include <stdint.h>

#include "../lib/block_proto.h"
#include "../lib/channel.h"
#include "ata.h"
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

/* Offers the block channel to a child whose console channel is open. */
int vsp_block_offer(struct vsp_block *vb, const struct child *c, void *pages,
                    const struct ata_disk *disk);

/* Serves requests until the channel closes: the child's CLOSE (0), a
 * malformed ring or an unfollowable stream (1), or no sign of life for
 * idle_halts halts (1). */
int vsp_block_serve(struct vsp_block *vb, unsigned idle_halts);
