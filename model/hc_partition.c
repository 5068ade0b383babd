/* SPDX-License-Identifier: MIT */
/*
 * hc_partition.c — the partition life cycle.
 *
 *   (none) --CreatePartition--> CREATED --InitializePartition--> INITIALIZED
 *   CREATED | INITIALIZED --FinalizePartition--> FINALIZED
 *   FINALIZED --DeletePartition--> (none)
 *
 * Only the root manages partitions, and never itself.
 */
#include <string.h>

#include "handler.h"

/* HvCreatePartition (0x40).  Statuses, in check order:
 *   ACCESS_DENIED       caller is not the root
 *   INVALID_PARAMETER   flags != 0
 *   INSUFFICIENT_MEMORY the partition table is full
 *   SUCCESS             out: partition_id (never reused) */
hv_status_t hc_create_partition(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    if (arg(c, 0) != 0)
        return HV_STATUS_INVALID_PARAMETER;
    uint32_t slot = MODEL_NO_SLOT;
    for (uint32_t i = 1; i < c->cfg->partitions && slot == MODEL_NO_SLOT; i++)
        if (!model_partition_live(&c->s->part[i]))
            slot = i;
    if (slot == MODEL_NO_SLOT)
        return HV_STATUS_INSUFFICIENT_MEMORY;

    struct model_partition *p = &c->s->part[slot];
    memset(p, 0, sizeof *p);
    p->state = MODEL_PART_CREATED;
    p->id = c->s->next_partition_id++;
    output(c, p->id);
    return HV_STATUS_SUCCESS;
}

/* HvInitializePartition (0x41).  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is not CREATED
 *   SUCCESS                 partition is INITIALIZED: VPs may be created */
hv_status_t hc_initialize_partition(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != MODEL_PART_CREATED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    p->state = MODEL_PART_INITIALIZED;
    return HV_STATUS_SUCCESS;
}

/* HvFinalizePartition (0x42).  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is already FINALIZED
 *   SUCCESS                 FINALIZED; every VP is STOPPED for good, a
 *                           WAITING_IO one too (its intercepted access is
 *                           cancelled; the intercept message stays with
 *                           the root).  Its memory, ports and queued
 *                           messages stay until DeletePartition, so the
 *                           root can withdraw or unmap first. */
hv_status_t hc_finalize_partition(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    p->state = MODEL_PART_FINALIZED;
    for (uint32_t v = 0; v < c->cfg->vps; v++) {
        struct model_vp *vp = &p->vp[v];
        if (vp->state != HV_VP_STATE_NONE) {
            vp->state = HV_VP_STATE_STOPPED;
            memset(vp->regs, 0, sizeof vp->regs);
        }
    }
    return HV_STATUS_SUCCESS;
}

/* Give everything partition `id` holds back to its rightful owner. */
static void reclaim(const struct model_config *cfg, struct model_state *s,
                    uint32_t slot, uint64_t id)
{
    /* Pages: mapped, shared and deposited pages all return to the root. */
    for (uint32_t i = s->frames_listed; i-- > 0;) { /* unlisting moves only later ones */
        const struct model_frame *fr = &s->frame[i];
        int held = (fr->kind == MODEL_FRAME_OWNED && fr->owner == id) ||
                   (fr->kind == MODEL_FRAME_SHARED && fr->peer == id) ||
                   (fr->kind == MODEL_FRAME_DEPOSITED && fr->peer == id);
        if (held)
            model_frame_give_to_root(s, fr->page);
    }
    /* Ports it receives on or may connect to, with their connections;
     * then its own connections to other ports. */
    for (uint32_t i = 0; i < cfg->ports; i++)
        if (s->port[i].used && (s->port[i].partition == id ||
                                s->port[i].conn_partition == id))
            model_port_remove(cfg, s, (int)i);
    for (uint32_t i = 0; i < cfg->connections; i++)
        if (s->conn[i].used && s->conn[i].partition == id)
            memset(&s->conn[i], 0, sizeof s->conn[i]);
    /* Messages waiting for it can no longer be delivered: they are
     * discarded, and counted, so none is silently lost. */
    for (uint32_t v = 0; v < cfg->vps; v++)
        for (uint32_t n = 0; n < cfg->sints; n++) {
            struct model_sint *q = &s->sint[slot][v][n];
            s->messages_discarded += q->slot_full + q->queue_len;
            memset(q, 0, sizeof *q);
        }
}

/* HvDeletePartition (0x43).  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is not FINALIZED
 *   SUCCESS                 gone: its pages are the root's again, its ports
 *                           and connections are deleted, messages queued
 *                           for it are discarded (counted); the id is
 *                           never reused */
hv_status_t hc_delete_partition(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    uint32_t slot;
    struct model_partition *p =
        model_child_by_id(c->cfg, c->s, arg(c, 0), &slot);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    reclaim(c->cfg, c->s, slot, p->id);
    memset(p, 0, sizeof *p);
    return HV_STATUS_SUCCESS;
}

/* HvGetPartitionId (0x46).  Any caller.  Statuses:
 *   SUCCESS  out: the caller's partition id */
hv_status_t hc_get_partition_id(struct model_call *c)
{
    output(c, c->caller->id);
    return HV_STATUS_SUCCESS;
}
