/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch: decode the TLFS input value, check the parameter
 * blocks, then run the one handler for the call code.  A handler reads its
 * input block as the call's structure of hvabi.h (hc->in) and, for a rep
 * call, the element hc->rep_index.  The order of the checks is the order
 * docs/architecture/hypercalls.md documents.
 *
 * Rep calls are done one element per exit: after a successful element
 * that is not the last, the rep start in RCX is advanced and RIP is left
 * on the hypercall instruction, so the guest issues the rest (TLFS
 * continuation).  Each element is one step of the trace.
 */
#pragma once
#include <stdint.h>

#include "../abi/hvabi.h"
#include "partition.h"

#define HC_ARGS 8 /* the trace's argument fields (the model's MODEL_ARGS) */
#define HC_OUTS 4

struct call_desc;

struct hypercall {
    struct vp *vp;
    struct partition *caller;
    uint64_t input;
    uint16_t code;
    int fast;
    uint32_t rep_count, rep_start;
    uint32_t rep_index;       /* the element this exit works on */
    uint64_t in_gpa, out_gpa; /* RDX and R8 */
    /* The input block, 8-byte aligned: the handler's view is the call's
     * struct hv_input_* (for a fast call: RDX, R8 in a local block). */
    const void *in;
    void *out; /* the output block, or NULL */
    /* The call's row once every check of the dispatcher passed and its
     * handler ran (the trace reads the input through it), else NULL. */
    const struct call_desc *row;
    uint32_t out_count;
    uint64_t outs[HC_OUTS]; /* the call's outputs, as traced */
};

typedef hv_status_t (*hypercall_handler)(struct hypercall *hc);

/* A call's output as the trace shows it: only check builds keep it (a
 * release build computes nothing for it, digests included). */
static inline void hc_output(struct hypercall *hc, uint64_t value)
{
#ifdef PARTITA_TRACE
    if (hc->out_count < HC_OUTS)
        hc->outs[hc->out_count++] = value;
#else
    (void)hc;
    (void)value;
#endif
}

/* A new call has no outputs: the trace prints all HC_OUTS of them, so a
 * check build clears them; a release build never reads them. */
static inline void hc_outputs_clear(struct hypercall *hc)
{
#ifdef PARTITA_TRACE
    for (int i = 0; i < HC_OUTS; i++)
        hc->outs[i] = 0;
#else
    (void)hc;
#endif
}

static inline int hc_caller_is_root(const struct hypercall *hc)
{
    return (hc->caller->privileges & HV_PRIVILEGE_MANAGE_PARTITIONS) != 0;
}

/* Runs the call in the VP's registers.  Returns 1 if the guest's RIP must
 * move past the instruction, 0 for a rep continuation. */
int hypercall_dispatch(struct vp *vp);

/* BUILD=mono: a fast call issued by the hypervisor on behalf of `vp`'s
 * partition, checked, dispatched and traced like one the partition made
 * (the services act for the root this way). */
hv_status_t hypercall_fast_for(struct vp *vp, uint64_t input, uint64_t rdx, uint64_t r8);

/* The call's input as the trace shows it (docs/architecture/trace-format.md):
 * its fields in the order of its input structure, reserved fields skipped,
 * the current element of a rep call; all 0 when the dispatcher refused the
 * call before its handler. */
void hypercall_trace_args(const struct hypercall *hc, uint64_t args[HC_ARGS]);

/* Handlers, one per call (kernel/core/hc_*.c). */
hv_status_t hc_create_partition(struct hypercall *hc);
hv_status_t hc_initialize_partition(struct hypercall *hc);
hv_status_t hc_finalize_partition(struct hypercall *hc);
hv_status_t hc_delete_partition(struct hypercall *hc);
hv_status_t hc_get_partition_id(struct hypercall *hc);
hv_status_t hc_deposit_memory(struct hypercall *hc);
hv_status_t hc_withdraw_memory(struct hypercall *hc);
hv_status_t hc_map_gpa_pages(struct hypercall *hc);
hv_status_t hc_unmap_gpa_pages(struct hypercall *hc);
hv_status_t hc_create_vp(struct hypercall *hc);
hv_status_t hc_start_vp(struct hypercall *hc);
hv_status_t hc_get_vp_registers(struct hypercall *hc);
hv_status_t hc_set_vp_registers(struct hypercall *hc);
hv_status_t hc_create_port(struct hypercall *hc);
hv_status_t hc_delete_port(struct hypercall *hc);
hv_status_t hc_connect_port(struct hypercall *hc);
hv_status_t hc_disconnect_port(struct hypercall *hc);
hv_status_t hc_post_message(struct hypercall *hc);
hv_status_t hc_signal_event(struct hypercall *hc);
hv_status_t hc_partita_null(struct hypercall *hc);
hv_status_t hc_partita_get_exit_stats(struct hypercall *hc);
hv_status_t hc_partita_get_hv_info(struct hypercall *hc);
hv_status_t hc_partita_trace_control(struct hypercall *hc);
hv_status_t hc_partita_shutdown(struct hypercall *hc);
hv_status_t hc_partita_sint_eom(struct hypercall *hc);
hv_status_t hc_partita_read_sint_message(struct hypercall *hc);
hv_status_t hc_partita_get_and_clear_event_flags(struct hypercall *hc);
hv_status_t hc_partita_complete_io(struct hypercall *hc);
hv_status_t hc_partita_serve_channel(struct hypercall *hc);
