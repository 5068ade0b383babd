/*
 * scenario_compile.c — scenario lines into compiled steps.
 *
 * The scenario runner (model/scenario.c) parses and resolves each line
 * and reports it here before running it; this file lays out the input
 * block as hvabi.h's structures and decides, with a shadow model at the
 * hypervisor's limits, what the partition can write.
 */
#include "scenario_compile.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "block_layout.h"
#include "checker.h"
#include "model/calls.h"
#include "model/dump.h"
#include "model/scenario.h"
#include "model/state.h"
#include "model/status.h"

struct compiler {
    const char *path;
    struct steps_list *out;
    FILE *err;
    struct model_config cfg; /* the hypervisor's limits */
    struct model_state *shadow;
    unsigned last_line;
    int failed;
};

static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1ffff;
}

static void error(struct compiler *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error(struct compiler *c, unsigned line, const char *fmt, ...)
{
    va_list ap;
    fprintf(c->err, "%s:%u: ", c->path, line);
    va_start(ap, fmt);
    vfprintf(c->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->err);
    c->failed = 1;
}

/* The shadow model takes the compiled step the way the hypervisor will:
 * the first element as issued, then the continuations it asks for. */
static void shadow_step(struct compiler *c, const struct scenario_step *st)
{
    uint64_t input = st->input;
    for (;;) {
        struct model_event e;
        struct model_result r;
        step_event(st, input, &e);
        model_apply(&c->cfg, c->shadow, &e, &r);
        if (!r.possible) {
            char ev[512];
            model_event_format(&e, ev, sizeof ev);
            error(c, st->line, "under the hypervisor's own limits this step "
                  "cannot happen (%s): the actor has no running VP, or the "
                  "run is shut down", ev);
            return;
        }
        uint32_t count = (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                    HV_HYPERCALL_REP_COUNT_SHIFT);
        if (e.kind != MODEL_EV_HYPERCALL || r.status != HV_STATUS_SUCCESS ||
            !count || r.reps_completed >= count)
            return;
        input = step_continuation(st->input, r.reps_completed);
    }
}

static void compile_call(const struct scenario_call *call, void *ctx)
{
    struct compiler *c = ctx;
    const struct model_event *e = &call->event;
    c->last_line = call->line;
    if (c->failed)
        return;
    struct scenario_step *st = steps_push(c->out);
    if (!st) {
        error(c, call->line, "out of memory");
        return;
    }
    st->kind = e->kind == MODEL_EV_FAULT ? SCENARIO_STEP_FAULT : SCENARIO_STEP_HYPERCALL;
    st->actor = e->actor;
    st->vp = e->vp;
    st->line = call->line;
    if (e->kind == MODEL_EV_FAULT) {
        shadow_step(c, st);
        return;
    }
    uint16_t code = (uint16_t)(e->input & HV_HYPERCALL_CODE_MASK);
    int fast = (e->input & HV_HYPERCALL_FAST_BIT) != 0;
    int root = e->actor == HV_PARTITION_ID_ROOT;
    struct block_out bo;
    int truncated = 0;
    if (block_encode(code, call->elem_arg, call->elements, call->payload_text,
                     call->payload_len, st->block, SCENARIO_BLOCK_MAX, &bo,
                     &truncated)) {
        error(c, call->line, "the input block does not fit in %u bytes",
              SCENARIO_BLOCK_MAX);
        return;
    }
    if (truncated)
        fprintf(c->err, "%s:%u: note: a value does not fit its field in the "
                "input block; the hypervisor sees it truncated (the lockstep "
                "check follows what it sees)\n", c->path, call->line);
    st->input = e->input;
    if (fast) {
        /* Fast: the block's first 16 bytes travel in RDX and R8. */
        uint64_t rdx, r8;
        memcpy(&rdx, st->block, 8);
        memcpy(&r8, st->block + 8, 8);
        st->in_gpa = call->in_gpa_given ? e->in_gpa : rdx;
        st->out_gpa = call->out_gpa_given ? e->out_gpa : r8;
        st->block_len = bo.len < 16 ? bo.len : 16;
    } else {
        st->in_gpa = e->in_gpa;
        st->out_gpa = e->out_gpa;
        if (root)
            st->flags |= SCENARIO_STEP_ROOT_GPAS;
        /* Written only where the partition can write it, and only up to
         * the end of the page: the rest is the dispatcher's to refuse. */
        uint64_t room = HV_PAGE_SIZE - (st->in_gpa & (HV_PAGE_SIZE - 1));
        if (bo.len && model_frame_at_gpa(&c->cfg, c->shadow, e->actor,
                                         st->in_gpa >> HV_PAGE_SHIFT) >= 0) {
            st->flags |= SCENARIO_STEP_WRITE_BLOCK;
            st->block_len = (uint32_t)(bo.len < room ? bo.len : room);
            if (root && bo.reloc_count) {
                uint32_t fit = st->block_len > bo.reloc_offset
                                   ? (st->block_len - bo.reloc_offset) / 8 : 0;
                st->reloc_offset = bo.reloc_offset;
                st->reloc_count = (uint16_t)(fit < bo.reloc_count ? fit : bo.reloc_count);
            }
        }
        if (!(st->flags & SCENARIO_STEP_WRITE_BLOCK))
            memset(st->block, 0, sizeof st->block);
    }
    if (code == HVCALL_START_VP) {
        const uint64_t *a = call->elem_arg[0];
        st->start_agent = canonical(a[2]) && canonical(a[3]) &&
                          (a[4] & HV_X64_RFLAGS_FIXED1) != 0;
    }
    shadow_step(c, st);
}

int scenario_compile_file(const char *path, struct steps_list *out, FILE *trace,
                          FILE *err)
{
    struct compiler c = {path, out, err, model_config_default(), NULL, 0, 0};
    c.shadow = malloc(sizeof *c.shadow);
    if (!c.shadow) {
        fprintf(err, "%s: out of memory\n", path);
        return 1;
    }
    model_init(&c.cfg, c.shadow);
    const char *base = strrchr(path, '/');
    snprintf(out->name, sizeof out->name, "%s", base ? base + 1 : path);

    int rc = scenario_run_file_with(path, trace, err, compile_call, &c);
    if (rc) {
        fprintf(err, "%s: the scenario does not pass against the model: not "
                "compiled\n", path);
    } else if (!c.failed && c.shadow->hv_state != MODEL_HV_SHUT_DOWN) {
        struct scenario_step *st = steps_push(out);
        if (!st) {
            fprintf(err, "%s: out of memory\n", path);
            c.failed = 1;
        } else {
            /* root PartitaShutdown code=0 fast=1: the run's end. */
            st->kind = SCENARIO_STEP_HYPERCALL;
            st->actor = HV_PARTITION_ID_ROOT;
            st->input = model_input(HVCALL_PARTITA_SHUTDOWN, 1, 0, 0);
            st->line = c.last_line + 1;
            st->block_len = 16;
            shadow_step(&c, st);
        }
    }
    free(c.shadow);
    return rc || c.failed;
}
