/* SPDX-License-Identifier: MIT */
/*
 * AMD nested page tables: the ordinary x86-64 four-level format, walked
 * with guest-physical addresses.  Leaf entries need the U bit (nested
 * walks are user accesses).  Execute rights are not expressed: NX needs
 * EFER.NXE in the host, which Partita leaves off.
 */
#include <stdint.h>

#include "npt.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_ADDR 0x000ffffffffff000ull

int npt_init(struct slat *slat)
{
    slat->root = hv_page_alloc();
    return slat->root ? 0 : -1;
}

/* The leaf entry for gpa, allocating intermediate tables if create. */
static uint64_t *walk(struct slat *slat, uint64_t gpa, int create)
{
    /* LAB 3.1 BEGIN: walk the four levels, making tables on the way if asked */
    uint64_t *table = (uint64_t *)(uintptr_t)slat->root;
    for (int level = 3; level > 0; level--) {
        uint64_t *e = &table[(gpa >> (12 + 9 * level)) & 511];
        if (!(*e & PTE_P)) {
            if (!create)
                return 0;
            uint64_t page = hv_page_alloc();
            if (!page)
                return 0;
            *e = page | PTE_P | PTE_W | PTE_U;
        }
        table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
    }
    return &table[(gpa >> 12) & 511];
    /* LAB 3.1 END */
}

int npt_map(struct slat *slat, uint64_t gpa, uint64_t hpa, uint32_t rights)
{
    /* LAB 3.2 BEGIN: map, unmap and look up one page */
    if ((gpa | hpa) & 0xfff || gpa >> 48 || !(rights & SLAT_READ))
        return -1;
    uint64_t *e = walk(slat, gpa, 1);
    if (!e)
        return -1;
    *e = hpa | PTE_P | PTE_U | ((rights & SLAT_WRITE) ? PTE_W : 0);
    return 0;
    /* LAB 3.2 END */
}

int npt_unmap(struct slat *slat, uint64_t gpa)
{
    /* LAB 3.2 BEGIN: map, unmap and look up one page */
    uint64_t *e = walk(slat, gpa, 0);
    if (e)
        *e = 0;
    return 0;
    /* LAB 3.2 END */
}

uint64_t npt_lookup(struct slat *slat, uint64_t gpa, uint32_t *rights)
{
    /* LAB 3.2 BEGIN: map, unmap and look up one page */
    uint64_t *e = walk(slat, gpa & ~0xfffull, 0);
    if (!e || !(*e & PTE_P)) {
        *rights = 0;
        return 0;
    }
    *rights = SLAT_READ | SLAT_EXEC | ((*e & PTE_W) ? SLAT_WRITE : 0);
    return *e & PTE_ADDR;
    /* LAB 3.2 END */
}

void npt_flush(struct slat *slat, uint16_t tag)
{
    (void)slat;
    (void)tag;
    npt_flush_pending = 1; /* the next VMRUN flushes the TLB */
}

static void free_table(uint64_t table, int level)
{
    /* LAB 3.3 BEGIN: give every table back, leaves last */
    uint64_t *e = (uint64_t *)(uintptr_t)table;
    for (int i = 0; level > 0 && i < 512; i++)
        if (e[i] & PTE_P)
            free_table(e[i] & PTE_ADDR, level - 1);
    hv_page_free(table);
    /* LAB 3.3 END */
}

/* The partition is being deleted: every table goes back to the pool.
 * The TLB tags nested translations with the ASID only, and the next
 * partition in this slot gets the same ASID: without a flush it could run
 * on translations to this partition's old pages.  So the next VMRUN, of
 * whichever VP, flushes the whole TLB (TLB_CONTROL, svm.c) — before any
 * guest can use the ASID again.  ept_destroy does the same with INVEPT. */
void npt_destroy(struct slat *slat)
{
    if (!slat->root)
        return;
    npt_flush(slat, 0);
    free_table(slat->root, 3);
    slat->root = 0;
}
