/* SPDX-License-Identifier: MIT */
/*
 * make bench's workload contract: between the root's test=bench-console
 * and test=bench-block (partitions/root/bench.c) and their children
 * partitions/guests/conbench and blkbench.
 *
 * A child gets no boot information, so the root maps one page shared with
 * the child at BENCH_PARAMS_GPA before it starts it and writes there what
 * the root's command line asked for (bench-line-bytes=N, bench-request-
 * sectors=N: ci/bench.sh's sweeps); the child reads it once.  A page
 * without the magic (never in practice) means the defaults.
 */
#pragma once
#include <stdint.h>

#define BENCH_PARAMS_GPA 0x6000ull /* below the stack (child.h) */
#define BENCH_PARAMS_MAGIC 0x534d524148434e42ull /* "BNCHARMS" */

#define BENCH_LINES 256
#define BENCH_LINE_BYTES 64      /* the default, newline included */
#define BENCH_LINE_BYTES_MIN 16  /* "line NNN " + at least one letter + '\n' */
#define BENCH_LINE_BYTES_MAX 4096

/* The block sweep makes BENCH_SWEEP_REQUESTS read requests of
 * request_sectors each (1 to BLOCK_MAX_SECTORS), sector after sector: the
 * run's fixed costs are the same at every size.  request_sectors 0 is the
 * default workload (64 reads of 4 KiB, each two requests of 4 sectors). */
#define BENCH_SWEEP_REQUESTS 64

/* test=bench-message and test=bench-event (partitions/guests/oneway): the
 * root is the sender, the child the receiver; the page also carries what
 * the child has taken back to the root (it is shared, and written by the
 * child: the root reads it, trusting it only to end its wait). */
#define BENCH_ONEWAY_MESSAGE 1u /* PostMessage to port 1, SINT 0 */
#define BENCH_ONEWAY_EVENT 2u   /* SignalEvent, flag 0, to port 2, SINT 0 */
#define BENCH_ONEWAY_COUNT 1000
#define BENCH_PAYLOAD_BYTES 16  /* the message row's payload; the sweep's up to 240 */

struct bench_params {
    uint64_t magic;
    uint32_t lines;           /* console: lines to write */
    uint32_t line_bytes;      /* console: bytes per line, the '\n' included */
    uint32_t request_sectors; /* block: sectors per request, 0: the default */
    uint32_t oneway;          /* oneway: BENCH_ONEWAY_*, 0: none */
    /* Written by oneway: */
    volatile uint32_t ready;    /* 1 once it waits for the first one */
    volatile uint32_t received; /* messages read (and ended) or events taken */
    volatile uint64_t bytes;    /* payload bytes of the messages read */
    /* test=ioloop (partitions/guests/ioloop): OUTs to COM2's scratch
     * register the child is to do; the child writes back, in this order,
     * the TSC ticks its loop took and then how many it did (never 0 once
     * done: the root waits for it). */
    uint32_t ioloop_accesses;
    volatile uint32_t ioloop_done;
    volatile uint64_t ioloop_ticks;
};
