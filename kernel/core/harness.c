/* SPDX-License-Identifier: MIT */
#ifdef PARTITA_TRACE
#include "harness.h"

#include "../../lib/elf.h"
#include "../abi/scenario_steps.h"
#include "../arch/arch.h"
#include "log.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

#define HARNESS_PAGES_MAX 40

static const struct boot_module *agent, *steps;
static uint64_t control_page;
static struct elf_image agent_elf;

/* Pool pages each child's harness area uses, freed with the child. */
static struct {
    int ready;
    uint32_t count;
    uint64_t pages[HARNESS_PAGES_MAX];
} areas[HV_MAX_PARTITIONS];

static const char *first_word_is(const char *cmdline, const char *name)
{
    size_t n = strlen(name);
    /* The module's command line is "path [args]": match the path's last component. */
    const char *end = cmdline;
    while (*end && *end != ' ')
        end++;
    if ((size_t)(end - cmdline) < n || memcmp(end - n, name, n) != 0)
        return 0;
    return end;
}

void harness_root_setup(struct partition *root, struct partition_boot_info *info,
                        const struct boot_info *bi)
{
    for (uint32_t i = 1; i < bi->module_count; i++) {
        if (first_word_is(bi->modules[i].cmdline, "agent.elf"))
            agent = &bi->modules[i];
        if (first_word_is(bi->modules[i].cmdline, "steps.bin"))
            steps = &bi->modules[i];
    }
    if (!agent || !steps)
        return;
    const char *err = elf_parse(arch_phys_to_virt(agent->start), agent->end - agent->start,
                                &agent_elf);
    if (!err && (agent_elf.lowest < SCENARIO_AGENT_BASE ||
                 agent_elf.highest > SCENARIO_AGENT_BASE + SCENARIO_AGENT_MAX_PAGES * 4096ull))
        err = "the agent is not linked inside its harness area";
    control_page = hv_page_alloc();
    if (err || !control_page ||
        hv_virt->slat_map(&root->slat, SCENARIO_ROOT_CONTROL, control_page, SLAT_READ | SLAT_WRITE)) {
        kprintf("scenario harness: cannot set up (%s)\n", err ? err : "no memory");
        agent = steps = 0;
        return;
    }
    info->scenario_control = SCENARIO_ROOT_CONTROL;
    kprintf("scenario harness: agent %llu bytes, steps %llu bytes\n",
            (unsigned long long)(agent->end - agent->start),
            (unsigned long long)(steps->end - steps->start));
}

/* A fresh zeroed pool page mapped into p at gpa, remembered for freeing. */
static uint64_t area_page(struct partition *p, uint64_t gpa, uint32_t rights)
{
    if (areas[p->slot].count == HARNESS_PAGES_MAX)
        return 0;
    uint64_t page = hv_page_alloc();
    if (!page || hv_virt->slat_map(&p->slat, gpa, page, rights))
        return 0;
    areas[p->slot].pages[areas[p->slot].count++] = page;
    return page;
}

static int build_area(struct partition *p)
{
    const uint32_t rw = SLAT_READ | SLAT_WRITE, rx = SLAT_READ | SLAT_EXEC;
    const uint8_t *image = arch_phys_to_virt(agent->start);
    for (uint64_t gpa = agent_elf.lowest & ~0xfffull; gpa < agent_elf.highest; gpa += 4096) {
        uint64_t page = area_page(p, gpa, rx | SLAT_WRITE);
        if (!page)
            return -1;
        for (uint32_t i = 0; i < agent_elf.segment_count; i++) {
            const struct elf_segment *s = &agent_elf.segments[i];
            for (uint64_t off = 0; off < s->filesz; off++)
                if (((s->paddr + off) & ~0xfffull) == gpa)
                    ((uint8_t *)arch_phys_to_virt(page))[(s->paddr + off) & 0xfff] =
                        image[s->offset + off];
        }
    }
    uint64_t info = area_page(p, SCENARIO_AGENT_INFO, SLAT_READ);
    uint64_t pml4 = area_page(p, SCENARIO_AGENT_PML4, rw);
    uint64_t pdpt = area_page(p, SCENARIO_AGENT_PML4 + 0x1000, rw);
    uint64_t pd = area_page(p, SCENARIO_AGENT_PML4 + 0x2000, rw);
    if (!info || !pml4 || !pdpt || !pd)
        return -1;
    for (uint64_t gpa = SCENARIO_AGENT_STACKS;
         gpa < SCENARIO_AGENT_STACKS + SCENARIO_AGENT_STACK_SIZE * HV_MAX_VPS_PER_PARTITION;
         gpa += 4096)
        if (!area_page(p, gpa, rw))
            return -1;
    /* One control page for every player, in the hypervisor's pool: a child
     * only reads it, so it cannot move the turn or scribble on the pool
     * (harness_hypercall_done advances the turn for it). */
    if (hv_virt->slat_map(&p->slat, SCENARIO_AGENT_CONTROL, control_page, SLAT_READ))
        return -1;
    for (uint64_t pa = steps->start & ~0xfffull; pa < steps->end; pa += 4096)
        if (hv_virt->slat_map(&p->slat, SCENARIO_AGENT_STEPS + (pa - (steps->start & ~0xfffull)),
                              pa, SLAT_READ))
            return -1;
    /* The agent's own page tables: identity over the first GiB, 2 MiB pages. */
    ((uint64_t *)arch_phys_to_virt(pml4))[0] = (SCENARIO_AGENT_PML4 + 0x1000) | 0x3;
    ((uint64_t *)arch_phys_to_virt(pdpt))[0] = (SCENARIO_AGENT_PML4 + 0x2000) | 0x3;
    for (uint64_t j = 0; j < 512; j++)
        ((uint64_t *)arch_phys_to_virt(pd))[j] = (j << 21) | 0x83;
    struct scenario_agent_info *ai = arch_phys_to_virt(info);
    ai->partition_id = p->id;
    ai->steps_size = steps->end - steps->start;
    areas[p->slot].ready = 1;
    return 0;
}

void harness_vp_started(struct vp *vp)
{
    struct partition *p = vp->partition;
    if (!agent || p->slot == 0)
        return;
    if (!areas[p->slot].ready && build_area(p)) {
        kprintf("scenario harness: no room for the agent in partition %llu\n",
                (unsigned long long)p->id);
        return;
    }
    vp->gprs.rdi = SCENARIO_AGENT_INFO;
}

void harness_vp_faulted(struct vp *vp)
{
    (void)vp;
    if (control_page)
        ((struct scenario_control *)arch_phys_to_virt(control_page))->turn++;
}

void harness_hypercall_done(struct vp *vp)
{
    struct partition *p = vp->partition;
    if (control_page && p->slot != 0 && areas[p->slot].ready)
        ((struct scenario_control *)arch_phys_to_virt(control_page))->turn++;
}

void harness_partition_deleted(struct partition *p)
{
    for (uint32_t i = 0; i < areas[p->slot].count; i++)
        hv_page_free(areas[p->slot].pages[i]);
    areas[p->slot].count = 0;
    areas[p->slot].ready = 0;
}
#else
typedef int harness_disabled; /* release builds: no harness */
#endif
