/* SPDX-License-Identifier: MIT */
/*
 * The scenario harness (check builds only, -DPARTITA_TRACE): what the
 * hypervisor does so that partitions can play a compiled scenario in
 * order.  It maps a control page into the root, loads the scenario agent
 * into each child's harness area (above the child's accounted GPA space,
 * so the model never sees it; the control page read-only there), and
 * advances the turn for the children: when an agent's hypercall completes
 * and when a VP faults on purpose.  None of it exists in release builds.
 */
#pragma once
#include "../abi/partition_boot.h"
#include "bootinfo.h"
#include "partition.h"

#ifdef PARTITA_TRACE
void harness_root_setup(struct partition *root, struct partition_boot_info *info,
                        const struct boot_info *bi);
/* A child VP was started: give it the agent if a scenario is being played. */
void harness_vp_started(struct vp *vp);
/* A VP faulted: if it was playing a FAULT step, the turn moves on. */
void harness_vp_faulted(struct vp *vp);
/* A VP's hypercall completed (no continuation follows): if it is a
 * child's agent, that was its step and the turn moves on. */
void harness_hypercall_done(struct vp *vp);
/* The child is gone: free its harness area. */
void harness_partition_deleted(struct partition *p);
#else
static inline void harness_root_setup(struct partition *root, struct partition_boot_info *info,
                                      const struct boot_info *bi)
{
    (void)root;
    (void)info;
    (void)bi;
}
static inline void harness_vp_started(struct vp *vp)
{
    (void)vp;
}
static inline void harness_vp_faulted(struct vp *vp)
{
    (void)vp;
}
static inline void harness_hypercall_done(struct vp *vp)
{
    (void)vp;
}
static inline void harness_partition_deleted(struct partition *p)
{
    (void)p;
}
#endif
