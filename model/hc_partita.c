/* SPDX-License-Identifier: MIT */
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
 *            range), hv_pages, queue_depth.  The probe range is the root's
 *            to know (its GPAs are host-physical addresses): a child gets
 *            hv_base 0 and hv_pages 0.  The backend (VMX/SVM) is the
 *            machine's, not the model's. */
hv_status_t hc_get_hv_info(struct model_call *c)
{
    int root = caller_is_root(c);
    output(c, HV_ABI_INTERFACE_VERSION);
    output(c, root ? c->cfg->probe_page << HV_PAGE_SHIFT : 0);
    output(c, root ? c->cfg->probe_pages : 0);
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
 *   INVALID_PARTITION_ID partition is not a live child (also: deleted
 *                        since its intercept was sent)
 *   INVALID_VP_INDEX     vp out of range or not created
 *   INVALID_VP_STATE     the VP is not waiting on an intercepted access
 *                        (also: finalized since, which cancelled it)
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

/* HvPartitaServeChannel (0x8009), BUILD=mono only.  args: partition, op,
 * service, port, ring_bytes, ring_page, connection, flag.  Statuses, in
 * check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARAMETER     op not ATTACH/QUERY/DETACH; ATTACH: service not
 *                         console/block, flag >= 64
 *   INVALID_PARTITION_ID  partition is not a live child
 *   INVALID_PORT_ID       not an event port of the root admitting partition
 *   INVALID_PARAMETER     ATTACH: ring_bytes 0, not whole pages or more than
 *                         4 pages; a ring frame
 *                         not shared by the root with partition
 *   INVALID_CONNECTION_ID ATTACH: the root has no connection of that id to
 *                         an event port
 *   SUCCESS               ATTACH: the port is served (its signals set no
 *                         flag); DETACH: not any more; QUERY: no change.
 *                         What the service saw is not modelled. */
hv_status_t hc_serve_channel(struct model_call *c)
{
    uint64_t op = arg(c, 1), service = arg(c, 2), port_id = arg(c, 3);
    uint64_t bytes = arg(c, 4), ring_page = arg(c, 5), conn = arg(c, 6), flag = arg(c, 7);
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    if (op != HV_SERVE_ATTACH && op != HV_SERVE_QUERY && op != HV_SERVE_DETACH)
        return HV_STATUS_INVALID_PARAMETER;
    if (op == HV_SERVE_ATTACH &&
        ((service != HV_SERVICE_CONSOLE && service != HV_SERVICE_BLOCK) ||
         flag >= HV_EVENT_FLAGS_PER_SINT))
        return HV_STATUS_INVALID_PARAMETER;
    struct model_partition *child = model_child_by_id(c->cfg, c->s, arg(c, 0), 0);
    if (!child)
        return HV_STATUS_INVALID_PARTITION_ID;
    int pi = port_id > UINT32_MAX
                 ? -1
                 : model_port_find(c->cfg, c->s, HV_PARTITION_ID_ROOT, (uint32_t)port_id);
    struct model_port *port = pi < 0 ? 0 : &c->s->port[pi];
    if (!port || port->type != HV_PORT_TYPE_EVENT || port->conn_partition != child->id)
        return HV_STATUS_INVALID_PORT_ID;
    if (op == HV_SERVE_ATTACH) {
        uint64_t pages = 2ull * bytes / HV_PAGE_SIZE;
        if (!bytes || bytes % HV_PAGE_SIZE || pages > 8)
            return HV_STATUS_INVALID_PARAMETER;
        for (uint64_t i = 0; i < pages; i++) {
            const struct model_frame *f = model_frame_find(c->s, ring_page + i);
            if (!f || f->kind != MODEL_FRAME_SHARED || f->peer != child->id)
                return HV_STATUS_INVALID_PARAMETER;
        }
        int ci = model_conn_find(c->cfg, c->s, HV_PARTITION_ID_ROOT, conn);
        int ti = ci < 0 ? -1
                 : model_port_find(c->cfg, c->s, c->s->conn[ci].port_partition,
                                   c->s->conn[ci].port_id);
        if (ti < 0 || c->s->port[ti].type != HV_PORT_TYPE_EVENT)
            return HV_STATUS_INVALID_CONNECTION_ID;
        port->served = (uint8_t)service;
        return HV_STATUS_SUCCESS;
    }
    if (op == HV_SERVE_DETACH)
        port->served = 0;
    return HV_STATUS_SUCCESS;
}
