/* SPDX-License-Identifier: MIT */
/*
 * make bench's block workload (ci/bench.sh): opens the console and block
 * channels, reads BENCH_READS blocks of 4 KiB (each two requests of four
 * sectors: a request carries at most BLOCK_MAX_SECTORS), prints one
 * summary line and closes.  With the root's bench-request-sectors=N
 * (partitions/lib/bench_params.h, the block sweep) it makes
 * BENCH_SWEEP_REQUESTS requests of N sectors instead.  The root
 * (test=bench-block) counts the exits and ticks the whole run costs.
 */
#include "../../../lib/fnv.h"
#include "../../lib/bench_params.h"
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_block.h"
#include "../../lib/vsc_console.h"

#define BENCH_READS 64
#define SECTORS_PER_BLOCK 8

/* A 4 KiB block, or one request of the sweep (at most 7 sectors). */
static uint8_t block[SECTORS_PER_BLOCK * BLOCK_SECTOR_SIZE];
_Static_assert(BLOCK_MAX_SECTORS <= SECTORS_PER_BLOCK, "a request fits the buffer");

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information: the root's is the page */
    const struct bench_params *p = (const void *)(uintptr_t)BENCH_PARAMS_GPA;
    uint32_t per = 0;
    if (p->magic == BENCH_PARAMS_MAGIC && p->request_sectors <= BLOCK_MAX_SECTORS)
        per = p->request_sectors;
    hv_detect();
    if (vsc_console_open() != 0)
        for (;;)
            __asm__ volatile("hlt");
    if (vsc_block_open() == 0) {
        uint32_t fnv = FNV1A_INIT, failed = 0;
        if (per == 0) {
            for (uint64_t b = 0; b < BENCH_READS; b++) {
                uint64_t sector = b * SECTORS_PER_BLOCK;
                failed += vsc_block_read(sector, 4, block) != BLOCK_OK;
                failed += vsc_block_read(sector + 4, 4, block + 4 * BLOCK_SECTOR_SIZE) != BLOCK_OK;
                fnv = fnv1a(fnv, block, SECTORS_PER_BLOCK * BLOCK_SECTOR_SIZE);
            }
            printf("blkbench: read %u blocks of 4 KiB, %u requests failed, fnv1a 0x%08x\n",
                   BENCH_READS, failed, fnv);
        } else {
            for (uint64_t r = 0; r < BENCH_SWEEP_REQUESTS; r++) {
                failed += vsc_block_read(r * per, per, block) != BLOCK_OK;
                fnv = fnv1a(fnv, block, per * BLOCK_SECTOR_SIZE);
            }
            printf("blkbench: read %u requests of %u sectors, %u requests failed, "
                   "fnv1a 0x%08x\n", BENCH_SWEEP_REQUESTS, per, failed, fnv);
        }
        vsc_block_close();
    }
    vsc_console_close();
    for (;;)
        __asm__ volatile("hlt");
}
