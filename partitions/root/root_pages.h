/* SPDX-License-Identifier: MIT */
/*
 * The root pages the root hands to the hypervisor: hypercall parameter
 * pages, pages deposited in or mapped into children, channel rings.
 *
 * They come from the top half of the root's largest RAM range, above the
 * pages a check build playing a scenario uses (kernel/abi/
 * scenario_steps.h).  Any root page
 * is a frame of the reference model (the model names frames by root
 * page), so a check build can follow every hypercall of any run.
 * Pages are held by the root itself (for good) or by a child, and a
 * child's come back when it is deleted.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"
#include "../../kernel/abi/partition_boot.h"
#include "../../kernel/abi/scenario_steps.h"

/* Once per run (later calls do nothing): takes stock of the pages. */
void root_pages_init(const struct partition_boot_info *info);

/* `count` contiguous zeroed pages held by partition `holder` (the root's
 * own id, or a child's); the first page number, or 0 if none is left. */
uint64_t root_pages_take(uint32_t count, uint64_t holder);

/* Every page `holder` holds is free again (the child was deleted, so the
 * hypervisor gave them back to the root). */
void root_pages_release(uint64_t holder);

/* 1 if the pages a scenario plays with are root RAM nobody lends. */
int root_pages_scenario_ready(const struct partition_boot_info *info);
/* Pages taken at most at once, and the pool's size: for reports. */
uint32_t root_pages_peak(void);
uint32_t root_pages_total(void);
