/* SPDX-License-Identifier: MIT */
/*
 * alphabet.c — which events the explorer tries.
 *
 * Arguments are chosen relative to the state ("the first live child",
 * "a frame the root owns outright") so that a handful of templates
 * reaches every call's success path and its interesting refusals, on the
 * small configuration, within a few steps.
 */
#include "alphabet.h"

#include <stdio.h>
#include <string.h>

#include "state.h"

/* The two children the alphabet talks about: the live children in id
 * order, padded with ids not handed out yet. */
static void children(const struct model_config *cfg,
                     const struct model_state *s, uint64_t c[2])
{
    uint64_t ids[MODEL_MAX_PARTITIONS];
    size_t n = 0;
    for (uint32_t i = 1; i < cfg->partitions; i++)
        if (model_partition_live(&s->part[i]))
            ids[n++] = s->part[i].id;
    for (size_t i = 1; i < n; i++) /* sort */
        for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            uint64_t t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    c[0] = n > 0 ? ids[0] : s->next_partition_id;
    c[1] = n > 1 ? ids[1] : s->next_partition_id + 1;
}

static uint64_t root_free_frame(const struct model_config *cfg,
                                const struct model_state *s)
{
    /* Highest root frame, so the root's input page (its lowest) is the
     * last one it gives away. */
    for (uint64_t f = model_ram_end(cfg); f-- > 0;)
        if (model_page_is_ram(cfg, f) && !model_frame_find(s, f))
            return f;
    return model_ram_end(cfg); /* none: no frame, refused */
}

static uint64_t child_gpa(const struct model_config *cfg,
                          const struct model_state *s, uint64_t child,
                          int mapped)
{
    for (uint64_t g = 0; g < cfg->child_gpa_pages; g++)
        if ((model_frame_at_gpa(cfg, s, child, g) >= 0) == mapped)
            return g;
    return 0;
}

struct builder {
    const struct model_config *cfg;
    const struct model_state *s;
    struct model_event *out;
    size_t n, max;
};

static void emit(struct builder *b, uint64_t actor, uint16_t code,
                 uint32_t rep, const uint64_t *args, size_t nargs)
{
    if (b->n == b->max)
        return;
    struct model_event *e = &b->out[b->n++];
    memset(e, 0, sizeof *e);
    e->kind = MODEL_EV_HYPERCALL;
    e->actor = actor;
    e->input = model_input(code, 0, rep, 0);
    e->in_gpa = model_default_in_gpa(b->cfg, b->s, actor);
    e->out_gpa = e->in_gpa + HV_PAGE_SIZE / 2;
    for (size_t i = 0; i < nargs && i < MODEL_ARGS; i++)
        e->arg[i] = args[i];
}

#define EMIT(b, actor, code, rep, ...)                                      \
    do {                                                                    \
        const uint64_t a_[] = {__VA_ARGS__};                                \
        emit((b), (actor), (code), (rep), a_, sizeof a_ / sizeof a_[0]);    \
    } while (0)

static int running(const struct model_config *cfg,
                   const struct model_state *s, uint64_t id)
{
    uint32_t slot = model_slot_of(cfg, s, id);
    return slot != MODEL_NO_SLOT &&
           s->part[slot].vp[0].state == HV_VP_STATE_RUNNING;
}

size_t model_alphabet(const struct model_config *cfg,
                      const struct model_state *s, struct model_event *out,
                      size_t max)
{
    struct builder b = {cfg, s, out, 0, max};
    const uint64_t R = HV_PARTITION_ID_ROOT;
    const uint64_t RW = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE;
    uint64_t c[2];
    children(cfg, s, c);
    uint64_t page = root_free_frame(cfg, s);

    /* The root: life cycle, memory, VPs, IPC objects, Partita calls. */
    EMIT(&b, R, HVCALL_CREATE_PARTITION, 0, 0);
    EMIT(&b, R, HVCALL_CREATE_PARTITION, 0, 1); /* bad flags */
    for (int k = 0; k < 2; k++) {
        uint64_t t = c[k];
        EMIT(&b, R, HVCALL_INITIALIZE_PARTITION, 0, t);
        EMIT(&b, R, HVCALL_FINALIZE_PARTITION, 0, t);
        EMIT(&b, R, HVCALL_DELETE_PARTITION, 0, t);
        EMIT(&b, R, HVCALL_DEPOSIT_MEMORY, 1, t, page);
        EMIT(&b, R, HVCALL_WITHDRAW_MEMORY, 1, t, 0);
        EMIT(&b, R, HVCALL_MAP_GPA_PAGES, 1, t, child_gpa(cfg, s, t, 0), RW,
             page);
        EMIT(&b, R, HVCALL_MAP_GPA_PAGES, 1, t, child_gpa(cfg, s, t, 0),
             RW | HV_MAP_GPA_PARTITA_SHARED, page);
        EMIT(&b, R, HVCALL_UNMAP_GPA_PAGES, 1, t, child_gpa(cfg, s, t, 1), 0);
        EMIT(&b, R, HVCALL_CREATE_VP, 0, t, 0, 0);
        EMIT(&b, R, HVCALL_START_VP, 0, t, 0, 0x1000, 0x8000,
             HV_X64_RFLAGS_FIXED1, 0);
        EMIT(&b, R, HVCALL_SET_VP_REGISTERS, 1, t, 0, HV_X64_REGISTER_RAX, 7);
        EMIT(&b, R, HVCALL_PARTITA_COMPLETE_IO, 0, t, 0, 0x41);
    }
    EMIT(&b, R, HVCALL_DEPOSIT_MEMORY, 1, c[0], 0); /* a hypervisor frame */
    /* Port 1: message port on c0, sint 0, admits c1; port 2: event port
     * on c1, sint 1, admits c0. */
    EMIT(&b, R, HVCALL_CREATE_PORT, 0, c[0], 1, c[1], HV_PORT_TYPE_MESSAGE, 0,
         0);
    EMIT(&b, R, HVCALL_CREATE_PORT, 0, c[1], 2, c[0], HV_PORT_TYPE_EVENT,
         cfg->sints > 1 ? 1 : 0, 0);
    EMIT(&b, R, HVCALL_CONNECT_PORT, 0, c[1], 1, c[0], 1);
    EMIT(&b, R, HVCALL_CONNECT_PORT, 0, c[0], 2, c[1], 2);
    EMIT(&b, R, HVCALL_DISCONNECT_PORT, 0, c[1], 1);
    EMIT(&b, R, HVCALL_DELETE_PORT, 0, c[0], 1);
    EMIT(&b, R, HVCALL_DELETE_PORT, 0, c[1], 2);
    EMIT(&b, R, HVCALL_PARTITA_TRACE_CONTROL, 0, 0);
    EMIT(&b, R, HVCALL_PARTITA_SHUTDOWN, 0, 0);
    /* Malformed input: unknown code, reserved bit, misaligned page. */
    EMIT(&b, R, 0x7777, 0, 0);
    if (b.n < b.max) {
        EMIT(&b, R, HVCALL_GET_PARTITION_ID, 0, 0);
        b.out[b.n - 1].input |= 1ull << 20;
    }
    if (b.n < b.max) {
        EMIT(&b, R, HVCALL_CREATE_PARTITION, 0, 0);
        b.out[b.n - 1].in_gpa += 4;
    }

    /* The children: IPC on their connections, refused privileged calls. */
    for (int k = 0; k < 2; k++) {
        uint64_t x = c[k];
        if (!running(cfg, s, x))
            continue;
        EMIT(&b, x, HVCALL_POST_MESSAGE, 0, 1, 1, 8, 0xA0 + (uint64_t)k);
        EMIT(&b, x, HVCALL_SIGNAL_EVENT, 0, 2, 0);
        EMIT(&b, x, HVCALL_PARTITA_SINT_EOM, 0, 0);
        EMIT(&b, x, HVCALL_PARTITA_READ_SINT_MESSAGE, 0, 0);
        EMIT(&b, x, HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, 0,
             cfg->sints > 1 ? 1 : 0);
        EMIT(&b, x, HVCALL_CREATE_PARTITION, 0, 0);   /* ACCESS_DENIED */
        EMIT(&b, x, HVCALL_MAP_GPA_PAGES, 1, c[1 - k], 0, RW, page);
        EMIT(&b, x, HVCALL_GET_PARTITION_ID, 0, 0);
        if (b.n < b.max) { /* async: the child's VP triple-faults */
            struct model_event *e = &b.out[b.n++];
            memset(e, 0, sizeof *e);
            e->kind = MODEL_EV_FAULT;
            e->actor = x;
        }
        if (b.n < b.max) { /* async: the child's port access goes to the root */
            struct model_event *e = &b.out[b.n++];
            memset(e, 0, sizeof *e);
            e->kind = MODEL_EV_IO_INTERCEPT;
            e->actor = x;
            e->arg[0] = 0x10 + (uint64_t)k; /* the intercept payload's digest */
            e->arg[1] = sizeof(struct hv_x64_io_intercept_message);
        }
    }
    return b.n;
}

/* ---- start states ---------------------------------------------------- */

static int run(const struct model_config *cfg, struct model_state *s,
               struct model_event *e, struct model_event *prelude, size_t *n,
               size_t max)
{
    struct model_result r;
    e->kind = MODEL_EV_HYPERCALL;
    e->in_gpa = model_default_in_gpa(cfg, s, e->actor);
    e->out_gpa = e->in_gpa + HV_PAGE_SIZE / 2;
    model_apply(cfg, s, e, &r);
    if (*n < max)
        prelude[(*n)++] = *e;
    if (!r.possible || r.status != HV_STATUS_SUCCESS) {
        fprintf(stderr, "explore: start prelude step %zu failed (status %u);"
                " the configuration is too small for this start\n", *n,
                r.status);
        return -1;
    }
    return 0;
}

#define STEP(code, rep, ...)                                                \
    do {                                                                    \
        struct model_event e_ = {.actor = HV_PARTITION_ID_ROOT,             \
                                 .input = model_input((code), 0, (rep), 0), \
                                 .arg = {__VA_ARGS__}};                     \
        if (run(cfg, s, &e_, prelude, n, max))                              \
            return -1;                                                      \
    } while (0)

int model_start_state(const struct model_config *cfg, enum model_start start,
                      struct model_state *s, struct model_event *prelude,
                      size_t *n, size_t max)
{
    *n = 0;
    model_init(cfg, s);
    if (start == MODEL_START_BOOT)
        return 0;
    const uint64_t RW = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE;
    uint64_t ids[2] = {s->next_partition_id, s->next_partition_id + 1};
    for (int k = 0; k < 2; k++) {
        uint64_t id = ids[k];
        STEP(HVCALL_CREATE_PARTITION, 0, 0);
        STEP(HVCALL_INITIALIZE_PARTITION, 0, id);
        STEP(HVCALL_DEPOSIT_MEMORY, 1, id, root_free_frame(cfg, s));
        STEP(HVCALL_CREATE_VP, 0, id, 0, 0);
        STEP(HVCALL_START_VP, 0, id, 0, 0x1000, 0x8000, HV_X64_RFLAGS_FIXED1,
             0);
        STEP(HVCALL_MAP_GPA_PAGES, 1, id, 0, RW, root_free_frame(cfg, s));
    }
    if (start == MODEL_START_SETUP)
        return 0;
    STEP(HVCALL_CREATE_PORT, 0, ids[0], 1, ids[1], HV_PORT_TYPE_MESSAGE, 0, 0);
    STEP(HVCALL_CONNECT_PORT, 0, ids[1], 1, ids[0], 1);
    STEP(HVCALL_CREATE_PORT, 0, ids[1], 2, ids[0], HV_PORT_TYPE_EVENT,
         cfg->sints > 1 ? 1 : 0, 0);
    STEP(HVCALL_CONNECT_PORT, 0, ids[0], 2, ids[1], 2);
    return 0;
}

int model_start_parse(const char *text, enum model_start *out)
{
    static const char *names[] = {"boot", "setup", "ipc"};
    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (enum model_start)i;
            return 0;
        }
    return -1;
}

const char *model_start_name(enum model_start start)
{
    switch (start) {
    case MODEL_START_BOOT: return "boot";
    case MODEL_START_SETUP: return "setup";
    case MODEL_START_IPC: return "ipc";
    }
    return "?";
}
