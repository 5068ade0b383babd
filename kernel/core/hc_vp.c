/* SPDX-License-Identifier: MIT */
/*
 * Virtual processors of child partitions.  A VP is CREATED (registers
 * readable and writable through the documented subset), then RUNNING once
 * started, and STOPPED for good when its partition is finalized or it
 * faults.
 */
#include "harness.h"
#include "hypercall.h"

/* The documented register subset, in its documented order. */
static const uint32_t subset[HV_VP_REGISTER_SUBSET_COUNT] = {
    HV_X64_REGISTER_RAX, HV_X64_REGISTER_RSP, HV_X64_REGISTER_RIP, HV_X64_REGISTER_RFLAGS,
    HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR3, HV_X64_REGISTER_CR4, HV_X64_REGISTER_EFER,
};

static int subset_index(uint64_t name)
{
    for (int i = 0; i < HV_VP_REGISTER_SUBSET_COUNT; i++)
        if (subset[i] == name)
            return i;
    return -1;
}

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1ffff;
}

static int value_ok(uint32_t name, uint64_t value)
{
    if (name == HV_X64_REGISTER_RIP || name == HV_X64_REGISTER_RSP)
        return canonical(value);
    if (name == HV_X64_REGISTER_RFLAGS)
        return (value & HV_X64_RFLAGS_FIXED1) != 0;
    return 1;
}

/* HvCreateVp 0x4e.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  not INITIALIZED
 *   INVALID_PARAMETER        flags != 0
 *   INVALID_VP_INDEX         vp index out of range
 *   INVALID_VP_STATE         the VP exists
 *   INSUFFICIENT_MEMORY      no deposited page left to charge
 *   SUCCESS                  CREATED, registers reset (RFLAGS = 2) */
hv_status_t hc_create_vp(struct hypercall *hc)
{
    const struct hv_input_create_vp *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != HV_PARTITION_STATE_INITIALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (in->flags != 0)
        return HV_STATUS_INVALID_PARAMETER;
    if (in->vp_index >= HV_MAX_VPS_PER_PARTITION)
        return HV_STATUS_INVALID_VP_INDEX;
    struct vp *vp = &p->vps[in->vp_index];
    if (vp->state != HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_STATE;
    if (p->deposited <= p->deposit_used)
        return HV_STATUS_INSUFFICIENT_MEMORY;
    for (int r = 0; r < HV_VP_REGISTER_SUBSET_COUNT; r++)
        vp->regs[r] = 0;
    vp->regs[3] = HV_X64_RFLAGS_FIXED1;
    vp->state = HV_VP_STATE_CREATED;
    p->deposit_used++;
    return HV_STATUS_SUCCESS;
}

/* HvStartVp 0x99.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     not a live child
 *   INVALID_PARTITION_STATE  not INITIALIZED
 *   INVALID_VP_INDEX         out of range or not created
 *   INVALID_VP_STATE         not CREATED
 *   INVALID_REGISTER_VALUE   RIP/RSP not canonical, RFLAGS bit 1 clear
 *   INSUFFICIENT_MEMORY      no pool page for the VMCS/VMCB
 *   SUCCESS                  RUNNING in 64-bit mode from the context */
hv_status_t hc_start_vp(struct hypercall *hc)
{
    const struct hv_input_start_vp *in = hc->in;
    const struct hv_initial_vp_context *ctx = &in->context;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != HV_PARTITION_STATE_INITIALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (in->vp_index >= HV_MAX_VPS_PER_PARTITION ||
        p->vps[in->vp_index].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    struct vp *vp = &p->vps[in->vp_index];
    if (vp->state != HV_VP_STATE_CREATED)
        return HV_STATUS_INVALID_VP_STATE;
    if (!value_ok(HV_X64_REGISTER_RIP, ctx->rip) ||
        !value_ok(HV_X64_REGISTER_RSP, ctx->rsp) ||
        !value_ok(HV_X64_REGISTER_RFLAGS, ctx->rflags))
        return HV_STATUS_INVALID_REGISTER_VALUE;
    struct vcpu_setup setup = {
        .mode = VCPU_MODE_LONG64,
        .rip = ctx->rip,
        .rsp = ctx->rsp,
        .rflags = ctx->rflags,
        .cr3 = ctx->cr3,
    };
    if (vp_start(vp, &setup))
        return HV_STATUS_INSUFFICIENT_MEMORY;
    harness_vp_started(vp);
    return HV_STATUS_SUCCESS;
}

/* Checks shared by Get/SetVpRegisters (the two inputs begin alike: partition,
 * VP, then the element's register name); on success *out and *reg are set. */
static hv_status_t register_access(struct hypercall *hc, uint64_t id, uint32_t v,
                                   uint32_t name, struct vp **out, int *reg)
{
    int self = id == HV_PARTITION_ID_SELF || id == hc->caller->id;
    if (!self && !hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p =
        partition_by_id(id == HV_PARTITION_ID_SELF ? hc->caller->id : id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (v >= HV_MAX_VPS_PER_PARTITION || p->vps[v].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    if (p->vps[v].state != HV_VP_STATE_CREATED)
        return HV_STATUS_INVALID_VP_STATE;
    int i = subset_index(name);
    if (i < 0)
        return HV_STATUS_INVALID_PARAMETER;
    *out = &p->vps[v];
    *reg = i;
    return HV_STATUS_SUCCESS;
}

/* HvGetVpRegisters 0x50, rep.  Statuses, in check order:
 *   ACCESS_DENIED         a child naming another partition
 *   INVALID_PARTITION_ID  no such live partition
 *   INVALID_VP_INDEX      out of range or not created
 *   INVALID_VP_STATE      not CREATED
 *   INVALID_PARAMETER     name outside the documented subset
 *   SUCCESS               out: the value */
hv_status_t hc_get_vp_registers(struct hypercall *hc)
{
    const struct hv_input_get_vp_registers *in = hc->in;
    struct vp *vp;
    int reg;
    hv_status_t st = register_access(hc, in->partition_id, in->vp_index,
                                     in->names[hc->rep_index], &vp, &reg);
    if (st != HV_STATUS_SUCCESS)
        return st;
    struct hv_register_value *out = (struct hv_register_value *)hc->out + hc->rep_index;
    out->low = vp->regs[reg];
    out->high = 0;
    hc_output(hc, vp->regs[reg]);
    return HV_STATUS_SUCCESS;
}

/* HvSetVpRegisters 0x51, rep.  Statuses, in check order:
 *   ACCESS_DENIED           a child naming another partition
 *   INVALID_PARTITION_ID    no such live partition
 *   INVALID_VP_INDEX        out of range or not created
 *   INVALID_VP_STATE        not CREATED
 *   INVALID_PARAMETER       name outside the documented subset
 *   INVALID_REGISTER_VALUE  RIP/RSP not canonical, RFLAGS bit 1 clear
 *   SUCCESS                 the register holds the value */
hv_status_t hc_set_vp_registers(struct hypercall *hc)
{
    const struct hv_input_set_vp_registers *in = hc->in;
    const struct hv_register_assoc *e = &in->elements[hc->rep_index];
    struct vp *vp;
    int reg;
    hv_status_t st =
        register_access(hc, in->partition_id, in->vp_index, e->name, &vp, &reg);
    if (st != HV_STATUS_SUCCESS)
        return st;
    if (!value_ok(subset[reg], e->value.low))
        return HV_STATUS_INVALID_REGISTER_VALUE;
    vp->regs[reg] = e->value.low;
    return HV_STATUS_SUCCESS;
}
