/* SPDX-License-Identifier: MIT */
/*
 * The step trace (docs/architecture/trace-format.md): in check builds
 * (TRACE=1, -DPARTITA_TRACE) one text record per step on its own channel
 * (COM3), each with the digest of the abstract state after the step.  In
 * other builds these are empty and cost nothing.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"

struct hypercall;
struct vp;

#ifdef PARTITA_TRACE
/* Also write the whole abstract state after every step (S records). */
void trace_with_states(int on);
void trace_begin(void);
void trace_hypercall(const struct hypercall *hc, hv_status_t st, uint32_t reps);
void trace_fault(const struct vp *vp);
/* An intercepted port access sent to the root (or refused for now). */
void trace_intercept(const struct vp *vp, uint64_t payload_digest, uint32_t size,
                     hv_status_t st);
void trace_end(int result);
#else
static inline void trace_with_states(int on)
{
    (void)on;
}
static inline void trace_begin(void) {}
static inline void trace_hypercall(const struct hypercall *hc, hv_status_t st, uint32_t reps)
{
    (void)hc;
    (void)st;
    (void)reps;
}
static inline void trace_fault(const struct vp *vp)
{
    (void)vp;
}
static inline void trace_intercept(const struct vp *vp, uint64_t payload_digest,
                                   uint32_t size, hv_status_t st)
{
    (void)vp;
    (void)payload_digest;
    (void)size;
    (void)st;
}
static inline void trace_end(int result)
{
    (void)result;
}
#endif
