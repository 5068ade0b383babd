/* SPDX-License-Identifier: MIT */
/*
 * The root as scenario player: when booted with a compiled scenario
 * (module steps.bin) in a check build, it plays the root's steps, in turn
 * with the children's agents.  The hypervisor traces every step; the
 * lockstep checker compares the trace with the model afterwards.
 */
#include "../lib/console.h"
#include "../lib/scenario_play.h"
#include "../lib/string_util.h"
#include "root.h"
#include "root_pages.h"

const struct partition_module *root_find_module(const struct partition_boot_info *info,
                                                const char *name)
{
    size_t n = strlen(name);
    for (uint32_t i = 0; i < info->module_count; i++) {
        const char *m = info->modules[i].name;
        size_t len = 0;
        while (m[len] && m[len] != ' ')
            len++;
        if (len >= n && memcmp(m + len - n, name, n) == 0)
            return &info->modules[i];
    }
    return 0;
}

int root_play_scenario(const struct partition_boot_info *info)
{
    const struct partition_module *m = root_find_module(info, "steps.bin");
    if (!m || !info->scenario_control) {
        printf("root: FAIL: no compiled scenario (steps.bin) or no harness: not a check build?\n");
        return 1;
    }
    struct scenario_player pl = {
        .control = (volatile struct scenario_control *)(uintptr_t)info->scenario_control,
        .me = info->partition_id,
        .vp = 0,
        .relocate = 1,
    };
    if (!root_pages_scenario_ready(info)) {
        printf("root: FAIL: the scenario pages at 0x%llx are not all root RAM\n",
               (unsigned long long)(SCENARIO_BASE_PAGE << 12));
        return 1;
    }
    if (scenario_open(&pl, (const void *)(uintptr_t)m->base, m->size)) {
        printf("root: FAIL: steps.bin is not a compiled scenario of this version\n");
        return 1;
    }
    printf("root: playing '%s': %u steps\n", pl.header->name, pl.header->step_count);
    uint32_t played = scenario_play(&pl);
    /* Reached only if the scenario's last root step was not a shutdown. */
    printf("root: played %u steps, the scenario did not end the run\n", played);
    return 1;
}
