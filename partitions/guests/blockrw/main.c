/* SPDX-License-Identifier: MIT */
/*
 * The block demo child (test=block, docs/architecture/block.md): opens
 * the console channel, then the block channel; writes a pattern to
 * several sectors (one request of the largest size among them), reads
 * everything back and compares, overwrites a sector and checks the new
 * contents win, then sends requests the root must refuse with the right
 * status, the last of them one whose length makes the stream
 * unfollowable (the root answers and closes the channel).  Every result
 * goes through the console channel; the root checks the summary line.
 */
#include "../../../services/block_proto.h"
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"
#include "../../lib/vsc_block.h"
#include "../../lib/vsc_console.h"

static uint8_t buf[BLOCK_MAX_FRAME]; /* a pattern run, or a raw request */
static uint8_t back[BLOCK_MAX_SECTORS * BLOCK_SECTOR_SIZE];
static uint64_t written, read_back, mismatches, refused, unexpected;

/* Byte i of sector s in round r: differs between sectors and rounds, so
 * a misplaced or stale sector shows. */
static uint8_t pattern(uint64_t s, uint32_t i, uint32_t round)
{
    return (uint8_t)(s * 13 + i * 7 + (i >> 8) + round * 101 + 1);
}

static void fill(uint64_t sector, uint32_t count, uint32_t round)
{
    for (uint32_t k = 0; k < count; k++)
        for (uint32_t i = 0; i < BLOCK_SECTOR_SIZE; i++)
            buf[k * BLOCK_SECTOR_SIZE + i] = pattern(sector + k, i, round);
}

static void write_run(uint64_t sector, uint32_t count, uint32_t round)
{
    fill(sector, count, round);
    uint32_t st = vsc_block_write(sector, count, buf);
    if (st == BLOCK_OK)
        written += count;
    else
        unexpected++;
    printf("blockrw: write %u sectors at %llu (round %u): %s\n", count,
           (unsigned long long)sector, round, block_status_name(st));
}

static void check_run(uint64_t sector, uint32_t count, uint32_t round)
{
    fill(sector, count, round);
    memset(back, 0, sizeof back);
    uint32_t st = vsc_block_read(sector, count, back);
    uint32_t bad = 0;
    if (st == BLOCK_OK) {
        read_back += count;
        for (uint32_t k = 0; k < count; k++)
            bad += memcmp(buf + k * BLOCK_SECTOR_SIZE, back + k * BLOCK_SECTOR_SIZE,
                          BLOCK_SECTOR_SIZE) != 0;
        mismatches += bad;
    } else {
        unexpected++;
    }
    printf("blockrw: read %u sectors at %llu: %s, %u of %u match round %u\n", count,
           (unsigned long long)sector, block_status_name(st), count - bad, count, round);
}

/* A request that must be refused with `want`. */
static void expect_refusal(const char *what, uint32_t op, uint64_t sector, uint32_t count,
                           uint32_t length, uint32_t magic, uint32_t want)
{
    uint8_t *raw = buf; /* the pattern buffer is free between runs */
    static uint32_t tag = 0x1000;
    struct block_header q = {.magic = magic, .code = op, .tag = tag++, .count = count,
                             .sector = sector, .length = length};
    memset(raw, 0xee, sizeof buf);
    memcpy(raw, &q, sizeof q);
    /* What goes out is what `length` claims (at least the header) so the
     * stream stays in step, except for a frame the root cannot follow. */
    uint32_t send = length >= BLOCK_HEADER_SIZE && length <= BLOCK_MAX_FRAME ? length
                                                                              : BLOCK_HEADER_SIZE;
    uint32_t st = vsc_block_send_raw(raw, send);
    int ok = st == want;
    refused += ok;
    unexpected += !ok;
    printf("blockrw: %s: %s (expected %s)%s\n", what, block_status_name(st),
           block_status_name(want), ok ? "" : " FAIL");
}

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() != 0)
        for (;;)
            __asm__ volatile("hlt");
    if (vsc_block_open() != 0) {
        printf("blockrw: FAIL: no block channel\n");
        vsc_console_close();
        for (;;)
            __asm__ volatile("hlt");
    }
    uint64_t n = vsc_block_sectors();
    printf("blockrw: block channel open, disk of %llu sectors\n", (unsigned long long)n);
    const uint32_t H = BLOCK_HEADER_SIZE, S = BLOCK_SECTOR_SIZE, M = BLOCK_REQUEST_MAGIC;

    /* Writes: first sector, a 3-sector run, a run of the largest size,
     * the last sector. */
    write_run(0, 1, 0);
    write_run(5, 3, 0);
    write_run(16, BLOCK_MAX_SECTORS, 0);
    write_run(n - 1, 1, 0);
    check_run(0, 1, 0);
    check_run(5, 3, 0);
    check_run(16, BLOCK_MAX_SECTORS, 0);
    check_run(n - 1, 1, 0);
    /* Overwrite the middle of a run: the new data must win, the
     * neighbours must keep theirs. */
    write_run(17, 2, 1);
    check_run(17, 2, 1);
    check_run(16, 1, 0);
    check_run(19, 4, 0);

    expect_refusal("sector past the end", BLOCK_OP_READ, n, 1, H, M, BLOCK_E_RANGE);
    expect_refusal("run crossing the end", BLOCK_OP_WRITE, n - 1, 2, H + 2 * S, M, BLOCK_E_RANGE);
    expect_refusal("sector 2^40", BLOCK_OP_READ, 1ull << 40, 1, H, M, BLOCK_E_RANGE);
    expect_refusal("count 0", BLOCK_OP_READ, 0, 0, H, M, BLOCK_E_COUNT);
    expect_refusal("count 8", BLOCK_OP_READ, 0, BLOCK_MAX_SECTORS + 1, H, M, BLOCK_E_COUNT);
    expect_refusal("unknown op 9", 9, 0, 1, H, M, BLOCK_E_OP);
    expect_refusal("bad magic", BLOCK_OP_READ, 0, 1, H, 0x12345678, BLOCK_E_MAGIC);
    expect_refusal("write with 100 of 512 data bytes", BLOCK_OP_WRITE, 2, 1, H + 100, M,
                   BLOCK_E_LENGTH);
    expect_refusal("read carrying data", BLOCK_OP_READ, 2, 1, H + S, M, BLOCK_E_LENGTH);
    /* The refused requests touched nothing. */
    check_run(0, 1, 0);
    check_run(5, 3, 0);
    /* Last: a frame length the root cannot follow; it answers, then
     * closes the block channel. */
    expect_refusal("frame length 65535", BLOCK_OP_READ, 0, 1, 65535, M, BLOCK_E_FRAME);
    printf("blockrw: wrote %llu sectors, read %llu back, %llu mismatched; %llu bad requests "
           "refused as expected, %llu unexpected results\n",
           (unsigned long long)written, (unsigned long long)read_back,
           (unsigned long long)mismatches, (unsigned long long)refused,
           (unsigned long long)unexpected);
    vsc_block_close();
    vsc_console_close();
    for (;;)
        __asm__ volatile("hlt");
}
