/* SPDX-License-Identifier: MIT */
/*
 * make bench's port-I/O round trip (ci/bench-pio.sh): an unenlightened
 * child writing the COM2 16550's scratch register ioloop_accesses times
 * (partitions/lib/bench_params.h; the root's test=ioloop accesses=N), each
 * OUT one I/O exit served by the root's UART emulation (BUILD=micro) or the
 * hypervisor's UART model (BUILD=mono).  It times its own loop (the TSC:
 * instructions under QEMU -icount) and reports it and how many it did on
 * the parameter page, then halts for good.  Runs of N and 2N give the
 * cost of one access as the difference over N: the fixed costs cancel.
 */
#include <stdint.h>

#include "../../../lib/portio.h"
#include "../../lib/bench_params.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"

#define COM2_SCRATCH (0x2f8 + 7)

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information: the root's is the page */
    struct bench_params *p = (void *)(uintptr_t)BENCH_PARAMS_GPA;
    uint32_t n = p->magic == BENCH_PARAMS_MAGIC ? p->ioloop_accesses : 0;
    uint64_t t0 = rdtsc_now();
    for (uint32_t i = 0; i < n; i++)
        outb(COM2_SCRATCH, (uint8_t)i);
    p->ioloop_ticks = rdtsc_now() - t0;
    p->ioloop_done = n;
    for (;;)
        __asm__ volatile("hlt");
}
