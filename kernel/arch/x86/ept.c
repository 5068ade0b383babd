/* SPDX-License-Identifier: MIT */
/*
 * Extended page tables (Intel SDM vol. 3C, 29.3): guest-physical to
 * host-physical translation for the VT-x backend.
 *
 * Four levels of 512 entries, like ordinary long-mode paging, using 4 KiB
 * pages only so a mapping is always one leaf entry.  Bits 0/1/2 of an entry
 * are read/write/execute; an entry with all three clear is not present.
 * Leaf entries also carry the memory type (bits 5:3), always write-back.
 * Tables come from hv_page_alloc(), whose addresses are both host-physical
 * and hypervisor-virtual, so the walk can dereference them directly.
 */
#include "ept.h"

#include "io.h"
#include "vmx.h"

#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_RWX (EPT_R | EPT_W | EPT_X)
#define EPT_MEMTYPE_WB (6ull << 3)
#define EPT_ADDR_MASK 0x000FFFFFFFFFF000ull
#define EPT_GPA_LIMIT (1ull << 48) /* what four levels can translate */
#define PAGE_MASK 0xFFFull

uint64_t ept_pointer(const struct slat *slat)
{
    /* bits 2:0 memory type of the tables (6 = WB), 5:3 walk length - 1 */
    return slat->root | (3ull << 3) | 6;
}

int ept_init(struct slat *slat)
{
    slat->root = hv_page_alloc();
    return slat->root ? 0 : -1;
}

/* Address of the leaf entry for gpa, or NULL.  With create, missing tables
 * are allocated (zeroed, so all their entries start not present). */
static uint64_t *leaf_entry(struct slat *slat, uint64_t gpa, int create)
{
    if (!slat->root || gpa >= EPT_GPA_LIMIT)
        return 0;
    uint64_t *table = (uint64_t *)slat->root;
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *e = &table[(gpa >> shift) & 511];
        if (!(*e & EPT_RWX)) {
            if (!create)
                return 0;
            uint64_t page = hv_page_alloc();
            if (!page)
                return 0;
            /* Non-leaf entries allow everything: the leaf decides. */
            *e = page | EPT_RWX;
        }
        table = (uint64_t *)(*e & EPT_ADDR_MASK);
    }
    return &table[(gpa >> 12) & 511];
}

int ept_map(struct slat *slat, uint64_t gpa, uint64_t hpa, uint32_t rights)
{
    /* EPT calls write-without-read a misconfiguration, and AMD's nested
     * page tables cannot express an unreadable present page: a mapping
     * is readable on both backends, or it is refused. */
    if ((gpa | hpa) & PAGE_MASK || hpa & ~EPT_ADDR_MASK || !(rights & SLAT_READ))
        return -1;
    uint64_t *e = leaf_entry(slat, gpa, 1);
    if (!e)
        return -1;
    *e = hpa | EPT_MEMTYPE_WB | EPT_R | ((rights & SLAT_WRITE) ? EPT_W : 0) |
         ((rights & SLAT_EXEC) ? EPT_X : 0);
    return 0;
}

int ept_unmap(struct slat *slat, uint64_t gpa)
{
    if (gpa & PAGE_MASK || gpa >= EPT_GPA_LIMIT)
        return -1;
    uint64_t *e = leaf_entry(slat, gpa, 0);
    if (e)
        *e = 0;
    return 0;
}

uint64_t ept_lookup(struct slat *slat, uint64_t gpa, uint32_t *rights)
{
    uint64_t *e = leaf_entry(slat, gpa & ~PAGE_MASK, 0);
    uint32_t r = 0;
    if (e) {
        r |= (*e & EPT_R) ? SLAT_READ : 0;
        r |= (*e & EPT_W) ? SLAT_WRITE : 0;
        r |= (*e & EPT_X) ? SLAT_EXEC : 0;
    }
    if (rights)
        *rights = r;
    return r ? (*e & EPT_ADDR_MASK) : 0;
}

/*
 * The processor caches guest-physical translations per EPTP and combined
 * (linear -> host-physical) ones per EPTP and VPID.  INVEPT drops both for
 * this EPTP; INVVPID additionally drops linear translations of the VPID.
 * Both instructions are legal only after VMXON; before it nothing is cached.
 */
void ept_flush(struct slat *slat, uint16_t tag)
{
    static uint64_t cap;
    if (!vmx_enabled)
        return;
    if (!cap)
        cap = rdmsr(MSR_VMX_EPT_VPID_CAP);
    if (cap & EPT_CAP_INVEPT) {
        if (cap & EPT_CAP_INVEPT_SINGLE)
            vmx_invept(1, ept_pointer(slat));
        else
            vmx_invept(2, 0);
    }
    if (tag && (cap & EPT_CAP_INVVPID)) {
        if (cap & EPT_CAP_INVVPID_SINGLE)
            vmx_invvpid(1, tag);
        else if (cap & EPT_CAP_INVVPID_ALL)
            vmx_invvpid(2, 0);
    }
}

static void free_table(uint64_t table, int level)
{
    uint64_t *e = (uint64_t *)(uintptr_t)table;
    for (int i = 0; level > 0 && i < 512; i++)
        if (e[i] & EPT_RWX)
            free_table(e[i] & EPT_ADDR_MASK, level - 1);
    hv_page_free(table);
}

/* The partition is being deleted: every table goes back to the pool. */
void ept_destroy(struct slat *slat)
{
    if (!slat->root)
        return;
    /* Cached translations are tagged with the EPTP: drop them before the
     * PML4 page can come back as another partition's. */
    ept_flush(slat, 0);
    free_table(slat->root, 3);
    slat->root = 0;
}
