/* SPDX-License-Identifier: MIT */
/*
 * The sequence service's contract (docs/architecture/channels.md, "Faults
 * and exactly-once accounting"): between the root's test=faults
 * (partitions/root/faults.c) and its child partitions/guests/seqchild.
 *
 * The child writes fixed-size records, numbered 0, 1, 2, ..., into its
 * channel ring; the root delivers each good record once, in order, and
 * discards (and counts) what it cannot trust.  A child gets no boot
 * information, so, as for make bench, the root maps one page shared with
 * the child at SEQ_PARAMS_GPA before it starts it: the root writes there
 * what to do (which fault, where, how many records), the child writes back
 * what it sent and what the channel accepted.  The root reads the child's
 * counts only once the child can no longer run (it finished, faulted, or
 * the root finalized it), so they are final when read.
 */
#pragma once
#include <stdint.h>

#define CHANNEL_SERVICE_SEQ 3u           /* after console 1 and block 2 */
#define SEQ_PARAMS_GPA 0x6000ull         /* below the stack (child.h) */
#define SEQ_PARAMS_MAGIC 0x534d524151455351ull /* "QSEQARMS" */
#define SEQ_RECORD_MAGIC 0x52514553u     /* "SEQR" */
#define SEQ_NPF_GPA 0x10000000ull        /* inside the child's page tables, never backed */

/* Where the child (or, for root-scribble and stop-serving, the root) fails. */
enum seq_fault {
    SEQ_FAULT_NONE = 0,
    SEQ_FAULT_UD_OFFER,      /* child: UD2 once the OFFER has arrived */
    SEQ_FAULT_UD_ATTACH,     /* child: UD2 after attaching the rings, before OPEN */
    SEQ_FAULT_UD_OPEN,       /* child: UD2 after posting OPEN, before OPENED */
    SEQ_FAULT_UD_STREAM,     /* child: UD2 after `at` records were accepted */
    SEQ_FAULT_NPF_STREAM,    /* child: touches SEQ_NPF_GPA after `at` records */
    SEQ_FAULT_RING_INDEX,    /* child: a write index outside the ring after `at` records */
    SEQ_FAULT_RING_DATA,     /* child: record `at` goes into the ring corrupted */
    SEQ_FAULT_ROOT_SCRIBBLE, /* root: scribbles its own read index after `at` delivered */
    SEQ_FAULT_STOP_SERVING,  /* root: stops reading one child after `at` delivered */
    SEQ_FAULT_COUNT
};

struct seq_params {
    uint64_t magic;
    /* root -> child */
    uint32_t fault, at, msgs, seed;
    /* child -> root; final once the child cannot run any more */
    uint32_t sent;      /* records handed to channel_write */
    uint32_t accepted;  /* records channel_write put wholly into the ring */
    uint32_t corrupted; /* records it put into the ring corrupted on purpose */
    uint32_t done;      /* 1: finished (or the channel ended); the counts are final */
};

/* One record: 32 bytes, so a record never shares a ring byte with another
 * and a corrupted one leaves the framing of the rest intact. */
struct seq_record {
    uint32_t magic; /* SEQ_RECORD_MAGIC */
    uint32_t seq;
    uint32_t body[5]; /* seq_body(seed, seq, i) */
    uint32_t check;   /* seq_check over the 28 bytes before it */
};
_Static_assert(sizeof(struct seq_record) == 32, "seq record");

static inline uint32_t seq_body(uint32_t seed, uint32_t seq, uint32_t i)
{
    uint32_t x = seed * 0x9e3779b9u ^ seq * 0x85ebca6bu ^ i * 0xc2b2ae35u;
    x ^= x >> 16;
    x *= 0x7feb352du;
    return x ^ (x >> 15);
}

static inline uint32_t seq_check(const struct seq_record *r)
{
    const uint32_t *w = (const uint32_t *)r;
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < 7; i++)
        h = (h ^ w[i]) * 0x01000193u;
    return h;
}

static inline void seq_fill(struct seq_record *r, uint32_t seed, uint32_t seq)
{
    r->magic = SEQ_RECORD_MAGIC;
    r->seq = seq;
    for (uint32_t i = 0; i < 5; i++)
        r->body[i] = seq_body(seed, seq, i);
    r->check = seq_check(r);
}

/* A good record: magic, check and body all as seq_fill makes them. */
static inline int seq_good(const struct seq_record *r, uint32_t seed)
{
    if (r->magic != SEQ_RECORD_MAGIC || r->check != seq_check(r))
        return 0;
    for (uint32_t i = 0; i < 5; i++)
        if (r->body[i] != seq_body(seed, r->seq, i))
            return 0;
    return 1;
}
