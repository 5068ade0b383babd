/* SPDX-License-Identifier: MIT */
/*
 * The scenario agent: a child partition that knows nothing but how to
 * play its own steps of a compiled scenario, in turn, and then wait.
 */
#include "../../../kernel/abi/scenario_steps.h"
#include "../../lib/hypercall.h"
#include "../../lib/scenario_play.h"

_Static_assert(SCENARIO_AGENT_STACKS == 0x30020000ull, "start.S loads this stack base");

void agent_main(const struct scenario_agent_info *info, uint32_t vp);

void agent_main(const struct scenario_agent_info *info, uint32_t vp)
{
    struct scenario_player pl = {
        .control = (volatile struct scenario_control *)SCENARIO_AGENT_CONTROL,
        .me = info->partition_id,
        .vp = vp,
        .relocate = 0,
        .turn_by_hypervisor = 1, /* the control page is read-only here */
    };
    hv_detect();
    if (scenario_open(&pl, (const void *)SCENARIO_AGENT_STEPS, info->steps_size) == 0)
        scenario_play(&pl);
    for (;;)
        __asm__ volatile("hlt");
}
