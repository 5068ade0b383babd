/* SPDX-License-Identifier: MIT */
/*
 * The synthetic interrupt controller of one VP, SynIC-style: per SINT one
 * message slot, a bounded queue behind it, and 64 event flags.  A message
 * is posted into the slot if it is empty, else queued; end-of-message
 * frees the slot and moves the queue's head into it.  So a message is
 * delivered exactly once, in order, or refused — never lost or duplicated.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"

#ifdef PARTITA_DEFECT_QUEUE_BOUND
#define SYNIC_QUEUE_SLOTS (HV_MESSAGE_QUEUE_DEPTH + 1) /* room for the defect */
#else
#define SYNIC_QUEUE_SLOTS HV_MESSAGE_QUEUE_DEPTH
#endif

struct synic_message {
    uint64_t seq;    /* order among all successful posts, from 0 */
    uint64_t sender; /* partition id of the poster */
    struct hv_message msg;
};

struct sint {
    uint8_t slot_full;
    uint8_t queue_len;
    struct synic_message slot;
    struct synic_message queue[SYNIC_QUEUE_SLOTS];
    uint64_t event_flags;
};

struct synic {
    struct sint sint[HV_SYNIC_SINT_COUNT];
    /* Interrupt vector per SINT, set through the TLFS SINTx MSRs; 0 while
     * masked.  Not part of the abstract state: it only says how arrival
     * is signalled, never what arrived. */
    uint8_t vector[HV_SYNIC_SINT_COUNT];
    uint64_t pending[4]; /* vectors raised and not yet injected */
};

/* TLFS synthetic MSRs the hypervisor emulates (no hypercall involved). */
#define HV_X64_MSR_SCONTROL 0x40000080u
#define HV_X64_MSR_SINT0 0x40000090u
#define HV_X64_MSR_SINT_MASKED (1ull << 16)

/* A message or event arrived on SINT n: raise its vector, if it has one. */
void synic_raise(struct synic *s, uint32_t n);
/* Whether any vector waits to be injected: the test on every entry, so
 * inline (a call and return were half its cost). */
static inline int synic_any_pending(const struct synic *s)
{
    return (s->pending[0] | s->pending[1] | s->pending[2] | s->pending[3]) != 0;
}
/* The lowest pending vector, now taken; 0 if none. */
uint8_t synic_take_pending(struct synic *s);

/* Message accounting, for the conservation check (posted = acked +
 * discarded + in flight). */
struct synic_counters {
    uint64_t posted, acked, discarded, events_signaled;
};

/* 1 if there was room (slot or queue), 0 if refused. */
int sint_post(struct sint *s, const struct synic_message *m);
/* Consumes the slot's message; 0 if the slot was empty. */
int sint_eom(struct sint *s);
/* Drops everything queued (the receiver is gone); returns how many. */
uint32_t sint_discard(struct sint *s);
