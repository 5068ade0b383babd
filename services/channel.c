/* SPDX-License-Identifier: MIT */
/*
 * A channel's data path, the same at every end (channel.h): a child, the
 * root's services, the hypervisor's in BUILD=mono.  The peer is reached
 * only through the environment (env.h): its doorbell and the news that
 * the channel ended.
 */
#include "channel.h"

#include "../lib/format.h"

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

int channel_write_now(struct channel *ch, const void *buf, uint32_t n)
{
    if (ch->state != CHANNEL_OPEN)
        return -1;
    uint32_t done = ring_write(&ch->tx, buf, n);
    if (ch->tx.error)
        return channel_ring_failed(ch, &ch->tx, "ring to the peer");
    if (done)
        channel_signal(ch);
    return (int)done;
}

void channel_close(struct channel *ch, enum channel_close_reason reason)
{
    if (ch->state == CHANNEL_CLOSED)
        return;
    ch->state = CHANNEL_CLOSED;
    ch->reason = reason;
    env_channel_closed(ch);
}
