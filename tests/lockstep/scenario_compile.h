/* SPDX-License-Identifier: MIT */
/*
 * scenario_compile.h — a scenario file (docs/architecture/scenarios.md)
 * into compiled steps (kernel/abi/scenario_steps.h), for partitions to
 * play on the hypervisor and the lockstep checker to follow.
 */
#ifndef PARTITA_LOCKSTEP_SCENARIO_COMPILE_H
#define PARTITA_LOCKSTEP_SCENARIO_COMPILE_H

#include <stdio.h>

#include "steps_file.h"

/*
 * Runs the scenario against the model (its own configuration: its
 * expectations must hold, else the scenario is refused with the runner's
 * "FILE:LINE: message") and compiles every step line.  A shadow model
 * with the hypervisor's own limits follows the compiled steps, since that
 * is what the hypervisor will do: it decides which input blocks a
 * partition can write, and refuses steps the hypervisor could not issue.
 * Appends "root PartitaShutdown code=0" unless the run ends shut down.
 * Returns 0, or 1 with messages on err.
 */
int scenario_compile_file(const char *path, struct steps_list *out,
                          FILE *trace, FILE *err);

#endif
