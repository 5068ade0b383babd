/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the block VSP's request parser and executor
 * (services/block_service.c) behind a real channel (channel.c, ring.c),
 * over a disk in memory of 1-64 sectors (the input's first byte).  The
 * rest of the input is what a hostile child writes into
 * its ring, in chunks whose sizes come from the input too; the service
 * is pumped after each chunk and the child reads every reply.  Oracle:
 * the sanitizers; the disk is never touched outside its sectors or with
 * more than BLOCK_MAX_SECTORS; every reply is well formed (reply magic,
 * length = header + count sectors, within a frame, a known status) and
 * there are never more replies than complete requests sent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "services/block_service.h"

#define DISK_SECTORS 64u
#define RING_BYTES 8192u

static uint8_t disk_bytes[DISK_SECTORS * BLOCK_SECTOR_SIZE];

static void must(int ok)
{
    if (!ok)
        abort();
}

/* The disk and the environment, as the service sees them in a placement. */
enum ata_result ata_read(const struct ata_disk *d, uint32_t lba, uint32_t count,
                         void *buf)
{
    must(d->present && count >= 1 && count <= BLOCK_MAX_SECTORS);
    must(lba < d->sectors && count <= d->sectors - lba);
    memcpy(buf, disk_bytes + (size_t)lba * BLOCK_SECTOR_SIZE, count * BLOCK_SECTOR_SIZE);
    return ATA_OK;
}

enum ata_result ata_write(const struct ata_disk *d, uint32_t lba, uint32_t count,
                          const void *buf)
{
    must(d->present && count >= 1 && count <= BLOCK_MAX_SECTORS);
    must(lba < d->sectors && count <= d->sectors - lba);
    memcpy(disk_bytes + (size_t)lba * BLOCK_SECTOR_SIZE, buf, count * BLOCK_SECTOR_SIZE);
    return ATA_OK;
}

const char *ata_result_name(enum ata_result r)
{
    return r == ATA_OK ? "ok" : "error";
}

void env_console_write(const char *s, size_t n)
{
    (void)s;
    (void)n;
}

void env_channel_signal(struct channel *ch)
{
    (void)ch;
}

void env_channel_closed(struct channel *ch)
{
    (void)ch;
}

/* The child's side: reads whole replies from the root -> child ring. */
static uint8_t reply_buf[BLOCK_MAX_FRAME];
static uint32_t reply_used;

static uint32_t drain_replies(struct ring *from_root)
{
    uint32_t replies = 0;
    for (;;) {
        uint32_t want =
            reply_used < BLOCK_HEADER_SIZE ? BLOCK_HEADER_SIZE - reply_used : 0;
        if (!want) {
            struct block_header h;
            memcpy(&h, reply_buf, sizeof h);
            must(h.magic == BLOCK_REPLY_MAGIC);
            must(h.code <= BLOCK_E_NO_DISK);
            must(h.count <= BLOCK_MAX_SECTORS);
            must(h.length == BLOCK_HEADER_SIZE + h.count * BLOCK_SECTOR_SIZE);
            must(h.code == BLOCK_OK || h.count == 0);
            want = h.length - reply_used;
            if (!want) {
                replies++;
                reply_used = 0;
                continue;
            }
        }
        uint32_t got = ring_read(from_root, reply_buf + reply_used, want);
        must(from_root->error == RING_OK);
        if (!got)
            return replies;
        reply_used += got;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vsp_block vb;
    static struct ata_disk disk;
    if (size < 1)
        return 0;
    uint8_t *to_root = malloc(RING_BYTES), *to_child = malloc(RING_BYTES);
    memset(&vb, 0, sizeof vb);
    /* The disk's size from the input too: small disks put the last sector
     * where a request's count reaches past it. */
    disk = (struct ata_disk){
        .present = 1, .slave = 1, .sectors = 1 + data[0] % DISK_SECTORS};
    ring_format(to_root, RING_BYTES);
    ring_format(to_child, RING_BYTES);
    vb.disk = &disk;
    vb.ch.state = CHANNEL_OPEN;
    must(ring_attach(&vb.ch.rx, to_root, RING_BYTES, RING_READER) == RING_OK);
    must(ring_attach(&vb.ch.tx, to_child, RING_BYTES, RING_WRITER) == RING_OK);
    struct ring child_tx, child_rx;
    must(ring_attach(&child_tx, to_root, RING_BYTES, RING_WRITER) == RING_OK);
    must(ring_attach(&child_rx, to_child, RING_BYTES, RING_READER) == RING_OK);
    reply_used = 0;

    uint32_t replies = 0;
    size_t i = 1;
    while (i < size) {
        size_t chunk = 1 + data[i++] % 64u * 64u; /* 1..4033 bytes */
        if (chunk > size - i)
            chunk = size - i;
        uint32_t put = ring_write(&child_tx, data + i, (uint32_t)chunk);
        i += put ? put : chunk; /* a full ring: the rest of the chunk is lost */
        for (int n = 0; n < 64 && vsp_block_pump(&vb) > 0; n++)
            replies += drain_replies(&child_rx);
        replies += drain_replies(&child_rx);
        must(replies <= vb.stats.requests);
        if (vb.ch.state != CHANNEL_OPEN)
            break;
    }
    free(to_root);
    free(to_child);
    return 0;
}
