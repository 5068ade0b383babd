/* SPDX-License-Identifier: MIT */
/*
 * host_harness.c — the hypervisor's scenario-harness hooks
 * (kernel/core/harness.h) on the host.  In the emulator the harness loads
 * a scenario agent into each child and passes the turn between
 * partitions; on the host, host_machine.c plays every partition's steps
 * itself, so there is nothing to load and no turn to pass.
 */
#include "kernel/core/harness.h"

void harness_root_setup(struct partition *root, struct partition_boot_info *info,
                        const struct boot_info *bi)
{
    (void)root;
    (void)info;
    (void)bi;
}

void harness_vp_started(struct vp *vp)
{
    (void)vp;
}

void harness_vp_faulted(struct vp *vp)
{
    (void)vp;
}

void harness_hypercall_done(struct vp *vp)
{
    (void)vp;
}

void harness_partition_deleted(struct partition *p)
{
    (void)p;
}
