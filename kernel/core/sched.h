/* SPDX-License-Identifier: MIT */
#pragma once
#include <stdint.h>

/* Runs partitions until the root asks for shutdown or nothing can run. */
void sched_run(void);
/* The periodic timer fired: halted VPs wake up. */
void sched_timer_tick(void);
/* TSC ticks the CPU spent halted, for a virtual timer's deadline or,
 * every VP halted, for the next interrupt: under QEMU -icount the time
 * it skips, which make bench subtracts from ticks to count instructions
 * (ci/bench-linux.sh, ci/bench-idle.sh). */
uint64_t sched_idle_ticks(void);
