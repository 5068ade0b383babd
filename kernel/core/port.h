/* SPDX-License-Identifier: MIT */
/*
 * Ports (receiving ends, owned by the receiver, one SINT of one VP) and
 * connections (a sender's handle on a port).  Only the root creates and
 * connects them, as the Hyper-V root does for VMBus.  Fixed tables.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"

struct port {
    int used;
    uint8_t type; /* HV_PORT_TYPE_* */
    uint8_t sint;
    uint8_t vp;
    uint32_t port_id;
    uint64_t partition;      /* receiver id */
    uint64_t conn_partition; /* the only partition that may connect */
    uint8_t served;          /* BUILD=mono: HV_SERVICE_* reading this root event port */
};

struct connection {
    int used;
    uint32_t conn_id;
    uint64_t partition; /* sender id */
    uint64_t port_partition;
    uint32_t port_id;
};

struct port *port_find(uint64_t partition, uint64_t port_id);
struct connection *connection_find(uint64_t partition, uint64_t conn_id);
/* Deletes a port and every connection to it; queued messages stay. */
void port_remove(struct port *p);
/* Deletes everything that names partition `id` (DeletePartition). */
void ports_forget_partition(uint64_t id);
