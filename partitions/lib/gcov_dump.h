/* SPDX-License-Identifier: MIT */
/*
 * Coverage builds only (PARTITA_COVERAGE): a partition's own counters out
 * on COM4, which the hypervisor passes through to the root in those builds.
 * The encoder is the one the hypervisor uses too (lib/gcov_dump.c, linked
 * into every partition in coverage builds); this adds the partition's side.
 */
#pragma once

/* Writes this partition's counters once; called by partition_exit before
 * the shutdown hypercall, so the partition's stream is complete before the
 * hypervisor starts its own and the two never interleave on COM4. */
void partition_gcov_dump(void);
