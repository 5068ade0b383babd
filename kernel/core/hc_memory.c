/* SPDX-License-Identifier: MIT */
/*
 * Page ownership calls.  The root's GPA page n is host page n.  Deposited
 * pages are the hypervisor's while deposited: one backs each VP (a quota).
 * All four are rep calls, done one element per exit.
 */
#include "hypercall.h"
#include "pages.h"

/* HvDepositMemory 0x48, rep.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  FINALIZED
 *   INVALID_PARAMETER        the page is not the root's outright
 *   SUCCESS                  the page is the hypervisor's, for that child */
hv_status_t hc_deposit_memory(struct hypercall *hc)
{
    /* LAB 4.3 BEGIN: DepositMemory, one rep element */
    const struct hv_input_deposit_memory *in = hc->in;
    uint64_t page = in->gpa_page_list[hc->rep_index];
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (!page_root_exclusive(page))
        return HV_STATUS_INVALID_PARAMETER;
    page_deposit(page, p);
    return HV_STATUS_SUCCESS;
    /* LAB 4.3 END */
}

/* HvWithdrawMemory 0x49, rep.  Statuses, in check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARTITION_ID  not a live child
 *   INVALID_PARAMETER     proximity != 0
 *   OPERATION_DENIED      every deposited page is charged to a VP
 *   SUCCESS               out: the lowest deposited page, the root's again */
hv_status_t hc_withdraw_memory(struct hypercall *hc)
{
    /* LAB 4.4 BEGIN: WithdrawMemory, one rep element */
    const struct hv_input_withdraw_memory *in = hc->in;
    struct hv_output_withdraw_memory *out = hc->out;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (in->proximity_domain_info != 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (p->deposited <= p->deposit_used)
        return HV_STATUS_OPERATION_DENIED;
    for (uint64_t page = 0; page < PAGES_MAX; page++) {
        struct page_info *pg = page_at(page);
        if (pg->kind == PAGE_DEPOSITED && pg->peer == p->slot) {
            page_give_root(page);
            p->deposited--;
            out->gpa_page_list[hc->rep_index] = page;
            hc_output(hc, page);
            break;
        }
    }
    return HV_STATUS_SUCCESS;
    /* LAB 4.4 END */
}

/* HvMapGpaPages 0x4b, rep: element i maps a root page at child GPA page
 * base + i.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  FINALIZED
 *   INVALID_PARAMETER        flags unknown or without READABLE
 *   INVALID_PARAMETER        base + i outside the child's GPA space, or mapped
 *   INVALID_PARAMETER        the page is not the root's outright
 *   INSUFFICIENT_MEMORY      no pool page left for second-level tables
 *   SUCCESS                  the child owns the page; with PARTITA_SHARED
 *                            root and child share it (a channel page) */
hv_status_t hc_map_gpa_pages(struct hypercall *hc)
{
    /* LAB 4.5 BEGIN: MapGpaPages and UnmapGpaPages, one rep element */
    const struct hv_input_map_gpa_pages *in = hc->in;
    uint64_t page = in->source_gpa_page_list[hc->rep_index];
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->target_partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    uint32_t flags = in->map_flags;
    if ((flags & ~HV_MAP_GPA_VALID_MASK) || !(flags & HV_MAP_GPA_READABLE))
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t base = in->target_gpa_base;
    if (base >= HV_MAX_CHILD_GPA_PAGES || hc->rep_index >= HV_MAX_CHILD_GPA_PAGES - base)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t gpa = base + hc->rep_index;
    if (page_in_child(p, gpa) >= 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (!page_root_exclusive(page))
        return HV_STATUS_INVALID_PARAMETER;
    uint32_t rights = SLAT_READ | (flags & HV_MAP_GPA_WRITABLE ? SLAT_WRITE : 0) |
                      (flags & HV_MAP_GPA_EXECUTABLE ? SLAT_EXEC : 0);
    if (page_map_child(page, p, gpa, !!(flags & HV_MAP_GPA_PARTITA_SHARED), rights))
        return HV_STATUS_INSUFFICIENT_MEMORY;
    return HV_STATUS_SUCCESS;
    /* LAB 4.5 END */
}

/* HvUnmapGpaPages 0x4c, rep: element i unmaps child GPA page base + i.
 * Statuses, in check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARTITION_ID  not a live child
 *   INVALID_PARAMETER     flags != 0
 *   INVALID_PARAMETER     nothing mapped at base + i
 *   SUCCESS               the page is the root's alone again */
hv_status_t hc_unmap_gpa_pages(struct hypercall *hc)
{
    /* LAB 4.5 BEGIN: MapGpaPages and UnmapGpaPages, one rep element */
    const struct hv_input_unmap_gpa_pages *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->target_partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (in->unmap_flags != 0)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t base = in->target_gpa_base;
    if (base > UINT64_MAX - hc->rep_index)
        return HV_STATUS_INVALID_PARAMETER;
    int64_t page = page_in_child(p, base + hc->rep_index);
    if (page < 0)
        return HV_STATUS_INVALID_PARAMETER;
    page_give_root((uint64_t)page);
    return HV_STATUS_SUCCESS;
    /* LAB 4.5 END */
}
