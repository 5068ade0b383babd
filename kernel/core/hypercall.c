/* SPDX-License-Identifier: MIT */
#include "hypercall.h"

#include "../arch/arch.h"
#include "abstract.h"
#include "harness.h"
#include "memory.h"
#include "pages.h"
#include "trace.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

#define CALL_FAST_OK 0x1u /* may be issued with the fast bit */
#define CALL_REP 0x2u     /* a rep call */

/* One row per call code. */
struct call_desc {
    uint16_t flags;
    uint16_t in_size, in_elem; /* bytes of header and per rep element */
    uint16_t out_size, out_elem;
    hypercall_handler handler;
    /* How the call appears in the trace: its input structure's fields into
     * the record's arguments (NULL: the call has no input). */
    void (*trace)(const struct hypercall *hc, uint64_t a[HC_ARGS]);
};

/* A fast call's input block: RDX and R8 stand for the input page, so its
 * handler reads them as its own input structure.  Every fast-capable call's
 * input is one of these, 16 bytes at most. */
union fast_input {
    uint64_t regs[2]; /* RDX, R8 */
    struct hv_input_partition_op partition_op;
    struct hv_input_delete_port delete_port;
    struct hv_input_disconnect_port disconnect_port;
    struct hv_input_signal_event signal_event;
    struct hv_input_trace_control trace_control;
    struct hv_input_shutdown shutdown;
    struct hv_input_sint sint;
};
_Static_assert(sizeof(union fast_input) == 16, "a fast call's input is RDX and R8");

/* ------------------------------------------------------ the trace's view
 * One function per input structure, in the order of the table below: the
 * structure's fields in their order, reserved fields skipped, and a rep
 * call's element hc->rep_index (trace-format.md, model.md "Steps"). */

static void trace_create_partition(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_create_partition *in = hc->in;
    a[0] = in->flags;
}

/* Initialize, Finalize, DeletePartition */
static void trace_partition_op(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_partition_op *in = hc->in;
    a[0] = in->partition_id;
}

static void trace_deposit_memory(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_deposit_memory *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->gpa_page_list[hc->rep_index];
}

static void trace_withdraw_memory(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_withdraw_memory *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->proximity_domain_info;
}

static void trace_map_gpa_pages(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_map_gpa_pages *in = hc->in;
    a[0] = in->target_partition_id;
    a[1] = in->target_gpa_base;
    a[2] = in->map_flags;
    a[3] = in->source_gpa_page_list[hc->rep_index];
}

static void trace_unmap_gpa_pages(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_unmap_gpa_pages *in = hc->in;
    a[0] = in->target_partition_id;
    a[1] = in->target_gpa_base;
    a[2] = in->unmap_flags;
}

static void trace_create_vp(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_create_vp *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->vp_index;
    a[2] = in->flags;
}

static void trace_get_vp_registers(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_get_vp_registers *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->vp_index;
    a[2] = in->names[hc->rep_index];
}

static void trace_set_vp_registers(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_set_vp_registers *in = hc->in;
    const struct hv_register_assoc *e = &in->elements[hc->rep_index];
    a[0] = in->partition_id;
    a[1] = in->vp_index;
    a[2] = e->name;
    a[3] = e->value.low;
}

static void trace_start_vp(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_start_vp *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->vp_index;
    a[2] = in->context.rip;
    a[3] = in->context.rsp;
    a[4] = in->context.rflags;
    a[5] = in->context.cr3;
}

static void trace_create_port(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_create_port *in = hc->in;
    a[0] = in->port_partition_id;
    a[1] = in->port_id;
    a[2] = in->connection_partition_id;
    a[3] = in->port_info.port_type;
    a[4] = in->port_info.target_sint;
    a[5] = in->port_info.target_vp;
}

static void trace_delete_port(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_delete_port *in = hc->in;
    a[0] = in->port_partition_id;
    a[1] = in->port_id;
}

static void trace_connect_port(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_connect_port *in = hc->in;
    a[0] = in->connection_partition_id;
    a[1] = in->connection_id;
    a[2] = in->port_partition_id;
    a[3] = in->port_id;
}

static void trace_disconnect_port(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_disconnect_port *in = hc->in;
    a[0] = in->connection_partition_id;
    a[1] = in->connection_id;
}

static void trace_post_message(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_post_message *in = hc->in;
    a[0] = in->connection_id;
    a[1] = in->message_type;
    a[2] = in->payload_size;
    /* The payload travels in the trace as its digest. */
    a[3] = in->payload_size <= HV_MESSAGE_PAYLOAD ? fnv1a64(in->payload, in->payload_size)
                                                  : 0;
}

static void trace_signal_event(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_signal_event *in = hc->in;
    a[0] = in->connection_id;
    a[1] = in->flag_number;
}

static void trace_get_exit_stats(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_get_exit_stats *in = hc->in;
    a[0] = in->partition_id;
}

static void trace_trace_control(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_trace_control *in = hc->in;
    a[0] = in->mask;
}

static void trace_shutdown(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_shutdown *in = hc->in;
    a[0] = in->result_code;
}

/* PartitaSintEom, PartitaReadSintMessage, PartitaGetAndClearEventFlags */
static void trace_sint(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_sint *in = hc->in;
    a[0] = in->sint;
}

static void trace_complete_io(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_complete_io *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->vp_index;
    a[2] = in->read_value;
}

#ifdef PARTITA_MONO
static void trace_serve_channel(const struct hypercall *hc, uint64_t a[HC_ARGS])
{
    const struct hv_input_serve_channel *in = hc->in;
    a[0] = in->partition_id;
    a[1] = in->op;
    a[2] = in->service;
    a[3] = in->port_id;
    a[4] = in->ring_bytes;
    a[5] = in->ring_page;
    a[6] = in->signal_connection_id;
    a[7] = in->signal_flag;
}
#endif

/* -------------------------------------------------------------- the tables
 * Indexed by call code: the TLFS calls by their code, Partita's own by their
 * code - 0x8000.  Each table ends at its highest code; a code without a row
 * (all zero, no handler) is INVALID_HYPERCALL_CODE. */
#define IN(t) sizeof(struct t)

static const struct call_desc tlfs_calls[] = {
    [HVCALL_CREATE_PARTITION] =
        {
            .in_size = IN(hv_input_create_partition),
            .out_size = IN(hv_output_create_partition),
            .handler = hc_create_partition,
            .trace = trace_create_partition,
        },
    [HVCALL_INITIALIZE_PARTITION] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_partition_op),
            .handler = hc_initialize_partition,
            .trace = trace_partition_op,
        },
    [HVCALL_FINALIZE_PARTITION] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_partition_op),
            .handler = hc_finalize_partition,
            .trace = trace_partition_op,
        },
    [HVCALL_DELETE_PARTITION] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_partition_op),
            .handler = hc_delete_partition,
            .trace = trace_partition_op,
        },
    [HVCALL_GET_PARTITION_ID] =
        {
            .out_size = IN(hv_output_get_partition_id),
            .handler = hc_get_partition_id,
        },
    [HVCALL_DEPOSIT_MEMORY] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_deposit_memory),
            .in_elem = sizeof(uint64_t),
            .handler = hc_deposit_memory,
            .trace = trace_deposit_memory,
        },
    [HVCALL_WITHDRAW_MEMORY] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_withdraw_memory),
            .out_elem = sizeof(uint64_t),
            .handler = hc_withdraw_memory,
            .trace = trace_withdraw_memory,
        },
    [HVCALL_MAP_GPA_PAGES] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_map_gpa_pages),
            .in_elem = sizeof(uint64_t),
            .handler = hc_map_gpa_pages,
            .trace = trace_map_gpa_pages,
        },
    [HVCALL_UNMAP_GPA_PAGES] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_unmap_gpa_pages),
            .handler = hc_unmap_gpa_pages,
            .trace = trace_unmap_gpa_pages,
        },
    [HVCALL_CREATE_VP] =
        {
            .in_size = IN(hv_input_create_vp),
            .handler = hc_create_vp,
            .trace = trace_create_vp,
        },
    [HVCALL_GET_VP_REGISTERS] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_get_vp_registers),
            .in_elem = sizeof(uint32_t),
            .out_elem = IN(hv_register_value),
            .handler = hc_get_vp_registers,
            .trace = trace_get_vp_registers,
        },
    [HVCALL_SET_VP_REGISTERS] =
        {
            .flags = CALL_REP,
            .in_size = IN(hv_input_set_vp_registers),
            .in_elem = IN(hv_register_assoc),
            .handler = hc_set_vp_registers,
            .trace = trace_set_vp_registers,
        },
    [HVCALL_START_VP] =
        {
            .in_size = IN(hv_input_start_vp),
            .handler = hc_start_vp,
            .trace = trace_start_vp,
        },
    [HVCALL_CREATE_PORT] =
        {
            .in_size = IN(hv_input_create_port),
            .handler = hc_create_port,
            .trace = trace_create_port,
        },
    [HVCALL_DELETE_PORT] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_delete_port),
            .handler = hc_delete_port,
            .trace = trace_delete_port,
        },
    [HVCALL_CONNECT_PORT] =
        {
            .in_size = IN(hv_input_connect_port),
            .handler = hc_connect_port,
            .trace = trace_connect_port,
        },
    [HVCALL_DISCONNECT_PORT] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_disconnect_port),
            .handler = hc_disconnect_port,
            .trace = trace_disconnect_port,
        },
    [HVCALL_POST_MESSAGE] =
        {
            .in_size = IN(hv_input_post_message),
            .handler = hc_post_message,
            .trace = trace_post_message,
        },
    [HVCALL_SIGNAL_EVENT] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_signal_event),
            .handler = hc_signal_event,
            .trace = trace_signal_event,
        },
};

static const struct call_desc partita_calls[] = {
    [HVCALL_PARTITA_NULL - HVCALL_PARTITA_FIRST] =
        {
            .flags = CALL_FAST_OK,
            .handler = hc_partita_null,
        },
    [HVCALL_PARTITA_GET_EXIT_STATS - HVCALL_PARTITA_FIRST] =
        {
            .in_size = IN(hv_input_get_exit_stats),
            .out_size = IN(hv_output_exit_stats),
            .handler = hc_partita_get_exit_stats,
            .trace = trace_get_exit_stats,
        },
    [HVCALL_PARTITA_GET_HV_INFO - HVCALL_PARTITA_FIRST] =
        {
            .out_size = IN(hv_output_hv_info),
            .handler = hc_partita_get_hv_info,
        },
    [HVCALL_PARTITA_TRACE_CONTROL - HVCALL_PARTITA_FIRST] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_trace_control),
            .handler = hc_partita_trace_control,
            .trace = trace_trace_control,
        },
    [HVCALL_PARTITA_SHUTDOWN - HVCALL_PARTITA_FIRST] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_shutdown),
            .handler = hc_partita_shutdown,
            .trace = trace_shutdown,
        },
    [HVCALL_PARTITA_SINT_EOM - HVCALL_PARTITA_FIRST] =
        {
            .flags = CALL_FAST_OK,
            .in_size = IN(hv_input_sint),
            .handler = hc_partita_sint_eom,
            .trace = trace_sint,
        },
    [HVCALL_PARTITA_READ_SINT_MESSAGE - HVCALL_PARTITA_FIRST] =
        {
            .in_size = IN(hv_input_sint),
            .out_size = IN(hv_message),
            .handler = hc_partita_read_sint_message,
            .trace = trace_sint,
        },
    [HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS - HVCALL_PARTITA_FIRST] =
        {
            .in_size = IN(hv_input_sint),
            .out_size = IN(hv_output_event_flags),
            .handler = hc_partita_get_and_clear_event_flags,
            .trace = trace_sint,
        },
    [HVCALL_PARTITA_COMPLETE_IO - HVCALL_PARTITA_FIRST] =
        {
            .in_size = IN(hv_input_complete_io),
            .handler = hc_partita_complete_io,
            .trace = trace_complete_io,
        },
#ifdef PARTITA_MONO
    [HVCALL_PARTITA_SERVE_CHANNEL - HVCALL_PARTITA_FIRST] =
        {
            .in_size = IN(hv_input_serve_channel),
            .out_size = IN(hv_output_serve_channel),
            .handler = hc_partita_serve_channel,
            .trace = trace_serve_channel,
        },
#endif
};

#define TLFS_CODES (sizeof tlfs_calls / sizeof tlfs_calls[0])
#define PARTITA_CODES (sizeof partita_calls / sizeof partita_calls[0])
_Static_assert(TLFS_CODES <= HVCALL_PARTITA_FIRST, "TLFS codes stay below Partita's");
_Static_assert(PARTITA_CODES <= HVCALL_PARTITA_LAST - HVCALL_PARTITA_FIRST + 1,
               "0x8000-0x80FF");

static const struct call_desc *call_by_code(uint16_t code)
{
    const struct call_desc *d;
    if (code < TLFS_CODES)
        d = &tlfs_calls[code];
    else if ((uint16_t)(code - HVCALL_PARTITA_FIRST) < PARTITA_CODES)
        d = &partita_calls[code - HVCALL_PARTITA_FIRST];
    else
        return 0;
    return d->handler ? d : 0;
}

void hypercall_trace_args(const struct hypercall *hc, uint64_t args[HC_ARGS])
{
    memset(args, 0, sizeof(uint64_t) * HC_ARGS);
    if (hc->row && hc->row->trace)
        hc->row->trace(hc, args);
}

/*
 * Maps a parameter block of the caller.  Statuses, in check order:
 *   INVALID_ALIGNMENT  not 8-byte aligned, or it crosses a page
 *   INVALID_PARAMETER  not in a page the caller owns or shares (never the
 *                      hypervisor's)
 *   ACCESS_DENIED      an output block (write) in a page the caller may
 *                      only read: the hypervisor writes nothing the caller
 *                      could not write itself
 *   SUCCESS            *out points at the block
 */
static hv_status_t map_block(struct hypercall *hc, uint64_t gpa, uint64_t size, int write,
                             void **out)
{
    if (gpa & 7)
        return HV_STATUS_INVALID_ALIGNMENT;
    if ((gpa & (HV_PAGE_SIZE - 1)) + size > HV_PAGE_SIZE)
        return HV_STATUS_INVALID_ALIGNMENT;
    uint64_t hpa;
    uint32_t rights = partition_page_rights(hc->caller, gpa >> HV_PAGE_SHIFT, &hpa);
    if (!rights)
        return HV_STATUS_INVALID_PARAMETER;
    if (write && !(rights & SLAT_WRITE))
        return HV_STATUS_ACCESS_DENIED;
    *out = (uint8_t *)arch_phys_to_virt(hpa) + (gpa & (HV_PAGE_SIZE - 1));
    return HV_STATUS_SUCCESS;
}

static hv_status_t dispatch(struct hypercall *hc, union fast_input *fast)
{
    /* LAB 4.1 BEGIN: the dispatcher: checks in TLFS order, then the parameter blocks */
    const struct call_desc *d = call_by_code(hc->code);
    if (!d)
        return HV_STATUS_INVALID_HYPERCALL_CODE;
    if (hc->input & HV_HYPERCALL_RESERVED_MASK)
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (hc->fast && !(d->flags & CALL_FAST_OK))
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (d->flags & CALL_REP) {
        if (hc->rep_count == 0 || hc->rep_start >= hc->rep_count)
            return HV_STATUS_INVALID_HYPERCALL_INPUT;
    } else if (hc->rep_count || hc->rep_start) {
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    }
    hc->rep_index = hc->rep_start;
    if (hc->fast) {
        fast->regs[0] = hc->in_gpa;
        fast->regs[1] = hc->out_gpa;
        hc->in = fast;
    } else {
        uint64_t in = d->in_size + (uint64_t)d->in_elem * hc->rep_count;
        uint64_t out = d->out_size + (uint64_t)d->out_elem * hc->rep_count;
        hv_status_t st;
        void *p;
        if (in) {
            if ((st = map_block(hc, hc->in_gpa, in, 0, &p)) != HV_STATUS_SUCCESS)
                return st;
            hc->in = p;
        }
        if (out) {
            if ((st = map_block(hc, hc->out_gpa, out, 1, &p)) != HV_STATUS_SUCCESS)
                return st;
            hc->out = p;
        }
        /* An output block over the input block would rewrite the input
         * between the elements of a rep call. */
        if (in && out && hc->in_gpa < hc->out_gpa + out && hc->out_gpa < hc->in_gpa + in)
            return HV_STATUS_INVALID_PARAMETER;
    }
    hc->row = d;
    return d->handler(hc);
    /* LAB 4.1 END */
}

/* Checks, dispatches and traces one call as `vp` issued it; *reps gets
 * the elements done. */
static hv_status_t run(struct vp *vp, uint64_t input, uint64_t in_gpa, uint64_t out_gpa,
                       uint32_t *reps)
{
    union fast_input fast;
    /* Field by field, not an initializer or memset: zeroing the whole
     * record (its trace outputs too, which only a check build reads) cost
     * a string store of 13 words and its set-up on every call (make
     * profile WORKLOAD=null); the fields are all set here or below. */
    struct hypercall hc;
    hc.vp = vp;
    hc.caller = vp->partition;
    hc.input = input;
    hc.rep_index = 0;
    hc.in = 0;
    hc.out = 0;
    hc.row = 0;
    hc.out_count = 0;
    hc_outputs_clear(&hc);
    /* LAB 4.2 BEGIN: decode the hypercall input value */
    hc.code = (uint16_t)(input & HV_HYPERCALL_CODE_MASK);
    hc.fast = !!(input & HV_HYPERCALL_FAST_BIT);
    hc.rep_count =
        (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REP_COUNT_SHIFT);
    hc.rep_start =
        (uint32_t)((input & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT);
    /* LAB 4.2 END */
    hc.in_gpa = in_gpa;
    hc.out_gpa = out_gpa;

    hv_status_t st = dispatch(&hc, &fast);
    if (st != HV_STATUS_SUCCESS)
        hc.out_count = 0;
    *reps = hc.rep_count ? hc.rep_index + (st == HV_STATUS_SUCCESS) : 0;
    trace_hypercall(&hc, st, *reps);
    return st;
}

int hypercall_dispatch(struct vp *vp)
{
    uint64_t input = vp->gprs.rcx;
    uint32_t reps;
    hv_status_t st = run(vp, input, vp->gprs.rdx, vp->gprs.r8, &reps);
    /* LAB 4.2 BEGIN: a rep call continues where it stopped */
    if (st == HV_STATUS_SUCCESS && reps &&
        reps < ((input & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REP_COUNT_SHIFT)) {
        /* Continuation: the guest re-issues the call from the next element. */
        vp->gprs.rcx = (input & ~HV_HYPERCALL_REP_START_MASK) |
                       ((uint64_t)reps << HV_HYPERCALL_REP_START_SHIFT);
        return 0;
    }
    /* LAB 4.2 END */
    vp->gprs.rax = HV_HYPERCALL_RESULT(st, reps);
    harness_hypercall_done(vp); /* check builds: a child agent's step is over */
    return 1;
}

#ifdef PARTITA_MONO
hv_status_t hypercall_fast_for(struct vp *vp, uint64_t input, uint64_t rdx, uint64_t r8)
{
    uint32_t reps;
    return run(vp, input | HV_HYPERCALL_FAST_BIT, rdx, r8, &reps);
}
#endif
