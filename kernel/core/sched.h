/* SPDX-License-Identifier: MIT */
#pragma once
/* Runs partitions until the root asks for shutdown or nothing can run. */
void sched_run(void);
/* The periodic timer fired: halted VPs wake up. */
void sched_timer_tick(void);
