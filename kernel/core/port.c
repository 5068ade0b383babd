/* SPDX-License-Identifier: MIT */
#include "port.h"

#include "hv_state.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

struct port *port_find(uint64_t partition, uint64_t port_id)
{
    for (int i = 0; i < HV_MAX_PORTS; i++)
        if (hv.ports[i].used && hv.ports[i].partition == partition &&
            hv.ports[i].port_id == port_id)
            return &hv.ports[i];
    return 0;
}

struct connection *connection_find(uint64_t partition, uint64_t conn_id)
{
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (hv.connections[i].used && hv.connections[i].partition == partition &&
            hv.connections[i].conn_id == conn_id)
            return &hv.connections[i];
    return 0;
}

void port_remove(struct port *p)
{
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (hv.connections[i].used && hv.connections[i].port_partition == p->partition &&
            hv.connections[i].port_id == p->port_id)
            memset(&hv.connections[i], 0, sizeof hv.connections[i]);
    memset(p, 0, sizeof *p);
}

void ports_forget_partition(uint64_t id)
{
    for (int i = 0; i < HV_MAX_PORTS; i++)
        if (hv.ports[i].used &&
            (hv.ports[i].partition == id || hv.ports[i].conn_partition == id))
            port_remove(&hv.ports[i]);
    for (int i = 0; i < HV_MAX_CONNECTIONS; i++)
        if (hv.connections[i].used && hv.connections[i].partition == id)
            memset(&hv.connections[i], 0, sizeof hv.connections[i]);
}
