/* SPDX-License-Identifier: MIT */
#include "bench.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "block_demo.h"
#include "channel_offer.h"
#include "child.h"
#include "console_demo.h"
#include "ports.h"
#include "root.h"
#include "vsp_block.h"
#include "vsp_console.h"

#define IDLE_HALTS 5000
#define BENCH_LINES 256     /* partitions/guests/conbench */
#define BENCH_LINE_BYTES 64
#define BENCH_READS 64      /* partitions/guests/blkbench: 4 KiB each */

struct meter {
    uint64_t root_exits, t0;
};

static struct meter meter_start(void)
{
    struct meter m = {root_total_exits(HV_PARTITION_ID_SELF), rdtsc_now()};
    return m;
}

/* Exits of the root since the start plus all the child's; ticks since. */
static void meter_stop(const struct meter *m, const struct child *c, uint64_t *exits,
                       uint64_t *ticks)
{
    *ticks = rdtsc_now() - m->t0;
    *exits = root_total_exits(HV_PARTITION_ID_SELF) - m->root_exits + root_total_exits(c->id);
}

int bench_console(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    struct child c;
    if (console_child_build(info, "conbench", &c, &vc))
        return 1;
    struct meter m = meter_start();
    int st = child_start(&c);
    int served = st ? 1 : vsp_console_serve(&vc, IDLE_HALTS);
    uint64_t exits, ticks;
    meter_stop(&m, &c, &exits, &ticks);
    printf("root: bench console: %llu lines, %llu exits, %llu TSC ticks\n",
           (unsigned long long)vc.stats.lines, (unsigned long long)exits,
           (unsigned long long)ticks);
    int ok = !st && served == 0 && vc.stats.lines == BENCH_LINES &&
             vc.stats.bytes == BENCH_LINES * BENCH_LINE_BYTES;
    ok &= child_remove(&c) == 0;
    printf("root: console workload: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int bench_block(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    static struct vsp_block vb;
    static struct ata_disk disk;
    struct child c;
    if (ata_probe(&disk) != ATA_OK) {
        printf("root: FAIL: no ATA disk\n");
        return 1;
    }
    if (console_child_build(info, "blkbench", &c, &vc))
        return 1;
    struct meter m = meter_start();
    int st = child_start(&c);
    if (!st)
        st = block_await_console_open(&vc) ? HV_STATUS_INVALID_PARTITION_STATE : 0;
    if (!st)
        st = vsp_block_offer(&vb, &c, channel_ring_pages(&c), &disk);
    int served = st ? 1 : vsp_block_serve(&vb, IDLE_HALTS);
    served |= st ? 1 : vsp_console_serve(&vc, IDLE_HALTS);
    uint64_t exits, ticks;
    meter_stop(&m, &c, &exits, &ticks);
    uint64_t reads = vb.stats.sectors_read / 8;
    printf("root: bench block: %llu reads of 4 KiB, %llu exits, %llu TSC ticks\n",
           (unsigned long long)reads, (unsigned long long)exits, (unsigned long long)ticks);
    int ok = served == 0 && reads == BENCH_READS && vb.stats.errors == 0 &&
             vb.stats.requests == 2 * BENCH_READS + 1; /* + the size query */
    ok &= child_remove(&c) == 0;
    printf("root: block workload: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
