/* SPDX-License-Identifier: MIT */
/*
 * memtouch: the child of the root's test=big-child (partitions/lib/
 * memtouch.h says the contract).  Writes every page of the RAM the root
 * gave it, reads it all back, reports, halts.
 */
#include "../../lib/memtouch.h"
#include "../../lib/runtime.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    struct memtouch_page *mp = (struct memtouch_page *)(uintptr_t)MEMTOUCH_PAGE_GPA;
    uint64_t base = mp->ram_gpa, pages = mp->ram_pages;
    for (uint64_t i = 0; i < pages; i++) {
        volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(base + (i << 12));
        w[0] = memtouch_pattern(base + (i << 12));
        w[511] = ~w[0];
    }
    uint64_t sum = 0, bad = 0;
    for (uint64_t i = 0; i < pages; i++) {
        volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(base + (i << 12));
        uint64_t first = w[0], last = w[511];
        bad += first != memtouch_pattern(base + (i << 12)) || last != ~first;
        sum += first;
    }
    mp->touched = pages;
    mp->mismatches = bad;
    mp->sum = sum;
    mp->done = 1;
    for (;;)
        __asm__ volatile("hlt");
}
