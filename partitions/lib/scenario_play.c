/* SPDX-License-Identifier: MIT */
#include "scenario_play.h"

#include "../../lib/string.h"
#include "hypercall.h"

int scenario_open(struct scenario_player *pl, const void *blob, uint64_t size)
{
    const struct scenario_gen_header *g = blob;
    if (size >= SCENARIO_GEN_HEADER && g->magic == SCENARIO_GEN_MAGIC) {
        if (g->version != SCENARIO_STEPS_VERSION ||
            g->step_size != sizeof(struct scenario_step) || g->ring == 0 ||
            (size - SCENARIO_GEN_HEADER) / sizeof(struct scenario_step) < g->ring)
            return -1;
        pl->gen = g;
        pl->header = 0;
        pl->steps = (const struct scenario_step *)((const uint8_t *)blob + SCENARIO_GEN_HEADER);
        return 0;
    }
    const struct scenario_steps_header *h = blob;
    if (size < sizeof *h || h->magic != SCENARIO_STEPS_MAGIC ||
        h->version != SCENARIO_STEPS_VERSION || h->step_size != sizeof(struct scenario_step) ||
        (size - sizeof *h) / sizeof(struct scenario_step) < h->step_count)
        return -1;
    pl->header = h;
    pl->gen = 0;
    pl->steps = (const struct scenario_step *)(h + 1);
    return 0;
}

/* No IDT: the exception becomes a double fault, which the hypervisor
 * stops as the triple fault it is about to be. */
static void fault_on_purpose(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = {0, 0};
    __asm__ volatile("lidt %0\n\tud2" : : "m"(empty));
}

static uint8_t block[SCENARIO_BLOCK_MAX];

void scenario_play_step(const struct scenario_player *pl, const struct scenario_step *s)
{
    if (s->kind == SCENARIO_STEP_FAULT) {
        fault_on_purpose();
        return;
    }
    uint64_t in = s->in_gpa, out = s->out_gpa;
    if ((s->flags & SCENARIO_STEP_ROOT_GPAS) && pl->relocate) {
        in = scenario_frame_page(in >> 12) << 12 | (in & 0xfff);
        out = scenario_frame_page(out >> 12) << 12 | (out & 0xfff);
    }
    if (s->flags & SCENARIO_STEP_WRITE_BLOCK) {
        uint32_t len = s->block_len < SCENARIO_BLOCK_MAX ? s->block_len : SCENARIO_BLOCK_MAX;
        memcpy(block, s->block, len);
        for (uint32_t i = 0; i < s->reloc_count; i++) {
            uint32_t at = s->reloc_offset + 8 * i;
            if (at + 8 > len)
                break;
            uint64_t page;
            memcpy(&page, block + at, 8);
            if (pl->relocate)
                page = scenario_frame_page(page);
            memcpy(block + at, &page, 8);
        }
        if (s->start_agent && len >= 48) {
            /* struct hv_input_start_vp: the agent's own context. */
            uint64_t ctx[4] = {SCENARIO_AGENT_RIP, SCENARIO_AGENT_RSP, 2, SCENARIO_AGENT_CR3};
            memcpy(block + 16, ctx, sizeof ctx);
        }
        memcpy((void *)(uintptr_t)in, block, len);
    }
    hv_hypercall(s->input, in, out);
}

/* A generated run, from a child's agent: the step whose turn it is, from
 * its slot once the root has published it.  Step t's slot is reused only
 * after turn passes t, and only step t's actor moves the turn past t: so
 * when the turn still says t after the slot was read, the slot held step
 * t, and if that step is ours it stays there until we play it. */
static uint32_t play_generated(struct scenario_player *pl)
{
    const struct scenario_gen_header *g = pl->gen;
    uint32_t played = 0;
    for (;;) {
        uint32_t t = pl->control->turn;
        if (t >= g->step_count)
            return played;
        if (g->published <= t) {
            __asm__ volatile("hlt"); /* the root is still generating it */
            continue;
        }
        const struct scenario_step *s = &pl->steps[t % g->ring];
        int mine = s->actor == pl->me && s->vp == pl->vp;
        __asm__ volatile("" ::: "memory");
        if (pl->control->turn != t)
            continue; /* the slot may hold a later step now: read again */
        if (!mine) {
            __asm__ volatile("hlt"); /* someone else's turn */
            continue;
        }
        scenario_play_step(pl, s);
        played++;
        if (s->kind != SCENARIO_STEP_FAULT && !pl->turn_by_hypervisor)
            pl->control->turn = t + 1;
    }
}

uint32_t scenario_play(struct scenario_player *pl)
{
    if (pl->gen)
        return play_generated(pl);
    uint32_t played = 0;
    for (uint32_t i = 0; i < pl->header->step_count; i++) {
        const struct scenario_step *s = &pl->steps[i];
        if (s->actor != pl->me || s->vp != pl->vp)
            continue;
        while (pl->control->turn != i)
            __asm__ volatile("hlt"); /* someone else's turn */
        scenario_play_step(pl, s);
        played++;
        if (s->kind != SCENARIO_STEP_FAULT && !pl->turn_by_hypervisor)
            pl->control->turn = i + 1;
    }
    return played;
}
