/* SPDX-License-Identifier: MIT */
#include "pages.h"

#include "../abi/hvabi.h"
#include "abstract.h"
#include "hv_state.h"
#include "partition.h"

struct page_info *page_at(uint64_t page)
{
    return page < PAGES_MAX ? &hv.pages[page] : 0;
}

/* Every change of hands goes through here (check builds keep the
 * model's view of the frames up to date). */
static void set(uint64_t page, struct page_info *pg, struct page_info v)
{
#ifdef PARTITA_TRACE
    abstract_page_change(page, pg, &v);
#else
    (void)page;
#endif
    *pg = v;
}

static struct partition *root(void)
{
    return partition_at_slot(0);
}

int page_root_exclusive(uint64_t page)
{
    const struct page_info *pg = page_at(page);
    return pg && pg->kind == PAGE_OWNED && pg->owner == 0;
}

int page_shared_with(uint64_t page, const struct partition *p)
{
    const struct page_info *pg = page_at(page);
    return pg && pg->kind == PAGE_SHARED && pg->peer == p->slot;
}

static uint64_t addr(uint64_t page)
{
    return page << 12;
}

/* Removes the page from whichever child maps it. */
static void unmap_from_child(struct page_info *pg, uint64_t page)
{
    (void)page;
    uint8_t child = pg->kind == PAGE_SHARED ? pg->peer : pg->owner;
    struct partition *p = child == PAGE_NOBODY ? 0 : partition_at_slot(child);
    if (p && child != 0) {
        hv_virt->slat_unmap(&p->slat, addr(pg->gpa));
        hv_virt->slat_flush(&p->slat, p->tag);
    }
}

int page_give_root(uint64_t page)
{
    struct page_info *pg = page_at(page);
    if (!pg)
        return -1;
    if ((pg->kind == PAGE_OWNED && pg->owner != 0) || pg->kind == PAGE_SHARED)
        unmap_from_child(pg, page);
    int was_mapped = (pg->kind == PAGE_OWNED && pg->owner == 0) || pg->kind == PAGE_SHARED;
    set(page, pg, (struct page_info){PAGE_OWNED, 0, PAGE_NOBODY, 0, 0});
    if (!was_mapped && hv_virt->slat_map(&root()->slat, addr(page), addr(page), SLAT_RWX))
        return -1;
    return 0;
}

int page_deposit(uint64_t page, struct partition *p)
{
    struct page_info *pg = page_at(page);
    hv_virt->slat_unmap(&root()->slat, addr(page));
    hv_virt->slat_flush(&root()->slat, root()->tag);
    set(page, pg,
        (struct page_info){PAGE_DEPOSITED, PAGE_NOBODY, (uint8_t)p->slot, 0, 0});
    p->deposited++;
    return 0;
}

int page_map_child(uint64_t page, struct partition *p, uint64_t gpa, int shared,
                   uint32_t rights)
{
    struct page_info *pg = page_at(page);
    if (hv_virt->slat_map(&p->slat, addr(gpa), addr(page), rights))
        return -1;
    if (shared) {
        set(page, pg,
            (struct page_info){PAGE_SHARED, 0, (uint8_t)p->slot, (uint8_t)rights,
                               (uint32_t)gpa});
    } else {
        hv_virt->slat_unmap(&root()->slat, addr(page));
        hv_virt->slat_flush(&root()->slat, root()->tag);
        set(page, pg,
            (struct page_info){PAGE_OWNED, (uint8_t)p->slot, PAGE_NOBODY, (uint8_t)rights,
                               (uint32_t)gpa});
    }
    return 0;
}

/* The root page child p maps at GPA page gpa and p's rights to it, or -1. */
static int64_t child_page(const struct partition *p, uint64_t gpa, uint32_t *rights)
{
    if (gpa >= HV_MAX_CHILD_GPA_PAGES)
        return -1; /* outside the child's accounted GPA space */
    uint64_t hpa = hv_virt->slat_lookup((struct slat *)&p->slat, addr(gpa), rights);
    if (!*rights)
        return -1;
    const struct page_info *pg = page_at(hpa >> 12);
    /* Only pages this table accounts for: not the harness's own pages. */
    if (!pg || !((pg->kind == PAGE_OWNED && pg->owner == p->slot) ||
                 (pg->kind == PAGE_SHARED && pg->peer == p->slot)))
        return -1;
    return (int64_t)(hpa >> 12);
}

int64_t page_in_child(const struct partition *p, uint64_t gpa)
{
    uint32_t rights;
    return child_page(p, gpa, &rights);
}

void pages_reclaim(struct partition *p)
{
    for (uint32_t i = 0; i < PAGES_MAX; i++) {
        struct page_info *pg = &hv.pages[i];
        int held = (pg->kind == PAGE_OWNED && pg->owner == p->slot && p->slot != 0) ||
                   (pg->kind != PAGE_OWNED && pg->kind != PAGE_HYPERVISOR &&
                    pg->peer == p->slot);
        if (held)
            page_give_root(i);
    }
    p->deposited = 0;
}

uint32_t partition_page_rights(const struct partition *p, uint64_t gpa_page, uint64_t *hpa)
{
    uint32_t rights;
    if (p->slot == 0) {
        const struct page_info *pg = page_at(gpa_page);
        if (!pg || !((pg->kind == PAGE_OWNED && pg->owner == 0) || pg->kind == PAGE_SHARED))
            return 0;
        /* The root maps what it owns or shares read-write today; its own
         * table says so, and would say otherwise if that ever changed. */
        hv_virt->slat_lookup(&root()->slat, addr(gpa_page), &rights);
        *hpa = addr(gpa_page);
        return rights;
    }
    int64_t page = child_page(p, gpa_page, &rights);
    if (page < 0)
        return 0;
    *hpa = (uint64_t)page << 12;
    return rights;
}
