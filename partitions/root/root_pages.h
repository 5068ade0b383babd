/* SPDX-License-Identifier: MIT */
/*
 * The root pages the root hands to the hypervisor: hypercall parameter
 * pages, pages deposited in or mapped into children, channel rings.
 *
 * In a check build (TRACE=1) they all come from the reference model's
 * frame window (the root RAM right after the hypervisor's pool, boot info
 * lend_from_page, 504 pages), so every hypercall of an ordinary run can
 * be compared with the model: a root page outside the window is one the
 * model does not know, and would call invalid where the hypervisor says
 * SUCCESS.  A release build has no window (lend_from_page is 0): the
 * pages are the top half of the root's largest RAM range.
 * Pages are held by the root itself (for good) or by a child, and a
 * child's come back when it is deleted.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"
#include "../../kernel/abi/partition_boot.h"

/* Once per run (later calls do nothing): the window's root pages, or,
 * without a window, the top half of the largest RAM range. */
void root_pages_init(const struct partition_boot_info *info);

/* `count` contiguous zeroed pages held by partition `holder` (the root's
 * own id, or a child's); the first page number, or 0 if none is left. */
uint64_t root_pages_take(uint32_t count, uint64_t holder);

/* Every page `holder` holds is free again (the child was deleted, so the
 * hypervisor gave them back to the root). */
void root_pages_release(uint64_t holder);

/* Pages taken at most at once, and the pool's size: for reports. */
uint32_t root_pages_peak(void);
uint32_t root_pages_total(void);
