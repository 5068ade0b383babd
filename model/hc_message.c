/* SPDX-License-Identifier: MIT */
/*
 * hc_message.c — SynIC-style delivery.
 *
 * Each (partition, VP, SINT) has one message slot and a bounded queue
 * behind it.  A message posted while the slot is empty goes straight into
 * the slot (TLFS: delivered); otherwise it waits in the queue; a full
 * queue refuses it with INSUFFICIENT_BUFFERS and nothing changes.  The
 * receiver reads the slot and signals end-of-message, which frees the
 * slot and moves the queue's head into it.  So a message is delivered
 * exactly once, in order, or refused — never lost, never duplicated.
 *
 * Events set a flag in the SINT's event flags; the receiver reads and
 * clears them atomically.
 */
#include <string.h>

#include "defect.h"
#include "handler.h"

/* The receiving SINT of port `pi`. */
static struct model_sint *port_sint(struct model_call *c, int pi,
                                    struct model_partition **receiver)
{
    const struct model_port *port = &c->s->port[pi];
    uint32_t slot = model_slot_of(c->cfg, c->s, port->partition);
    *receiver = &c->s->part[slot];
    return &c->s->sint[slot][port->vp][port->sint];
}

/* The caller's connection `conn` of port type `type`: port index or -1. */
static int connected_port(struct model_call *c, uint64_t conn, uint8_t type)
{
    if (conn > UINT32_MAX)
        return -1;
    int ci = model_conn_find(c->cfg, c->s, c->caller->id, (uint32_t)conn);
    if (ci < 0)
        return -1;
    const struct model_connection *cn = &c->s->conn[ci];
    int pi = model_port_find(c->cfg, c->s, cn->port_partition, cn->port_id);
    if (pi < 0 || c->s->port[pi].type != type)
        return -1;
    return pi;
}

/* HvPostMessage (0x5c).  Any partition, on its own connection.
 * args: connection, type, size, payload (FNV-1a 64 of the payload bytes).
 * Statuses, in check order:
 *   INVALID_CONNECTION_ID   caller has no such connection, or it leads
 *                           to an event port
 *   INVALID_PARAMETER       type 0 or >= 0x80000000, size > 240
 *   INVALID_PARTITION_STATE the receiver is FINALIZED
 *   INSUFFICIENT_BUFFERS    slot full and queue_depth messages queued:
 *                           refused, nothing changes, the sender may retry
 *   SUCCESS                 in the slot if it was empty, else queued */
hv_status_t hc_post_message(struct model_call *c)
{
    int pi = connected_port(c, arg(c, 0), HV_PORT_TYPE_MESSAGE);
    if (pi < 0)
        return HV_STATUS_INVALID_CONNECTION_ID;
    uint64_t type = arg(c, 1), size = arg(c, 2);
    if (type == HV_MESSAGE_TYPE_NONE ||
        type >= HV_MESSAGE_TYPE_HYPERVISOR_FIRST || size > HV_MESSAGE_PAYLOAD)
        return HV_STATUS_INVALID_PARAMETER;
    struct model_partition *receiver;
    struct model_sint *q = port_sint(c, pi, &receiver);
    if (receiver->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (q->slot_full && q->queue_len >= c->cfg->queue_depth + MODEL_QUEUE_SLACK)
        return HV_STATUS_INSUFFICIENT_BUFFERS;

    struct model_message m = {
        .seq = c->s->messages_posted++,
        .sender = c->caller->id,
        .port_id = c->s->port[pi].port_id,
        .type = (uint32_t)type,
        .size = (uint32_t)size,
        .payload_digest = arg(c, 3),
    };
    if (!q->slot_full) {
        q->slot = m;
        q->slot_full = 1;
    } else {
        q->queue[q->queue_len++] = m;
    }
    return HV_STATUS_SUCCESS;
}

/* HvSignalEvent (0x5d).  Any partition, on its own connection.
 * args: connection, flag.  Statuses, in check order:
 *   INVALID_CONNECTION_ID   caller has no such connection, or it leads
 *                           to a message port
 *   INVALID_PARAMETER       flag >= HV_EVENT_FLAGS_PER_SINT
 *   INVALID_PARTITION_STATE the receiver is FINALIZED
 *   SUCCESS                 the flag is set; if it was clear, the SINT is
 *                           raised (counted in events_signaled).  On a port
 *                           the hypervisor's service reads (BUILD=mono,
 *                           PartitaServeChannel) nothing is set: the
 *                           service takes the signal. */
hv_status_t hc_signal_event(struct model_call *c)
{
    int pi = connected_port(c, arg(c, 0), HV_PORT_TYPE_EVENT);
    if (pi < 0)
        return HV_STATUS_INVALID_CONNECTION_ID;
    uint64_t flag = arg(c, 1);
    if (flag >= HV_EVENT_FLAGS_PER_SINT)
        return HV_STATUS_INVALID_PARAMETER;
    struct model_partition *receiver;
    struct model_sint *q = port_sint(c, pi, &receiver);
    if (receiver->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    if (c->s->port[pi].served)
        return HV_STATUS_SUCCESS; /* the hypervisor's service takes it */

    uint64_t bit = 1ull << flag;
    if (!(q->event_flags & bit))
        c->s->events_signaled++;
    q->event_flags |= bit;
    return HV_STATUS_SUCCESS;
}

/* The caller's own SINT `n` on its acting VP, or NULL if out of range. */
static struct model_sint *own_sint(struct model_call *c, uint64_t n)
{
    if (n >= c->cfg->sints)
        return NULL;
    return &c->s->sint[c->caller_slot][c->e->vp][n];
}

/* HvPartitaSintEom (0x8005); TLFS: a write to HV_X64_MSR_EOM.
 * args: sint.  Statuses, in check order:
 *   INVALID_PARAMETER sint out of range
 *   NO_DATA           the slot is empty
 *   SUCCESS           the slot's message is consumed (counted in
 *                     messages_acked); the queue's head, if any, moves
 *                     into the slot */
hv_status_t hc_sint_eom(struct model_call *c)
{
    struct model_sint *q = own_sint(c, arg(c, 0));
    if (!q)
        return HV_STATUS_INVALID_PARAMETER;
    if (!q->slot_full)
        return HV_STATUS_NO_DATA;

    c->s->messages_acked++;
    memset(&q->slot, 0, sizeof q->slot);
    q->slot_full = 0;
    if (q->queue_len > 0) {
        q->slot = q->queue[0];
        q->slot_full = 1;
        memmove(&q->queue[0], &q->queue[1],
                (size_t)(q->queue_len - 1) * sizeof q->queue[0]);
        q->queue_len--;
        memset(&q->queue[q->queue_len], 0, sizeof q->queue[0]);
    }
    return HV_STATUS_SUCCESS;
}

/* HvPartitaReadSintMessage (0x8006).  args: sint.  Statuses, in order:
 *   INVALID_PARAMETER sint out of range
 *   NO_DATA           the slot is empty
 *   SUCCESS           out: type, size, port, payload (digest); the slot
 *                     is unchanged — only EOM consumes */
hv_status_t hc_read_sint_message(struct model_call *c)
{
    struct model_sint *q = own_sint(c, arg(c, 0));
    if (!q)
        return HV_STATUS_INVALID_PARAMETER;
    if (!q->slot_full)
        return HV_STATUS_NO_DATA;
    output(c, q->slot.type);
    output(c, q->slot.size);
    output(c, q->slot.port_id);
    output(c, q->slot.payload_digest);
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetAndClearEventFlags (0x8007).  args: sint.  Statuses:
 *   INVALID_PARAMETER sint out of range
 *   SUCCESS           out: flags (the SINT's event flags, now clear) */
hv_status_t hc_get_and_clear_event_flags(struct model_call *c)
{
    struct model_sint *q = own_sint(c, arg(c, 0));
    if (!q)
        return HV_STATUS_INVALID_PARAMETER;
    output(c, q->event_flags);
    q->event_flags = 0;
    return HV_STATUS_SUCCESS;
}
