/* SPDX-License-Identifier: MIT */
#include "vsc_block.h"

#include "string_util.h"

/* Halts (timer ticks at the latest) to wait for one reply before the
 * root counts as gone. */
#define REPLY_WAIT_HALTS 5000

static struct channel ch;
static uint64_t disk_sectors;
static uint32_t next_tag = 1;
/* No frame buffers here: every child links the partition library, so
 * its static memory is paid by all of them.  Headers live on the stack,
 * data goes straight from and to the caller's buffer. */

static uint32_t broken(void)
{
    channel_close(&ch, CHANNEL_CLOSE_NORMAL);
    return BLOCK_E_REPLY;
}

/* Reads exactly n bytes of the reply; 0, or a local error. */
static uint32_t read_all(uint8_t *dst, uint32_t n)
{
    unsigned idle = 0;
    while (n) {
        if (ch.state != CHANNEL_OPEN)
            return BLOCK_E_CHANNEL;
        channel_take_events(&ch);
        int got = channel_read(&ch, dst, n);
        if (got < 0)
            return BLOCK_E_CHANNEL;
        if (got > 0) {
            dst += got;
            n -= (uint32_t)got;
            idle = 0;
            continue;
        }
        if (++idle > REPLY_WAIT_HALTS) {
            channel_close(&ch, CHANNEL_CLOSE_PEER_SILENT);
            return BLOCK_E_CHANNEL;
        }
        /* A CLOSE from the root ends the wait (it arrives on SINT 0). */
        channel_poll(&ch);
        __asm__ volatile("hlt" ::: "memory");
    }
    return 0;
}

/* Reads the reply to `tag` (a private copy: the ring is read once) into
 * *r and its data, at most max_count sectors, into `data`; the reply's
 * status, or a local error. */
static uint32_t await_reply(uint32_t tag, struct block_header *r, void *data, uint32_t max_count)
{
    uint32_t st = read_all((uint8_t *)r, sizeof *r);
    if (st)
        return st;
    if (r->magic != BLOCK_REPLY_MAGIC || r->tag != tag || r->count > max_count ||
        r->length != BLOCK_HEADER_SIZE + r->count * BLOCK_SECTOR_SIZE ||
        (r->code != BLOCK_OK && r->count))
        return broken();
    if (r->count && (st = read_all(data, r->count * BLOCK_SECTOR_SIZE)))
        return st;
    return r->code;
}

static uint32_t request(uint32_t op, uint64_t sector, uint32_t count, const void *out,
                        uint32_t out_bytes, struct block_header *r, void *in, uint32_t in_count)
{
    struct block_header q = {
        .magic = BLOCK_REQUEST_MAGIC,
        .code = op,
        .tag = next_tag++,
        .count = count,
        .sector = sector,
        .length = BLOCK_HEADER_SIZE + out_bytes,
    };
    /* The root takes the frame as a stream: two writes make one frame. */
    if (channel_write(&ch, &q, sizeof q) || (out_bytes && channel_write(&ch, out, out_bytes)))
        return BLOCK_E_CHANNEL;
    return await_reply(q.tag, r, in, in_count);
}

int vsc_block_open(void)
{
    struct block_header r;
    if (channel_accept_offer(&ch, BLOCK_CHANNEL_SERVICE))
        return -1;
    if (request(BLOCK_OP_INFO, 0, 0, 0, 0, &r, 0, 0) != BLOCK_OK)
        return -1;
    disk_sectors = r.sector;
    return 0;
}

uint64_t vsc_block_sectors(void)
{
    return disk_sectors;
}

uint32_t vsc_block_read(uint64_t sector, uint32_t count, void *buf)
{
    struct block_header r;
    uint32_t st = request(BLOCK_OP_READ, sector, count, 0, 0, &r, buf, count);
    if (st == BLOCK_OK && r.count != count)
        return broken();
    return st;
}

uint32_t vsc_block_write(uint64_t sector, uint32_t count, const void *buf)
{
    struct block_header r;
    if (count > BLOCK_MAX_SECTORS)
        return BLOCK_E_COUNT; /* the frame would not fit the root's buffer */
    return request(BLOCK_OP_WRITE, sector, count, buf, count * BLOCK_SECTOR_SIZE, &r, 0, 0);
}

uint32_t vsc_block_send_raw(const void *bytes, uint32_t len)
{
    struct block_header q, r;
    if (len < sizeof q || len > BLOCK_MAX_FRAME)
        return BLOCK_E_LENGTH;
    memcpy(&q, bytes, sizeof q);
    if (channel_write(&ch, bytes, len))
        return BLOCK_E_CHANNEL;
    return await_reply(q.tag, &r, 0, 0);
}

void vsc_block_close(void)
{
    channel_close(&ch, CHANNEL_CLOSE_NORMAL);
}

struct channel *vsc_block_channel(void)
{
    return &ch;
}
