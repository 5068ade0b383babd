/* SPDX-License-Identifier: MIT */
/*
 * Channels: VMBus-like pipes between the root and one child
 * (docs/architecture/channels.md).
 *
 * A channel is two rings (ring.h) in pages the root lends the child with
 * MapGpaPages(HV_MAP_GPA_PARTITA_SHARED): the first carries child -> root,
 * the second root -> child.  Each side tells the other "look at the
 * rings" with SignalEvent on an event connection; the offer/open/close
 * handshake travels as SynIC messages.  The root creates every port and
 * connection (only it may); partitions/root/channel_offer.c does that.
 *
 * This file is what every end of a channel shares, wherever it runs: the
 * handshake messages, a side's state, and the data path (channel.c) —
 * reading, writing what fits, failing on a bad ring, closing — which
 * reaches the peer only through the environment (env.h).  The partitions'
 * handshake and waiting write are partitions/lib/channel.h.
 */
#pragma once
#include <stdint.h>

#include "env.h"
#include "ring.h"

/* Message types (PostMessage message_type) of the handshake. */
#define CHANNEL_MSG_OFFER 1u  /* root -> child: a service is available */
#define CHANNEL_MSG_OPEN 2u   /* child -> root: the child attached the rings */
#define CHANNEL_MSG_OPENED 3u /* root -> child: the root accepts; data may flow */
#define CHANNEL_MSG_CLOSE 4u  /* either way: the channel is over */

#define CHANNEL_MAGIC 0x4e4e4843u /* "CHNN" */

/* Convention (a child starts with no boot information): a child's offers
 * arrive on SINT 0 of its VP 0; everything else is in the offer. */
#define CHANNEL_CHILD_MSG_SINT 0u

#define CHANNEL_SERVICE_CONSOLE 1u

enum channel_close_reason {
    CHANNEL_CLOSE_NORMAL = 0,
    CHANNEL_CLOSE_MALFORMED_RING = 1, /* the closer found the other's ring bad */
    CHANNEL_CLOSE_BAD_OFFER = 2,      /* the child refused the offer */
    CHANNEL_CLOSE_PEER_SILENT = 3,    /* the root gave up waiting */
};

/* Payload of every handshake message (48 bytes of the 240). */
struct channel_msg {
    uint32_t magic;          /* CHANNEL_MAGIC */
    uint32_t channel_id;     /* the root's number for the channel */
    uint32_t reason;         /* CLOSE: enum channel_close_reason */
    uint32_t service;        /* OFFER: CHANNEL_SERVICE_* */
    uint64_t ring_gpa;       /* OFFER: child GPA of the ring pages (page aligned) */
    uint32_t ring_bytes;     /* OFFER: bytes of each ring, header included, whole pages */
    uint32_t msg_connection; /* OFFER: the child's connection for OPEN/CLOSE */
    uint32_t event_connection; /* OFFER: the child's connection to signal the root */
    uint16_t event_flag;       /* OFFER: the flag number it signals */
    uint16_t reserved;
    uint32_t event_sint; /* OFFER: the child's SINT the root signals */
    uint32_t reserved2;
};
_Static_assert(sizeof(struct channel_msg) == 48, "channel message");

enum channel_state { CHANNEL_CLOSED = 0, CHANNEL_OFFERED, CHANNEL_OPEN };

struct channel {
    uint32_t id, service;
    enum channel_state state;
    struct ring tx, rx;        /* this side writes tx, reads rx */
    uint32_t msg_sint;         /* this side's SINT where the peer's messages arrive */
    uint32_t msg_port;         /* the port they arrive through (0: any) */
    uint32_t event_sint;       /* this side's SINT where the peer's signals arrive */
    uint32_t event_port;       /* the port they arrive through (root side) */
    uint64_t peer;             /* the partition at the other end (root side) */
    uint32_t msg_connection;   /* this side's connection to post to the peer */
    uint32_t event_connection; /* this side's connection to signal the peer */
    uint16_t event_flag;       /* the flag this side signals */
    int closed_by_peer;
    enum channel_close_reason reason;
    char report[128]; /* why it closed, if not normally */
    uint64_t waits;   /* times this writer waited for space */
    uint64_t wakeups; /* times this reader signalled a waiting writer */
};

/* A handshake message about ch alone (OPEN, OPENED, CLOSE): no offer fields. */
static inline struct channel_msg channel_control_msg(const struct channel *ch,
                                                     uint32_t reason)
{
    struct channel_msg m = {
        .magic = CHANNEL_MAGIC, .channel_id = ch->id, .reason = reason};
    return m;
}

/* Tells the peer to look at the rings (the environment's doorbell). */
static inline void channel_signal(struct channel *ch)
{
    env_channel_signal(ch);
}

/* Reads what is there (up to n bytes), never waits; wakes a writer that
 * waits for space.  -1 if the ring went bad (the channel is then closed). */
int channel_read(struct channel *ch, void *buf, uint32_t n);

/* Writes what fits in the ring now and signals the peer if anything was
 * written; never waits.  The bytes written, or -1 if the channel is not
 * open or its ring went bad (the channel is then closed).  A service
 * writes a reply only when all of it fits (it never waits on a child). */
int channel_write_now(struct channel *ch, const void *buf, uint32_t n);

/* A bad ring ends the channel: the report says which ring and how, the
 * channel is closed (channel_close, reason MALFORMED_RING), and no byte of
 * it is used again.  Returns -1. */
int channel_ring_failed(struct channel *ch, const struct ring *r, const char *which);

/* Ends the channel from this side (once; later calls change nothing) and
 * tells the peer as the environment does (env_channel_closed). */
void channel_close(struct channel *ch, enum channel_close_reason reason);
