/* SPDX-License-Identifier: MIT */
/*
 * hc_memory.c — page ownership.
 *
 * Every managed frame has exactly one owner: the hypervisor, the root, or
 * one child — except a channel page, which the root shares with one
 * child.  The root's GPA page n is frame n.  Deposited pages belong to the
 * hypervisor while deposited (they back the partition's VPs, one page per
 * VP, as a quota).  All four calls are rep calls: one step = one element.
 */
#include <string.h>

#include "handler.h"

/* Frame the root owns outright (not shared, deposited or mapped), or -1. */
static int root_exclusive_frame(const struct model_call *c, uint64_t page)
{
    if (page >= c->cfg->frames)
        return -1;
    const struct model_frame *f = &c->s->frame[page];
    if (f->kind != MODEL_FRAME_OWNED || f->owner != HV_PARTITION_ID_ROOT)
        return -1;
    return (int)page;
}

static void give_to_root(struct model_frame *f)
{
    memset(f, 0, sizeof *f);
    f->kind = MODEL_FRAME_OWNED;
    f->owner = HV_PARTITION_ID_ROOT;
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
    int f = root_exclusive_frame(c, arg(c, 1));
    if (f < 0)
        return HV_STATUS_INVALID_PARAMETER;

    struct model_frame *fr = &c->s->frame[f];
    memset(fr, 0, sizeof *fr);
    fr->kind = MODEL_FRAME_DEPOSITED;
    fr->peer = p->id;
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

    for (uint32_t f = 0; f < c->cfg->frames; f++) {
        struct model_frame *fr = &c->s->frame[f];
        if (fr->kind == MODEL_FRAME_DEPOSITED && fr->peer == p->id) {
            give_to_root(fr);
            output(c, f);
            break;
        }
    }
    return HV_STATUS_SUCCESS;
}

/* Frame mapped at child GPA page `gpa` of child `id`, or -1. */
static int mapped_frame(const struct model_call *c, uint64_t id, uint64_t gpa)
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
    int f = root_exclusive_frame(c, arg(c, 3));
    if (f < 0)
        return HV_STATUS_INVALID_PARAMETER;

    struct model_frame *fr = &c->s->frame[f];
    fr->gpa = gpa;
    fr->rights = (uint8_t)(flags & (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                                    HV_MAP_GPA_EXECUTABLE));
    if (flags & HV_MAP_GPA_PARTITA_SHARED) {
        fr->kind = MODEL_FRAME_SHARED; /* owner stays the root */
        fr->peer = p->id;
    } else {
        fr->kind = MODEL_FRAME_OWNED;
        fr->owner = p->id;
    }
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
    int f = mapped_frame(c, p->id, base + c->rep_index);
    if (f < 0)
        return HV_STATUS_INVALID_PARAMETER;
    give_to_root(&c->s->frame[f]);
    return HV_STATUS_SUCCESS;
}
