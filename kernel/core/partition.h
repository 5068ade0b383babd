/*
 * Partitions and their virtual processors, as the hypervisor keeps them.
 * Fixed pools: no allocation after boot, every id checked against the pool.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"
#include "../arch/virt.h"

struct exit_stats {
    uint64_t total;
    uint64_t count[HV_EXIT_REASON_COUNT];
};

struct partition;

struct vp {
    struct partition *partition;
    uint32_t index;
    int state; /* HV_VP_STATE_* */
    struct arch_vcpu *arch;
    struct guest_gprs gprs;
};

struct partition {
    int in_use;
    uint64_t id;
    char name[16];
    int state;           /* HV_PARTITION_STATE_* */
    uint64_t privileges; /* HV_PRIVILEGE_* */
    struct slat slat;
    uint16_t tag;        /* VPID / ASID */
    uint8_t io_allow[65536 / 8]; /* ports passed through to the device */
    struct vp vps[HV_MAX_VPS_PER_PARTITION];
    uint32_t vp_count;
    struct exit_stats stats;
};

extern const struct virt_backend *hv_virt;

/* A free slot with a fresh id and second-level tables, or NULL. */
struct partition *partition_create(const char *name, uint64_t privileges);
struct partition *partition_by_id(uint64_t id);

/* Lets the partition touch ports [first, first+count) directly. */
void partition_allow_io(struct partition *p, uint16_t first, uint16_t count);

struct vp *vp_create(struct partition *p, const struct vcpu_setup *setup);

/* Stops every VP of the partition and prints one report line. */
void partition_stop(struct partition *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Iteration over partitions in id order, for the scheduler and statistics. */
struct partition *partition_next(struct partition *after);

void stats_print_all(void);
