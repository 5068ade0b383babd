/* SPDX-License-Identifier: MIT */
#include "port.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

struct port ports[HV_MAX_PORTS];
struct connection connections[HV_MAX_CONNECTIONS];

struct port *port_find(uint64_t partition, uint64_t port_id)
{
    for (int i = 0; i < HV_MAX_PORTS; i++)
        if (ports[i].used && ports[i].partition == partition && ports[i].port_id == port_id)
            return &ports[i];
    return 0;
}

struct connection *connection_find(uint64_t partition, uint64_t conn_id)
{
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (connections[i].used && connections[i].partition == partition &&
            connections[i].conn_id == conn_id)
            return &connections[i];
    return 0;
}

void port_remove(struct port *p)
{
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (connections[i].used && connections[i].port_partition == p->partition &&
            connections[i].port_id == p->port_id)
            memset(&connections[i], 0, sizeof connections[i]);
    memset(p, 0, sizeof *p);
}

void ports_forget_partition(uint64_t id)
{
    for (int i = 0; i < HV_MAX_PORTS; i++)
        if (ports[i].used && (ports[i].partition == id || ports[i].conn_partition == id))
            port_remove(&ports[i]);
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (connections[i].used && connections[i].partition == id)
            memset(&connections[i], 0, sizeof connections[i]);
}
