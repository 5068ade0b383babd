/* SPDX-License-Identifier: MIT */
/*
 * fake_services.c — the core's BUILD=mono hooks on the host: the host
 * differential test checks HvPartitaServeChannel's checks and the served
 * port's effect on SignalEvent (both in the core); the services
 * themselves read rings and drive a disk, which only the emulators have.
 */
#include "kernel/core/services.h"

#include <string.h>

void services_signalled(const struct port *p)
{
    (void)p;
}

void services_run(void) {}

void services_root_quiet(void) {}

void services_exit_of(const struct partition *p)
{
    (void)p;
}

void services_attach(const struct port *p, const struct partition *child, uint64_t ring_page,
                     uint32_t ring_bytes, uint32_t signal_connection, uint32_t flag,
                     const char name[16])
{
    (void)p, (void)child, (void)ring_page, (void)ring_bytes, (void)signal_connection,
        (void)flag, (void)name;
}

void services_report(const struct port *p, const struct partition *child,
                     struct hv_output_serve_channel *out)
{
    (void)p, (void)child;
    memset(out, 0, sizeof *out);
}

int mono_io(struct vp *vp, const struct vm_exit *e)
{
    (void)vp, (void)e;
    return 0;
}
