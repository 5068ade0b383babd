/* SPDX-License-Identifier: MIT */
/*
 * make bench's console workload contract (the root's test=bench-console,
 * partitions/root/bench.c, and its child partitions/guests/conbench).
 *
 * A child gets no boot information, so the root maps one page shared with
 * the child at BENCH_PARAMS_GPA before it starts it and writes there what
 * the root's command line asked for (bench-line-bytes=N, ci/bench.sh's
 * console sweep); the child reads it once.  A page without the magic
 * (never in practice) means the defaults.
 */
#pragma once
#include <stdint.h>

#define BENCH_PARAMS_GPA 0x6000ull /* below the stack (child.h) */
#define BENCH_PARAMS_MAGIC 0x534d524148434e42ull /* "BNCHARMS" */

#define BENCH_LINES 256
#define BENCH_LINE_BYTES 64      /* the default, newline included */
#define BENCH_LINE_BYTES_MIN 16  /* "line NNN " + at least one letter + '\n' */
#define BENCH_LINE_BYTES_MAX 4096

struct bench_params {
    uint64_t magic;
    uint32_t lines;      /* lines to write */
    uint32_t line_bytes; /* bytes per line, the '\n' included */
};
