/* SPDX-License-Identifier: MIT */
/*
 * calls.h — the dispatch table: one row per hypercall, describing its
 * input value shape, its input/output block sizes, the names of its step
 * arguments and outputs, and its handler.
 *
 * The same table drives the dispatcher (step.c), the scenario language
 * (argument names), the explorer and the dumps, so a call is described
 * in exactly one place.
 */
#ifndef PARTITA_MODEL_CALLS_H
#define PARTITA_MODEL_CALLS_H

#include "model.h"

/* What a handler sees: the decoded call, and the state to change. */
struct model_call {
    const struct model_config *cfg;
    struct model_state *s;
    const struct model_event *e;
    struct model_result *r;
    struct model_partition *caller; /* the acting partition */
    uint32_t caller_slot;
    uint32_t rep_index; /* the rep element this step performs */
};

/* A handler checks everything before it changes anything: on any status
 * but SUCCESS the state is untouched. */
typedef hv_status_t (*model_handler)(struct model_call *c);

#define MODEL_CALL_REP 0x1u     /* rep call: rep count >= 1 required */
#define MODEL_CALL_FAST_OK 0x2u /* may be issued with the fast bit */
#define MODEL_CALL_MONO 0x4u    /* exists only with services_in_hypervisor */

struct model_call_desc {
    const char *name; /* TLFS name without the Hv prefix */
    uint16_t code;
    uint32_t flags;
    uint32_t in_size;   /* fixed input block bytes (0: no input) */
    uint32_t in_elem;   /* bytes per rep element in the input */
    uint32_t out_size;  /* fixed output block bytes */
    uint32_t out_elem;  /* bytes per rep element in the output */
    const char *args[MODEL_ARGS]; /* step argument names, in order */
    const char *outs[MODEL_OUTS]; /* output names, in order */
    model_handler handler;
};

const struct model_call_desc *model_call_by_code(uint16_t code);
const struct model_call_desc *model_call_by_name(const char *name);
/* Iterate: i = 0.. until NULL. */
const struct model_call_desc *model_call_at(size_t i);
size_t model_call_count(void);
/* Index of `name` in desc->args, or -1. */
int model_call_arg_index(const struct model_call_desc *d, const char *name);
int model_call_out_index(const struct model_call_desc *d, const char *name);

/* Handlers, one per call, grouped by family. */
/* hc_partition.c */
hv_status_t hc_create_partition(struct model_call *c);
hv_status_t hc_initialize_partition(struct model_call *c);
hv_status_t hc_finalize_partition(struct model_call *c);
hv_status_t hc_delete_partition(struct model_call *c);
hv_status_t hc_get_partition_id(struct model_call *c);
/* hc_memory.c */
hv_status_t hc_deposit_memory(struct model_call *c);
hv_status_t hc_withdraw_memory(struct model_call *c);
hv_status_t hc_map_gpa_pages(struct model_call *c);
hv_status_t hc_unmap_gpa_pages(struct model_call *c);
/* hc_vp.c */
hv_status_t hc_create_vp(struct model_call *c);
hv_status_t hc_start_vp(struct model_call *c);
hv_status_t hc_get_vp_registers(struct model_call *c);
hv_status_t hc_set_vp_registers(struct model_call *c);
/* hc_port.c */
hv_status_t hc_create_port(struct model_call *c);
hv_status_t hc_delete_port(struct model_call *c);
hv_status_t hc_connect_port(struct model_call *c);
hv_status_t hc_disconnect_port(struct model_call *c);
/* hc_message.c */
hv_status_t hc_post_message(struct model_call *c);
hv_status_t hc_signal_event(struct model_call *c);
hv_status_t hc_sint_eom(struct model_call *c);
hv_status_t hc_read_sint_message(struct model_call *c);
hv_status_t hc_get_and_clear_event_flags(struct model_call *c);
hv_status_t hc_complete_io(struct model_call *c);
hv_status_t hc_serve_channel(struct model_call *c);
/* hc_partita.c */
hv_status_t hc_partita_null(struct model_call *c);
hv_status_t hc_get_exit_stats(struct model_call *c);
hv_status_t hc_get_hv_info(struct model_call *c);
hv_status_t hc_trace_control(struct model_call *c);
hv_status_t hc_shutdown(struct model_call *c);

#endif /* PARTITA_MODEL_CALLS_H */
