/* SPDX-License-Identifier: MIT */
/*
 * hc_port.c — ports and connections (TLFS SynIC IPC objects).
 *
 * A port belongs to a receiving partition and targets one (VP, SINT).
 * A connection belongs to a sending partition and names one port; the
 * port names the single partition allowed to connect to it.  Only the
 * root creates, connects and deletes them (on behalf of both sides, as
 * the Hyper-V root does for VMBus).
 */
#include <string.h>

#include "handler.h"

void model_port_remove(const struct model_config *cfg, struct model_state *s,
                       int index)
{
    struct model_port *port = &s->port[index];
    for (uint32_t i = 0; i < cfg->connections; i++) {
        struct model_connection *cn = &s->conn[i];
        if (cn->used && cn->port_partition == port->partition &&
            cn->port_id == port->port_id)
            memset(cn, 0, sizeof *cn);
    }
    /* Messages already queued on the port's SINT stay there: they were
     * accepted, so they will be delivered. */
    memset(port, 0, sizeof *port);
}

/* HvCreatePort (0x95).  args: partition, port, conn_partition, type,
 * sint, target_vp.  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    partition or conn_partition is not live
 *   INVALID_PARTITION_STATE the receiving partition is FINALIZED
 *   INVALID_PARAMETER       type unknown, sint or target_vp out of range
 *   INVALID_PORT_ID         port is 0, above HV_PORT_ID_MAX, or taken
 *   INSUFFICIENT_MEMORY     the port table is full
 *   SUCCESS */
hv_status_t hc_create_port(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_partition_by_id(c->cfg, c->s, arg(c, 0));
    struct model_partition *q = model_partition_by_id(c->cfg, c->s, arg(c, 2));
    if (!p || !q)
        return HV_STATUS_INVALID_PARTITION_ID;
    if (p->state == MODEL_PART_FINALIZED)
        return HV_STATUS_INVALID_PARTITION_STATE;
    uint64_t type = arg(c, 3), sint = arg(c, 4), vp = arg(c, 5);
    if ((type != HV_PORT_TYPE_MESSAGE && type != HV_PORT_TYPE_EVENT) ||
        sint >= c->cfg->sints || vp >= c->cfg->vps)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t port_id = arg(c, 1);
    if (port_id == 0 || port_id > HV_PORT_ID_MAX ||
        model_port_find(c->cfg, c->s, p->id, (uint32_t)port_id) >= 0)
        return HV_STATUS_INVALID_PORT_ID;
    int free_index = -1;
    for (uint32_t i = 0; i < c->cfg->ports && free_index < 0; i++)
        if (!c->s->port[i].used)
            free_index = (int)i;
    if (free_index < 0)
        return HV_STATUS_INSUFFICIENT_MEMORY;

    struct model_port *port = &c->s->port[free_index];
    port->used = 1;
    port->type = (uint8_t)type;
    port->sint = (uint8_t)sint;
    port->vp = (uint8_t)vp;
    port->port_id = (uint32_t)port_id;
    port->partition = p->id;
    port->conn_partition = q->id;
    return HV_STATUS_SUCCESS;
}

/* HvDeletePort (0x58).  args: partition, port.  Statuses, in order:
 *   ACCESS_DENIED        caller is not the root
 *   INVALID_PARTITION_ID partition is not live
 *   INVALID_PORT_ID      no such port
 *   SUCCESS              port and its connections are gone; messages
 *                        already queued stay queued */
hv_status_t hc_delete_port(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *p = model_partition_by_id(c->cfg, c->s, arg(c, 0));
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    int i = arg(c, 1) > UINT32_MAX
                ? -1
                : model_port_find(c->cfg, c->s, p->id, (uint32_t)arg(c, 1));
    if (i < 0)
        return HV_STATUS_INVALID_PORT_ID;
    model_port_remove(c->cfg, c->s, i);
    return HV_STATUS_SUCCESS;
}

/* HvConnectPort (0x96).  args: conn_partition, connection, partition,
 * port.  Statuses, in check order:
 *   ACCESS_DENIED           caller is not the root
 *   INVALID_PARTITION_ID    conn_partition or partition is not live
 *   INVALID_PORT_ID         no such port, or it does not admit
 *                           conn_partition
 *   INVALID_CONNECTION_ID   connection is 0, above the maximum, or taken
 *                           by conn_partition
 *   INSUFFICIENT_MEMORY     the connection table is full
 *   SUCCESS */
hv_status_t hc_connect_port(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *q = model_partition_by_id(c->cfg, c->s, arg(c, 0));
    struct model_partition *p = model_partition_by_id(c->cfg, c->s, arg(c, 2));
    if (!q || !p)
        return HV_STATUS_INVALID_PARTITION_ID;
    int pi = arg(c, 3) > UINT32_MAX
                 ? -1
                 : model_port_find(c->cfg, c->s, p->id, (uint32_t)arg(c, 3));
    if (pi < 0 || c->s->port[pi].conn_partition != q->id)
        return HV_STATUS_INVALID_PORT_ID;
    uint64_t conn_id = arg(c, 1);
    if (conn_id == 0 || conn_id > HV_CONNECTION_ID_MAX ||
        model_conn_find(c->cfg, c->s, q->id, (uint32_t)conn_id) >= 0)
        return HV_STATUS_INVALID_CONNECTION_ID;
    int free_index = -1;
    for (uint32_t i = 0; i < c->cfg->connections && free_index < 0; i++)
        if (!c->s->conn[i].used)
            free_index = (int)i;
    if (free_index < 0)
        return HV_STATUS_INSUFFICIENT_MEMORY;

    struct model_connection *cn = &c->s->conn[free_index];
    cn->used = 1;
    cn->conn_id = (uint32_t)conn_id;
    cn->partition = q->id;
    cn->port_partition = p->id;
    cn->port_id = c->s->port[pi].port_id;
    return HV_STATUS_SUCCESS;
}

/* HvDisconnectPort (0x5b).  args: conn_partition, connection.
 * Statuses, in check order:
 *   ACCESS_DENIED         caller is not the root
 *   INVALID_PARTITION_ID  conn_partition is not live
 *   INVALID_CONNECTION_ID no such connection
 *   SUCCESS */
hv_status_t hc_disconnect_port(struct model_call *c)
{
    if (!caller_is_root(c))
        return HV_STATUS_ACCESS_DENIED;
    struct model_partition *q = model_partition_by_id(c->cfg, c->s, arg(c, 0));
    if (!q)
        return HV_STATUS_INVALID_PARTITION_ID;
    int i = arg(c, 1) > UINT32_MAX
                ? -1
                : model_conn_find(c->cfg, c->s, q->id, (uint32_t)arg(c, 1));
    if (i < 0)
        return HV_STATUS_INVALID_CONNECTION_ID;
    memset(&c->s->conn[i], 0, sizeof c->s->conn[i]);
    return HV_STATUS_SUCCESS;
}
