/* SPDX-License-Identifier: MIT */
/*
 * Ports and connections.  Only the root creates, deletes, connects and
 * disconnects them (as the Hyper-V root does for VMBus); any partition
 * posts and signals on its own connections (hc_message.c).
 */
#include "hv_state.h"
#include "hypercall.h"
#include "port.h"

/* HvCreatePort 0x95.  Statuses, in check order:
 *   ACCESS_DENIED            caller is not the root
 *   INVALID_PARTITION_ID     receiver or connecting partition not live
 *   INVALID_PARTITION_STATE  the receiver is FINALIZED
 *   INVALID_PARAMETER        type unknown, SINT or target VP out of range
 *   INVALID_PORT_ID          0, above HV_PORT_ID_MAX, or taken
 *   INSUFFICIENT_MEMORY      the port table is full
 *   SUCCESS */
hv_status_t hc_create_port(struct hypercall *hc)
{
    const struct hv_input_create_port *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_by_id(in->port_partition_id);
    struct partition *q = partition_by_id(in->connection_partition_id);
    if (!p || !q)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == HV_PARTITION_STATE_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    uint32_t type = in->port_info.port_type, sint = in->port_info.target_sint;
    uint32_t vp = in->port_info.target_vp;
    if ((type != HV_PORT_TYPE_MESSAGE && type != HV_PORT_TYPE_EVENT) ||
        sint >= HV_SYNIC_SINT_COUNT || vp >= HV_MAX_VPS_PER_PARTITION)
        return HV_STATUS_INVALID_PARAMETER;
    uint32_t id = in->port_id;
    if (id == 0 || id > HV_PORT_ID_MAX || port_find(p->id, id))
        return HV_STATUS_INVALID_PORT_ID;
    for (int i = 0; i < HV_MAX_PORTS; i++) {
        struct port *port = &hv.ports[i];
        if (port->used)
            continue;
        *port = (struct port){.used = 1,
                              .type = (uint8_t)type,
                              .sint = (uint8_t)sint,
                              .vp = (uint8_t)vp,
                              .port_id = id,
                              .partition = p->id,
                              .conn_partition = q->id};
        return HV_STATUS_SUCCESS;
    }
    return HV_STATUS_INSUFFICIENT_MEMORY;
}

/* HvDeletePort 0x58.  Statuses, in check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARTITION_ID  not live
 *   INVALID_PORT_ID       no such port
 *   SUCCESS               port and its connections gone; messages already
 *                         accepted stay queued */
hv_status_t hc_delete_port(struct hypercall *hc)
{
    const struct hv_input_delete_port *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_by_id(in->port_partition_id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct port *port = port_find(p->id, in->port_id);
    if (!port)
        return HV_STATUS_INVALID_PORT_ID;
    port_remove(port);
    return HV_STATUS_SUCCESS;
}

/* HvConnectPort 0x96.  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    sender or receiver not live
 *   INVALID_PORT_ID         no such port, or it does not admit the sender
 *   INVALID_CONNECTION_ID   0, above the maximum, or taken by the sender
 *   INSUFFICIENT_MEMORY     the connection table is full
 *   SUCCESS */
hv_status_t hc_connect_port(struct hypercall *hc)
{
    const struct hv_input_connect_port *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *q = partition_by_id(in->connection_partition_id);
    struct partition *p = partition_by_id(in->port_partition_id);
    if (!q || !p)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct port *port = port_find(p->id, in->port_id);
    if (!port || port->conn_partition != q->id)
        return HV_STATUS_INVALID_PORT_ID;
    uint32_t id = in->connection_id;
    if (id == 0 || id > HV_CONNECTION_ID_MAX || connection_find(q->id, id))
        return HV_STATUS_INVALID_CONNECTION_ID;
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++) {
        struct connection *c = &hv.connections[i];
        if (c->used)
            continue;
        *c = (struct connection){1, id, q->id, p->id, port->port_id};
        return HV_STATUS_SUCCESS;
    }
    return HV_STATUS_INSUFFICIENT_MEMORY;
}

/* HvDisconnectPort 0x5b.  Statuses, in check order:
 *   ACCESS_DENIED          caller is not the root
 *   INVALID_PARTITION_ID   sender not live
 *   INVALID_CONNECTION_ID  no such connection
 *   SUCCESS */
hv_status_t hc_disconnect_port(struct hypercall *hc)
{
    const struct hv_input_disconnect_port *in = hc->in;
    if (!hc_caller_is_root(hc))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *q = partition_by_id(in->connection_partition_id);
    if (!q)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct connection *c = connection_find(q->id, in->connection_id);
    if (!c)
        return HV_STATUS_INVALID_CONNECTION_ID;
    *c = (struct connection){0, 0, 0, 0, 0};
    return HV_STATUS_SUCCESS;
}
