/* SPDX-License-Identifier: MIT */
#pragma once
#include <stdint.h>

/* Runs partitions until the root asks for shutdown or nothing can run. */
void sched_run(void);
/* The periodic timer fired: halted VPs wake up. */
void sched_timer_tick(void);
/* TSC ticks the CPU spent halted waiting for a virtual timer's deadline:
 * under QEMU -icount the time it skips, which make bench subtracts from
 * ticks to count instructions (ci/bench-linux.sh). */
uint64_t sched_idle_ticks(void);
