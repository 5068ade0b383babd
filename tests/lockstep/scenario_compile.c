/* SPDX-License-Identifier: MIT */
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

#include "checker.h"
#include "model/calls.h"
#include "model/dump.h"
#include "model/scenario.h"
#include "model/state.h"
#include "model/status.h"
#include "step_build.h"

struct compiler {
    const char *path;
    struct steps_list *out;
    FILE *err;
    struct model_config cfg; /* the hypervisor's limits */
    struct model_state *shadow;
    unsigned last_line;
    int failed;
};

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

/* The shadow model takes the compiled step the way the hypervisor will. */
static void shadow_step(struct compiler *c, const struct scenario_step *st)
{
    struct model_result r;
    struct model_event e;
    if (step_apply(&c->cfg, c->shadow, st, &r) == 0)
        return;
    char ev[512];
    step_event(st, st->input, &e);
    model_event_format(&e, ev, sizeof ev);
    error(c, st->line, "under the hypervisor's own limits this step cannot "
          "happen (%s): the actor has no running VP, or the run is shut down",
          ev);
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
    struct step_request rq = {
        .fault = e->kind == MODEL_EV_FAULT,
        .actor = e->actor,
        .vp = e->vp,
        .input = e->input,
        .in_gpa = e->in_gpa,
        .out_gpa = e->out_gpa,
        /* fast with in_gpa= or out_gpa=: the registers as written */
        .regs_given = call->in_gpa_given || call->out_gpa_given,
        .elem = call->elem_arg,
        .elements = call->elements,
        .payload = call->payload_text,
        .payload_len = call->payload_len,
        .line = call->line,
    };
    int truncated;
    if (step_build(&c->cfg, c->shadow, &rq, st, &truncated)) {
        error(c, call->line, "the input block does not fit in %u bytes",
              SCENARIO_BLOCK_MAX);
        return;
    }
    if (truncated)
        fprintf(c->err, "%s:%u: note: a value does not fit its field in the "
                "input block; the hypervisor sees it truncated (the lockstep "
                "check follows what it sees)\n", c->path, call->line);
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
            shadow_step(&c, st);
        }
    }
    free(c.shadow);
    return rc || c.failed;
}
