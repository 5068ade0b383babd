/* SPDX-License-Identifier: MIT */
#include "block_service.h"

#include <stdarg.h>

#include "../lib/fnv.h"
#include "../lib/format.h"
#include "../lib/string.h"
#include "env.h"

/* One line on the console (env.h). */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = format_buffer(line, sizeof line, fmt, ap);
    va_end(ap);
    env_console_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* Checks a complete request against the disk; BLOCK_OK if the disk may
 * be touched.  The order matters only for which error a request with
 * several faults gets: the first that makes the rest meaningless. */
static uint32_t check(const struct vsp_block *vb, const struct block_header *q)
{
    /* LAB 7.1 BEGIN: validate a request, first fault first */
    if (q->magic != BLOCK_REQUEST_MAGIC)
        return BLOCK_E_MAGIC;
    if (q->code != BLOCK_OP_INFO && q->code != BLOCK_OP_READ && q->code != BLOCK_OP_WRITE)
        return BLOCK_E_OP;
    if (!vb->disk || !vb->disk->present)
        return BLOCK_E_NO_DISK;
    if (q->code == BLOCK_OP_INFO)
        return q->length == BLOCK_HEADER_SIZE ? BLOCK_OK : BLOCK_E_LENGTH;
    if (q->count == 0 || q->count > BLOCK_MAX_SECTORS)
        return BLOCK_E_COUNT;
    /* No overflow: count is small, and sector is compared before adding. */
    if (q->sector >= vb->disk->sectors || q->count > vb->disk->sectors - q->sector)
        return BLOCK_E_RANGE;
    uint32_t data = q->code == BLOCK_OP_WRITE ? q->count * BLOCK_SECTOR_SIZE : 0;
    return q->length == BLOCK_HEADER_SIZE + data ? BLOCK_OK : BLOCK_E_LENGTH;
    /* LAB 7.1 END */
}

static void reply(struct vsp_block *vb, const struct block_header *q, uint32_t status,
                  uint32_t count, uint64_t sector)
{
    /* LAB 7.2 BEGIN: the reply header, and the statistics */
    struct block_header r = {
        .magic = BLOCK_REPLY_MAGIC,
        .code = status,
        .tag = q->tag,
        .count = count,
        .sector = sector,
        .length = BLOCK_HEADER_SIZE + count * BLOCK_SECTOR_SIZE,
    };
    memcpy(vb->out, &r, sizeof r);
    vb->out_len = r.length;
    vb->stats.by_status[status <= BLOCK_E_NO_DISK ? status : BLOCK_E_IO]++;
    if (status != BLOCK_OK)
        vb->stats.errors++;
    /* LAB 7.2 END */
}

/* Carries out one complete request in vb->in; leaves the reply in vb->out. */
static void execute(struct vsp_block *vb)
{
    struct block_header q;
    memcpy(&q, vb->in, sizeof q);
    vb->stats.requests++;
    uint32_t st = check(vb, &q);
    if (st != BLOCK_OK) {
        reply(vb, &q, st, 0, q.sector);
        return;
    }
    uint8_t *data = vb->in + BLOCK_HEADER_SIZE;
    uint32_t lba = (uint32_t)q.sector;
    enum ata_result r;
    switch (q.code) {
    case BLOCK_OP_INFO:
        reply(vb, &q, BLOCK_OK, 0, vb->disk->sectors);
        return;
    case BLOCK_OP_READ:
        r = ata_read(vb->disk, lba, q.count, vb->out + BLOCK_HEADER_SIZE);
        if (r) {
            say("block service: reading %u sectors at %u: %s\n", q.count, lba,
                ata_result_name(r));
            reply(vb, &q, BLOCK_E_IO, 0, q.sector);
            return;
        }
        vb->stats.sectors_read += q.count;
        reply(vb, &q, BLOCK_OK, q.count, q.sector);
        return;
    default: /* BLOCK_OP_WRITE: check() let nothing else through */
        r = ata_write(vb->disk, lba, q.count, data);
        if (r) {
            say("block service: writing %u sectors at %u: %s\n", q.count, lba,
                ata_result_name(r));
            reply(vb, &q, BLOCK_E_IO, 0, q.sector);
            return;
        }
        vb->stats.sectors_written += q.count;
        vb->stats.wrote = 1;
        vb->stats.last_written_sector = q.sector + q.count - 1;
        vb->stats.last_written_fnv =
            fnv1a(FNV1A_INIT, data + (q.count - 1) * BLOCK_SECTOR_SIZE, BLOCK_SECTOR_SIZE);
        reply(vb, &q, BLOCK_OK, 0, q.sector);
        return;
    }
}

/* Sends the pending reply if the whole frame fits now; the root never
 * waits inside channel_write for a child that may never read. */
static int flush_reply(struct vsp_block *vb)
{
    if (!vb->out_len)
        return 0;
    if (ring_free(&vb->ch.tx) < vb->out_len) {
        ring_set_writer_waiting(&vb->ch.tx);
        if (ring_free(&vb->ch.tx) < vb->out_len)
            return vb->ch.tx.error ? -1 : 0;
    }
    if (channel_write_now(&vb->ch, vb->out, vb->out_len) != (int)vb->out_len)
        return -1;
    vb->out_len = 0;
    return 1;
}

int vsp_block_pump(struct vsp_block *vb)
{
    /* LAB 7.3 BEGIN: the request loop: replies in order, whole frames, a bad frame ends the channel */
    int progress = 0;
    for (;;) {
        int sent = flush_reply(vb);
        if (sent < 0)
            return -1;
        progress |= sent;
        if (vb->out_len)
            return progress; /* the child must read first: keep order */
        if (vb->frame_lost) {
            channel_close(&vb->ch, CHANNEL_CLOSE_MALFORMED_RING);
            return -1;
        }
        /* The header first, then exactly the rest of the frame. */
        uint32_t want = BLOCK_HEADER_SIZE;
        if (vb->in_used >= BLOCK_HEADER_SIZE) {
            struct block_header q;
            memcpy(&q, vb->in, sizeof q);
            if (q.length < BLOCK_HEADER_SIZE || q.length > BLOCK_MAX_FRAME) {
                /* Where the next request starts is unknowable: answer,
                 * then end the channel. */
                vb->stats.requests++;
                reply(vb, &q, BLOCK_E_FRAME, 0, q.sector);
                format_string(vb->ch.report, sizeof vb->ch.report,
                              "request frame of %u bytes (allowed %u..%u)", q.length,
                              BLOCK_HEADER_SIZE, BLOCK_MAX_FRAME);
                vb->frame_lost = 1;
                continue;
            }
            want = q.length;
        }
        if (vb->in_used == want) {
            execute(vb);
            vb->in_used = 0;
            progress = 1;
            continue;
        }
        int n = channel_read(&vb->ch, vb->in + vb->in_used, want - vb->in_used);
        if (n < 0)
            return -1;
        if (n == 0)
            return progress;
        vb->in_used += (uint32_t)n;
        progress = 1;
    }
    /* LAB 7.3 END */
}

