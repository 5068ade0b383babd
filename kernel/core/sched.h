#pragma once
/* Runs partitions until the root asks for shutdown or nothing can run. */
void sched_run(void);
