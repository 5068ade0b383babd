/* SPDX-License-Identifier: MIT */
/*
 * make bench's console workload (ci/bench.sh): opens the console channel,
 * writes BENCH_LINES lines of 64 bytes each with printf, closes.  The root
 * (test=bench-console) counts the exits and ticks the whole run costs.
 */
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_console.h"

#define BENCH_LINES 256

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() == 0) {
        /* 64 bytes with the newline: "line NNN " and 54 letters. */
        for (int i = 0; i < BENCH_LINES; i++)
            printf("line %03d abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz01\n", i);
        vsc_console_close();
    }
    for (;;)
        __asm__ volatile("hlt");
}
