/* SPDX-License-Identifier: MIT */
#include "partition.h"

#include <stdarg.h>

#include "harness.h"
#include "hv_state.h"
#include "log.h"
#include "pages.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

const struct virt_backend *hv_virt;

struct partition *partition_at_slot(uint32_t slot)
{
    return slot < HV_MAX_PARTITIONS ? &hv.partitions[slot] : 0;
}

static struct partition *claim_slot(uint32_t slot, const char *name)
{
    struct partition *p = &hv.partitions[slot];
    memset(p, 0, sizeof *p);
    if (hv_virt->slat_init(&p->slat))
        return 0;
    p->slot = slot;
    p->id = hv.next_partition_id++;
    p->tag = (uint16_t)(slot + 1); /* ASID/VPID 0 belongs to the host */
    p->state = HV_PARTITION_STATE_CREATED;
    size_t n = strlen(name);
    memcpy(p->name, name, n < sizeof p->name ? n : sizeof p->name - 1);
    for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
        p->vps[i].partition = p;
        p->vps[i].index = i;
        p->vps[i].state = HV_VP_STATE_NONE;
    }
    return p;
}

struct partition *partition_create_root(void)
{
    struct partition *p = claim_slot(0, "root");
    if (p) {
        p->privileges = HV_PRIVILEGE_ROOT;
        p->state = HV_PARTITION_STATE_INITIALIZED;
    }
    return p;
}

struct partition *partition_create_child(void)
{
    for (uint32_t i = 1; i < HV_MAX_PARTITIONS; i++) {
        if (hv.partitions[i].state != PARTITION_FREE)
            continue;
        return claim_slot(i, "child");
    }
    return 0;
}

void partition_delete(struct partition *p)
{
    harness_partition_deleted(p);
    pages_reclaim(p);
    for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
        if (p->vps[i].arch)
            hv_virt->vcpu_destroy(p->vps[i].arch);
    hv_virt->slat_destroy(&p->slat);
    memset(p, 0, sizeof *p);
}

struct partition *partition_by_id(uint64_t id)
{
    for (int i = 0; i < HV_MAX_PARTITIONS; i++)
        if (hv.partitions[i].state != PARTITION_FREE && hv.partitions[i].id == id)
            return &hv.partitions[i];
    return 0;
}

struct partition *partition_child_by_id(uint64_t id)
{
    struct partition *p = partition_by_id(id);
    return p && !partition_is_root(p) ? p : 0;
}

struct partition *partition_next(struct partition *after)
{
    int start = after ? (int)(after - hv.partitions) + 1 : 0;
    for (int i = start; i < HV_MAX_PARTITIONS; i++)
        if (hv.partitions[i].state != PARTITION_FREE)
            return &hv.partitions[i];
    return 0;
}

void partition_allow_io(struct partition *p, uint16_t first, uint16_t count)
{
    for (uint32_t port = first; port < (uint32_t)first + count && port < 65536; port++)
        p->io_allow[port / 8] |= (uint8_t)(1u << (port % 8));
}

int vp_start(struct vp *vp, const struct vcpu_setup *setup)
{
    struct partition *p = vp->partition;
    struct vcpu_partition_info info = {&p->slat, p->tag, p->io_allow};
    /* Every VP runs with IF set: the timer's interrupts make the guest exit
     * and never reach it, and Bochs takes those exits only while the guest's
     * IF is set.  A guest sees an interrupt only for a SINT vector it asked for. */
    struct vcpu_setup s = *setup;
    s.rflags |= 0x200;
    vp->arch = hv_virt->vcpu_create(&info, &s);
    if (!vp->arch)
        return -1;
    memset(&vp->gprs, 0, sizeof vp->gprs);
    memset(vp->regs, 0, sizeof vp->regs);
    memset(&vp->vtimer, 0, sizeof vp->vtimer);
    vp->blocked = 0;
    vp->state = HV_VP_STATE_RUNNING;
    return 0;
}

int vp_deliver_message(struct vp *vp, uint32_t n, struct synic_message *m)
{
    struct sint *s = &vp->synic.sint[n];
    int into_slot = !s->slot_full;
    m->seq = hv.messages.posted;
    if (!sint_post(s, m))
        return 0;
    hv.messages.posted++;
    vp->blocked = 0;
    if (into_slot)
        synic_raise(&vp->synic, n);
    return 1;
}

void vp_signal_flag(struct vp *vp, uint32_t n, uint32_t flag)
{
    struct sint *s = &vp->synic.sint[n];
    uint64_t bit = 1ull << flag;
    if (!(s->event_flags & bit)) {
        hv.messages.events_signaled++;
        vp->blocked = 0;
        synic_raise(&vp->synic, n);
    }
    s->event_flags |= bit;
}

void vp_stop(struct vp *vp, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    format_buffer(why, sizeof why, fmt, ap);
    va_end(ap);
    struct partition *p = vp->partition;
    kprintf("partition %llu (%s) stopped: %s\n", (unsigned long long)p->id, p->name, why);
    vp->state = HV_VP_STATE_STOPPED;
}

static const char *const reason_names[HV_EXIT_REASON_COUNT] = {
    "hypercall", "cpuid", "hlt", "io", "msr", "npf", "exception", "triple", "interrupt", "other",
};

void stats_print_all(void)
{
    kprintf("exit statistics:\n  %-4s %-10s %9s", "id", "partition", "total");
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        kprintf(" %9s", reason_names[r]);
    kprintf("\n");
    for (struct partition *p = partition_next(0); p; p = partition_next(p)) {
        kprintf("  %-4llu %-10s %9llu", (unsigned long long)p->id, p->name,
                (unsigned long long)p->stats.total);
        for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
            kprintf(" %9llu", (unsigned long long)p->stats.count[r]);
        kprintf("\n");
    }
}
