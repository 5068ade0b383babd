/*
 * hc_partita.c — Partita's own calls (0x8000-0x80FF) as far as they
 * touch abstract state.  Exit counters depend on what guests execute, so
 * they are outside the model: PartitaGetExitStats is checked for its
 * status and partition id only.
 */
#include "handler.h"

/* HvPartitaNull (0x8000).  Any caller; fast-capable.  Statuses:
 *   SUCCESS  nothing happens (measures the hypercall round trip) */
hv_status_t hc_partita_null(struct model_call *c)
{
    (void)c;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetExitStats (0x8001).  args: partition (or SELF).
 * Statuses, in check order:
 *   ACCESS_DENIED        a child naming another partition
 *   INVALID_PARTITION_ID no such live partition
 *   SUCCESS              out: partition_id; the counts are not modelled */
hv_status_t hc_get_exit_stats(struct model_call *c)
{
    uint64_t id = arg(c, 0);
    int self = id == HV_PARTITION_ID_SELF || id == c->caller->id;
    if (!self && !caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p =
        model_partition_by_id(c->cfg, c->s, resolve_self(c, id));
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    output(c, p->id);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetHvInfo (0x8002).  Any caller.  Statuses:
 *   SUCCESS  out: version, hv_base (root GPA of the hypervisor-owned probe
 *            range), hv_pages, queue_depth.  The backend (VMX/SVM) is the
 *            machine's, not the model's. */
hv_status_t hc_get_hv_info(struct model_call *c)
{
    output(c, HV_ABI_INTERFACE_VERSION);
    output(c, 0); /* frames [0, hv_frames) sit at root GPA 0 */
    output(c, c->cfg->hv_frames);
    output(c, c->cfg->queue_depth);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaTraceControl (0x8003).  args: mask.  Statuses, in order:
 *   ACCESS_DENIED     caller is not the root
 *   INVALID_PARAMETER mask has bits outside HV_TRACE_VALID_MASK
 *   SUCCESS           the trace mask is mask */
hv_status_t hc_trace_control(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    if (arg(c, 0) & ~HV_TRACE_VALID_MASK)
        return HV_STATUS_INVALID_PARAMETER;
    c->s->trace_mask = arg(c, 0);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaShutdown (0x8004).  args: code.  Statuses, in order:
 *   ACCESS_DENIED caller is not the root
 *   SUCCESS       the run ends with result code; no step follows */
hv_status_t hc_shutdown(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    c->s->hv_state = MODEL_HV_SHUT_DOWN;
    c->s->shutdown_code = arg(c, 0);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaCompleteIo (0x8008).  args: partition, vp, value.  Statuses,
 * in check order:
 *   ACCESS_DENIED        caller is not the root
 *   INVALID_PARTITION_ID partition is not a live child
 *   INVALID_VP_INDEX     vp out of range or not created
 *   INVALID_VP_STATE     the VP is not waiting on an intercepted access
 *   SUCCESS              the VP runs again (an IN reads `value`) */
hv_status_t hc_complete_io(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    uint64_t v = arg(c, 1);
    if (v >= c->cfg->vps || p->vp[v].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    if (p->vp[v].state != HV_VP_STATE_WAITING_IO)
        return HV_STATUS_INVALID_VP_STATE;
    p->vp[v].state = HV_VP_STATE_RUNNING;
    return HV_STATUS_SUCCESS;
}
