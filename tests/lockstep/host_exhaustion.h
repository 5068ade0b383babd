/* SPDX-License-Identifier: MIT */
/*
 * host_exhaustion.h — the hypervisor's pool made to run out at chosen
 * points on the fake machine (host-lockstep --pool-exhaustion): the trace
 * against the model, and who maps what afterwards.
 */
#ifndef PARTITA_LOCKSTEP_HOST_EXHAUSTION_H
#define PARTITA_LOCKSTEP_HOST_EXHAUSTION_H

#include <stdio.h>

#include "steps_file.h"

/* Boots, plays `setup` (a child, INITIALIZED, VP 1 created and not
 * started), then MapGpaPages and StartVp with the pool running out.
 * Reports to out; 0 if everything agrees. */
int host_exhaustion_check(const struct steps_list *setup, FILE *out);

#endif
