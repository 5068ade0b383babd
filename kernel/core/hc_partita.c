/* SPDX-License-Identifier: MIT */
/* Partita's own calls (0x8000-0x80FF): measurement, information, control. */
#include "abstract.h"
#include "hv.h"
#include "hv_state.h"
#include "hypercall.h"
#include "intercept.h"
#include "memory.h"
#include "pages.h"
#include "port.h"
#include "services.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

/* HvPartitaNull 0x8000.  Any caller.  Statuses:
 *   SUCCESS  nothing happens (measures the round trip) */
hv_status_t hc_partita_null(struct hypercall *hc)
{
    (void)hc;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetExitStats 0x8001.  Statuses, in check order:
 *   ACCESS_DENIED         a child naming another partition
 *   INVALID_PARTITION_ID  no such live partition
 *   SUCCESS               out: the exit counts */
hv_status_t hc_partita_get_exit_stats(struct hypercall *hc)
{
    const struct hv_input_get_exit_stats *in = hc->in;
    uint64_t id = in->partition_id;
    int self = id == HV_PARTITION_ID_SELF || id == hc->caller->id;
    if (!self && !hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p =
        partition_by_id(id == HV_PARTITION_ID_SELF ? hc->caller->id : id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct hv_output_exit_stats *out = hc->out;
    out->partition_id = p->id;
    out->total = p->stats.total;
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        out->count[r] = p->stats.count[r];
    hc_output(hc, p->id);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetHvInfo 0x8002.  Any caller.  Statuses:
 *   SUCCESS  out: version, backend, limits; for the root also a range of
 *            its GPA space the hypervisor keeps (the last HV_PROBE_PAGES
 *            pages of its pool; the root's GPAs are host-physical), so the
 *            root can prove it cannot reach them.  A child gets 0 and 0: it
 *            must not learn where the hypervisor is. */
hv_status_t hc_partita_get_hv_info(struct hypercall *hc)
{
    struct hv_output_hv_info *out = hc->out;
    memset(out, 0, sizeof *out);
    out->interface_version = HV_ABI_INTERFACE_VERSION;
    out->backend = hv_virt->kind;
    if (hc_caller_is_root(hc)) {
        out->hv_probe_gpa_base = memory_probe_page() << HV_PAGE_SHIFT;
        out->hv_probe_page_count = HV_PROBE_PAGES;
    }
    out->max_partitions = HV_MAX_PARTITIONS;
    out->max_vps_per_partition = HV_MAX_VPS_PER_PARTITION;
    out->max_ports = HV_MAX_PORTS;
    out->message_queue_depth = HV_MESSAGE_QUEUE_DEPTH;
    out->sint_count = HV_SYNIC_SINT_COUNT;
    hc_output(hc, out->interface_version);
    hc_output(hc, out->hv_probe_gpa_base);
    hc_output(hc, out->hv_probe_page_count);
    hc_output(hc, out->message_queue_depth);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaTraceControl 0x8003.  Statuses, in check order:
 *   ACCESS_DENIED      caller is not the root
 *   INVALID_PARAMETER  unknown mask bits
 *   SUCCESS            the trace mask is set */
hv_status_t hc_partita_trace_control(struct hypercall *hc)
{
    const struct hv_input_trace_control *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    if (in->mask & ~HV_TRACE_VALID_MASK)
        return HV_STATUS_INVALID_PARAMETER;
    hv.trace_mask = in->mask;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaShutdown 0x8004.  Statuses, in check order:
 *   ACCESS_DENIED  caller is not the root
 *   SUCCESS        the run ends with the result code */
hv_status_t hc_partita_shutdown(struct hypercall *hc)
{
    const struct hv_input_shutdown *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    hv.shutdown_requested = 1;
    hv.shutdown_code = in->result_code;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaCompleteIo 0x8008: the root answers a child's intercepted port
 * access (the unenlightened path, intercept.h).  Statuses, in check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARTITION_ID  not a live child (also: deleted since the intercept)
 *   INVALID_VP_INDEX      out of range or not created
 *   INVALID_VP_STATE      the VP is not waiting on an intercepted access
 *                         (also: its partition was finalized meanwhile)
 *   SUCCESS               the VP runs on: an IN reads read_value, RIP moves on;
 *                         flags: its virtual timer is reprogrammed (vtimer.h) */
hv_status_t hc_partita_complete_io(struct hypercall *hc)
{
    const struct hv_input_complete_io *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_child_by_id(in->partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (in->vp_index >= HV_MAX_VPS_PER_PARTITION ||
        p->vps[in->vp_index].state == HV_VP_STATE_NONE)
        return HV_STATUS_INVALID_VP_INDEX;
    struct vp *vp = &p->vps[in->vp_index];
    if (!intercept_waiting(vp))
        return HV_STATUS_INVALID_VP_STATE;
    if (in->flags & HV_COMPLETE_IO_SET_TIMER)
        vtimer_set(vp, in->timer_deadline, in->timer_period, in->timer_vector);
    if (in->flags & HV_COMPLETE_IO_SET_MASK)
        vtimer_mask(vp, in->timer_masked);
    if (in->flags & HV_COMPLETE_IO_SET_IRQ)
        vtimer_irq(vp, in->irq_vector, in->irq_level);
    intercept_complete(vp, in->read_value);
    return HV_STATUS_SUCCESS;
}

#ifdef PARTITA_MONO
/* HvPartitaServeChannel 0x8009 (BUILD=mono only; in BUILD=micro the code is
 * unknown).  The root hands the data path of a channel it set up to the
 * service inside the hypervisor, asks what it saw, or takes it back.
 * Statuses, in check order:
 *   ACCESS_DENIED          caller is not the root
 *   INVALID_PARAMETER      unknown op; ATTACH: unknown service, flag >= 64
 *   INVALID_PARTITION_ID   not a live child
 *   INVALID_PORT_ID        not an event port of the root that the child connects to
 *   INVALID_PARAMETER      ATTACH: ring size not 1..4 whole pages, or a ring
 *                          page not shared with the child
 *   INVALID_CONNECTION_ID  ATTACH: the root has no such connection to an event port
 *   SUCCESS                ATTACH: the port is served; QUERY, DETACH: out: what
 *                          the service saw (DETACH: the port is the root's again) */
hv_status_t hc_partita_serve_channel(struct hypercall *hc)
{
    const struct hv_input_serve_channel *in = hc->in;
    uint32_t op = in->op, service = in->service;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    if (op != HV_SERVE_ATTACH && op != HV_SERVE_QUERY && op != HV_SERVE_DETACH)
        return HV_STATUS_INVALID_PARAMETER;
    if (op == HV_SERVE_ATTACH &&
        ((service != HV_SERVICE_CONSOLE && service != HV_SERVICE_BLOCK) ||
         in->signal_flag >= HV_EVENT_FLAGS_PER_SINT))
        return HV_STATUS_INVALID_PARAMETER;
    struct partition *child = partition_child_by_id(in->partition_id);
    if (!child)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct port *port = port_find(HV_PARTITION_ID_ROOT, in->port_id);
    if (!port || port->type != HV_PORT_TYPE_EVENT || port->conn_partition != child->id)
        return HV_STATUS_INVALID_PORT_ID;
    if (op == HV_SERVE_ATTACH) {
        uint64_t pages = 2ull * in->ring_bytes / HV_PAGE_SIZE;
        if (!in->ring_bytes || in->ring_bytes % HV_PAGE_SIZE || pages > 8)
            return HV_STATUS_INVALID_PARAMETER;
        for (uint64_t i = 0; i < pages; i++)
            if (!page_shared_with(in->ring_page + i, child))
                return HV_STATUS_INVALID_PARAMETER;
        struct connection *c =
            connection_find(HV_PARTITION_ID_ROOT, in->signal_connection_id);
        struct port *target = c ? port_find(c->port_partition, c->port_id) : 0;
        if (!target || target->type != HV_PORT_TYPE_EVENT)
            return HV_STATUS_INVALID_CONNECTION_ID;
        port->served = (uint8_t)service;
        services_attach(port, child, in->ring_page, in->ring_bytes,
                        in->signal_connection_id, in->signal_flag, in->name);
        return HV_STATUS_SUCCESS;
    }
    services_report(port, child, hc->out);
    if (op == HV_SERVE_DETACH)
        port->served = 0;
    return HV_STATUS_SUCCESS;
}
#endif
