/* SPDX-License-Identifier: MIT */
/*
 * The partition life cycle.
 *
 *   (none) --CreatePartition--> CREATED --InitializePartition--> INITIALIZED
 *   CREATED | INITIALIZED --FinalizePartition--> FINALIZED
 *   FINALIZED --DeletePartition--> (none)
 *
 * Only the root manages partitions, and never itself.
 */
#include "hv_state.h"
#include "hypercall.h"
#include "intercept.h"
#include "pages.h"
#include "port.h"

/* HvCreatePartition 0x40.  Statuses, in check order:
 *   ACCESS_DENIED        caller is not the root
 *   INVALID_PARAMETER    flags != 0
 *   INSUFFICIENT_MEMORY  no free partition slot
 *   SUCCESS              out: the new id (never reused) */
hv_status_t hc_create_partition(struct hypercall *hc)
{
    const struct hv_input_create_partition *in = hc->in;
    struct hv_output_create_partition *out = hc->out;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    if (in->flags != 0)
        return HV_STATUS_INVALID_PARAMETER;
    struct partition *p = partition_create_child();
    if (!p)
        return HV_STATUS_INSUFFICIENT_MEMORY;
    out->partition_id = p->id;
    hc_output(hc, p->id);
    return HV_STATUS_SUCCESS;
}

/* HvInitializePartition 0x41.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  not CREATED
 *   SUCCESS                  INITIALIZED: VPs may be created */
hv_status_t hc_initialize_partition(struct hypercall *hc)
{
    const struct hv_input_partition_op *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != HV_PARTITION_STATE_CREATED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    p->state = HV_PARTITION_STATE_INITIALIZED;
    return HV_STATUS_SUCCESS;
}

/* HvFinalizePartition 0x42.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  already FINALIZED
 *   SUCCESS                  FINALIZED; every VP stops for good, one that
 *                            waited on an intercepted access too (it is
 *                            cancelled, never completed).  Memory, ports
 *                            and messages stay until deletion. */
hv_status_t hc_finalize_partition(struct hypercall *hc)
{
    const struct hv_input_partition_op *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    p->state = HV_PARTITION_STATE_FINALIZED;
    for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
        struct vp *vp = &p->vps[i];
        if (vp->state != HV_VP_STATE_NONE) {
            intercept_cancel(vp);
            vp->state = HV_VP_STATE_STOPPED;
            for (int r = 0; r < HV_VP_REGISTER_SUBSET_COUNT; r++)
                vp->regs[r] = 0;
        }
    }
    return HV_STATUS_SUCCESS;
}

/* HvDeletePartition 0x43.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  not FINALIZED
 *   SUCCESS                  gone: pages back to the root, ports and
 *                            connections deleted, its queued messages
 *                            discarded (counted) */
hv_status_t hc_delete_partition(struct hypercall *hc)
{
    const struct hv_input_partition_op *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    ports_forget_partition(p->id);
    for (uint32_t v = 0; v < HV_MAX_VPS_PER_PARTITION; v++)
        for (uint32_t n = 0; n < HV_SYNIC_SINT_COUNT; n++)
            hv.messages.discarded += sint_discard(&p->vps[v].synic.sint[n]);
    partition_delete(p);
    return HV_STATUS_SUCCESS;
}

/* HvGetPartitionId 0x46.  Any caller.  Statuses:
 *   SUCCESS  out: the caller's id */
hv_status_t hc_get_partition_id(struct hypercall *hc)
{
    struct hv_output_get_partition_id *out = hc->out;
    out->partition_id = hc->caller->id;
    hc_output(hc, hc->caller->id);
    return HV_STATUS_SUCCESS;
}
