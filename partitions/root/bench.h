/* SPDX-License-Identifier: MIT */
/*
 * make bench's channel workloads (ci/bench.sh): test=bench-console,
 * test=bench-block and test=bench-children run bench children and print what the whole run cost
 * the machine: VM exits of the root and the child, and TSC ticks (the
 * machine's instructions under QEMU -icount).  BUILD=micro serves the
 * channels in the root, BUILD=mono in the hypervisor; the child images are
 * the same.
 */
#pragma once
#include "../lib/runtime.h"

int bench_console(const struct partition_boot_info *info); /* conbench.elf */
int bench_block(const struct partition_boot_info *info);   /* blkbench.elf */
int bench_children(const struct partition_boot_info *info); /* hello.elf, N at once */
