/* SPDX-License-Identifier: MIT */
/*
 * hc_memory.c — page ownership.
 *
 * Every frame (a page of the root's RAM at boot) has exactly one owner:
 * the hypervisor (deposited), the root, or one child — except a channel
 * page, which the root shares with one child.  A frame is named by its
 * root GPA page.  Deposited pages belong to the
 * hypervisor while deposited (they back the partition's VPs, one page per
 * VP, as a quota).  All four calls are rep calls: one step = one element.
 */
#include <string.h>

#include "handler.h"

/* 1 if `page` is a frame the root owns outright (not shared, deposited
 * or mapped): a frame not listed. */
static int root_exclusive(const struct model_call *c, uint64_t page)
{
    return model_page_is_ram(c->cfg, page) && !model_frame_find(c->s, page);
}

/* HvDepositMemory (0x48), rep.  args: partition, page (element).
 * Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is FINALIZED
 *   INVALID_PARAMETER       page is not a frame the root owns outright
 *   SUCCESS                 the frame becomes the hypervisor's, accounted
 *                           to the partition */
hv_status_t hc_deposit_memory(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (!root_exclusive(c, arg(c, 1)))
        return HV_STATUS_INVALID_PARAMETER;

    struct model_frame fr = {
        .page = arg(c, 1), .kind = MODEL_FRAME_DEPOSITED, .peer = p->id};
    model_frame_set(c->s, &fr);
    return HV_STATUS_SUCCESS;
}

/* HvWithdrawMemory (0x49), rep.  args: partition, proximity.
 * Statuses, in check order:
 *   ACCESS_DENIED       caller is not the root
 *   INVALID_PARTITION_ID partition is not a live child
 *   INVALID_PARAMETER   proximity != 0
 *   OPERATION_DENIED    every page deposited for it is charged to a VP
 *   SUCCESS             out: page — the lowest-numbered deposited frame,
 *                       the root's again */
hv_status_t hc_withdraw_memory(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (arg(c, 1) != 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (model_deposited_count(c->cfg, c->s, p->id) <= p->deposit_used)
        return HV_STATUS_OPERATION_DENIED;

    for (uint32_t i = 0; i < c->s->frames_listed; i++) { /* ascending pages */
        const struct model_frame *fr = &c->s->frame[i];
        if (fr->kind == MODEL_FRAME_DEPOSITED && fr->peer == p->id) {
            uint64_t page = fr->page;
            model_frame_give_to_root(c->s, page);
            output(c, page);
            break;
        }
    }
    return HV_STATUS_SUCCESS;
}

/* Frame mapped at child GPA page `gpa` of child `id`, or -1. */
static int64_t mapped_frame(const struct model_call *c, uint64_t id, uint64_t gpa)
{
    return model_frame_at_gpa(c->cfg, c->s, id, gpa);
}

/* HvMapGpaPages (0x4b), rep.  args: partition, gpa (base), flags, page
 * (the source element); element i maps page at gpa + i.
 * Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is FINALIZED
 *   INVALID_PARAMETER       flags unknown or not READABLE
 *   INVALID_PARAMETER       gpa + i is outside the child's GPA space or
 *                           already mapped
 *   INVALID_PARAMETER       page is not a frame the root owns outright
 *   SUCCESS                 without PARTITA_SHARED the child owns the frame
 *                           (the root loses it); with it, the frame is a
 *                           channel page shared by root and child.  The
 *                           child's rights to it are the flags' READABLE,
 *                           WRITABLE and EXECUTABLE (rights) */
hv_status_t hc_map_gpa_pages(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    uint64_t flags = arg(c, 2);
    if ((flags & ~(uint64_t)HV_MAP_GPA_VALID_MASK) ||
        !(flags & HV_MAP_GPA_READABLE))
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t base = arg(c, 1), limit = c->cfg->child_gpa_pages;
    if (base >= limit || c->rep_index >= limit - base)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t gpa = base + c->rep_index;
    if (mapped_frame(c, p->id, gpa) >= 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (!root_exclusive(c, arg(c, 3)))
        return HV_STATUS_INVALID_PARAMETER;

    struct model_frame fr = {.page = arg(c, 3), .gpa = gpa};
    fr.rights = (uint8_t)(flags & (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                                   HV_MAP_GPA_EXECUTABLE));
    if (flags & HV_MAP_GPA_PARTITA_SHARED) {
        fr.kind = MODEL_FRAME_SHARED; /* owner stays the root */
        fr.owner = HV_PARTITION_ID_ROOT;
        fr.peer = p->id;
    } else {
        fr.kind = MODEL_FRAME_OWNED;
        fr.owner = p->id;
    }
    model_frame_set(c->s, &fr);
    return HV_STATUS_SUCCESS;
}

/* HvUnmapGpaPages (0x4c), rep.  args: partition, gpa (base), flags;
 * element i unmaps gpa + i.  Statuses, in check order:
 *   ACCESS_DENIED        caller is not the root
 *   INVALID_PARTITION_ID partition is not a live child
 *   INVALID_PARAMETER    flags != 0
 *   INVALID_PARAMETER    nothing is mapped at gpa + i
 *   SUCCESS              the frame is the root's alone again */
hv_status_t hc_unmap_gpa_pages(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (arg(c, 2) != 0)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t base = arg(c, 1);
    if (base > UINT64_MAX - c->rep_index)
        return HV_STATUS_INVALID_PARAMETER;
    int64_t page = mapped_frame(c, p->id, base + c->rep_index);
    if (page < 0)
        return HV_STATUS_INVALID_PARAMETER;
    model_frame_give_to_root(c->s, (uint64_t)page);
    return HV_STATUS_SUCCESS;
}
