/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own memory: a contiguous pool of frames taken at boot,
 * from which backends allocate VMCBs, VMCSs and second-level tables.
 * Everything else belongs to partitions.  Pool pages are never mapped
 * into any partition.
 */
#pragma once
#include <stdint.h>

#include "frame_alloc.h"

#define HV_POOL_PAGES 2048 /* 8 MiB */
/* The pool's last pages are what PartitaGetHvInfo names to the root as
 * hypervisor memory it may probe (and must fail to reach). */
#define HV_PROBE_PAGES 8

/* Which pool pages are in use (a bit each); part of struct hv_state. */
struct memory_pool {
    uint64_t base;
    uint8_t used[HV_POOL_PAGES / 8];
    uint64_t free;
};

/* Takes the pool out of the frame allocator.  0 = ok. */
int memory_pool_init(struct frame_alloc *fa);

uint64_t memory_pool_base(void);
/* The first page of the probe range (HV_PROBE_PAGES pages). */
uint64_t memory_probe_page(void);
int memory_in_pool(uint64_t hpa);
