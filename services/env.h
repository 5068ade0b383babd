/* SPDX-License-Identifier: MIT */
/*
 * The environment of the code in services/ (docs/architecture/placement.md):
 * everything the device services and the channel data path need from the
 * program they are linked into, and nothing else.  The same service
 * sources are built into the root partition (BUILD=micro) and into the
 * hypervisor (BUILD=mono); each placement implements these functions
 * exactly once:
 *
 *   partitions/lib/env.c         every partition program: the root, which
 *                                runs the services in BUILD=micro, and the
 *                                children, whose end of a channel uses the
 *                                same data path (services/channel.c)
 *   kernel/services/mono_env.c   the hypervisor, BUILD=mono
 *
 * The services call nothing else outside services/ and lib/ (formatting,
 * strings, FNV-1a, port I/O).  What is deliberately not here:
 *   - ring access: the rings are plain memory both ends can address; the
 *     placement maps them (the root by GPA, the hypervisor through its
 *     direct map) before it attaches the channel (ring_attach), and the
 *     ring code (services/ring.c) needs nothing from anyone;
 *   - port I/O: the ATA driver executes IN/OUT (lib/portio.h) in both
 *     placements; which program may do so is the hypervisor's I/O
 *     permission map (the root's passed-through ATA ports, or the
 *     hypervisor's own), not the driver's business;
 *   - time: no service reads a clock; every wait is a bounded count.
 */
#pragma once
#include <stddef.h>

struct channel;

/*
 * The console.  Appends n bytes of finished text to the machine's console
 * (COM1); a service hands over whole lines, so lines of different writers
 * never mix.  Partitions: the partition's console (the root's is COM1
 * itself).  Hypervisor: a buffer written to COM1 when the root is between
 * two of its instructions; the console service sizes what it drains by
 * the room left (mono_channels.c), so nothing is dropped.
 */
void env_console_write(const char *s, size_t n);

/*
 * The doorbell.  Tells the peer of ch to look at the rings: SignalEvent on
 * ch->event_connection with flag ch->event_flag.  Partitions:
 * HvSignalEvent.  Hypervisor: the same call made for the root
 * (hypercall_fast_for), checked and traced as if the root had made it, so
 * the trace and the reference model see the steps of BUILD=micro.
 */
void env_channel_signal(struct channel *ch);

/*
 * The channel ended on this side: ch->state is CHANNEL_CLOSED and
 * ch->reason says why (channel_close).  Partitions: posts CHANNEL_MSG_CLOSE
 * to the peer.  Hypervisor: nothing; the root, which owns the channel's
 * messages, posts CLOSE when HvPartitaServeChannel QUERY reports the
 * failure.
 */
void env_channel_closed(struct channel *ch);
