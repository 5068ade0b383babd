/* SPDX-License-Identifier: MIT */
#include "root_pages.h"

#include "../lib/string_util.h"

/* 1 GiB: what the hypervisor tracks (kernel/core/pages.h), so a child can
 * have as much as HV_MAX_CHILD_GPA_PAGES in a release build. */
#define ROOT_PAGES_MAX 262144

static uint64_t first_page;
static uint32_t total, in_use, peak;
static uint8_t ready;
/* Per page: 0 free, else the holder's partition id (ids stay small:
 * the hypervisor has a handful of partition slots and counts ids up). */
static uint32_t holder_of[ROOT_PAGES_MAX];

static int in_module(const struct partition_boot_info *info, uint64_t page)
{
    for (uint32_t i = 0; i < info->module_count; i++) {
        uint64_t lo = info->modules[i].base >> 12;
        uint64_t hi = (info->modules[i].base + info->modules[i].size + 4095) >> 12;
        if (page >= lo && page < hi)
            return 1;
    }
    return 0;
}

void root_pages_init(const struct partition_boot_info *info)
{
    if (ready)
        return;
    ready = 1;
    uint64_t base = 0, pages = 0;
    /* The top half of the largest range, far from the image... */
    for (uint32_t i = 0; i < info->range_count; i++)
        if (info->ranges[i].pages / 2 > pages) {
            pages = info->ranges[i].pages / 2;
            base = (info->ranges[i].base >> 12) + info->ranges[i].pages - pages;
        }
    /* ...and above the scenario pages (kernel/abi/scenario_steps.h). */
    uint64_t scn_end = scenario_frame_page(SCENARIO_FRAMES - 1) + 1;
    if (base < scn_end && base + pages > scn_end) {
        pages -= scn_end - base;
        base = scn_end;
    }
    first_page = base;
    total = pages > ROOT_PAGES_MAX ? ROOT_PAGES_MAX : (uint32_t)pages;
    /* Boot modules are root RAM too, and must stay what they are. */
    for (uint32_t i = 0; i < total; i++)
        if (in_module(info, first_page + i))
            holder_of[i] = HV_PARTITION_ID_ROOT;
}

int root_pages_scenario_ready(const struct partition_boot_info *info)
{
    root_pages_init(info);
    uint64_t lo = scenario_frame_page(SCENARIO_HV_FRAMES);
    uint64_t hi = scenario_frame_page(SCENARIO_FRAMES - 1) + 1;
    for (uint32_t i = 0; i < info->range_count; i++) {
        uint64_t first = info->ranges[i].base >> 12;
        if (first <= lo && hi <= first + info->ranges[i].pages)
            return !(first_page < hi && first_page + total > lo);
    }
    return 0;
}

uint64_t root_pages_take(uint32_t count, uint64_t holder)
{
    uint32_t run = 0;
    for (uint32_t i = 0; count && i < total; i++) {
        run = holder_of[i] ? 0 : run + 1;
        if (run < count)
            continue;
        uint32_t first = i + 1 - count;
        for (uint32_t j = first; j <= i; j++)
            holder_of[j] = (uint32_t)holder;
        in_use += count;
        if (in_use > peak)
            peak = in_use;
        memset((void *)(uintptr_t)((first_page + first) << 12), 0, (size_t)count << 12);
        return first_page + first;
    }
    return 0;
}

void root_pages_release(uint64_t holder)
{
    for (uint32_t i = 0; i < total; i++)
        if (holder_of[i] == holder && holder != HV_PARTITION_ID_ROOT) {
            holder_of[i] = 0;
            in_use--;
        }
}

uint32_t root_pages_peak(void)
{
    return peak;
}

uint32_t root_pages_total(void)
{
    return total;
}
