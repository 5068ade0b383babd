/* SPDX-License-Identifier: MIT */
/*
 * The parts of a channel's data path that need nothing but channel_signal
 * and channel_close, which each side provides its own way: a partition
 * with hypercalls (channel.c), the hypervisor's services in BUILD=mono
 * with calls made for the root (kernel/services/mono_channels.c).
 */
#include "../../lib/format.h"
#include "channel.h"

int channel_ring_failed(struct channel *ch, const struct ring *r, const char *which)
{
    format_string(ch->report, sizeof ch->report,
                  "malformed ring (%s): %s (value %u, ring of %u bytes)", which,
                  ring_error_name(r->error), r->bad_value, r->size);
    channel_close(ch, CHANNEL_CLOSE_MALFORMED_RING);
    return -1;
}

int channel_read(struct channel *ch, void *buf, uint32_t n)
{
    if (ch->state != CHANNEL_OPEN && !(ch->state == CHANNEL_CLOSED && ch->closed_by_peer))
        return -1;
    uint32_t got = ring_read(&ch->rx, buf, n);
    if (ch->rx.error)
        return channel_ring_failed(ch, &ch->rx, "ring from the peer");
    if (got && ring_take_writer_waiting(&ch->rx)) {
        ch->wakeups++;
        channel_signal(ch);
    }
    return (int)got;
}
