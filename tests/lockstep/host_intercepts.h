/* SPDX-License-Identifier: MIT */
/*
 * host_intercepts.h — a child's intercepted port accesses, answered by the
 * root, on the fake machine: the trace checked against the model and what
 * both partitions observe checked against expectations of its own
 * (host-lockstep --intercepts; docs/architecture/trace-format.md).
 */
#ifndef PARTITA_LOCKSTEP_HOST_INTERCEPTS_H
#define PARTITA_LOCKSTEP_HOST_INTERCEPTS_H

#include <stdio.h>

#include "steps_file.h"

/* Boots the fake machine, plays `setup` (its final shutdown left out: a
 * child with VP 0 running), then six IN/OUT round trips.  Reports to out;
 * 0 if every observation and every record agree. */
int host_intercepts_check(const struct steps_list *setup, FILE *out);

#endif
