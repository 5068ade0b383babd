/* SPDX-License-Identifier: MIT */
/*
 * make bench's console workload (ci/bench.sh): opens the console channel,
 * writes BENCH_LINES lines of line_bytes bytes each (64 unless the root's
 * bench-line-bytes=N says otherwise; partitions/lib/bench_params.h), each
 * line one write into the channel, and closes.  The root
 * (test=bench-console) counts the exits and ticks the whole run costs.
 */
#include "../../../lib/format.h"
#include "../../lib/bench_params.h"
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_console.h"

static char line[BENCH_LINE_BYTES_MAX];

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information: the root's is the page */
    const struct bench_params *p = (const void *)(uintptr_t)BENCH_PARAMS_GPA;
    uint32_t lines = BENCH_LINES, bytes = BENCH_LINE_BYTES;
    if (p->magic == BENCH_PARAMS_MAGIC && p->line_bytes >= BENCH_LINE_BYTES_MIN &&
        p->line_bytes <= BENCH_LINE_BYTES_MAX) {
        lines = p->lines;
        bytes = p->line_bytes;
    }
    hv_detect();
    if (vsc_console_open() == 0) {
        /* "line NNN ", letters a..z over and over, '\n': at 64 bytes the
         * same text the workload always wrote (it ended "...xyz01"). */
        for (uint32_t i = 9; i + 1 < bytes; i++)
            line[i] = (char)('a' + (i - 9) % 26);
        if (bytes == BENCH_LINE_BYTES) {
            line[61] = '0';
            line[62] = '1';
        }
        line[bytes - 1] = '\n';
        for (uint32_t i = 0; i < lines; i++) {
            char head[10];
            format_string(head, sizeof head, "line %03u ", i % 1000);
            for (int k = 0; k < 9; k++)
                line[k] = head[k];
            console_write(line, bytes);
        }
        vsc_console_close();
    }
    for (;;)
        __asm__ volatile("hlt");
}
