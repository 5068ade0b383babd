/* SPDX-License-Identifier: MIT */
/*
 * The core's hooks for the device services of BUILD=mono
 * (kernel/services/ around services/, docs/architecture/placement.md).  In
 * BUILD=micro the services live in the root partition and these hooks are
 * empty.
 *
 * Calls go one way.  The exit path runs the services (services_run,
 * services_exit_of, mono_io); the dispatcher's handlers only mark a served
 * port (services_signalled) and hand a channel over or ask about it
 * (services_attach, services_report).  The services reach the dispatcher
 * only through their environment (services/env.h, mono_env.c), for the
 * root's SignalEvent, and that call never runs a service: nothing here is
 * re-entered.
 */
#pragma once
#include "../arch/virt.h"
#include "partition.h"
#include "port.h"

struct hypercall;

#ifdef PARTITA_MONO
/* A child signalled a port a service serves: the service runs after the
 * call, from the exit path (services_run). */
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
/* A child's port I/O exit: 1 if a service took the access (the emulated
 * 16550 on COM2, right in the exit; the VP moves on), 0 if it is not a
 * service's (it goes to the root as an intercept). */
int mono_io(struct vp *vp, const struct vm_exit *e);
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
