/* SPDX-License-Identifier: MIT */
/*
 * The core's hooks for the device services of BUILD=mono
 * (kernel/services/, docs/architecture/placement.md).  In BUILD=micro the
 * services live in the root partition and these hooks are empty.
 */
#pragma once
#include "partition.h"
#include "port.h"

struct hypercall;

#ifdef PARTITA_MONO
/* A child signalled a port a service serves: the service runs after the
 * call is traced (services_run). */
void services_signalled(const struct port *p);
void services_run(void);
/* A hypercall or HLT exit of p.  For the root that is a point between its
 * own instructions, not in the middle of a line it writes: the services'
 * console output may go out (services_root_quiet). */
void services_exit_of(const struct partition *p);
void services_root_quiet(void);
/* HvPartitaServeChannel, after its checks: start serving the port / say
 * what the service saw (a port nobody serves: state NONE). */
void services_attach(const struct port *p, const struct partition *child, uint64_t ring_page,
                     uint32_t ring_bytes, uint32_t signal_connection, uint32_t flag,
                     const char name[16]);
void services_report(const struct port *p, const struct partition *child,
                     struct hv_output_serve_channel *out);
#else
static inline void services_signalled(const struct port *p)
{
    (void)p;
}
static inline void services_run(void) {}
static inline void services_exit_of(const struct partition *p)
{
    (void)p;
}
#endif
