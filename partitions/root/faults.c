/* SPDX-License-Identifier: MIT */
/*
 * Fault injection with exactly-once accounting (test=faults).
 *
 * One seqchild (two for stop-serving) streams `msgs` records numbered
 * 0, 1, ... through its channel (partitions/lib/seq_proto.h).  The fault
 * F strikes at point N: in the child's handshake or stream, in its ring,
 * or in the root's own serving.  Whatever happens, once every child can
 * no longer run, the root accounts for each record the channel accepted
 * (the child's count, final by then):
 *
 *   delivered  good records, each number once, in increasing order
 *   discarded  counted, never delivered: records that fail their check,
 *              replays of a number already delivered, and the records a
 *              failed or abandoned ring still held (found by looking at
 *              the ring's data, not by subtraction)
 *
 * and asserts accepted == delivered + discarded, no number delivered
 * twice (a bitmap, apart from the in-order check that rejects replays),
 * and no number lost: every number below the highest delivered was
 * delivered or stands for a record discarded as corrupt.
 */
#include "faults.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/seq_proto.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "child.h"
#include "ports.h"
#include "root.h"
#include "root_pages.h"
#include "text.h"

#define SEQ_MAX_MSGS (1u << 20) /* a bitmap of 128 KiB per child */
#define IDLE_HALTS 5000         /* ticks without any progress: something hangs */
#define TURN_RECORDS 128        /* the most records of one child per turn */
#define REC ((uint32_t)sizeof(struct seq_record))
#define RING_RECORDS (4032u / 32u) /* a ring's data holds at most this many */

static const char *const fault_names[SEQ_FAULT_COUNT] = {
    "none",       "ud-offer",   "ud-attach",     "ud-open",      "ud-stream",
    "npf-stream", "ring-index", "ring-data",     "root-scribble", "stop-serving",
};

struct seq_end {
    struct child c;
    struct channel ch;
    volatile struct seq_params *p; /* the page shared at SEQ_PARAMS_GPA */
    uint8_t *seen;        /* bitmap of delivered numbers */
    int serving;          /* the root still reads its ring */
    int faulted;          /* the hypervisor stopped its VP (news) */
    int ring_failed;      /* its ring went bad: the channel was closed */
    int finished;         /* nothing more will arrive */
    int scribbled;
    uint8_t part[32];     /* a record read in pieces */
    uint32_t have;
    uint32_t next;        /* the number the root delivers next */
    uint64_t delivered, twice, corrupt, replayed, unread;
};

static uint8_t seen_bits[2][SEQ_MAX_MSGS / 8];
static struct seq_end ends[2];

static void take_record(struct seq_end *e, const struct seq_record *r, uint32_t seed)
{
    if (!seq_good(r, seed) || r->seq >= SEQ_MAX_MSGS) {
        e->corrupt++;
        return;
    }
    if (r->seq < e->next) { /* already delivered (or skipped): never again */
        e->replayed++;
        return;
    }
    uint8_t bit = (uint8_t)(1u << (r->seq & 7));
    if (e->seen[r->seq >> 3] & bit)
        e->twice++;
    e->seen[r->seq >> 3] |= bit;
    e->delivered++;
    e->next = r->seq + 1;
}

/* Reads up to `budget` records (UINT32_MAX: all there are); 1 if anything moved. */
static int read_records(struct seq_end *e, uint32_t budget, uint32_t seed)
{
    int moved = 0;
    while (budget) {
        int n = channel_read(&e->ch, e->part + e->have, REC - e->have);
        if (n < 0) {
            e->ring_failed = 1;
            printf("root: faults: channel of child %llu closed: %s\n",
                   (unsigned long long)e->c.id, e->ch.report);
            return 1;
        }
        if (!n)
            break;
        moved = 1;
        e->have += (uint32_t)n;
        if (e->have == REC) {
            struct seq_record r;
            memcpy(&r, e->part, sizeof r);
            e->have = 0;
            take_record(e, &r, seed);
            budget--;
        }
    }
    return moved;
}

/* The records a ring the root no longer reads still holds, counted from
 * its data: from the root's own read position, whole good records
 * numbered on from the last delivered one (older laps carry older
 * numbers and end the count).  The writer's index only bounds the scan,
 * and only when it lies inside the ring: in ring-index it is the lie. */
static uint64_t count_unread(struct seq_end *e, uint32_t seed)
{
    const struct ring *r = &e->ch.rx;
    uint32_t pos = r->mine, expect = e->next, n = 0, most = RING_RECORDS;
    /* A writer's index inside the ring bounds the scan: a record the
     * writer left half written must not pass for a whole one because the
     * older bytes after its end happen to fit. */
    uint32_t w = r->shared->write_index;
    if (w < r->size)
        most = (e->have + (w + r->size - r->mine) % r->size) / REC;
    uint8_t buf[32];
    uint32_t got = e->have;
    memcpy(buf, e->part, got);
    for (n = 0; n < most; n++) {
        for (; got < REC; got++, pos = (pos + 1) % r->size)
            buf[got] = r->shared->data[pos];
        struct seq_record rec;
        memcpy(&rec, buf, sizeof rec);
        got = 0;
        if (!seq_good(&rec, seed) || rec.seq != expect)
            break;
        expect++;
    }
    return n;
}

/* Messages on the root's channel SINT: each goes to the channel whose
 * port it came through. */
static int route_messages(unsigned count)
{
    uint32_t type, port;
    struct channel_msg m;
    int n = 0;
    while (channel_next_message(CHANNEL_ROOT_MSG_SINT, &type, &m, &port)) {
        n++;
        for (unsigned i = 0; i < count; i++)
            if (port == ends[i].ch.msg_port)
                channel_root_handle(&ends[i].ch, type, &m);
    }
    return n;
}

static int take_news(unsigned count)
{
    uint64_t flags = child_news();
    int news = 0;
    for (unsigned i = 0; i < count; i++) {
        struct seq_end *e = &ends[i];
        if (e->faulted || !(flags & (1ull << (e->c.id % HV_EVENT_FLAGS_PER_SINT))))
            continue;
        struct hv_output_exit_stats s;
        root_exit_stats(e->c.id, &s);
        e->faulted = 1;
        news = 1;
        printf("root: faults: child %llu faulted: the hypervisor stopped it (exception exits "
               "%llu, triple faults %llu, second-level faults %llu); channel %s\n",
               (unsigned long long)e->c.id, (unsigned long long)s.count[HV_EXIT_EXCEPTION],
               (unsigned long long)s.count[HV_EXIT_TRIPLE_FAULT],
               (unsigned long long)s.count[HV_EXIT_NPF],
               e->ch.state == CHANNEL_OPEN ? "open" : e->ch.state == CHANNEL_OFFERED ? "offered"
                                                                                     : "closed");
    }
    return news;
}

static int build(struct seq_end *e, const struct partition_module *m, uint32_t slot,
                 uint32_t fault, uint32_t at, uint32_t msgs, uint32_t seed)
{
    memset(e, 0, sizeof *e);
    e->seen = seen_bits[slot - 1];
    memset(e->seen, 0, sizeof seen_bits[0]);
    e->serving = 1;
    int st = child_create_elf(&e->c, slot == 1 ? "seqchild" : "seqpeer",
                              (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = channel_offer(&e->ch, &e->c, CHANNEL_SERVICE_SEQ, slot, channel_ring_pages(&e->c));
    if (!st) {
        e->p = child_ring_pages(&e->c, 1);
        st = e->p ? child_map_page(e->c.id, SEQ_PARAMS_GPA >> 12,
                                   (uint64_t)(uintptr_t)e->p >> 12,
                                   HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                                       HV_MAP_GPA_PARTITA_SHARED)
                  : HV_STATUS_INSUFFICIENT_MEMORY;
    }
    if (!st) {
        e->p->magic = SEQ_PARAMS_MAGIC;
        e->p->fault = fault;
        e->p->at = at;
        e->p->msgs = msgs;
        e->p->seed = seed;
        st = child_start(&e->c);
    }
    if (st)
        printf("root: FAIL: cannot start a seqchild: %s\n", hv_status_name((hv_status_t)st));
    return st;
}

/* One look at child e; 1 if anything moved. */
static int serve(struct seq_end *e, uint32_t fault, uint32_t at, uint32_t seed, int victim)
{
    if (e->finished)
        return 0;
    int moved = 0;
    /* The root's faults strike once `at` records are delivered. */
    if (victim && fault >= SEQ_FAULT_ROOT_SCRIBBLE && e->delivered >= at && !e->ring_failed) {
        if (fault == SEQ_FAULT_ROOT_SCRIBBLE && !e->scribbled) {
            /* A bug in the root's service: it overwrites its own index in
             * the shared header; its next read must catch it. */
            e->ch.rx.shared->read_index = (e->ch.rx.mine + 7) % e->ch.rx.size;
            e->scribbled = 1;
            printf("root: faults: the root scribbles on its own read index after %llu "
                   "records\n", (unsigned long long)e->delivered);
        } else if (fault == SEQ_FAULT_STOP_SERVING && e->serving) {
            e->serving = 0;
            printf("root: faults: the root stops serving child %llu after %llu records\n",
                   (unsigned long long)e->c.id, (unsigned long long)e->delivered);
        }
    }
    if (e->serving && (e->ch.state == CHANNEL_OPEN || e->ch.closed_by_peer) && !e->ring_failed) {
        uint32_t budget = TURN_RECORDS;
        if (victim && fault >= SEQ_FAULT_ROOT_SCRIBBLE && e->delivered < at &&
            at - e->delivered < budget)
            budget = (uint32_t)(at - e->delivered);
        moved = read_records(e, budget, seed);
    }
    /* Nothing more can come: it faulted, or it finished (its counts are
     * final) and the channel is closed and read to the end. */
    if (e->faulted || (e->p->done && (e->ring_failed || (e->ch.state == CHANNEL_CLOSED && !moved))))
        e->finished = 1;
    return moved;
}

/* Stops the child for good, then finishes its books.  0 if they balance
 * and the fault shows what it should. */
static int account(struct seq_end *e, uint32_t fault, uint32_t at, uint32_t msgs, uint32_t seed,
                   int victim)
{
    int st = hv_call_fast(HVCALL_FINALIZE_PARTITION, e->c.id, 0);
    /* Its VP can no longer run: the counts on the page are final, and the
     * ring holds all it ever will. */
    const uint64_t sent = e->p->sent, accepted = e->p->accepted;
    if (!e->ring_failed && e->serving && e->ch.state != CHANNEL_OFFERED)
        read_records(e, UINT32_MAX, seed);
    if (e->ring_failed || !e->serving)
        e->unread = count_unread(e, seed);
    uint64_t discarded = e->corrupt + e->replayed + e->unread;
    /* Numbers below the last delivered one that never arrived, less those
     * a corrupt record stood for. */
    uint64_t missing = 0;
    for (uint32_t s = 0; s < e->next; s++)
        missing += !(e->seen[s >> 3] & (1u << (s & 7)));
    uint64_t lost = missing > e->corrupt ? missing - e->corrupt : 0;
    /* Accepted but neither delivered nor discarded: lost as well. */
    if (accepted > e->delivered + discarded)
        lost += accepted - e->delivered - discarded;
    printf("root: faults: child %llu (%s): sent %llu, accepted %llu, delivered %llu, discarded "
           "%llu (corrupt %llu, replayed %llu, unread in the ring %llu), duplicates %llu, lost "
           "%llu\n",
           (unsigned long long)e->c.id, e->c.name, (unsigned long long)sent,
           (unsigned long long)accepted, (unsigned long long)e->delivered,
           (unsigned long long)discarded, (unsigned long long)e->corrupt,
           (unsigned long long)e->replayed, (unsigned long long)e->unread,
           (unsigned long long)e->twice, (unsigned long long)lost);
    int ok = accepted == e->delivered + discarded && e->twice == 0 && lost == 0 &&
             missing == e->corrupt && e->unread <= RING_RECORDS && sent >= accepted;
    printf("root: faults: accepted == delivered + discarded: %llu == %llu + %llu, no number "
           "delivered twice, none lost: %s\n",
           (unsigned long long)accepted, (unsigned long long)e->delivered,
           (unsigned long long)discarded, ok ? "ok" : "FAIL");
    /* What this fault must show. */
    const char *want = "";
    int shows = 1;
    uint32_t f = victim ? fault : SEQ_FAULT_NONE;
    uint32_t last = at < msgs ? at : msgs; /* records before the fault point */
    switch (f) {
    case SEQ_FAULT_NONE:
        want = "every record delivered, the child finished";
        shows = e->delivered == msgs && discarded == 0 && e->p->done && !e->faulted;
        break;
    case SEQ_FAULT_UD_OFFER:
    case SEQ_FAULT_UD_ATTACH:
        want = "the child faulted before OPEN, the channel never opened";
        shows = e->faulted && e->ch.state == CHANNEL_OFFERED && accepted == 0;
        break;
    case SEQ_FAULT_UD_OPEN:
        want = "the child faulted after OPEN, before its first record";
        shows = e->faulted && e->ch.state == CHANNEL_OPEN && sent == 0;
        break;
    case SEQ_FAULT_UD_STREAM:
    case SEQ_FAULT_NPF_STREAM:
        want = "the child faulted mid-stream, every record it wrote delivered";
        shows = (at >= msgs ? e->p->done != 0 : e->faulted != 0) && accepted == last &&
                e->delivered == last && discarded == 0;
        break;
    case SEQ_FAULT_RING_INDEX:
        want = "the bad write index caught, the channel closed";
        shows = at >= msgs ? e->delivered == msgs
                           : e->ring_failed && e->ch.rx.error == RING_BAD_WRITE_INDEX &&
                                 accepted == last && e->corrupt == 0;
        break;
    case SEQ_FAULT_RING_DATA:
        want = "the corrupt record and the replay discarded, the rest delivered";
        shows = e->corrupt == e->p->corrupted && e->corrupt == (at < msgs ? 1u : 0u) &&
                e->replayed == (at + 1 < msgs ? 1u : 0u) &&
                e->delivered == msgs - (at < msgs ? 1u : 0u);
        break;
    case SEQ_FAULT_ROOT_SCRIBBLE:
        want = "the root's own scribble caught, the channel closed";
        shows = at >= msgs ? e->delivered == msgs
                           : e->ring_failed && e->ch.rx.error == RING_READ_INDEX_MOVED &&
                                 e->delivered == at;
        break;
    case SEQ_FAULT_STOP_SERVING:
        want = "no longer served: its writer waits on a full ring, the rest counted";
        shows = at >= msgs ? e->delivered == msgs : !e->serving && e->delivered == at;
        break;
    }
    printf("root: faults: child %llu: %s: %s\n", (unsigned long long)e->c.id, want,
           shows ? "ok" : "FAIL");
    if (!st)
        st = hv_call_fast(HVCALL_DELETE_PARTITION, e->c.id, 0);
    if (!st)
        root_pages_release(e->c.id);
    printf("root: child %llu finalized and deleted: %s\n", (unsigned long long)e->c.id,
           hv_status_name((hv_status_t)st));
    return ok && shows && !st ? 0 : 1;
}

int faults_test(const struct partition_boot_info *info)
{
    char name[24] = "none";
    arg_value(info, "fault", name, sizeof name);
    uint32_t fault = SEQ_FAULT_COUNT;
    for (uint32_t i = 0; i < SEQ_FAULT_COUNT; i++)
        if (strcmp(name, fault_names[i]) == 0)
            fault = i;
    const uint32_t msgs = (uint32_t)arg_number(info, "msgs", 1000),
                   seed = (uint32_t)arg_number(info, "seed", 1);
    /* Without at=, the seed picks the point (make soak-faults). */
    const uint32_t at = (uint32_t)arg_number(info, "at", msgs ? seq_body(seed, fault, 7) % msgs : 0);
    const struct partition_module *m = root_find_module(info, "seqchild.elf");
    if (fault == SEQ_FAULT_COUNT || msgs > SEQ_MAX_MSGS || !m) {
        printf("root: FAIL: test=faults wants fault=none|ud-offer|ud-attach|ud-open|ud-stream|"
               "npf-stream|ring-index|ring-data|root-scribble|stop-serving, msgs up to %u and "
               "the module seqchild.elf\n", SEQ_MAX_MSGS);
        return 1;
    }
    /* stop-serving: a second child, served throughout, must not notice. */
    const unsigned count = fault == SEQ_FAULT_STOP_SERVING ? 2 : 1;
    printf("root: faults: fault=%s at=%u msgs=%u seed=%u, %u child%s\n", fault_names[fault], at,
           msgs, seed, count, count > 1 ? "ren" : "");
    child_memory_init(info);
    const uint32_t child_fault = fault >= SEQ_FAULT_ROOT_SCRIBBLE ? SEQ_FAULT_NONE : fault;
    for (unsigned i = 0; i < count; i++)
        if (build(&ends[i], m, i + 1, i == 0 ? child_fault : SEQ_FAULT_NONE, at, msgs, seed))
            return 1;
    unsigned idle = 0;
    for (;;) {
        /* Clear the flags first, then look: a later signal wakes the halt. */
        channel_take_events(&ends[0].ch);
        int moved = route_messages(count);
        moved |= take_news(count);
        int running = 0;
        for (unsigned i = 0; i < count; i++) {
            moved |= serve(&ends[i], fault, at, seed, i == 0);
            /* An abandoned child never finishes: the others decide. */
            running += !ends[i].finished && ends[i].serving;
        }
        if (!running)
            break;
        if (moved) {
            idle = 0;
            continue;
        }
        if (++idle > IDLE_HALTS) {
            printf("root: faults: FAIL: no progress for %u halts\n", IDLE_HALTS);
            break;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
    route_messages(count); /* an OPEN posted just before a fault */
    int bad = 0;
    for (unsigned i = 0; i < count; i++)
        bad |= account(&ends[i], fault, at, msgs, seed, i == 0);
    bad |= idle > IDLE_HALTS;
    /* Still here, still able to make hypercalls: the faults hurt nobody else. */
    bad |= hv_call_fast(HVCALL_PARTITA_NULL, 0, 0) != HV_STATUS_SUCCESS;
    printf("root: faults: fault=%s: every accepted record delivered exactly once or discarded "
           "and counted, the root still running: %s\n", fault_names[fault], bad ? "FAIL" : "ok");
    return bad;
}
