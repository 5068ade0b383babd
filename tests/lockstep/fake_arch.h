/* SPDX-License-Identifier: MIT */
/*
 * fake_arch.h — the machine under the hypervisor core on the host: a
 * malloc'ed buffer for physical memory, second-level tables as plain
 * maps, vCPUs that never run, the trace and the log captured in memory.
 */
#ifndef PARTITA_LOCKSTEP_FAKE_ARCH_H
#define PARTITA_LOCKSTEP_FAKE_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/virt.h"

extern const struct virt_backend fake_backend;

/* Physical memory [0, bytes), zeroed. */
void fake_memory_init(uint64_t bytes);

/* S records (the whole abstract state) after step `seq` only;
 * UINT64_MAX: none. */
void fake_trace_states_at(uint64_t seq);

/* Everything the hypervisor traced / logged so far. */
const char *fake_trace_text(size_t *len);
const char *fake_log_text(size_t *len);

#endif
