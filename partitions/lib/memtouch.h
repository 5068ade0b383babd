/* SPDX-License-Identifier: MIT */
/*
 * The big-child test's contract (the root's test=big-child,
 * partitions/root/big_child.c, and its child partitions/guests/memtouch).
 *
 * The root maps one page shared with the child at MEMTOUCH_PAGE_GPA and
 * says there where the child's RAM is; the child writes a value that
 * names its GPA into the first and last word of every page of it, reads
 * every page back, and reports in the same page.  A page mapped twice, or
 * not where the root put it, shows as a mismatch or a wrong sum.
 */
#pragma once
#include <stdint.h>

#define MEMTOUCH_PAGE_GPA 0x5000ull  /* below the stack (child.h) */
#define MEMTOUCH_RAM_GPA 0x400000ull /* 4 MiB: above the image */

struct memtouch_page {
    uint64_t ram_gpa;             /* root: the RAM's first GPA */
    uint64_t ram_pages;           /* root: how many pages */
    volatile uint64_t done;       /* child: 1 when the rest is written */
    volatile uint64_t touched;    /* child: pages written and read back */
    volatile uint64_t mismatches; /* child: pages that did not read back */
    volatile uint64_t sum;        /* child: sum of the first words read */
};

/* The value for the page at `gpa`: distinct for every page. */
static inline uint64_t memtouch_pattern(uint64_t gpa)
{
    return (gpa * 0x9e3779b97f4a7c15ull) ^ 0x5a5aa5a5c3c33c3cull;
}
