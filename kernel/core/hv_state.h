/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's state, in one place.
 *
 * Everything the hypervisor remembers about the partitions while they run
 * is a field of `hv`: the partition table with each partition's VPs and
 * SynIC, the ports and connections, who owns each page of RAM, the pool
 * the hypervisor takes its own pages from, and the few machine-wide words
 * (next partition id, trace mask, shutdown).  The reference model's state
 * is an abstraction of exactly these fields (kernel/core/abstract.c reads
 * nothing else), and a host test starts from a clean machine with
 * hv_state_init().
 *
 * Not here, on purpose:
 *  - what a backend keeps per vCPU (VMCB/VMCS, guest FPU and MSR values),
 *    behind the arch interface in kernel/arch/x86/ — each partition's VP
 *    points at it (struct vp.arch);
 *  - what is fixed at boot (the chosen backend hv_virt, the boot modules,
 *    the boot-time frame allocator in main.c);
 *  - the services BUILD=mono runs inside the hypervisor
 *    (kernel/services/): their state is what the root keeps in BUILD=micro;
 *  - the check machinery (trace sequence, the model view's frame sum),
 *    which exists only in check builds.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"
#include "memory.h"
#include "pages.h"
#include "partition.h"
#include "port.h"
#include "synic.h"

struct hv_state {
    /* Slot 0 is the root; a free slot has state PARTITION_FREE. */
    struct partition partitions[HV_MAX_PARTITIONS];
    uint64_t next_partition_id; /* what the next CreatePartition returns */
    struct port ports[HV_MAX_PORTS];
    struct connection connections[HV_MAX_CONNECTIONS];
    /* posted = acked + discarded + in flight, for the conservation check */
    struct synic_counters messages;
    struct page_info pages[PAGES_MAX]; /* who owns each page of RAM */
    struct memory_pool pool;           /* the hypervisor's own pages */
    uint64_t trace_mask;               /* PartitaSetTraceMask */
    int shutdown_requested;            /* PartitaShutdown was called ... */
    uint64_t shutdown_code;            /* ... with this result */
};

extern struct hv_state hv;

/* A machine with no partition: every page the hypervisor's, no port, no
 * message, ids from HV_PARTITION_ID_ROOT.  Called once at boot (and by
 * host tests before each run). */
void hv_state_init(void);
