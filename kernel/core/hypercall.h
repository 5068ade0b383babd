/*
 * Hypercall dispatch: decode the TLFS input value, check the parameter
 * blocks, then call the one handler for the call code.  The order of the
 * checks is the order docs/architecture/hypercalls.md documents ("Dispatch").
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"
#include "partition.h"

struct hypercall {
    struct vp *vp;
    uint16_t code;
    int fast;
    uint32_t rep_count, rep_start;
    uint32_t reps_done;
    uint64_t in_gpa, out_gpa; /* or the two fast input registers */
    const void *in;           /* the input block, mapped; NULL for fast calls */
    void *out;                /* the output block, mapped */
};

/* Runs the call in the VP's registers and writes the result value to RAX. */
void hypercall_dispatch(struct vp *vp);

/* Set by HvPartitaShutdown: the run ends with this result. */
extern int hv_shutdown_requested;
extern int hv_shutdown_result;
