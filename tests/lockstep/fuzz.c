/* SPDX-License-Identifier: MIT */
/*
 * fuzz.c — the fuzz generator.
 *
 * Each step picks an actor with a running VP (the root most often), a
 * call and its arguments.  Arguments are mostly plausible — live ids,
 * pages the root owns, ports and connections in a small id range so they
 * collide — and sometimes wrong on purpose: bad ids, hypervisor frames,
 * pages far out of range, misaligned or page-crossing blocks, reserved
 * input bits, wrong rep counts.  While fewer than two children run, the
 * generator mostly sets one up (create, initialize, deposit, create VP,
 * map a page, start), so IPC calls soon have somewhere to go.
 *
 * "Out of range" root pages are far beyond the default machine's 512
 * pages (2^40 and up); the player puts every page from 512 on far past
 * RAM anyway (kernel/abi/scenario_steps.h).
 */
#include "fuzz.h"

#include <string.h>
#if __STDC_HOSTED__
#include <stdio.h>
#include <stdlib.h>
#endif

#include "model/alphabet.h"
#include "model/calls.h"
#include "model/state.h"
#include "step_build.h"

#define MAX_ELEMS FUZZ_MAX_ELEMS
#define FAR_PAGE (1ull << 40)

#define fz fuzz_gen /* the generator's state (fuzz.h) */

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t next(struct fz *f)
{
    uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint32_t rnd(struct fz *f, uint32_t n)
{
    return n ? (uint32_t)(next(f) % n) : 0;
}

static int chance(struct fz *f, uint32_t percent)
{
    return rnd(f, 100) < percent;
}

/* ---- what the model knows --------------------------------------------- */

static uint32_t children(const struct fz *f, uint64_t *ids)
{
    uint32_t n = 0;
    for (uint32_t i = 1; i < f->cfg.partitions; i++)
        if (model_partition_live(&f->s.part[i]))
            ids[n++] = f->s.part[i].id;
    return n;
}

static const struct model_partition *part(const struct fz *f, uint64_t id)
{
    uint32_t slot = model_slot_of(&f->cfg, &f->s, id);
    return slot == MODEL_NO_SLOT ? NULL : &f->s.part[slot];
}

static int running(const struct fz *f, uint64_t id, uint32_t vp)
{
    const struct model_partition *p = part(f, id);
    return p && vp < f->cfg.vps && p->vp[vp].state == HV_VP_STATE_RUNNING;
}

static uint32_t running_children(const struct fz *f)
{
    uint64_t ids[MODEL_MAX_PARTITIONS];
    uint32_t n = children(f, ids), k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += running(f, ids[i], 0) || running(f, ids[i], 1);
    return k;
}

/* Seeds are written for the model's default machine (scenario_steps.h):
 * pages 0-7 the hypervisor's, 8-511 the root's. */
static int root_exclusive(const struct fz *f, uint32_t frame)
{
    return model_page_is_ram(&f->cfg, frame) && !model_frame_find(&f->s, frame);
}

static uint32_t free_root_pages(const struct fz *f)
{
    uint32_t n = 0;
    for (uint32_t i = SCENARIO_HV_FRAMES; i < SCENARIO_FRAMES; i++)
        n += root_exclusive(f, i);
    return n;
}

/* A root page: mostly one the root owns outright (the highest ones, so
 * the root's own parameter page, the lowest, lasts), sometimes any model
 * frame (hypervisor frames 0-7 included) or one far out of range. */
static uint64_t root_page(struct fz *f)
{
    uint32_t r = rnd(f, 100);
    if (r < 80) {
        for (uint32_t tries = 0; tries < 64; tries++) {
            uint32_t fr =
                SCENARIO_FRAMES - 1 - rnd(f, SCENARIO_FRAMES - SCENARIO_HV_FRAMES - 1);
            if (root_exclusive(f, fr))
                return fr;
        }
    }
    if (r < 88)
        return rnd(f, SCENARIO_HV_FRAMES);
    if (r < 96)
        return rnd(f, SCENARIO_FRAMES);
    return FAR_PAGE + rnd(f, 1u << 20);
}

/* A partition id to name: a live child mostly, else a bad one. */
static uint64_t any_child(struct fz *f)
{
    uint64_t ids[MODEL_MAX_PARTITIONS];
    uint32_t n = children(f, ids);
    uint32_t r = rnd(f, 100);
    if (n && r < 85)
        return ids[rnd(f, n)];
    switch (rnd(f, 5)) {
    case 0: return 0;
    case 1: return HV_PARTITION_ID_ROOT;
    case 2: return f->s.next_partition_id + rnd(f, 3);
    case 3: return HV_PARTITION_ID_SELF;
    default: return next(f);
    }
}

/* A child in one life-cycle state, or 0. */
static uint64_t child_in(struct fz *f, uint8_t state)
{
    uint64_t ids[MODEL_MAX_PARTITIONS], pick[MODEL_MAX_PARTITIONS];
    uint32_t n = children(f, ids), k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (part(f, ids[i])->state == state)
            pick[k++] = ids[i];
    return k ? pick[rnd(f, k)] : 0;
}

static uint64_t any_partition(struct fz *f)
{
    return chance(f, 20) ? HV_PARTITION_ID_ROOT : any_child(f);
}

static uint64_t small_id(struct fz *f) /* port and connection ids: collide */
{
    uint32_t r = rnd(f, 100);
    return r < 92 ? 1 + rnd(f, 4) : r < 96 ? 0 : HV_PORT_ID_MAX + 1 + rnd(f, 4);
}

static uint64_t vp_index(struct fz *f)
{
    return chance(f, 94) ? rnd(f, 2) : 2 + rnd(f, 3);
}

static uint64_t reg_name(struct fz *f)
{
    static const uint32_t names[] = {
        HV_X64_REGISTER_RAX, HV_X64_REGISTER_RSP, HV_X64_REGISTER_RIP,
        HV_X64_REGISTER_RFLAGS, HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR3,
        HV_X64_REGISTER_CR4, HV_X64_REGISTER_EFER};
    return chance(f, 92) ? names[rnd(f, 8)] : 0x20001 + rnd(f, 4);
}

static uint64_t reg_value(struct fz *f)
{
    switch (rnd(f, 6)) {
    case 0: return 0;
    case 1: return 2;
    case 2: return 0x800000000000ull; /* not canonical */
    case 3: return 0xffff800000001000ull;
    default: return next(f) & 0xffffff;
    }
}

/* One of the actor's own connections (so posts and signals get through
 * often enough to fill queues), else a random id. */
static uint64_t own_connection(struct fz *f)
{
    uint32_t ids[MODEL_MAX_CONNECTIONS], n = 0;
    for (uint32_t i = 0; i < f->cfg.connections; i++)
        if (f->s.conn[i].used && f->s.conn[i].partition == f->actor)
            ids[n++] = f->s.conn[i].conn_id;
    return n && chance(f, 85) ? ids[rnd(f, n)] : small_id(f);
}

/* A SINT of the actor's VP that holds something, else a small one. */
static uint64_t busy_sint(struct fz *f)
{
    uint32_t slot = model_slot_of(&f->cfg, &f->s, f->actor);
    if (slot != MODEL_NO_SLOT && chance(f, 70))
        for (uint32_t q = 0; q < f->cfg.sints; q++) {
            const struct model_sint *si = &f->s.sint[slot][f->vp][q];
            if (si->slot_full || si->event_flags)
                return q;
        }
    return chance(f, 95) ? rnd(f, 3) : HV_SYNIC_SINT_COUNT + rnd(f, 4);
}

/* ---- one step ---------------------------------------------------------- */

static void set_all(struct fz *f, int arg, uint64_t v)
{
    for (uint32_t i = 0; i < MAX_ELEMS; i++)
        f->elem[i][arg] = v;
}

/* Fills the arguments of `code` for the current actor. */
static void args_for(struct fz *f, uint16_t code)
{
    switch (code) {
    case HVCALL_CREATE_PARTITION:
        set_all(f, 0, chance(f, 95) ? 0 : 1ull << rnd(f, 64));
        break;
    case HVCALL_INITIALIZE_PARTITION:
    case HVCALL_FINALIZE_PARTITION:
    case HVCALL_DELETE_PARTITION:
        set_all(f, 0, any_child(f));
        break;
    case HVCALL_DEPOSIT_MEMORY:
        set_all(f, 0, any_child(f));
        for (uint32_t i = 0; i < MAX_ELEMS; i++)
            f->elem[i][1] = root_page(f);
        break;
    case HVCALL_WITHDRAW_MEMORY:
        set_all(f, 0, any_child(f));
        set_all(f, 1, chance(f, 92) ? 0 : 1 + rnd(f, 3));
        break;
    case HVCALL_MAP_GPA_PAGES: {
        /* Read-only pages too: the model tracks rights, parameter blocks
         * default to a page the actor can write (model_default_in_gpa),
         * and an output block that lands in a read-only one (gpas())
         * must be refused. */
        static const uint64_t flags[] = {
            HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE,
            HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE,
            HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_PARTITA_SHARED,
            HV_MAP_GPA_READABLE,
            HV_MAP_GPA_READABLE | HV_MAP_GPA_EXECUTABLE,
            HV_MAP_GPA_READABLE | HV_MAP_GPA_PARTITA_SHARED,
            HV_MAP_GPA_EXECUTABLE, HV_MAP_GPA_WRITABLE, 0x10, 0};
        set_all(f, 0, any_child(f));
        uint32_t r = rnd(f, 100);
        set_all(f, 1, r < 90 ? rnd(f, 12) : r < 95 ? HV_MAX_CHILD_GPA_PAGES - 1 - rnd(f, 2)
                                                   : HV_MAX_CHILD_GPA_PAGES + rnd(f, 100));
        set_all(f, 2, flags[chance(f, 85) ? rnd(f, 6) : 6 + rnd(f, 4)]);
        for (uint32_t i = 0; i < MAX_ELEMS; i++)
            f->elem[i][3] = root_page(f);
        break;
    }
    case HVCALL_UNMAP_GPA_PAGES:
        set_all(f, 0, any_child(f));
        set_all(f, 1, chance(f, 95) ? rnd(f, 12) : (uint64_t)-1 - rnd(f, 2));
        set_all(f, 2, chance(f, 95) ? 0 : 1);
        break;
    case HVCALL_CREATE_VP:
        set_all(f, 0, any_child(f));
        set_all(f, 1, vp_index(f));
        set_all(f, 2, chance(f, 95) ? 0 : 1);
        break;
    case HVCALL_START_VP:
        set_all(f, 0, any_child(f));
        set_all(f, 1, vp_index(f));
        set_all(f, 2, chance(f, 92) ? 0x1000 : 0x800000000000ull);
        set_all(f, 3, chance(f, 95) ? 0x8000 : 0x123456789abcdef0ull);
        set_all(f, 4, chance(f, 92) ? 2 : 0);
        set_all(f, 5, 0);
        break;
    case HVCALL_GET_VP_REGISTERS:
    case HVCALL_SET_VP_REGISTERS:
        set_all(f, 0, f->actor != HV_PARTITION_ID_ROOT && chance(f, 60)
                          ? (chance(f, 50) ? HV_PARTITION_ID_SELF : f->actor)
                          : any_child(f));
        set_all(f, 1, vp_index(f));
        for (uint32_t i = 0; i < MAX_ELEMS; i++) {
            f->elem[i][2] = reg_name(f);
            f->elem[i][3] = reg_value(f);
        }
        break;
    case HVCALL_CREATE_PORT:
        set_all(f, 0, any_partition(f));
        set_all(f, 1, small_id(f));
        set_all(f, 2, any_partition(f));
        set_all(f, 3, chance(f, 94) ? 1 + rnd(f, 2) : 3);
        set_all(f, 4, chance(f, 94) ? rnd(f, 3) : HV_SYNIC_SINT_COUNT);
        set_all(f, 5, chance(f, 94) ? rnd(f, 2) : 2);
        break;
    case HVCALL_DELETE_PORT:
        set_all(f, 0, any_partition(f));
        set_all(f, 1, small_id(f));
        break;
    case HVCALL_CONNECT_PORT: {
        /* Mostly an existing port, from the partition it admits. */
        uint32_t used[MODEL_MAX_PORTS], n = 0;
        for (uint32_t i = 0; i < f->cfg.ports; i++)
            if (f->s.port[i].used)
                used[n++] = i;
        set_all(f, 1, small_id(f));
        if (n && chance(f, 75)) {
            const struct model_port *pt = &f->s.port[used[rnd(f, n)]];
            set_all(f, 0, pt->conn_partition);
            set_all(f, 2, pt->partition);
            set_all(f, 3, pt->port_id);
        } else {
            set_all(f, 0, any_partition(f));
            set_all(f, 2, any_partition(f));
            set_all(f, 3, small_id(f));
        }
        break;
    }
    case HVCALL_DISCONNECT_PORT:
        set_all(f, 0, any_partition(f));
        set_all(f, 1, small_id(f));
        break;
    case HVCALL_POST_MESSAGE: {
        uint32_t size = chance(f, 95) ? rnd(f, 33) : chance(f, 50) ? 240 : 241 + rnd(f, 20);
        set_all(f, 0, own_connection(f));
        set_all(f, 1, chance(f, 94) ? 1 + rnd(f, 3) : chance(f, 50) ? 0 : 0x80000000u);
        set_all(f, 2, size);
        f->payload_len = size < HV_MESSAGE_PAYLOAD ? size : HV_MESSAGE_PAYLOAD;
        for (size_t i = 0; i < f->payload_len; i++)
            f->payload[i] = (uint8_t)('a' + rnd(f, 26));
        break;
    }
    case HVCALL_SIGNAL_EVENT:
        set_all(f, 0, own_connection(f));
        set_all(f, 1, chance(f, 95) ? rnd(f, 8) : 64 + rnd(f, 4));
        break;
    case HVCALL_PARTITA_GET_EXIT_STATS:
        set_all(f, 0, chance(f, 40) ? HV_PARTITION_ID_SELF : any_partition(f));
        break;
    case HVCALL_PARTITA_TRACE_CONTROL:
        set_all(f, 0, chance(f, 92) ? rnd(f, 16) : 16u << rnd(f, 8));
        break;
    case HVCALL_PARTITA_SHUTDOWN: /* only children get here: refused */
        set_all(f, 0, rnd(f, 3));
        break;
    case HVCALL_PARTITA_SINT_EOM:
    case HVCALL_PARTITA_READ_SINT_MESSAGE:
    case HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS:
        set_all(f, 0, busy_sint(f));
        break;
    default:
        break;
    }
}

/* Calls a random step draws from, with weights.  Shutdown from the root
 * would end the run: only children (refused) draw it. */
static const struct {
    uint16_t code;
    uint8_t weight;
} mix[] = {
    {HVCALL_CREATE_PARTITION, 3}, {HVCALL_INITIALIZE_PARTITION, 3},
    {HVCALL_FINALIZE_PARTITION, 1}, {HVCALL_DELETE_PARTITION, 2},
    {HVCALL_GET_PARTITION_ID, 2}, {HVCALL_DEPOSIT_MEMORY, 4},
    {HVCALL_WITHDRAW_MEMORY, 3}, {HVCALL_MAP_GPA_PAGES, 5},
    {HVCALL_UNMAP_GPA_PAGES, 4}, {HVCALL_CREATE_VP, 3},
    {HVCALL_START_VP, 3}, {HVCALL_GET_VP_REGISTERS, 3},
    {HVCALL_SET_VP_REGISTERS, 3}, {HVCALL_CREATE_PORT, 6},
    {HVCALL_DELETE_PORT, 2}, {HVCALL_CONNECT_PORT, 6},
    {HVCALL_DISCONNECT_PORT, 2}, {HVCALL_POST_MESSAGE, 12},
    {HVCALL_SIGNAL_EVENT, 6}, {HVCALL_PARTITA_NULL, 1},
    {HVCALL_PARTITA_GET_EXIT_STATS, 2}, {HVCALL_PARTITA_GET_HV_INFO, 1},
    {HVCALL_PARTITA_TRACE_CONTROL, 1}, {HVCALL_PARTITA_SHUTDOWN, 1},
    {HVCALL_PARTITA_SINT_EOM, 8}, {HVCALL_PARTITA_READ_SINT_MESSAGE, 6},
    {HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, 4},
};

static uint16_t random_code(struct fz *f)
{
    uint32_t total = 0;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++)
        total += mix[i].weight;
    uint32_t r = rnd(f, total);
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        if (r < mix[i].weight)
            return mix[i].code;
        r -= mix[i].weight;
    }
    return HVCALL_PARTITA_NULL;
}

/* The next call that brings a child closer to running, or 0. */
static uint16_t setup_call(struct fz *f)
{
    uint64_t ids[MODEL_MAX_PARTITIONS];
    uint32_t n = children(f, ids);
    for (uint32_t i = 0; i < n; i++) {
        const struct model_partition *p = part(f, ids[i]);
        if (p->state == MODEL_PART_FINALIZED || running(f, ids[i], 0))
            continue;
        set_all(f, 0, ids[i]);
        if (p->vp[0].state == HV_VP_STATE_STOPPED) /* faulted: never runs again */
            return HVCALL_FINALIZE_PARTITION;
        if (p->state == MODEL_PART_CREATED)
            return HVCALL_INITIALIZE_PARTITION;
        if (free_root_pages(f) < 2)
            return 0;
        if (p->vp[0].state == HV_VP_STATE_NONE) {
            if (model_deposited_count(&f->cfg, &f->s, ids[i]) <= p->deposit_used) {
                for (uint32_t k = 0; k < MAX_ELEMS; k++)
                    f->elem[k][1] = root_page(f);
                return HVCALL_DEPOSIT_MEMORY;
            }
            set_all(f, 1, 0);
            set_all(f, 2, 0);
            return HVCALL_CREATE_VP;
        }
        if (model_frame_at_gpa(&f->cfg, &f->s, ids[i], 0) < 0) {
            set_all(f, 1, 0);
            set_all(f, 2, HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE);
            for (uint32_t k = 0; k < MAX_ELEMS; k++)
                f->elem[k][3] = root_page(f);
            return HVCALL_MAP_GPA_PAGES;
        }
        set_all(f, 1, 0);
        set_all(f, 2, 0x1000);
        set_all(f, 3, 0x8000);
        set_all(f, 4, 2);
        set_all(f, 5, 0);
        return HVCALL_START_VP;
    }
    if (n + 1 < f->cfg.partitions && free_root_pages(f) >= 4) {
        set_all(f, 0, 0);
        return HVCALL_CREATE_PARTITION;
    }
    /* The table is full of children that cannot run: clear one out. */
    uint64_t fin = child_in(f, MODEL_PART_FINALIZED);
    if (fin) {
        set_all(f, 0, fin);
        return HVCALL_DELETE_PARTITION;
    }
    return 0;
}

/* The input value: mostly right for the call, sometimes wrong on purpose. */
static uint64_t input_value(struct fz *f, uint16_t code, uint32_t *elements)
{
    const struct model_call_desc *d = model_call_by_code(code);
    int rep = d && (d->flags & MODEL_CALL_REP);
    int fast = d && (d->flags & MODEL_CALL_FAST_OK) && chance(f, 50);
    *elements = rep ? 1 + rnd(f, code == HVCALL_SET_VP_REGISTERS ? 2 : MAX_ELEMS) : 1;
    uint32_t start = rep && chance(f, 5) ? rnd(f, *elements) : 0;
    uint64_t input = model_input(code, fast, rep ? *elements : 0, start);
    if (chance(f, 97))
        return input;
    switch (rnd(f, 5)) {
    case 0: /* a reserved bit */
        return input | (1ull << (17 + rnd(f, 15)));
    case 1: /* fast on anything */
        return input | HV_HYPERCALL_FAST_BIT;
    case 2: /* rep count on a simple call, or none on a rep call */
        return rep ? model_input(code, 0, 0, 0) : model_input(code, 0, 1 + rnd(f, 3), 0);
    case 3: /* rep start past the count */
        return model_input(code, 0, 1, 1 + rnd(f, 3));
    default: { /* an unknown call code */
        static const uint16_t bad[] = {0x0000, 0x0044, 0x0047, 0x8008, 0xffff};
        return model_input(bad[rnd(f, 5)], 0, 0, 0);
    }
    }
}

/* Parameter pages: the actor's lowest reachable page mostly; sometimes
 * misaligned, crossing the page end, unreachable, or far away. */
static void gpas(struct fz *f, uint64_t *in, uint64_t *out)
{
    uint64_t base = model_default_in_gpa(&f->cfg, &f->s, f->actor);
    uint32_t r = rnd(f, 100);
    *in = base + (chance(f, 80) ? 0 : 8 * rnd(f, 32));
    *out = *in + HV_PAGE_SIZE / 2;
    if (r < 94)
        return;
    switch (r) {
    case 94: *in += 4; break;                               /* misaligned */
    case 95: *in = base + HV_PAGE_SIZE - 8; break;           /* crosses the page */
    case 96: *out = base + HV_PAGE_SIZE - 8; break;
    case 97: /* a page the actor cannot reach */
        *in = f->actor == HV_PARTITION_ID_ROOT ? (uint64_t)rnd(f, 8) << HV_PAGE_SHIFT
                                               : (uint64_t)(100 + rnd(f, 100)) << HV_PAGE_SHIFT;
        break;
    case 98: *in = FAR_PAGE << HV_PAGE_SHIFT; break;
    default: *out = (uint64_t)rnd(f, 8) << HV_PAGE_SHIFT; break;
    }
}

/* Picks the actor: the root, or a child VP that runs. */
static void pick_actor(struct fz *f)
{
    f->actor = HV_PARTITION_ID_ROOT;
    f->vp = 0;
    if (chance(f, 45))
        return;
    uint64_t ids[MODEL_MAX_PARTITIONS], run[2 * MODEL_MAX_PARTITIONS];
    uint32_t vps[2 * MODEL_MAX_PARTITIONS], n = children(f, ids), k = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t v = 0; v < f->cfg.vps; v++)
            if (running(f, ids[i], v)) {
                run[k] = ids[i];
                vps[k++] = v;
            }
    if (k) {
        uint32_t j = rnd(f, k);
        f->actor = run[j];
        f->vp = vps[j];
    }
}

void fuzz_begin(struct fuzz_gen *f, uint64_t seed, uint32_t steps)
{
    memset(f, 0, sizeof *f);
    f->rng = seed;
    f->seed = seed;
    f->steps = steps;
    f->cfg = model_config_default();
    model_init(&f->cfg, &f->s);
}

int fuzz_next(struct fuzz_gen *f, struct scenario_step *st)
{
    uint32_t i = f->index;
    if (i > f->steps)
        return 0;
    struct step_request rq;
    memset(&rq, 0, sizeof rq);
    memset(f->elem, 0, sizeof f->elem);
    f->payload_len = 0;
    uint16_t code = 0;
    uint64_t input = 0;
    rq.line = i + 1;
    if (i == f->steps) { /* the end: root PartitaShutdown code=0, fast */
        f->actor = HV_PARTITION_ID_ROOT;
        f->vp = 0;
        input = model_input(HVCALL_PARTITA_SHUTDOWN, 1, 0, 0);
        f->elements = 1;
    } else {
        pick_actor(f);
        if (f->actor != HV_PARTITION_ID_ROOT && chance(f, 1)) {
            rq.fault = 1;
        } else if (f->actor == HV_PARTITION_ID_ROOT && running_children(f) < 2 &&
                   chance(f, 70) && (code = setup_call(f)) != 0) {
            f->elements = 1;
            input = model_input(code, 0, code == HVCALL_DEPOSIT_MEMORY ||
                                             code == HVCALL_MAP_GPA_PAGES, 0);
        } else {
            code = random_code(f);
            if (code == HVCALL_PARTITA_SHUTDOWN && f->actor == HV_PARTITION_ID_ROOT)
                code = HVCALL_PARTITA_NULL;
            /* Too few pages left: give some back rather than take. */
            if (free_root_pages(f) < 8 && chance(f, 50))
                code = chance(f, 50) ? HVCALL_UNMAP_GPA_PAGES : HVCALL_WITHDRAW_MEMORY;
            args_for(f, code);
            input = input_value(f, code, &f->elements);
        }
    }
    rq.actor = f->actor;
    rq.vp = f->vp;
    if (!rq.fault) {
        rq.input = input;
        gpas(f, &rq.in_gpa, &rq.out_gpa);
        rq.elem = (const uint64_t (*)[MODEL_ARGS])f->elem;
        rq.elements = f->elements;
        rq.payload = f->payload;
        rq.payload_len = f->payload_len;
    }
    int truncated;
    struct model_result r;
    if (step_build(&f->cfg, &f->s, &rq, st, &truncated))
        return FUZZ_BLOCK_TOO_LARGE;
    if (step_apply(&f->cfg, &f->s, st, &r))
        return FUZZ_IMPOSSIBLE;
    f->index = i + 1;
    return 1;
}

#if __STDC_HOSTED__
void fuzz_error(const struct fuzz_gen *f, int rc, char *err, size_t errlen)
{
    if (rc == FUZZ_BLOCK_TOO_LARGE)
        snprintf(err, errlen, "step %u: block too large (generator bug)", f->index + 1);
    else
        snprintf(err, errlen, "step %u: the model says the step cannot happen "
                 "(generator bug: actor %llu vp %u)", f->index + 1,
                 (unsigned long long)f->actor, f->vp);
}

int fuzz_generate(uint64_t seed, uint32_t steps, struct steps_list *out,
                  char *err, size_t errlen)
{
    struct fuzz_gen *f = malloc(sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fuzz_begin(f, seed, steps);
    snprintf(out->name, sizeof out->name, "fuzz seed %llu",
             (unsigned long long)seed);
    int rc = 0;
    for (;;) {
        struct scenario_step tmp;
        int r = fuzz_next(f, &tmp);
        if (r == 0)
            break;
        if (r < 0) {
            fuzz_error(f, r, err, errlen);
            rc = -1;
            break;
        }
        struct scenario_step *st = steps_push(out);
        if (!st) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        memcpy(st, &tmp, sizeof tmp);
    }
    free(f);
    return rc;
}

static int source_get(void *ctx, uint32_t i, struct scenario_step *st)
{
    struct fuzz_source *fs = ctx;
    if (i != fs->g->index) {
        snprintf(fs->err, sizeof fs->err, "step %u asked for out of order (next is %u)",
                 i + 1, fs->g->index + 1);
        return -1;
    }
    int rc = fuzz_next(fs->g, st);
    if (rc == 1)
        return 0;
    if (rc == 0)
        snprintf(fs->err, sizeof fs->err, "the generator has no step %u", i + 1);
    else
        fuzz_error(fs->g, rc, fs->err, sizeof fs->err);
    return -1;
}

int fuzz_source_open(struct fuzz_source *fs, uint64_t seed, uint32_t steps)
{
    memset(fs, 0, sizeof *fs);
    fs->g = malloc(sizeof *fs->g);
    if (!fs->g)
        return -1;
    fuzz_begin(fs->g, seed, steps);
    snprintf(fs->name, sizeof fs->name, "fuzz seed %llu", (unsigned long long)seed);
    fs->src = (struct step_source){fs->name, steps + 1, source_get, fs, fs->err};
    return 0;
}

void fuzz_source_close(struct fuzz_source *fs)
{
    free(fs->g);
    fs->g = NULL;
}
#endif
