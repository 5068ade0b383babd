/* SPDX-License-Identifier: MIT */
/*
 * services/env.h for the hypervisor (BUILD=mono), where the device
 * services run for the root (docs/architecture/placement.md).  The
 * partitions' implementation is partitions/lib/env.c.
 */
#include "mono_env.h"

#include "../../services/channel.h"
#include "../../services/env.h"
#include "../arch/x86/serial.h"
#include "../core/hypercall.h"
#include "../core/partition.h"

/* Console output waits here until the root is between two of its own
 * instructions: COM1 is the root's, and a line must not land inside one
 * the root is writing.  The console service never gets more to read than
 * surely fits (mono_channels.c): nothing is cut. */
static char out_buf[16384];
static uint32_t out_used;

void env_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n && out_used < sizeof out_buf; i++)
        out_buf[out_used++] = s[i];
}

uint32_t mono_console_room(void)
{
    return (uint32_t)(sizeof out_buf - out_used);
}

uint32_t mono_console_held(void)
{
    return out_used;
}

void mono_console_flush(void)
{
    serial_write(SERIAL_COM1, out_buf, out_used);
    out_used = 0;
}

/* The doorbell to the child is SignalEvent made for the root: checked,
 * dispatched and traced as the root's own call, so the trace and the
 * reference model see the steps they see in BUILD=micro.  It never runs a
 * service: the services run from the exit path (services_run), not from
 * the dispatcher. */
void env_channel_signal(struct channel *ch)
{
    struct partition *root = partition_at_slot(0);
    uint64_t fast = ch->event_connection | (uint64_t)ch->event_flag << 32;
    hypercall_fast_for(&root->vps[0], HVCALL_SIGNAL_EVENT, fast, 0);
}

/* The root owns the channel's messages: it posts CLOSE when
 * HvPartitaServeChannel QUERY reports the failure.  Here the channel only
 * stops (channel_close has marked it closed). */
void env_channel_closed(struct channel *ch)
{
    (void)ch;
}
