/*
 * A second channel to a child that already has its console channel
 * (docs/architecture/block.md).  channel_offer() gives every child the
 * same port numbers (1, 2) and ring address (0x800000), so a second
 * service needs other numbers; this file offers a channel at a layout
 * the caller names.  Everything else (handshake, rings, flow control) is
 * the channel library's.  When channel_offer() learns layouts, this file
 * folds into it.
 */
#pragma once
#include <stdint.h>

#include "../lib/channel.h"
#include "child.h"

struct extra_channel_layout {
    uint32_t child_msg_port;   /* targets the child's SINT 0 (offers arrive there) */
    uint32_t child_event_port; /* targets child_event_sint */
    uint32_t child_event_sint;
    uint64_t child_ring_gpa;   /* page aligned, clear of the console's rings */
    uint32_t root_msg_sint;    /* the root's SINTs for this channel alone, so */
    uint32_t root_event_sint;  /* the console's loop never takes its messages */
};

/* As channel_offer(), at `l`: ports 0x100+slot / 0x200+slot of the root,
 * `pages` (2 * CHANNEL_RING_BYTES, page aligned) lent to the child.
 * Call after the child's console channel is open (the child reads one
 * offer at a time from SINT 0).  0 or a status. */
int extra_channel_offer(struct channel *ch, const struct child *c, uint32_t service,
                        uint32_t slot, void *pages, const struct extra_channel_layout *l);
