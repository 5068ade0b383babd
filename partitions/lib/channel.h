/* SPDX-License-Identifier: MIT */
/*
 * A partition's end of a channel (docs/architecture/channels.md): the
 * handshake through SynIC messages and the write that waits for room, both
 * with hypercalls.  The messages, a side's state and the data path every
 * end shares (the root's services, in the hypervisor too in BUILD=mono)
 * are services/channel.h.
 */
#pragma once
#include <stdint.h>

#include "../../services/channel.h"

/* Reads the next message on `sint` (and acknowledges it); 1 if one was
 * there, 0 if the slot is empty.  *port gets the port it came through. */
int channel_next_message(uint32_t sint, uint32_t *type, struct channel_msg *m, uint32_t *port);

/* Posts a handshake message, retrying while the peer's queue is full. */
int channel_post(struct channel *ch, uint32_t type, const struct channel_msg *m);

/* Clears this side's event flags (before looking at the rings). */
void channel_take_events(struct channel *ch);

/* Handles a message of this channel (CLOSE: the peer ended it). */
void channel_handle(struct channel *ch, uint32_t type, const struct channel_msg *m);

/* Reads this channel's pending messages; returns how many. */
int channel_poll(struct channel *ch);

/* Writes all n bytes, waiting (halting) while the ring is full: nothing
 * is dropped.  0, or -1 if the channel closed or its ring went bad. */
int channel_write(struct channel *ch, const void *buf, uint32_t n);

/* The child's side of the handshake: waits for an offer of `service`,
 * attaches the rings, opens and waits for the root's OPENED.  0 or -1. */
int channel_accept_offer(struct channel *ch, uint32_t service);

/* The points of that handshake, for a child that is made to fail at one
 * (test=faults, partitions/guests/seqchild): if channel_accept_step is
 * set, channel_accept_offer calls it at each point it reaches. */
enum channel_accept_point {
    CHANNEL_ACCEPT_OFFERED,  /* the OFFER of the service arrived */
    CHANNEL_ACCEPT_ATTACHED, /* the rings are attached, OPEN not yet posted */
    CHANNEL_ACCEPT_OPEN_SENT /* OPEN posted, OPENED not yet seen */
};
extern void (*channel_accept_step)(enum channel_accept_point point);
