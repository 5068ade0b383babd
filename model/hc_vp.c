/* SPDX-License-Identifier: MIT */
/*
 * hc_vp.c — virtual processors.
 *
 *   NONE --CreateVp--> CREATED --StartVp--> RUNNING
 *   CREATED | RUNNING --FinalizePartition or a fault--> STOPPED
 *
 * Registers are abstract state only while a VP is CREATED: once it runs,
 * the guest changes them without the hypervisor seeing, so the model (and
 * the ABI) allow Get/SetVpRegisters only on a VP that has never run.
 */
#include <string.h>

#include "handler.h"

/* Register values the subset forbids. */
static int register_value_ok(uint32_t name, uint64_t value)
{
    switch (name) {
    case HV_X64_REGISTER_RIP:
    case HV_X64_REGISTER_RSP:
        return canonical(value);
    case HV_X64_REGISTER_RFLAGS:
        return (value & HV_X64_RFLAGS_FIXED1) != 0;
    default:
        return 1;
    }
}

/* HvCreateVp (0x4e).  args: partition, vp, flags.  Statuses, in order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is not INITIALIZED
 *   INVALID_PARAMETER       flags != 0
 *   INVALID_VP_INDEX        vp >= VPs per partition
 *   INVALID_VP_STATE        the VP already exists
 *   INSUFFICIENT_MEMORY     no deposited page is free to charge
 *   SUCCESS                 VP is CREATED with reset registers */
hv_status_t hc_create_vp(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != MODEL_PART_INITIALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (arg(c, 2) != 0)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t v = arg(c, 1);
    if (v >= c->cfg->vps)
        return HV_STATUS_INVALID_VP_INDEX;
    if (p->vp[v].state != HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_STATE;
    if (model_deposited_count(c->cfg, c->s, p->id) <= p->deposit_used)
        return HV_STATUS_INSUFFICIENT_MEMORY;

    struct model_vp *vp = &p->vp[v];
    memset(vp, 0, sizeof *vp);
    vp->state = HV_VP_STATE_CREATED;
    vp->regs[model_reg_index(HV_X64_REGISTER_RFLAGS)] = HV_X64_RFLAGS_FIXED1;
    p->deposit_used++;
    return HV_STATUS_SUCCESS;
}

/* HvStartVp (0x99).  args: partition, vp, rip, rsp, rflags, cr3.
 * Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition is not a live child
 *   INVALID_PARTITION_STATE partition is not INITIALIZED
 *   INVALID_VP_INDEX        vp out of range or not created
 *   INVALID_VP_STATE        VP is not CREATED (running or stopped)
 *   INVALID_REGISTER_VALUE  rip/rsp not canonical, rflags bit 1 clear
 *   SUCCESS                 VP is RUNNING from the given context */
hv_status_t hc_start_vp(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state != MODEL_PART_INITIALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    uint64_t v = arg(c, 1);
    if (v >= c->cfg->vps || p->vp[v].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    if (p->vp[v].state != HV_VP_STATE_CREATED)
        return HV_STATUS_INVALID_VP_STATE;
    if (!register_value_ok(HV_X64_REGISTER_RIP, arg(c, 2)) ||
        !register_value_ok(HV_X64_REGISTER_RSP, arg(c, 3)) ||
        !register_value_ok(HV_X64_REGISTER_RFLAGS, arg(c, 4)))
        return HV_STATUS_INVALID_REGISTER_VALUE;

    struct model_vp *vp = &p->vp[v];
    vp->state = HV_VP_STATE_RUNNING;
    memset(vp->regs, 0, sizeof vp->regs); /* now the guest's business */
    return HV_STATUS_SUCCESS;
}

/* Common checks of Get/SetVpRegisters; on SUCCESS *out is the VP. */
static hv_status_t vp_register_access(struct model_call *c,
                                      struct model_vp **out, int *reg)
{
    uint64_t id = arg(c, 0);
    int self = id == HV_PARTITION_ID_SELF || id == c->caller->id;
    if (!self && !caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p =
        model_partition_by_id(c->cfg, c->s, resolve_self(c, id));
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    uint64_t v = arg(c, 1);
    if (v >= c->cfg->vps || p->vp[v].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    if (p->vp[v].state != HV_VP_STATE_CREATED)
        return HV_STATUS_INVALID_VP_STATE;
    int i = arg(c, 2) > UINT32_MAX ? -1 : model_reg_index((uint32_t)arg(c, 2));
    if (i < 0)
        return HV_STATUS_INVALID_PARAMETER;
    *out = &p->vp[v];
    *reg = i;
    return HV_STATUS_SUCCESS;
}

/* HvGetVpRegisters (0x50), rep.  args: partition (or SELF), vp, name.
 * Statuses, in check order:
 *   ACCESS_DENIED        a child naming another partition
 *   INVALID_PARTITION_ID no such live partition
 *   INVALID_VP_INDEX     vp out of range or not created
 *   INVALID_VP_STATE     VP is not CREATED
 *   INVALID_PARAMETER    name is not in the documented subset
 *   SUCCESS              out: value */
hv_status_t hc_get_vp_registers(struct model_call *c)
{
    struct model_vp *vp;
    int reg;
    hv_status_t st = vp_register_access(c, &vp, &reg);
    if (st != HV_STATUS_SUCCESS)
        return st;
    output(c, vp->regs[reg]);
    return HV_STATUS_SUCCESS;
}

/* HvSetVpRegisters (0x51), rep.  args: partition (or SELF), vp, name,
 * value.  Statuses, in check order:
 *   ACCESS_DENIED          a child naming another partition
 *   INVALID_PARTITION_ID   no such live partition
 *   INVALID_VP_INDEX       vp out of range or not created
 *   INVALID_VP_STATE       VP is not CREATED
 *   INVALID_PARAMETER      name is not in the documented subset
 *   INVALID_REGISTER_VALUE rip/rsp not canonical, rflags bit 1 clear
 *   SUCCESS                the register holds value */
hv_status_t hc_set_vp_registers(struct model_call *c)
{
    struct model_vp *vp;
    int reg;
    hv_status_t st = vp_register_access(c, &vp, &reg);
    if (st != HV_STATUS_SUCCESS)
        return st;
    if (!register_value_ok(model_reg_name(reg), arg(c, 3)))
        return HV_STATUS_INVALID_REGISTER_VALUE;
    vp->regs[reg] = arg(c, 3);
    return HV_STATUS_SUCCESS;
}
