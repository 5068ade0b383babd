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
#ifdef PARTITA_TRACE
#include "tests/lockstep/fuzz.h"
#endif

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

#ifdef PARTITA_TRACE
/* The generator's state: its own model (a few MiB), so not on the stack. */
static struct fuzz_gen gen;

/*
 * A generated run (scenario_steps.h, SCENARIO_GEN_MAGIC): the root
 * generates every step from the seed, one at a time, into the window's
 * slots, up to a window ahead of the turn, and plays its own steps when
 * their turn comes.  The generator's model follows the steps it
 * generates, not the hypervisor's answers: the checker regenerates the
 * same steps from the same seed.
 */
static int play_generated(struct scenario_player *pl)
{
    const struct scenario_gen_header *g = pl->gen;
    struct scenario_gen_header *w = (struct scenario_gen_header *)(uintptr_t)g;
    struct scenario_step *slots = (struct scenario_step *)(uintptr_t)pl->steps;
    if (g->step_count == 0 || g->step_count > 0xffffffffull) {
        printf("root: FAIL: a generated run of %llu steps\n", (unsigned long long)g->step_count);
        return 1;
    }
    fuzz_begin(&gen, g->seed, (uint32_t)(g->step_count - 1));
    printf("root: generating and playing fuzz seed %llu: %llu steps (window of %u)\n",
           (unsigned long long)g->seed, (unsigned long long)g->step_count, g->ring);
    for (uint32_t i = 0; i < g->step_count; i++) {
        while (pl->control->turn + g->ring <= i)
            __asm__ volatile("hlt"); /* the slot's step is not played yet */
        struct scenario_step *s = &slots[i % g->ring];
        int rc = fuzz_next(&gen, s);
        if (rc != 1) {
            printf("root: FAIL: the generator stopped at step %u (%s)\n", i + 1,
                   rc == 0 ? "no more steps" : rc == FUZZ_BLOCK_TOO_LARGE
                                 ? "block too large: generator bug"
                                 : "the model refused it: generator bug");
            return 1;
        }
        __asm__ volatile("" ::: "memory");
        w->published = i + 1;
        if (i % 10000 == 0 && i)
            printf("root: %u steps generated\n", i);
        if (s->actor != pl->me || s->vp != pl->vp)
            continue;
        while (pl->control->turn != i)
            __asm__ volatile("hlt"); /* someone else's turn */
        scenario_play_step(pl, s);
        pl->control->turn = i + 1;
    }
    printf("root: played every step, the run did not end\n");
    return 1;
}
#else
static int play_generated(struct scenario_player *pl)
{
    (void)pl;
    printf("root: FAIL: a generated run needs the check build (TRACE=1)\n");
    return 1;
}
#endif

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
    if (pl.gen)
        return play_generated(&pl);
    printf("root: playing '%s': %u steps\n", pl.header->name, pl.header->step_count);
    uint32_t played = scenario_play(&pl);
    /* Reached only if the scenario's last root step was not a shutdown. */
    printf("root: played %u steps, the scenario did not end the run\n", played);
    return 1;
}
