/* SPDX-License-Identifier: MIT */
/*
 * Messages and events, SynIC-style (synic.h).  A message lands in the
 * receiver's SINT slot or, if the slot is full, in the bounded queue
 * behind it; a full queue refuses it with INSUFFICIENT_BUFFERS and nothing
 * changes.  The receiver reads the slot and sends end-of-message to get
 * the next.  Arrival wakes a receiver halted waiting for it.
 */
#include "abstract.h"
#include "hv_state.h"
#include "hypercall.h"
#include "port.h"
#include "services.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

/* The port the caller's connection leads to, if it has that type. */
static struct port *connected_port(struct hypercall *hc, uint64_t conn, uint8_t type)
{
    struct connection *c = connection_find(hc->caller->id, conn);
    if (!c)
        return 0;
    struct port *port = port_find(c->port_partition, c->port_id);
    return port && port->type == type ? port : 0;
}

static struct vp *receiver_vp(const struct port *port)
{
    struct partition *p = partition_by_id(port->partition);
    return &p->vps[port->vp];
}

/* HvPostMessage 0x5c.  Statuses, in check order:
 *   INVALID_CONNECTION_ID    no such connection of the caller, or it leads
 *                            to an event port
 *   INVALID_PARAMETER        type 0 or in the hypervisor's range, or the
 *                            payload is over 240 bytes
 *   INVALID_PARTITION_STATE  the receiver is FINALIZED
 *   INSUFFICIENT_BUFFERS     slot and queue full: refused, nothing changes
 *   SUCCESS                  in the slot if it was empty, else queued */
hv_status_t hc_post_message(struct hypercall *hc)
{
    const struct hv_input_post_message *in = hc->in;
    struct port *port = connected_port(hc, in->connection_id, HV_PORT_TYPE_MESSAGE);
    if (!port)
        return HV_STATUS_INVALID_CONNECTION_ID;
    uint32_t type = in->message_type, size = in->payload_size;
    if (type == HV_MESSAGE_TYPE_NONE || type >= HV_MESSAGE_TYPE_HYPERVISOR_FIRST ||
        size > HV_MESSAGE_PAYLOAD)
        return HV_STATUS_INVALID_PARAMETER;
    struct vp *rx = receiver_vp(port);
    if (rx->partition->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    struct synic_message m;
    memset(&m, 0, sizeof m);
    m.sender = hc->caller->id;
    m.msg.header.message_type = type;
    m.msg.header.payload_size = (uint8_t)size;
    m.msg.header.port_id = port->port_id;
    memcpy(m.msg.payload, in->payload, size);
    if (!vp_deliver_message(rx, port->sint, &m))
        return HV_STATUS_INSUFFICIENT_BUFFERS;
    return HV_STATUS_SUCCESS;
}

/* HvSignalEvent 0x5d.  Statuses, in check order:
 *   INVALID_CONNECTION_ID    no such connection, or it leads to a message port
 *   INVALID_PARAMETER        flag number >= 64
 *   INVALID_PARTITION_STATE  the receiver is FINALIZED
 *   SUCCESS                  the flag is set; a newly set flag raises the SINT */
hv_status_t hc_signal_event(struct hypercall *hc)
{
    const struct hv_input_signal_event *in = hc->in;
    struct port *port = connected_port(hc, in->connection_id, HV_PORT_TYPE_EVENT);
    if (!port)
        return HV_STATUS_INVALID_CONNECTION_ID;
    if (in->flag_number >= HV_EVENT_FLAGS_PER_SINT)
        return HV_STATUS_INVALID_PARAMETER;
    struct vp *rx = receiver_vp(port);
    if (rx->partition->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (port->served) {
        /* BUILD=mono: the service in the hypervisor reads the ring; the
         * root is not woken (HvPartitaServeChannel). */
        services_signalled(port);
        return HV_STATUS_SUCCESS;
    }
    vp_signal_flag(rx, port->sint, in->flag_number);
    return HV_STATUS_SUCCESS;
}

/* SINT `n` of the calling VP, or NULL if out of range. */
static struct sint *own_sint(struct hypercall *hc, uint32_t n)
{
    return n < HV_SYNIC_SINT_COUNT ? &hc->vp->synic.sint[n] : 0;
}

/* HvPartitaSintEom 0x8005 (TLFS: a write to HV_X64_MSR_EOM).  Statuses:
 *   INVALID_PARAMETER  SINT out of range
 *   NO_DATA            the slot is empty
 *   SUCCESS            the message is consumed; the next moves into the slot */
hv_status_t hc_partita_sint_eom(struct hypercall *hc)
{
    const struct hv_input_sint *in = hc->in;
    struct sint *s = own_sint(hc, in->sint);
    if (!s)
        return HV_STATUS_INVALID_PARAMETER;
    if (!sint_eom(s))
        return HV_STATUS_NO_DATA;
    hv.messages.acked++;
    if (s->slot_full) /* the next message moved into the slot */
        synic_raise(&hc->vp->synic, in->sint);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaReadSintMessage 0x8006.  Statuses:
 *   INVALID_PARAMETER  SINT out of range
 *   NO_DATA            the slot is empty
 *   SUCCESS            out: the message (the slot keeps it until EOM) */
hv_status_t hc_partita_read_sint_message(struct hypercall *hc)
{
    const struct hv_input_sint *in = hc->in;
    struct sint *s = own_sint(hc, in->sint);
    if (!s)
        return HV_STATUS_INVALID_PARAMETER;
    if (!s->slot_full)
        return HV_STATUS_NO_DATA;
    const struct hv_message *m = &s->slot.msg;
    memcpy(hc->out, m, sizeof *m);
    hc_output(hc, m->header.message_type);
    hc_output(hc, m->header.payload_size);
    hc_output(hc, m->header.port_id);
    hc_output(hc, fnv1a64(m->payload, m->header.payload_size));
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetAndClearEventFlags 0x8007.  Statuses:
 *   INVALID_PARAMETER  SINT out of range
 *   SUCCESS            out: the flags, now clear */
hv_status_t hc_partita_get_and_clear_event_flags(struct hypercall *hc)
{
    const struct hv_input_sint *in = hc->in;
    struct sint *s = own_sint(hc, in->sint);
    if (!s)
        return HV_STATUS_INVALID_PARAMETER;
    struct hv_output_event_flags *out = hc->out;
    out->flags = s->event_flags;
    hc_output(hc, s->event_flags);
    s->event_flags = 0;
    return HV_STATUS_SUCCESS;
}
