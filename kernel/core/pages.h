/* SPDX-License-Identifier: MIT */
/*
 * Who owns each page of RAM.  Exactly one owner per page, except a channel
 * page, which the root shares with one child.  The root's guest-physical
 * page n is host page n (identity), so one table serves both views.
 *
 *   HYPERVISOR  the hypervisor's own (image, pool, modules), forever
 *   OWNED       by the root, or by a child at child GPA page `gpa`
 *   SHARED      owned by the root and mapped into child `peer` at `gpa`
 *   DEPOSITED   the hypervisor's while deposited, accounted to `peer`
 *
 * The second-level tables always agree with this table: the root maps a
 * page iff it is OWNED by the root or SHARED; a child maps it at gpa iff
 * it is OWNED by the child or SHARED with it.
 */
#pragma once
#include <stdint.h>

#define PAGE_HYPERVISOR 0
#define PAGE_OWNED 1
#define PAGE_SHARED 2
#define PAGE_DEPOSITED 3

#define PAGES_MAX 262144u /* 1 GiB of RAM is tracked; above is the hypervisor's */
#define PAGE_NOBODY 0xffu

struct page_info {
    uint8_t kind;
    uint8_t owner; /* partition slot, or PAGE_NOBODY */
    uint8_t peer;  /* partition slot, or PAGE_NOBODY */
    uint8_t rights; /* SLAT_* the child maps it with (OWNED by a child, SHARED); else 0 */
    uint32_t gpa;  /* child GPA page when mapped into a child */
};

struct partition;

struct page_info *page_at(uint64_t page);

/* Page-table-keeping transitions; each returns 0, or -1 if the tables
 * could not be updated (pool exhausted). */
int page_give_root(uint64_t page);                 /* any kind -> OWNED by root */
int page_deposit(uint64_t page, struct partition *p);
int page_map_child(uint64_t page, struct partition *p, uint64_t gpa, int shared,
                   uint32_t rights);

/* The root page mapped at child GPA page `gpa`, or -1. */
int64_t page_in_child(const struct partition *p, uint64_t gpa);

/* True if the root owns the page outright (not shared, deposited or mapped). */
int page_root_exclusive(uint64_t page);

/* True if the root shares the page with child p (a channel page). */
int page_shared_with(uint64_t page, const struct partition *p);

/* Every page p holds goes back to the root (DeletePartition). */
void pages_reclaim(struct partition *p);

/* The rights (SLAT_*) p has to its GPA page `gpa_page` if that page is
 * one p can hand the hypervisor a parameter block in (a page p owns or
 * shares; never the hypervisor's), with *hpa where it is; 0 otherwise.
 * The rights are p's own second-level mapping's: the hypervisor writes an
 * output block only where p itself could. */
uint32_t partition_page_rights(const struct partition *p, uint64_t gpa_page, uint64_t *hpa);
