#include "hypercall.h"

#include "../arch/arch.h"
#include "hv.h"
#include "log.h"
#include "memory.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../lib/string.h"
#endif

int hv_shutdown_requested;
int hv_shutdown_result;

typedef hv_status_t (*hypercall_handler)(struct hypercall *hc);

#define CALL_FAST_OK 0x1u /* may be issued with the fast bit */
#define CALL_REP 0x2u     /* a rep call */

struct call_desc {
    uint16_t code;
    const char *name;
    uint32_t flags;
    uint32_t in_size, in_elem;   /* bytes of header and per rep element */
    uint32_t out_size, out_elem;
    hypercall_handler handler;
};

/* ------------------------------------------------------------ handlers */

/* HvPartitaNull 0x8000: does nothing.
 *   HV_STATUS_SUCCESS */
static hv_status_t hc_partita_null(struct hypercall *hc)
{
    (void)hc;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetExitStats 0x8001: exit counts of a partition.
 *   HV_STATUS_ACCESS_DENIED       a child asking about another partition
 *   HV_STATUS_INVALID_PARTITION_ID no such partition
 *   HV_STATUS_SUCCESS */
static hv_status_t hc_partita_get_exit_stats(struct hypercall *hc)
{
    const struct hv_input_get_exit_stats *in = hc->in;
    struct partition *self = hc->vp->partition;
    uint64_t id = in->partition_id == HV_PARTITION_ID_SELF ? self->id : in->partition_id;
    if (id != self->id && !(self->privileges & HV_PRIVILEGE_MANAGE_PARTITIONS))
        return HV_STATUS_ACCESS_DENIED;
    struct partition *p = partition_by_id(id);
    if (!p)
        return HV_STATUS_INVALID_PARTITION_ID;
    struct hv_output_exit_stats *out = hc->out;
    out->partition_id = p->id;
    out->total = p->stats.total;
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        out->count[r] = p->stats.count[r];
    return HV_STATUS_SUCCESS;
}

/* HvPartitaGetHvInfo 0x8002: version, backend and limits.
 *   HV_STATUS_SUCCESS */
static hv_status_t hc_partita_get_hv_info(struct hypercall *hc)
{
    struct hv_output_hv_info *out = hc->out;
    memset(out, 0, sizeof *out);
    out->interface_version = HV_ABI_INTERFACE_VERSION;
    out->backend = hv_virt->kind;
    /* The hypervisor's own image: never mapped in any partition. */
    out->hv_probe_gpa_base = hv_image_start;
    out->hv_probe_page_count = (hv_image_end - hv_image_start) / HV_PAGE_SIZE;
    out->max_partitions = HV_MAX_PARTITIONS;
    out->max_vps_per_partition = HV_MAX_VPS_PER_PARTITION;
    out->max_ports = HV_MAX_PORTS;
    out->message_queue_depth = HV_MESSAGE_QUEUE_DEPTH;
    out->sint_count = HV_SYNIC_SINT_COUNT;
    return HV_STATUS_SUCCESS;
}

/* HvPartitaShutdown 0x8004: the root ends the run (fast: RDX = result).
 *   HV_STATUS_ACCESS_DENIED  the caller is not the root
 *   HV_STATUS_SUCCESS */
static hv_status_t hc_partita_shutdown(struct hypercall *hc)
{
    if (!(hc->vp->partition->privileges & HV_PRIVILEGE_MANAGE_PARTITIONS))
        return HV_STATUS_ACCESS_DENIED;
    hv_shutdown_requested = 1;
    hv_shutdown_result = (int)hc->in_gpa;
    return HV_STATUS_SUCCESS;
}

static const struct call_desc calls[] = {
    {HVCALL_PARTITA_NULL, "HvPartitaNull", CALL_FAST_OK, 0, 0, 0, 0, hc_partita_null},
    {HVCALL_PARTITA_GET_EXIT_STATS, "HvPartitaGetExitStats", 0,
     sizeof(struct hv_input_get_exit_stats), 0, sizeof(struct hv_output_exit_stats), 0,
     hc_partita_get_exit_stats},
    {HVCALL_PARTITA_GET_HV_INFO, "HvPartitaGetHvInfo", 0, 0, 0,
     sizeof(struct hv_output_hv_info), 0, hc_partita_get_hv_info},
    {HVCALL_PARTITA_SHUTDOWN, "HvPartitaShutdown", CALL_FAST_OK, 0, 0, 0, 0,
     hc_partita_shutdown},
};

static const struct call_desc *call_by_code(uint16_t code)
{
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (calls[i].code == code)
            return &calls[i];
    return 0;
}

/*
 * Maps a parameter block of the caller: 8-byte aligned, inside one page,
 * and in a page the caller's second-level tables map (writable for output).
 */
static hv_status_t map_block(struct vp *vp, uint64_t gpa, uint64_t size, int write,
                             void **out)
{
    if (gpa & 7)
        return HV_STATUS_INVALID_ALIGNMENT;
    if ((gpa & (HV_PAGE_SIZE - 1)) + size > HV_PAGE_SIZE)
        return HV_STATUS_INVALID_ALIGNMENT;
    uint32_t rights;
    uint64_t hpa = hv_virt->slat_lookup(&vp->partition->slat, gpa & ~(uint64_t)0xfff, &rights);
    if (!rights || (write && !(rights & SLAT_WRITE)) || memory_in_pool(hpa))
        return HV_STATUS_INVALID_PARAMETER;
    *out = (uint8_t *)arch_phys_to_virt(hpa) + (gpa & 0xfff);
    return HV_STATUS_SUCCESS;
}

static hv_status_t dispatch(struct hypercall *hc, uint64_t input)
{
    const struct call_desc *d = call_by_code(hc->code);
    if (!d)
        return HV_STATUS_INVALID_HYPERCALL_CODE;
    if (input & HV_HYPERCALL_RESERVED_MASK)
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (hc->fast && !(d->flags & CALL_FAST_OK))
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    if (d->flags & CALL_REP) {
        if (hc->rep_count == 0 || hc->rep_start >= hc->rep_count)
            return HV_STATUS_INVALID_HYPERCALL_INPUT;
    } else if (hc->rep_count || hc->rep_start) {
        return HV_STATUS_INVALID_HYPERCALL_INPUT;
    }
    hc->reps_done = hc->rep_start;
    if (!hc->fast) {
        uint64_t in = d->in_size + (uint64_t)d->in_elem * hc->rep_count;
        uint64_t out = d->out_size + (uint64_t)d->out_elem * hc->rep_count;
        hv_status_t st;
        void *p;
        if (in) {
            if ((st = map_block(hc->vp, hc->in_gpa, in, 0, &p)) != HV_STATUS_SUCCESS)
                return st;
            hc->in = p;
        }
        if (out) {
            if ((st = map_block(hc->vp, hc->out_gpa, out, 1, &p)) != HV_STATUS_SUCCESS)
                return st;
            hc->out = p;
        }
    }
    return d->handler(hc);
}

void hypercall_dispatch(struct vp *vp)
{
    uint64_t input = vp->gprs.rcx;
    struct hypercall hc = {
        .vp = vp,
        .code = (uint16_t)(input & HV_HYPERCALL_CODE_MASK),
        .fast = !!(input & HV_HYPERCALL_FAST_BIT),
        .rep_count = (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                HV_HYPERCALL_REP_COUNT_SHIFT),
        .rep_start = (uint32_t)((input & HV_HYPERCALL_REP_START_MASK) >>
                                HV_HYPERCALL_REP_START_SHIFT),
        .in_gpa = vp->gprs.rdx,
        .out_gpa = vp->gprs.r8,
    };
    hv_status_t st = dispatch(&hc, input);
    uint32_t reps = hc.rep_count ? hc.reps_done : 0;
    vp->gprs.rax = HV_HYPERCALL_RESULT(st, reps);
}
