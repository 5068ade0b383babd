/* SPDX-License-Identifier: MIT */
/*
 * The root's own hypercall wrappers for wiring partitions together and
 * looking at them: one copy used by the channel code, the demo fleet and
 * the self-tests.  Each returns a status (0 = SUCCESS).
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"

/* A port of `receiver` on its VP 0, SINT `sint`, that `sender` may connect to. */
int root_create_port(uint64_t receiver, uint32_t port, uint64_t sender, uint32_t type,
                     uint32_t sint);
/* Connection `conn` of `sender` to port `port` of `receiver`. */
int root_connect(uint64_t sender, uint32_t conn, uint64_t receiver, uint32_t port);
/* The exit counts of partition `id` (HV_PARTITION_ID_SELF for the root). */
int root_exit_stats(uint64_t id, struct hv_output_exit_stats *out);
/* Its total exits, or 0 if there is no such partition. */
uint64_t root_total_exits(uint64_t id);
