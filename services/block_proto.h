/* SPDX-License-Identifier: MIT */
/*
 * The block service's wire format (docs/architecture/block.md): what a
 * child's block VSC (vsc_block.c) writes into its block channel and what
 * the root's block VSP (partitions/root/vsp_block.c) answers.
 *
 * Both directions are byte streams (the channel's rings) cut into frames.
 * Each frame starts with a 32-byte header whose `length` is the whole
 * frame, header included; data follows (the sectors of a WRITE request
 * or of a READ reply).  A frame never exceeds BLOCK_MAX_FRAME, which fits
 * a ring with room to spare, so the root can always wait for room for a
 * whole reply in its own loop instead of blocking on an untrusted child.
 */
#pragma once
#include <stdint.h>

/* Service number in the channel offer (channel.h has 1 = console). */
#define BLOCK_CHANNEL_SERVICE 2u

#define BLOCK_REQUEST_MAGIC 0x514b4c42u /* "BLKQ" */
#define BLOCK_REPLY_MAGIC 0x524b4c42u   /* "BLKR" */

#define BLOCK_SECTOR_SIZE 512u
/* 7 sectors + header = 3616 bytes: a whole frame fits the 4031 bytes a
 * one-page ring holds. */
#define BLOCK_MAX_SECTORS 7u
#define BLOCK_HEADER_SIZE 32u
#define BLOCK_MAX_FRAME (BLOCK_HEADER_SIZE + BLOCK_MAX_SECTORS * BLOCK_SECTOR_SIZE)

enum block_op {
    BLOCK_OP_INFO = 1,  /* reply.sector = the disk's size in sectors */
    BLOCK_OP_READ = 2,  /* reply carries count sectors */
    BLOCK_OP_WRITE = 3, /* request carries count sectors; durable when OK comes back */
};

enum block_status {
    BLOCK_OK = 0,
    BLOCK_E_MAGIC = 1,   /* not a block request */
    BLOCK_E_OP = 2,      /* unknown operation */
    BLOCK_E_COUNT = 3,   /* count 0 or above BLOCK_MAX_SECTORS */
    BLOCK_E_RANGE = 4,   /* a sector outside the disk */
    BLOCK_E_LENGTH = 5,  /* length does not match op and count (a short write) */
    BLOCK_E_FRAME = 6,   /* length outside [header, max frame]: the stream cannot
                          * be followed; the root closes the channel after this */
    BLOCK_E_IO = 7,      /* the disk failed or timed out */
    BLOCK_E_NO_DISK = 8, /* the root has no disk */
    /* Found by the client itself, never sent: */
    BLOCK_E_CHANNEL = 100, /* the channel is closed or the root went silent */
    BLOCK_E_REPLY = 101,   /* the reply was malformed (the channel is closed) */
};

struct block_header {
    uint32_t magic;  /* BLOCK_REQUEST_MAGIC / BLOCK_REPLY_MAGIC */
    uint32_t code;   /* request: enum block_op; reply: enum block_status */
    uint32_t tag;    /* the client's number, echoed in the reply */
    uint32_t count;  /* sectors; a reply: sectors of data that follow */
    uint64_t sector; /* first sector; INFO's reply: the disk's size */
    uint32_t length; /* bytes of the whole frame, this header included */
    uint32_t reserved;
};
_Static_assert(sizeof(struct block_header) == BLOCK_HEADER_SIZE, "block header");

static inline const char *block_status_name(uint32_t s)
{
    switch (s) {
    case BLOCK_OK: return "OK";
    case BLOCK_E_MAGIC: return "E_MAGIC";
    case BLOCK_E_OP: return "E_OP";
    case BLOCK_E_COUNT: return "E_COUNT";
    case BLOCK_E_RANGE: return "E_RANGE";
    case BLOCK_E_LENGTH: return "E_LENGTH";
    case BLOCK_E_FRAME: return "E_FRAME";
    case BLOCK_E_IO: return "E_IO";
    case BLOCK_E_NO_DISK: return "E_NO_DISK";
    case BLOCK_E_CHANNEL: return "E_CHANNEL";
    case BLOCK_E_REPLY: return "E_REPLY";
    }
    return "E_UNKNOWN";
}
