/* SPDX-License-Identifier: MIT */
/*
 * tables.c — the second-level tables the model's ownership state implies
 * (tables.h).  Derived from the model only, never from the hypervisor.
 */
#include "tables.h"

#include <string.h>

#define RIGHTS_ROOT 7u /* SLAT_READ | SLAT_WRITE | SLAT_EXEC */

/* MapGpaPages flags (READABLE 1, WRITABLE 2, EXECUTABLE 4) as the rights
 * of the mapping: a mapped page is always readable. */
static uint32_t child_rights(uint8_t flags)
{
    return 1u | (flags & (HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE));
}

/* The root's table at boot: every RAM page, identity.  The same machine
 * is checked step after step, so it is computed once per machine. */
static struct tables_expected root_at_boot(const struct model_config *cfg)
{
    static struct model_range ram[MODEL_MAX_RAM_RANGES];
    static uint32_t ranges = UINT32_MAX;
    static struct tables_expected boot;
    if (ranges == cfg->ram_ranges && !memcmp(ram, cfg->ram, ranges * sizeof ram[0]))
        return boot;
    ranges = cfg->ram_ranges;
    memcpy(ram, cfg->ram, ranges * sizeof ram[0]);
    boot = (struct tables_expected){0, 0};
    for (uint32_t i = 0; i < ranges; i++)
        for (uint64_t p = ram[i].first; p < ram[i].first + ram[i].pages; p++) {
            boot.entries++;
            boot.sum += tables_entry_hash(p, p, RIGHTS_ROOT);
        }
    return boot;
}

void tables_expect(const struct model_config *cfg, const struct model_state *s,
                   struct tables_expected exp[MODEL_MAX_PARTITIONS])
{
    memset(exp, 0, sizeof(struct tables_expected) * MODEL_MAX_PARTITIONS);
    exp[0] = root_at_boot(cfg);
    for (uint32_t i = 0; i < s->frames_listed; i++) {
        const struct model_frame *f = &s->frame[i];
        int root_maps = (f->kind == MODEL_FRAME_OWNED && f->owner == HV_PARTITION_ID_ROOT) ||
                        f->kind == MODEL_FRAME_SHARED;
        if (!root_maps) {
            exp[0].entries--;
            exp[0].sum -= tables_entry_hash(f->page, f->page, RIGHTS_ROOT);
        }
        uint64_t child = f->kind == MODEL_FRAME_SHARED ? f->peer
                         : f->kind == MODEL_FRAME_OWNED && f->owner != HV_PARTITION_ID_ROOT
                             ? f->owner
                             : 0;
        if (!child)
            continue;
        for (uint32_t k = 1; k < MODEL_MAX_PARTITIONS; k++)
            if (s->part[k].state != MODEL_PART_FREE && s->part[k].id == child) {
                exp[k].entries++;
                exp[k].sum += tables_entry_hash(f->gpa, f->page, child_rights(f->rights));
                break;
            }
    }
}
