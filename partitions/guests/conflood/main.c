/* SPDX-License-Identifier: MIT */
/*
 * A child that floods its console channel: once the channel is open it
 * writes numbered lines without pause and never stops.  The root must
 * keep serving its other children at their share (test=console-flood).
 */
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_console.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() == 0)
        for (unsigned long long i = 0;; i++)
            printf("flood %llu: the quick brown fox jumps over the lazy dog\n", i);
    for (;;)
        __asm__ volatile("hlt");
}
