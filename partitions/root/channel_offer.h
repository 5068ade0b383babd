/* SPDX-License-Identifier: MIT */
/*
 * The root's half of a channel that only the root can do: pages, ports
 * and connections (docs/architecture/channels.md).  One channel per
 * child; `slot` tells channels of different children apart on the root's
 * SINTs.
 */
#pragma once
#include <stdint.h>

#include "../lib/channel.h"
#include "child.h"

#define CHANNEL_RING_BYTES 4096u            /* one page per ring */
#define CHANNEL_CHILD_RING_GPA 0x800000ull  /* in the child, above any image */
#define CHANNEL_ROOT_MSG_SINT 2u            /* the root's SINTs for channels */
#define CHANNEL_ROOT_EVENT_SINT 3u
#define CHANNEL_CHILD_EVENT_SINT 1u

/* Where a channel's ports, SINTs and rings go.  A child may hold several
 * channels when each has its own layout. */
struct channel_layout {
    uint32_t child_msg_port;   /* targets the child's SINT 0 (offers arrive there) */
    uint32_t child_event_port; /* targets child_event_sint */
    uint32_t child_event_sint;
    uint64_t child_ring_gpa;   /* page aligned, clear of other channels' rings */
    uint32_t root_msg_sint;    /* the root's SINTs for this channel alone, so */
    uint32_t root_event_sint;  /* another channel's loop never takes its messages */
};

extern const struct channel_layout channel_default_layout;

/* channel_offer with a layout other than the default. */
int channel_offer_at(struct channel *ch, const struct child *c, uint32_t service,
                     uint32_t slot, void *pages, const struct channel_layout *l);

/* Bytes of each ring of the channels offered from now on: whole pages,
 * CHANNEL_RING_BYTES unless make bench's ring sweep says otherwise (the
 * root's bench-ring-pages=N, bench.c; only where a channel's rings have
 * room, as the console's alone in test=bench-console). */
extern uint32_t channel_ring_bytes;

/* Lends `pages` (2 * channel_ring_bytes of root memory, page aligned) to
 * the child, creates and connects the four ports, formats the rings and
 * posts the offer.  Call before child_start.  0 or a status. */
int channel_offer(struct channel *ch, const struct child *c, uint32_t service, uint32_t slot,
                  void *pages);

/* Ring pages for a channel of child c: 2 * channel_ring_bytes of root
 * memory from root_pages.h, the child's until it is deleted; NULL if the
 * pool is exhausted (the offer then refuses). */
static inline void *channel_ring_pages(const struct child *c)
{
    return child_ring_pages(c, 2 * channel_ring_bytes / 4096);
}

/* Serves the handshake: OPEN from the child is answered with OPENED. */
void channel_root_handle(struct channel *ch, uint32_t type, const struct channel_msg *m);

/* Reads the messages waiting on the channel's SINT and handles those that
 * came through its port; returns how many were read. */
int channel_root_messages(struct channel *ch);
