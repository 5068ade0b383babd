/* SPDX-License-Identifier: MIT */
/*
 * Compiled scenarios: the steps a scenario (or a fuzz seed) becomes, ready
 * to be played by partitions inside the emulator — the root plays its own
 * steps, each child's scenario agent plays that child's, strictly in
 * order (docs/architecture/trace-format.md, "Playing a scenario").
 *
 * Written on the host by tests/lockstep/scenario-compile; read by
 * partitions/root (the player) and partitions/guests/agent.  Shared by the
 * host tools and the partitions; the hypervisor does not read it.
 *
 * All integers little-endian.  A file is one header followed by
 * step_count fixed-size steps.
 */
#ifndef PARTITA_SCENARIO_STEPS_H
#define PARTITA_SCENARIO_STEPS_H

#include <stdint.h>

#define SCENARIO_STEPS_MAGIC 0x50455453u /* "STEP" */
#define SCENARIO_STEPS_VERSION 1u
#define SCENARIO_BLOCK_MAX 1536u /* bytes of input block a step carries */

struct scenario_steps_header {
    uint32_t magic;
    uint32_t version;
    uint32_t step_count;
    uint32_t step_size; /* sizeof(struct scenario_step) */
    char name[64];      /* the scenario's file name, or "fuzz seed N" */
};

/*
 * A generated run (make soak): instead of the steps, the module holds a
 * window of `ring` step slots after this header (the header's page is
 * followed by the slots).  The root of a check build generates the steps
 * itself from the seed (tests/lockstep/fuzz.h, compiled into the root)
 * and writes step i into slot i % ring before it sets published to i + 1;
 * it reuses a slot only once its step was played (turn past it).  The
 * children's agents read the slots the hypervisor maps read-only into
 * them, as they read a compiled file.  So a run takes any number of
 * steps in a module of a few pages.
 */
#define SCENARIO_GEN_MAGIC 0x4e454753u /* "SGEN" */
#define SCENARIO_GEN_HEADER 4096u      /* the slots start one page in */
struct scenario_gen_header {
    uint32_t magic;
    uint32_t version;    /* SCENARIO_STEPS_VERSION */
    uint32_t step_size;  /* sizeof(struct scenario_step) */
    uint32_t ring;       /* slots */
    uint64_t seed;
    uint64_t step_count; /* steps of the run, the final shutdown included */
    volatile uint64_t published; /* steps written so far (the root's) */
};

#define SCENARIO_STEP_HYPERCALL 0u
#define SCENARIO_STEP_FAULT 1u /* the actor's VP triple-faults on purpose */

/* flags */
/* in_gpa/out_gpa are root GPAs of the default machine: relocate them
 * (scenario_frame_page) */
#define SCENARIO_STEP_ROOT_GPAS 0x1u
#define SCENARIO_STEP_WRITE_BLOCK 0x2u /* write block[0, block_len) at in_gpa first */

struct scenario_step {
    uint32_t kind;      /* SCENARIO_STEP_* */
    uint32_t vp;        /* the acting VP of the actor */
    uint64_t actor;     /* partition id */
    uint64_t input;     /* RCX, exactly as issued */
    uint64_t in_gpa;    /* RDX: input block GPA, or the first fast register */
    uint64_t out_gpa;   /* R8: output block GPA, or the second fast register */
    uint32_t flags;
    uint32_t line;      /* scenario line the step came from (0 for fuzz) */
    uint32_t block_len;
    /* Root page numbers inside the block (DepositMemory, MapGpaPages page
     * lists), in model space: u64 at block[reloc_offset + 8 * i] for
     * i < reloc_count is relocated (scenario_frame_page). */
    uint16_t reloc_offset;
    uint16_t reloc_count;
    /* StartVp with a valid context: the player substitutes the scenario
     * agent's own context (the model checks only validity). */
    uint32_t start_agent;
    uint32_t reserved;
    uint8_t block[SCENARIO_BLOCK_MAX];
};

/*
 * Where a scenario's root pages land.  Scenarios (and fuzz seeds) name the
 * root's pages as the model's default configuration has them: pages 0-7
 * the hypervisor's, 8-511 root RAM, 512 and above no RAM.  A root player
 * puts page f at scenario_frame_page(f): 0-7 stay where they are (the
 * first MiB is never root RAM), 8-511 go to the same pages at 48 MiB in
 * every emulator (root RAM the root keeps free, partitions/root/
 * root_pages.c, so the three emulators' traces agree page for page), 512
 * and above far past any RAM.  The lockstep checker relocates the steps it
 * compares the same way.  Children's pages are their own GPAs: never
 * relocated.
 */
#define SCENARIO_FRAMES 512u
#define SCENARIO_HV_FRAMES 8u
#define SCENARIO_BASE_PAGE 0x3000ull   /* 48 MiB */
#define SCENARIO_FAR_PAGE (1ull << 32) /* 16 TiB: no RAM */
static inline uint64_t scenario_frame_page(uint64_t f)
{
    return f < SCENARIO_HV_FRAMES ? f
           : f < SCENARIO_FRAMES  ? SCENARIO_BASE_PAGE + f
                                  : SCENARIO_FAR_PAGE + f;
}

/*
 * The harness area (check builds playing a scenario): the hypervisor maps
 * it into every child above the child's accounted GPA space (at 768 MiB,
 * above HV_MAX_CHILD_GPA_PAGES and inside the agent's one-GiB identity
 * map), so the model never sees it.  The agent image runs there with its own page tables.
 */
#define SCENARIO_AGENT_BASE 0x30000000ull    /* agent image, linked here */
#define SCENARIO_AGENT_MAX_PAGES 16u
#define SCENARIO_AGENT_INFO 0x30010000ull    /* struct scenario_agent_info */
#define SCENARIO_AGENT_CONTROL 0x30011000ull /* struct scenario_control, read-only */
#define SCENARIO_AGENT_PML4 0x30012000ull    /* identity map of the first GiB */
#define SCENARIO_AGENT_STACKS 0x30020000ull   /* 16 KiB per VP */
#define SCENARIO_AGENT_STACK_SIZE 0x4000ull
#define SCENARIO_AGENT_STEPS 0x30100000ull   /* the compiled steps, read-only */
/* The root sees the control page here (a hole in its RAM map). */
#define SCENARIO_ROOT_CONTROL 0xf0000000ull

/* The context the player gives StartVp in place of a scenario's own. */
#define SCENARIO_AGENT_RIP SCENARIO_AGENT_BASE
#define SCENARIO_AGENT_RSP (SCENARIO_AGENT_STACKS + SCENARIO_AGENT_STACK_SIZE)
#define SCENARIO_AGENT_CR3 SCENARIO_AGENT_PML4

/* Shared by every player: whose turn it is.  The root advances it after
 * each of its steps.  Children only read it (the page is the
 * hypervisor's, mapped read-only into them): the hypervisor advances it
 * when a child's hypercall completes and when a FAULT step's VP faults. */
struct scenario_control {
    volatile uint32_t turn; /* index of the next step to play */
    uint32_t reserved;
};

struct scenario_agent_info {
    uint64_t partition_id;
    uint64_t steps_size; /* bytes at SCENARIO_AGENT_STEPS */
};

#endif
