/* SPDX-License-Identifier: MIT */
/*
 * The child of test=faults (partitions/root/faults.c): opens the sequence
 * channel and writes `msgs` numbered records (partitions/lib/seq_proto.h)
 * into its ring, counting what it sent and what the channel accepted on
 * the page the root shares at SEQ_PARAMS_GPA.  The page also says where
 * to fail: a UD2 at a point of the handshake or of the stream (nothing
 * handles it: the hypervisor stops the VP and tells the root), a touch of
 * an unbacked GPA, a write index outside the ring, a corrupted and a
 * replayed record.  The faults the root makes (root-scribble,
 * stop-serving) need nothing from the child.
 */
#include "../../lib/channel.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/seq_proto.h"

static volatile struct seq_params *const p = (volatile struct seq_params *)SEQ_PARAMS_GPA;
static struct channel ch;

static void ud2(void)
{
    __asm__ volatile("ud2" ::: "memory");
}

static void on_step(enum channel_accept_point point)
{
    if ((p->fault == SEQ_FAULT_UD_OFFER && point == CHANNEL_ACCEPT_OFFERED) ||
        (p->fault == SEQ_FAULT_UD_ATTACH && point == CHANNEL_ACCEPT_ATTACHED) ||
        (p->fault == SEQ_FAULT_UD_OPEN && point == CHANNEL_ACCEPT_OPEN_SENT))
        ud2();
}

/* One record into the ring, counted: sent before, accepted after the whole
 * record is in (a fault or a close in between leaves it sent, not accepted). */
static int put(const struct seq_record *r)
{
    p->sent++;
    if (channel_write(&ch, r, sizeof *r))
        return -1;
    __asm__ volatile("" ::: "memory");
    p->accepted++;
    return 0;
}

/* The fault of the stream at record `at`, before it is sent; 1 to stop. */
static int stream_fault(void)
{
    switch (p->fault) {
    case SEQ_FAULT_UD_STREAM:
        ud2();
        return 1;
    case SEQ_FAULT_NPF_STREAM:
        *(volatile uint32_t *)(uintptr_t)SEQ_NPF_GPA = 1; /* the VP stops here */
        return 1;
    case SEQ_FAULT_RING_INDEX:
        /* Bypass ring.c: poke the shared header as a hostile child would. */
        ch.tx.shared->write_index = ch.tx.size + 100;
        channel_signal(&ch);
        return 1;
    default:
        return 0;
    }
}

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information: the root's is the page */
    if (p->magic != SEQ_PARAMS_MAGIC)
        for (;;)
            __asm__ volatile("hlt");
    hv_detect();
    channel_accept_step = on_step;
    const uint32_t msgs = p->msgs, at = p->at, seed = p->seed;
    if (channel_accept_offer(&ch, CHANNEL_SERVICE_SEQ) == 0) {
        struct seq_record r;
        for (uint32_t seq = 0; seq < msgs; seq++) {
            if (seq == at && stream_fault())
                break;
            seq_fill(&r, seed, seq);
            if (p->fault == SEQ_FAULT_RING_DATA && seq == at) {
                /* Damaged on its way into the ring: a flipped body bit and
                 * a garbage number the root must not believe. */
                r.body[2] ^= 1;
                r.seq ^= 0x5a5a0000u;
                p->corrupted++;
            }
            if (put(&r))
                break;
            if (p->fault == SEQ_FAULT_RING_DATA && seq == at + 1 && put(&r))
                break; /* the same good record again: a replay */
            if ((seq & 63) == 63)
                channel_poll(&ch); /* a CLOSE from the root ends the stream */
            if (ch.state != CHANNEL_OPEN)
                break;
        }
        /* A ring made bad here: the root's CLOSE is the answer. */
        for (int halts = 0; ch.state == CHANNEL_OPEN && p->fault == SEQ_FAULT_RING_INDEX &&
                            halts < 5000;
             halts++) {
            __asm__ volatile("hlt");
            channel_take_events(&ch);
            channel_poll(&ch);
        }
        channel_close(&ch, CHANNEL_CLOSE_NORMAL);
    }
    __asm__ volatile("" ::: "memory");
    p->done = 1;
    for (;;)
        __asm__ volatile("hlt");
}
