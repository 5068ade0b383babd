#include "partition.h"

#include <stdarg.h>

#include "log.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../lib/string.h"
#endif

const struct virt_backend *hv_virt;

static struct partition partitions[HV_MAX_PARTITIONS];
static uint64_t next_id = HV_PARTITION_ID_ROOT;

struct partition *partition_create(const char *name, uint64_t privileges)
{
    for (int i = 0; i < HV_MAX_PARTITIONS; i++) {
        struct partition *p = &partitions[i];
        if (p->in_use)
            continue;
        memset(p, 0, sizeof *p);
        if (hv_virt->slat_init(&p->slat))
            return 0;
        p->in_use = 1;
        p->id = next_id++;
        p->tag = (uint16_t)(i + 1); /* ASID/VPID 0 belongs to the host */
        p->privileges = privileges;
        p->state = HV_PARTITION_STATE_CREATED;
        size_t n = strlen(name);
        if (n >= sizeof p->name)
            n = sizeof p->name - 1;
        memcpy(p->name, name, n);
        p->name[n] = '\0';
        return p;
    }
    return 0;
}

struct partition *partition_by_id(uint64_t id)
{
    for (int i = 0; i < HV_MAX_PARTITIONS; i++)
        if (partitions[i].in_use && partitions[i].id == id)
            return &partitions[i];
    return 0;
}

struct partition *partition_next(struct partition *after)
{
    int start = after ? (int)(after - partitions) + 1 : 0;
    for (int i = start; i < HV_MAX_PARTITIONS; i++)
        if (partitions[i].in_use)
            return &partitions[i];
    return 0;
}

void partition_allow_io(struct partition *p, uint16_t first, uint16_t count)
{
    for (uint32_t port = first; port < (uint32_t)first + count && port < 65536; port++)
        p->io_allow[port / 8] |= (uint8_t)(1u << (port % 8));
}

struct vp *vp_create(struct partition *p, const struct vcpu_setup *setup)
{
    if (p->vp_count == HV_MAX_VPS_PER_PARTITION)
        return 0;
    struct vp *vp = &p->vps[p->vp_count];
    struct vcpu_partition_info info = {&p->slat, p->tag, p->io_allow};
    vp->arch = hv_virt->vcpu_create(&info, setup);
    if (!vp->arch)
        return 0;
    vp->partition = p;
    vp->index = p->vp_count++;
    vp->state = HV_VP_STATE_CREATED;
    memset(&vp->gprs, 0, sizeof vp->gprs);
    return vp;
}

void partition_stop(struct partition *p, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    format_buffer(why, sizeof why, fmt, ap);
    va_end(ap);
    kprintf("partition %llu (%s) stopped: %s\n", (unsigned long long)p->id, p->name, why);
    for (uint32_t i = 0; i < p->vp_count; i++)
        p->vps[i].state = HV_VP_STATE_STOPPED;
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
