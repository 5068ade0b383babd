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

/* fd >= 0: the trace goes out to fd as it grows (fake_trace_flush writes
 * what is left), so a run of any length holds at most about 1 MiB of it. */
void fake_trace_stream(int fd);
int fake_trace_flush(void);

/* Fault injection: the hypervisor's own memory running out.  After
 * `maps` more new second-level entries every further one fails (as a
 * backend's does when the pool has no page for a table), and with
 * `vcpus` set every vCPU creation fails (no page for a VMCB/VMCS).
 * fake_inject_off() ends both; a new machine starts without. */
void fake_inject_pool_exhaustion(uint32_t maps, int vcpus);
void fake_inject_off(void);

/* What a vCPU was created with (the context a VP starts from). */
const struct vcpu_setup *fake_vcpu_setup(const struct arch_vcpu *v);

/* Everything the hypervisor traced / logged so far (since the last flush,
 * when streaming). */
const char *fake_trace_text(size_t *len);
const char *fake_log_text(size_t *len);

#endif
