/* SPDX-License-Identifier: MIT */
/*
 * step_build.h — one compiled step from a resolved call, and the model
 * taking that step the way the hypervisor will run it.  Shared by the
 * scenario compiler and the fuzz generator.
 */
#ifndef PARTITA_LOCKSTEP_STEP_BUILD_H
#define PARTITA_LOCKSTEP_STEP_BUILD_H

#include "model/model.h"
#include "steps_file.h"

struct step_request {
    int fault;         /* the actor's VP triple-faults */
    uint64_t actor;
    uint32_t vp;
    uint64_t input;    /* RCX as issued */
    uint64_t in_gpa, out_gpa; /* model space */
    int regs_given;    /* fast: RDX/R8 are in_gpa/out_gpa, not the block */
    const uint64_t (*elem)[MODEL_ARGS]; /* [element][arg] */
    uint32_t elements;
    const void *payload; /* PostMessage bytes */
    size_t payload_len;
    uint32_t line;
};

/*
 * Fills *st: the block laid out as hvabi.h's structures; for fast calls
 * RDX/R8 from its first 16 bytes; WRITE_BLOCK only if the actor reaches
 * the block's page in state s (and only up to the page's end); root GPAs
 * flagged and root page lists marked for relocation; start_agent for a
 * StartVp with a valid context.  Returns -1 if the block does not fit.
 * *truncated: some value did not fit its field.
 */
int step_build(const struct model_config *cfg, const struct model_state *s,
               const struct step_request *rq, struct scenario_step *st,
               int *truncated);

/* Applies the step to s as the hypervisor runs it: the first element as
 * issued, then each continuation it asks for.  *last is the last
 * element's result.  Returns -1 (s unchanged from the failing element)
 * if the model says the step cannot happen. */
int step_apply(const struct model_config *cfg, struct model_state *s,
               const struct scenario_step *st, struct model_result *last);

/* The model event a compiled step stands for when issued with input
 * value `input` (the step's own, or a rep continuation of it: the element
 * is the input's rep start), in model space, its arguments read back from
 * the block the partition writes (or the fast-call registers). */
void step_event(const struct scenario_step *st, uint64_t input,
                struct model_event *e);

/* The input value of the continuation that resumes a rep call at
 * element `reps`. */
static inline uint64_t step_continuation(uint64_t input, uint32_t reps)
{
    return (input & ~HV_HYPERCALL_REP_START_MASK) |
           ((uint64_t)reps << HV_HYPERCALL_REP_START_SHIFT);
}

#endif
