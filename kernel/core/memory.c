/* SPDX-License-Identifier: MIT */
#include "memory.h"

#include "../arch/arch.h"
#include "../arch/virt.h"
#include "hv_state.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

int memory_pool_init(struct frame_alloc *fa)
{
    struct memory_pool *pool = &hv.pool;
    pool->base = frame_alloc_get_contiguous(fa, HV_POOL_PAGES);
    if (!pool->base)
        return -1;
    memset(pool->used, 0, sizeof pool->used);
    pool->free = HV_POOL_PAGES;
    return 0;
}

uint64_t memory_pool_base(void)
{
    return hv.pool.base;
}

uint64_t memory_probe_page(void)
{
    return (hv.pool.base >> 12) + HV_POOL_PAGES - HV_PROBE_PAGES;
}

int memory_in_pool(uint64_t hpa)
{
    return hpa >= hv.pool.base && hpa < hv.pool.base + HV_POOL_PAGES * FRAME_SIZE;
}

static int used(unsigned i)
{
    return hv.pool.used[i / 8] >> (i % 8) & 1;
}

uint64_t hv_pages_alloc(unsigned count)
{
    unsigned run = 0;
    if (count == 0 || count > hv.pool.free)
        return 0;
    for (unsigned i = 0; i < HV_POOL_PAGES; i++) {
        run = used(i) ? 0 : run + 1;
        if (run == count) {
            unsigned first = i + 1 - count;
            for (unsigned j = first; j <= i; j++)
                hv.pool.used[j / 8] |= (uint8_t)(1u << (j % 8));
            hv.pool.free -= count;
            uint64_t pa = hv.pool.base + (uint64_t)first * FRAME_SIZE;
            memset(arch_phys_to_virt(pa), 0, count * FRAME_SIZE);
            return pa;
        }
    }
    return 0;
}

uint64_t hv_page_alloc(void)
{
    return hv_pages_alloc(1);
}

void hv_page_free(uint64_t hpa)
{
    if (!memory_in_pool(hpa) || (hpa & (FRAME_SIZE - 1)))
        return;
    unsigned i = (unsigned)((hpa - hv.pool.base) / FRAME_SIZE);
    if (used(i)) {
        hv.pool.used[i / 8] &= (uint8_t) ~(1u << (i % 8));
        hv.pool.free++;
    }
}
