/* SPDX-License-Identifier: MIT */
#include "ports.h"

#include "../lib/hypercall.h"
#include "../lib/string_util.h"

int root_create_port(uint64_t receiver, uint32_t port, uint64_t sender, uint32_t type,
                     uint32_t sint)
{
    struct hv_input_create_port *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->port_partition_id = receiver;
    in->port_id = port;
    in->connection_partition_id = sender;
    in->port_info.port_type = type;
    in->port_info.target_sint = sint;
    in->port_info.target_vp = 0;
    return hv_call(HVCALL_CREATE_PORT, hv_input_page, 0);
}

int root_connect(uint64_t sender, uint32_t conn, uint64_t receiver, uint32_t port)
{
    struct hv_input_connect_port *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->connection_partition_id = sender;
    in->connection_id = conn;
    in->port_partition_id = receiver;
    in->port_id = port;
    return hv_call(HVCALL_CONNECT_PORT, hv_input_page, 0);
}

int root_exit_stats(uint64_t id, struct hv_output_exit_stats *out)
{
    struct hv_input_get_exit_stats *in = (void *)hv_input_page;
    in->partition_id = id;
    hv_status_t st = hv_call(HVCALL_PARTITA_GET_EXIT_STATS, hv_input_page, hv_output_page);
    memcpy(out, hv_output_page, sizeof *out);
    return st;
}

uint64_t root_total_exits(uint64_t id)
{
    struct hv_output_exit_stats s;
    return root_exit_stats(id, &s) ? 0 : s.total;
}
