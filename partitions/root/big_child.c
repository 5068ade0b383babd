/* SPDX-License-Identifier: MIT */
/*
 * test=big-child [child-mib=N]: a child with N MiB of RAM (64 unless
 * said), built the way any child is (rep MapGpaPages from the root's own
 * pages) and checked from both sides.  The child (memtouch, contract in
 * partitions/lib/memtouch.h) writes a value naming its GPA into every
 * page, reads all back and reports; after it is deleted, its pages are
 * the root's again and the root finds each value in the root page it
 * mapped at that GPA.  One line says what was found:
 *   root: big-child: N MiB (P pages) at GPA 0x400000: touched P,
 *         mismatches 0, sum ok, root pages ok
 */
#include "big_child.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/memtouch.h"
#include "../lib/string_util.h"
#include "child.h"
#include "root.h"
#include "text.h"

/* Halts to wait for the child at most (a hung run, not a verdict). */
#define WAIT_HALTS 1000000u

static uint64_t parse_mib(const struct partition_boot_info *info)
{
    char text[16];
    uint64_t mib = 64;
    if (arg_value(info, "child-mib", text, sizeof text))
        number_after(text, strlen(text), "", &mib);
    return mib;
}

int big_child_test(const struct partition_boot_info *info)
{
    uint64_t mib = parse_mib(info), pages = mib << 8;
    const struct partition_module *m = root_find_module(info, "memtouch.elf");
    if (!m) {
        printf("root: big-child: FAIL no memtouch.elf module\n");
        return 1;
    }
    child_memory_init(info);
    struct child c;
    int st = child_create_elf(&c, "memtouch", (const void *)(uintptr_t)m->base, m->size);
    struct memtouch_page *mp = st ? 0 : child_ring_pages(&c, 1);
    uint64_t first = 0;
    if (!st && !mp)
        st = HV_STATUS_INSUFFICIENT_MEMORY;
    if (!st)
        st = child_map_page(c.id, MEMTOUCH_PAGE_GPA >> 12, (uint64_t)(uintptr_t)mp >> 12,
                            HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                                HV_MAP_GPA_PARTITA_SHARED);
    if (!st)
        st = child_add_ram(&c, MEMTOUCH_RAM_GPA >> 12, pages, &first);
    if (st) {
        printf("root: big-child: FAIL cannot build a child of %llu MiB: %s\n",
               (unsigned long long)mib, hv_status_name((hv_status_t)st));
        return 1;
    }
    mp->ram_gpa = MEMTOUCH_RAM_GPA;
    mp->ram_pages = pages;
    if ((st = child_start(&c))) {
        printf("root: big-child: FAIL cannot start it: %s\n",
               hv_status_name((hv_status_t)st));
        return 1;
    }
    for (uint32_t i = 0; !mp->done && i < WAIT_HALTS; i++)
        __asm__ volatile("hlt");
    if (!mp->done) {
        printf("root: big-child: FAIL no report from the child after %u halts\n",
               WAIT_HALTS);
        return 1;
    }
    uint64_t expect = 0;
    for (uint64_t i = 0; i < pages; i++)
        expect += memtouch_pattern(MEMTOUCH_RAM_GPA + (i << 12));
    uint64_t touched = mp->touched, bad = mp->mismatches, sum = mp->sum;
    if ((st = child_delete(&c))) {
        printf("root: big-child: FAIL cannot delete it: %s\n",
               hv_status_name((hv_status_t)st));
        return 1;
    }
    /* Its pages are the root's again (not yet handed out anew): page
     * first + i must hold what the child wrote at GPA base + i. */
    uint64_t wrong = 0;
    for (uint64_t i = 0; i < pages; i++) {
        const uint64_t *w = (const uint64_t *)(uintptr_t)((first + i) << 12);
        wrong +=
            w[0] != memtouch_pattern(MEMTOUCH_RAM_GPA + (i << 12)) || w[511] != ~w[0];
    }
    int ok = touched == pages && bad == 0 && sum == expect && wrong == 0;
    printf("root: big-child: %llu MiB (%llu pages) at GPA 0x%llx: touched %llu, "
           "mismatches %llu, "
           "sum %s, root pages %s\n",
           (unsigned long long)mib, (unsigned long long)pages,
           (unsigned long long)MEMTOUCH_RAM_GPA, (unsigned long long)touched,
           (unsigned long long)bad, sum == expect ? "ok" : "WRONG",
           wrong ? "WRONG" : "ok");
    if (wrong)
        printf("root: big-child: FAIL %llu root pages do not hold what the child wrote "
               "there\n",
               (unsigned long long)wrong);
    return ok ? 0 : 1;
}
