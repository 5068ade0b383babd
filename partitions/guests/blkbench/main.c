/* SPDX-License-Identifier: MIT */
/*
 * make bench's block workload (ci/bench.sh): opens the console and block
 * channels, reads BENCH_READS blocks of 4 KiB (each two requests of four
 * sectors: a request carries at most BLOCK_MAX_SECTORS), prints one
 * summary line and closes.  The root (test=bench-block) counts the exits
 * and ticks the whole run costs.
 */
#include "../../../lib/fnv.h"
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_block.h"
#include "../../lib/vsc_console.h"

#define BENCH_READS 64
#define SECTORS_PER_BLOCK 8

static uint8_t block[SECTORS_PER_BLOCK * BLOCK_SECTOR_SIZE];

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() != 0)
        for (;;)
            __asm__ volatile("hlt");
    if (vsc_block_open() == 0) {
        uint32_t fnv = FNV1A_INIT, failed = 0;
        for (uint64_t b = 0; b < BENCH_READS; b++) {
            uint64_t sector = b * SECTORS_PER_BLOCK;
            failed += vsc_block_read(sector, 4, block) != BLOCK_OK;
            failed += vsc_block_read(sector + 4, 4, block + 4 * BLOCK_SECTOR_SIZE) != BLOCK_OK;
            fnv = fnv1a(fnv, block, sizeof block);
        }
        printf("blkbench: read %u blocks of 4 KiB, %u requests failed, fnv1a 0x%08x\n",
               BENCH_READS, failed, fnv);
        vsc_block_close();
    }
    vsc_console_close();
    for (;;)
        __asm__ volatile("hlt");
}
