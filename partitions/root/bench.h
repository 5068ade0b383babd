/* SPDX-License-Identifier: MIT */
/*
 * make bench's channel workloads (ci/bench.sh): test=bench-console,
 * test=bench-block and test=bench-children run bench children and print what the whole run cost
 * the machine: VM exits of the root and the child, and TSC ticks (the
 * machine's instructions under QEMU -icount).  BUILD=micro serves the
 * channels in the root, BUILD=mono in the hypervisor; the child images are
 * the same.  test=bench-message and test=bench-event measure one-way IPC
 * the same way: the root posts a message (or signals an event) to the
 * halted child oneway.elf and waits until the child has taken it.
 */
#pragma once
#include "../lib/runtime.h"
#include "child.h"

struct bench_params;
/* The parameter page (partitions/lib/bench_params.h) mapped at the child's
 * BENCH_PARAMS_GPA, with its magic; NULL (and a line) if it cannot be. */
struct bench_params *bench_params_page(const struct child *c);

int bench_console(const struct partition_boot_info *info); /* conbench.elf */
int bench_block(const struct partition_boot_info *info);   /* blkbench.elf */
/* mode: BENCH_ONEWAY_MESSAGE or BENCH_ONEWAY_EVENT (bench_params.h) */
int bench_oneway(const struct partition_boot_info *info, uint32_t mode); /* oneway.elf */
int bench_children(const struct partition_boot_info *info); /* hello.elf, N at once */
