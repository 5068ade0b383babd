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

int hv_shutdown_requested;

#define CALL_FAST_OK 0x1u /* may be issued with the fast bit */
#define CALL_REP 0x2u     /* a rep call */

struct call_desc {
    uint16_t code;
    uint32_t flags;
    uint32_t in_size, in_elem; /* bytes of header and per rep element */
    uint32_t out_size, out_elem;
    void (*decode)(struct hypercall *hc); /* input block -> args */
    hypercall_handler handler;
};

/* ------------------------------------------------------- argument decoding */

static uint64_t in64(const struct hypercall *hc, uint32_t off)
{
    uint64_t v;
    memcpy(&v, hc->in + off, 8);
    return v;
}

static uint64_t in32(const struct hypercall *hc, uint32_t off)
{
    uint32_t v;
    memcpy(&v, hc->in + off, 4);
    return v;
}

static void dec_none(struct hypercall *hc)
{
    (void)hc;
}

static void dec_u64(struct hypercall *hc) /* one u64: id, flags, mask, code */
{
    hc->args[0] = in64(hc, 0);
}

static void dec_u32(struct hypercall *hc) /* struct hv_input_sint */
{
    hc->args[0] = in32(hc, 0);
}

static void dec_deposit(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in64(hc, 8 + 8 * hc->rep_index);
}

static void dec_withdraw(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in64(hc, 8);
}

static void dec_map(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in64(hc, 8);
    hc->args[2] = in32(hc, 16);
    hc->args[3] = in64(hc, 24 + 8 * hc->rep_index);
}

static void dec_unmap(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in64(hc, 8);
    hc->args[2] = in32(hc, 16);
}

static void dec_create_vp(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in64(hc, 16);
}

static void dec_get_regs(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in32(hc, 16 + 4 * hc->rep_index);
}

static void dec_set_regs(struct hypercall *hc)
{
    uint32_t e = 16 + 32 * hc->rep_index; /* struct hv_register_assoc */
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in32(hc, e);
    hc->args[3] = in64(hc, e + 16);
}

static void dec_start_vp(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    for (int i = 0; i < 4; i++)
        hc->args[2 + i] = in64(hc, 16 + 8 * (uint32_t)i);
}

static void dec_create_port(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in64(hc, 16);
    hc->args[3] = in32(hc, 24);
    hc->args[4] = in32(hc, 28);
    hc->args[5] = in32(hc, 32);
}

static void dec_id_and_u32(struct hypercall *hc) /* DeletePort, DisconnectPort */
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
}

static void dec_connect(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in64(hc, 16);
    hc->args[3] = in32(hc, 24);
}

static void dec_post(struct hypercall *hc)
{
    hc->args[0] = in32(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in32(hc, 12);
    /* The payload travels in the trace as its digest. */
    hc->args[3] = hc->args[2] <= HV_MESSAGE_PAYLOAD ? fnv1a64(hc->in + 16, hc->args[2]) : 0;
}

static void dec_complete_io(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);
    hc->args[1] = in32(hc, 8);
    hc->args[2] = in64(hc, 16);
}

static void dec_signal(struct hypercall *hc)
{
    hc->args[0] = in32(hc, 0);
    hc->args[1] = in64(hc, 0) >> 32 & 0xffff;
}

#ifdef PARTITA_MONO
/* Packed two to an argument where they fit: the trace has six. */
static void dec_serve(struct hypercall *hc)
{
    hc->args[0] = in64(hc, 0);                      /* partition */
    hc->args[1] = in32(hc, 8) | in32(hc, 12) << 32; /* op, service */
    hc->args[2] = in32(hc, 16);                     /* port */
    hc->args[3] = in64(hc, 24);                     /* ring page */
    hc->args[4] = in32(hc, 20) | in32(hc, 32) << 32; /* ring bytes, connection */
    hc->args[5] = in32(hc, 36);                     /* flag, reserved << 16 */
}
#endif

#define IN(t) sizeof(struct t)
static const struct call_desc calls[] = {
    {HVCALL_CREATE_PARTITION, 0, IN(hv_input_create_partition), 0,
     IN(hv_output_create_partition), 0, dec_u64, hc_create_partition},
    {HVCALL_INITIALIZE_PARTITION, CALL_FAST_OK, IN(hv_input_partition_op), 0, 0, 0, dec_u64,
     hc_initialize_partition},
    {HVCALL_FINALIZE_PARTITION, CALL_FAST_OK, IN(hv_input_partition_op), 0, 0, 0, dec_u64,
     hc_finalize_partition},
    {HVCALL_DELETE_PARTITION, CALL_FAST_OK, IN(hv_input_partition_op), 0, 0, 0, dec_u64,
     hc_delete_partition},
    {HVCALL_GET_PARTITION_ID, 0, 0, 0, IN(hv_output_get_partition_id), 0, dec_none,
     hc_get_partition_id},
    {HVCALL_DEPOSIT_MEMORY, CALL_REP, IN(hv_input_deposit_memory), 8, 0, 0, dec_deposit,
     hc_deposit_memory},
    {HVCALL_WITHDRAW_MEMORY, CALL_REP, IN(hv_input_withdraw_memory), 0, 0, 8, dec_withdraw,
     hc_withdraw_memory},
    {HVCALL_MAP_GPA_PAGES, CALL_REP, IN(hv_input_map_gpa_pages), 8, 0, 0, dec_map,
     hc_map_gpa_pages},
    {HVCALL_UNMAP_GPA_PAGES, CALL_REP, IN(hv_input_unmap_gpa_pages), 0, 0, 0, dec_unmap,
     hc_unmap_gpa_pages},
    {HVCALL_CREATE_VP, 0, IN(hv_input_create_vp), 0, 0, 0, dec_create_vp, hc_create_vp},
    {HVCALL_GET_VP_REGISTERS, CALL_REP, IN(hv_input_get_vp_registers), 4, 0,
     IN(hv_register_value), dec_get_regs, hc_get_vp_registers},
    {HVCALL_SET_VP_REGISTERS, CALL_REP, IN(hv_input_set_vp_registers),
     IN(hv_register_assoc), 0, 0, dec_set_regs, hc_set_vp_registers},
    {HVCALL_START_VP, 0, IN(hv_input_start_vp), 0, 0, 0, dec_start_vp, hc_start_vp},
    {HVCALL_CREATE_PORT, 0, IN(hv_input_create_port), 0, 0, 0, dec_create_port,
     hc_create_port},
    {HVCALL_DELETE_PORT, CALL_FAST_OK, IN(hv_input_delete_port), 0, 0, 0, dec_id_and_u32,
     hc_delete_port},
    {HVCALL_CONNECT_PORT, 0, IN(hv_input_connect_port), 0, 0, 0, dec_connect, hc_connect_port},
    {HVCALL_DISCONNECT_PORT, CALL_FAST_OK, IN(hv_input_disconnect_port), 0, 0, 0,
     dec_id_and_u32, hc_disconnect_port},
    {HVCALL_POST_MESSAGE, 0, IN(hv_input_post_message), 0, 0, 0, dec_post, hc_post_message},
    {HVCALL_SIGNAL_EVENT, CALL_FAST_OK, IN(hv_input_signal_event), 0, 0, 0, dec_signal,
     hc_signal_event},
    {HVCALL_PARTITA_NULL, CALL_FAST_OK, 0, 0, 0, 0, dec_none, hc_partita_null},
    {HVCALL_PARTITA_GET_EXIT_STATS, 0, IN(hv_input_get_exit_stats), 0,
     IN(hv_output_exit_stats), 0, dec_u64, hc_partita_get_exit_stats},
    {HVCALL_PARTITA_GET_HV_INFO, 0, 0, 0, IN(hv_output_hv_info), 0, dec_none,
     hc_partita_get_hv_info},
    {HVCALL_PARTITA_TRACE_CONTROL, CALL_FAST_OK, IN(hv_input_trace_control), 0, 0, 0, dec_u64,
     hc_partita_trace_control},
    {HVCALL_PARTITA_SHUTDOWN, CALL_FAST_OK, IN(hv_input_shutdown), 0, 0, 0, dec_u64,
     hc_partita_shutdown},
    {HVCALL_PARTITA_SINT_EOM, CALL_FAST_OK, IN(hv_input_sint), 0, 0, 0, dec_u32,
     hc_partita_sint_eom},
    {HVCALL_PARTITA_READ_SINT_MESSAGE, 0, IN(hv_input_sint), 0, IN(hv_message), 0, dec_u32,
     hc_partita_read_sint_message},
    {HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, 0, IN(hv_input_sint), 0,
     IN(hv_output_event_flags), 0, dec_u32, hc_partita_get_and_clear_event_flags},
    {HVCALL_PARTITA_COMPLETE_IO, 0, IN(hv_input_complete_io), 0, 0, 0, dec_complete_io,
     hc_partita_complete_io},
#ifdef PARTITA_MONO
    {HVCALL_PARTITA_SERVE_CHANNEL, 0, IN(hv_input_serve_channel), 0,
     IN(hv_output_serve_channel), 0, dec_serve, hc_partita_serve_channel},
#endif
};

#define CALL_COUNT (sizeof calls / sizeof calls[0])

/* Where a code's row is: TLFS codes below 0x100 and Partita's 0x80xx codes
 * share one small table of row numbers + 1 (0 = no such call), filled from
 * calls[] at the first hypercall, so a row is written in one place and a
 * call is found without a search. */
#define CODE_SLOTS (0x100 + (HVCALL_PARTITA_LAST - HVCALL_PARTITA_FIRST + 1))
static uint8_t row_of_slot[CODE_SLOTS];

static int code_slot(uint16_t code)
{
    if (code < 0x100)
        return code;
    if (code >= HVCALL_PARTITA_FIRST && code <= HVCALL_PARTITA_LAST)
        return 0x100 + (code - HVCALL_PARTITA_FIRST);
    return -1;
}

static const struct call_desc *call_by_code(uint16_t code)
{
    static int indexed;
    if (!indexed) {
        _Static_assert(CALL_COUNT < 255, "row numbers fit a byte");
        for (unsigned i = 0; i < CALL_COUNT; i++)
            row_of_slot[code_slot(calls[i].code)] = (uint8_t)(i + 1);
        indexed = 1;
    }
    int slot = code_slot(code);
    return slot >= 0 && row_of_slot[slot] ? &calls[row_of_slot[slot] - 1] : 0;
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

static hv_status_t dispatch(struct hypercall *hc, uint8_t fast_block[16])
{
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
        memcpy(fast_block, &hc->in_gpa, 8);
        memcpy(fast_block + 8, &hc->out_gpa, 8);
        hc->in = fast_block;
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
    if (hc->in)
        d->decode(hc);
    return d->handler(hc);
}

/* Decodes, dispatches and traces one call as `vp` issued it; *reps gets
 * the elements done. */
static hv_status_t run(struct vp *vp, uint64_t input, uint64_t in_gpa, uint64_t out_gpa,
                       uint32_t *reps)
{
    uint8_t fast_block[16];
    struct hypercall hc;
    memset(&hc, 0, sizeof hc);
    hc.vp = vp;
    hc.caller = vp->partition;
    hc.input = input;
    hc.code = (uint16_t)(input & HV_HYPERCALL_CODE_MASK);
    hc.fast = !!(input & HV_HYPERCALL_FAST_BIT);
    hc.rep_count = (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REP_COUNT_SHIFT);
    hc.rep_start = (uint32_t)((input & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT);
    hc.in_gpa = in_gpa;
    hc.out_gpa = out_gpa;

    hv_status_t st = dispatch(&hc, fast_block);
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
    if (st == HV_STATUS_SUCCESS && reps && reps < ((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                                   HV_HYPERCALL_REP_COUNT_SHIFT)) {
        /* Continuation: the guest re-issues the call from the next element. */
        vp->gprs.rcx = (input & ~HV_HYPERCALL_REP_START_MASK) |
                       ((uint64_t)reps << HV_HYPERCALL_REP_START_SHIFT);
        return 0;
    }
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
