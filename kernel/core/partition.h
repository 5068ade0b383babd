/* SPDX-License-Identifier: MIT */
/*
 * Partitions and their virtual processors, as the hypervisor keeps them.
 * Fixed pools: no allocation after boot; every id and index a partition
 * passes in is checked against them.  The root sits in slot 0.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"
#include "../arch/virt.h"
#include "synic.h"
#include "vtimer.h"

struct exit_stats {
    uint64_t total;
    uint64_t count[HV_EXIT_REASON_COUNT];
};

struct partition;

struct vp {
    struct partition *partition;
    uint32_t index;
    int state;   /* HV_VP_STATE_* */
    int blocked; /* halted until a message or event arrives */
    /* The documented register subset, while CREATED (before StartVp). */
    uint64_t regs[HV_VP_REGISTER_SUBSET_COUNT];
    struct arch_vcpu *arch;
    struct guest_gprs gprs;
    struct synic synic;
    /* While WAITING_IO: the intercepted access the root must complete. */
    struct vm_exit io_exit;
    /* The interrupt line of an unenlightened guest's timer (vtimer.h). */
    struct vtimer vtimer;
};

#define PARTITION_FREE 0 /* not an HV_PARTITION_STATE_*: the slot is unused */

struct partition {
    uint32_t slot;
    int state;           /* PARTITION_FREE or HV_PARTITION_STATE_* */
    uint64_t id;
    char name[16];
    uint64_t privileges; /* HV_PRIVILEGE_* */
    uint32_t deposited;    /* pages deposited for it */
    uint32_t deposit_used; /* of those, charged to VPs (one each) */
    struct slat slat;
    uint16_t tag;        /* VPID / ASID */
    uint8_t io_allow[65536 / 8]; /* ports passed through to the device */
    struct vp vps[HV_MAX_VPS_PER_PARTITION];
    struct exit_stats stats;
};

extern const struct virt_backend *hv_virt;

/* The root in slot 0, id 1, INITIALIZED, with second-level tables. */
struct partition *partition_create_root(void);
/* A free child slot with a fresh id, CREATED, or NULL if none is free. */
struct partition *partition_create_child(void);
/* Frees a FINALIZED child's slot: its pages, ports and messages are gone. */
void partition_delete(struct partition *p);

struct partition *partition_at_slot(uint32_t slot);
/* Live partition by id (HV_PARTITION_ID_SELF is not resolved here), or NULL. */
struct partition *partition_by_id(uint64_t id);
/* Live child by id: what the root may manage. */
struct partition *partition_child_by_id(uint64_t id);
static inline int partition_is_root(const struct partition *p)
{
    return p->slot == 0;
}

void partition_allow_io(struct partition *p, uint16_t first, uint16_t count);

/* Creates the arch vCPU and marks the VP RUNNING.  0 = ok. */
int vp_start(struct vp *vp, const struct vcpu_setup *setup);

/*
 * Arrival on a VP's SINT n, the one mechanism behind PostMessage, SignalEvent
 * and the hypervisor's own messages and flags to the root.  A message goes
 * into the slot or the queue (numbered in order of acceptance) or is
 * refused (0); an event flag is set.  Either way the VP wakes, and the SINT
 * is raised when its slot gets a message or a flag goes from clear to set.
 */
int vp_deliver_message(struct vp *vp, uint32_t n, struct synic_message *m);
void vp_signal_flag(struct vp *vp, uint32_t n, uint32_t flag);

/* Stops one VP for good with a one-line report (a fault). */
void vp_stop(struct vp *vp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Iteration over live partitions in slot order. */
struct partition *partition_next(struct partition *after);

void stats_print_all(void);
