/* SPDX-License-Identifier: MIT */
/*
 * dot.c — projections of the explorer's transition graph.
 *
 * For each diagram: a start state, an event filter, a depth, and a
 * projection from an abstract state to the label of one object's state.
 * Every explored transition whose projection changes becomes an edge
 * labelled with the call; refusals that matter (a full queue, an empty
 * slot, a call in the wrong state) become dashed self-loops labelled with
 * their status.
 */
#include "dot.h"

#include <inttypes.h>
#include <string.h>

#include "calls.h"
#include "explore.h"
#include "state.h"
#include "status.h"

#define MAX_EDGES 256
#define LABEL 96

struct edge {
    char from[LABEL], to[LABEL], label[LABEL];
    int refused;
};

struct diagram;
typedef void (*project_fn)(const struct model_config *cfg,
                           const struct model_state *s, char *out);
typedef int (*keep_fn)(const struct model_event *e,
                       const struct model_result *r);

struct diagram {
    const char *name, *title;
    enum model_start start;
    struct model_config cfg;
    unsigned depth;
    const char *const *only;
    project_fn project;
    keep_fn keep_loop; /* which unchanged-projection steps to draw as
                          self-loops (refusals dashed) */
    const char *first;    /* the initial node's label */
};

struct collect {
    const struct diagram *d;
    struct edge edges[MAX_EDGES];
    size_t n;
};

static const char *call_name(const struct model_event *e)
{
    if (e->kind == MODEL_EV_FAULT)
        return "Fault (async)";
    if (e->kind == MODEL_EV_IO_INTERCEPT)
        return "port I/O intercepted (async)";
    const struct model_call_desc *d =
        model_call_by_code((uint16_t)(e->input & HV_HYPERCALL_CODE_MASK));
    return d ? d->name : "?";
}

static void on_edge(void *ctx, const struct model_state *from,
                    const struct model_event *e, const struct model_result *r,
                    const struct model_state *to)
{
    struct collect *c = ctx;
    struct edge ed = {0};
    c->d->project(&c->d->cfg, from, ed.from);
    c->d->project(&c->d->cfg, to, ed.to);
    if (strcmp(ed.from, ed.to) == 0) {
        if (!c->d->keep_loop || !c->d->keep_loop(e, r))
            return;
        ed.refused = r->status != HV_STATUS_SUCCESS;
        if (ed.refused)
            snprintf(ed.label, LABEL, "%s: %s", call_name(e),
                     model_status_name(r->status));
        else
            snprintf(ed.label, LABEL, "%s", call_name(e));
    } else {
        snprintf(ed.label, LABEL, "%s", call_name(e));
    }
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->edges[i].from, ed.from) && !strcmp(c->edges[i].to, ed.to) &&
            !strcmp(c->edges[i].label, ed.label))
            return;
    if (c->n < MAX_EDGES)
        c->edges[c->n++] = ed;
}

/* ---- projections ------------------------------------------------------ */

#define CHILD 2 /* the first child's id: the object the diagrams follow */

static void partition_of(const struct model_config *cfg,
                         const struct model_state *s, char *out)
{
    uint32_t slot = model_slot_of(cfg, s, CHILD);
    if (slot != MODEL_NO_SLOT)
        snprintf(out, LABEL, "%s",
                 model_partition_state_name(s->part[slot].state));
    else
        snprintf(out, LABEL, s->next_partition_id > CHILD ? "deleted"
                                                          : "no partition");
}

static int refusal_on_child(const struct model_event *e,
                            const struct model_result *r)
{
    return e->kind == MODEL_EV_HYPERCALL && e->arg[0] == CHILD &&
           r->status != HV_STATUS_SUCCESS &&
           r->status == HV_STATUS_INVALID_PARTITION_STATE;
}

static void vp_of(const struct model_config *cfg, const struct model_state *s,
                  char *out)
{
    uint32_t slot = model_slot_of(cfg, s, CHILD);
    if (slot == MODEL_NO_SLOT)
        snprintf(out, LABEL, "no VP (no partition)");
    else
        snprintf(out, LABEL, "%s",
                 model_vp_state_name(s->part[slot].vp[0].state));
}

static int vp_refusal(const struct model_event *e, const struct model_result *r)
{
    return e->kind == MODEL_EV_HYPERCALL && e->arg[0] == CHILD &&
           r->status != HV_STATUS_SUCCESS &&
           (r->status == HV_STATUS_INVALID_VP_STATE ||
            r->status == HV_STATUS_INSUFFICIENT_MEMORY);
}

static void port_of(const struct model_config *cfg, const struct model_state *s,
                    char *out)
{
    int pi = model_port_find(cfg, s, CHILD, 1);
    if (pi < 0) {
        snprintf(out, LABEL, "no port");
        return;
    }
    unsigned conns = 0;
    for (uint32_t i = 0; i < cfg->connections; i++)
        conns += s->conn[i].used && s->conn[i].port_partition == CHILD &&
                 s->conn[i].port_id == 1;
    snprintf(out, LABEL, conns ? "port, connected" : "port, unconnected");
}

/* Refusals of calls that name port 1 of the child. */
static int port_refusal(const struct model_event *e,
                        const struct model_result *r)
{
    uint16_t code = (uint16_t)(e->input & HV_HYPERCALL_CODE_MASK);
    int names_port =
        ((code == HVCALL_CREATE_PORT || code == HVCALL_DELETE_PORT) &&
         e->arg[0] == CHILD && e->arg[1] == 1) ||
        (code == HVCALL_CONNECT_PORT && e->arg[2] == CHILD && e->arg[3] == 1);
    return names_port && r->status != HV_STATUS_SUCCESS;
}

static void queue_of(const struct model_config *cfg,
                     const struct model_state *s, char *out)
{
    uint32_t slot = model_slot_of(cfg, s, CHILD);
    if (slot == MODEL_NO_SLOT) {
        snprintf(out, LABEL, "receiver gone");
        return;
    }
    const struct model_sint *q = &s->sint[slot][0][0];
    if (!q->slot_full)
        snprintf(out, LABEL, "slot empty");
    else if (q->queue_len == 0)
        snprintf(out, LABEL, "slot full, queue empty");
    else
        snprintf(out, LABEL, "slot full, %u queued%s", q->queue_len,
                 q->queue_len >= cfg->queue_depth ? " (queue full)" : "");
}

/* The sender's refusals, and the receiver's reads and refusals. */
static int queue_refusal(const struct model_event *e,
                         const struct model_result *r)
{
    if (r->status == HV_STATUS_INSUFFICIENT_BUFFERS)
        return 1;
    return e->actor == CHILD && (r->status == HV_STATUS_NO_DATA ||
                                 r->status == HV_STATUS_SUCCESS);
}

/* ---- the diagrams ------------------------------------------------------ */

static const char *const lifecycle_calls[] = {
    "CreatePartition", "InitializePartition", "FinalizePartition",
    "DeletePartition", NULL};
static const char *const vp_calls[] = {
    "CreatePartition", "InitializePartition", "DepositMemory", "CreateVp",
    "StartVp", "FinalizePartition", "DeletePartition", "Fault", "port I/O intercepted",
    "PartitaCompleteIo", NULL};
static const char *const port_calls[] = {
    "CreatePort", "ConnectPort", "DisconnectPort", "DeletePort",
    "FinalizePartition", "DeletePartition", NULL};
static const char *const queue_calls[] = {
    "PostMessage", "PartitaSintEom", "PartitaReadSintMessage", NULL};

static struct model_config one_child(void)
{
    struct model_config c = model_config_small();
    c.partitions = 2;
    return c;
}

static struct diagram diagrams[4];
const char *const model_dot_diagrams[] = {
    "partition-lifecycle", "vp-lifecycle", "port-lifecycle", "message-queue",
    NULL};

static void init_diagrams(void)
{
    diagrams[0] = (struct diagram){
        "partition-lifecycle", "Partition life cycle (child partition 2)",
        MODEL_START_BOOT, one_child(), 5, lifecycle_calls, partition_of,
        refusal_on_child, "no partition"};
    diagrams[1] = (struct diagram){
        "vp-lifecycle", "VP life cycle (VP 0 of child partition 2)",
        MODEL_START_BOOT, one_child(), 7, vp_calls, vp_of, vp_refusal,
        "no VP (no partition)"};
    diagrams[2] = (struct diagram){
        "port-lifecycle", "Port life cycle (port 1 of child partition 2)",
        MODEL_START_SETUP, model_config_small(), 4, port_calls, port_of,
        port_refusal, "no port"};
    diagrams[3] = (struct diagram){
        "message-queue",
        "SINT message slot and queue (partition 2, VP 0, SINT 0; depth 2)",
        MODEL_START_IPC, model_config_small(), 7, queue_calls, queue_of,
        queue_refusal, "slot empty"};
}

static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int model_dot_write(const char *name, FILE *out)
{
    init_diagrams();
    const struct diagram *d = NULL;
    for (size_t i = 0; i < sizeof diagrams / sizeof diagrams[0]; i++)
        if (strcmp(diagrams[i].name, name) == 0)
            d = &diagrams[i];
    if (!d)
        return -1;
    static struct collect c;
    memset(&c, 0, sizeof c);
    c.d = d;
    struct explore_options o = {
        .cfg = d->cfg, .depth = d->depth, .start = d->start, .only = d->only,
        .on_edge = on_edge, .ctx = &c, .report = stderr,
    };
    struct explore_stats st;
    if (model_explore(&o, &st) != 0)
        return -1;

    fprintf(out, "// Generated by model-dot from the model's reachable-state "
                 "graph; do not edit.\n");
    fprintf(out, "// start '%s', depth %u: %" PRIu64 " states, %" PRIu64
                 " transitions.\n",
            model_start_name(d->start), d->depth, st.states, st.transitions);
    fprintf(out, "digraph \"%s\" {\n  rankdir=LR;\n  labelloc=t;\n  label=",
            d->name);
    quoted(out, d->title);
    fprintf(out, ";\n  node [shape=box, style=rounded, fontname=Helvetica];\n"
                 "  edge [fontname=Helvetica, fontsize=10];\n"
                 "  graph [nodesep=0.8, ranksep=1.0];\n"
                 "  start [shape=point];\n  start -> ");
    quoted(out, d->first);
    fprintf(out, ";\n");
    for (size_t i = 0; i < c.n; i++) {
        fprintf(out, "  ");
        quoted(out, c.edges[i].from);
        fprintf(out, " -> ");
        quoted(out, c.edges[i].to);
        fprintf(out, " [label=");
        quoted(out, c.edges[i].label);
        fprintf(out, "%s];\n", c.edges[i].refused ? ", style=dashed" : "");
    }
    fprintf(out, "}\n");
    return 0;
}
