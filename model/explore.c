/* SPDX-License-Identifier: MIT */
/*
 * explore.c — the bounded explorer.
 *
 * Breadth first, so the first violation found has a shortest event
 * sequence.  Every distinct state is stored once, as its canonical
 * encoding, in an arena; a hash set over the encodings (keyed by their
 * FNV-1a digest, compared byte for byte) de-duplicates.  Each stored
 * state remembers its parent and the event that reached it, which is all
 * a counterexample needs.
 *
 * Besides the invariants, every transition is checked for the ABI's
 * promise that a refused call changes nothing.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "explore.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "dump.h"
#include "encode.h"
#include "invariants.h"
#include "status.h"

struct node {
    uint64_t digest;
    size_t off; /* encoding in the arena */
    uint32_t len;
    uint32_t parent; /* UINT32_MAX for the start */
    uint32_t depth;
    struct model_event ev; /* the event from the parent */
};

struct explorer {
    const struct explore_options *o;
    struct node *nodes;
    size_t n_nodes, cap_nodes;
    uint8_t *arena;
    size_t arena_len, arena_cap;
    uint32_t *table; /* node index + 1; 0 = empty */
    size_t table_cap;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int rehash(struct explorer *x)
{
    size_t cap = x->table_cap ? x->table_cap * 2 : 1u << 16;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < x->n_nodes; i++) {
        size_t h = (size_t)x->nodes[i].digest & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = (uint32_t)i + 1;
    }
    free(x->table);
    x->table = t;
    x->table_cap = cap;
    return 0;
}

/* Index of the state with this encoding, or -1 (and *slot to insert). */
static long lookup(struct explorer *x, const uint8_t *enc, size_t len,
                   uint64_t digest, size_t *slot)
{
    size_t h = (size_t)digest & (x->table_cap - 1);
    while (x->table[h]) {
        const struct node *n = &x->nodes[x->table[h] - 1];
        if (n->digest == digest && n->len == len &&
            memcmp(x->arena + n->off, enc, len) == 0)
            return (long)(x->table[h] - 1);
        h = (h + 1) & (x->table_cap - 1);
    }
    *slot = h;
    return -1;
}

static long add_node(struct explorer *x, const uint8_t *enc, size_t len,
                     uint64_t digest, uint32_t parent, uint32_t depth,
                     const struct model_event *ev)
{
    if ((x->n_nodes + 1) * 2 > x->table_cap && rehash(x))
        return -1;
    size_t slot;
    if (lookup(x, enc, len, digest, &slot) >= 0)
        return -2; /* already known */
    if (grow((void **)&x->nodes, &x->cap_nodes, x->n_nodes + 1,
             sizeof *x->nodes) ||
        grow((void **)&x->arena, &x->arena_cap, x->arena_len + len, 1))
        return -1;
    memcpy(x->arena + x->arena_len, enc, len);
    struct node *n = &x->nodes[x->n_nodes];
    n->digest = digest;
    n->off = x->arena_len;
    n->len = (uint32_t)len;
    n->parent = parent;
    n->depth = depth;
    if (ev)
        n->ev = *ev;
    else
        memset(&n->ev, 0, sizeof n->ev);
    x->arena_len += len;
    x->table[slot] = (uint32_t)x->n_nodes + 1;
    return (long)x->n_nodes++;
}

static int allowed(const struct explore_options *o, const struct model_event *e)
{
    if (!o->only)
        return 1;
    const char *name = "Fault";
    if (e->kind == MODEL_EV_HYPERCALL) {
        const struct model_call_desc *d =
            model_call_by_code((uint16_t)(e->input & HV_HYPERCALL_CODE_MASK));
        name = d ? d->name : "?";
    }
    for (const char *const *p = o->only; *p; p++)
        if (strcmp(*p, name) == 0)
            return 1;
    return 0;
}

/* Print the shortest path to `last` (then the offending event, if any). */
static void counterexample(struct explorer *x, uint32_t last,
                           const struct model_event *bad,
                           const struct model_state *bad_state,
                           const char *what, const char *why)
{
    FILE *f = x->o->report;
    if (!f)
        return;
    const struct model_config *cfg = &x->o->cfg;
    uint32_t path[65];
    size_t n = 0;
    for (uint32_t i = last; i != UINT32_MAX && n < 64; i = x->nodes[i].parent)
        path[n++] = i;
    size_t steps = (n - 1) + (bad != NULL);
    fprintf(f, "VIOLATION: %s: %s\n", what, why);
    fprintf(f, "shortest event sequence (%zu steps) from the '%s' start:\n",
            steps, model_start_name(x->o->start));

    static struct model_state s, next; /* megabytes: off the stack */
    model_decode(cfg, x->arena + x->nodes[path[n - 1]].off,
                 x->nodes[path[n - 1]].len, &s);
    size_t k = 1;
    char ev[256], res[256];
    for (size_t i = n - 1; i-- > 0; k++) {
        const struct model_event *e = &x->nodes[path[i]].ev;
        struct model_result r;
        model_step(cfg, &s, e, &next, &r);
        model_event_format(e, ev, sizeof ev);
        model_result_format(e, &r, res, sizeof res);
        fprintf(f, "  %2zu. %s -> %s\n", k, ev, res);
        model_state_copy(cfg, &s, &next);
    }
    if (bad) {
        struct model_result r;
        model_step(cfg, &s, bad, &next, &r);
        model_event_format(bad, ev, sizeof ev);
        model_result_format(bad, &r, res, sizeof res);
        fprintf(f, "  %2zu. %s -> %s\n", k, ev, res);
        fprintf(f, "state before the last step -> after it:\n");
        model_diff(cfg, &s, bad_state, f);
    } else {
        fprintf(f, "offending state:\n");
        model_dump(cfg, &s, f);
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int model_explore(const struct explore_options *o, struct explore_stats *st)
{
    const struct model_config *cfg = &o->cfg;
    memset(st, 0, sizeof *st);
    const char *bad_cfg = model_config_check(cfg);
    if (bad_cfg) {
        fprintf(stderr, "explore: bad configuration: %s\n", bad_cfg);
        return -1;
    }
    double t0 = now();
    struct explorer x = {.o = o};
    static struct model_state base, work;
    static uint8_t enc[MODEL_ENCODING_MAX];
    static struct model_event events[MODEL_ALPHABET_MAX];
    struct model_event prelude[32];
    size_t n_prelude;
    char why[256];
    int result = 0;

    if (model_start_state(cfg, o->start, &base, prelude, &n_prelude, 32) ||
        rehash(&x))
        return -1;
    size_t len = model_encode(cfg, &base, enc, sizeof enc);
    add_node(&x, enc, len, model_fnv1a64(enc, len), UINT32_MAX, 0, NULL);
    st->per_depth[0] = 1;
    enum model_invariant inv = model_check_invariants(cfg, &base, why,
                                                      sizeof why);
    if (inv != MODEL_INV_OK) {
        counterexample(&x, 0, NULL, NULL, model_invariant_name(inv), why);
        result = 1;
    }

    for (size_t i = 0; i < x.n_nodes && result == 0; i++) {
        if (x.nodes[i].depth >= o->depth)
            break; /* BFS order: every later node is as deep */
        struct node parent = x.nodes[i];
        if (model_decode(cfg, x.arena + parent.off, parent.len, &base)) {
            fprintf(stderr, "explore: internal error: undecodable state\n");
            result = -1;
            break;
        }
        size_t n_ev = model_alphabet(cfg, &base, events, MODEL_ALPHABET_MAX);
        for (size_t k = 0; k < n_ev && result == 0; k++) {
            if (!allowed(o, &events[k]))
                continue;
            struct model_result r;
            model_state_copy(cfg, &work, &base);
            model_apply(cfg, &work, &events[k], &r);
            if (!r.possible) {
                st->impossible++;
                continue;
            }
            st->transitions++;
            if (o->on_edge)
                o->on_edge(o->ctx, &base, &events[k], &r, &work);
            len = model_encode(cfg, &work, enc, sizeof enc);
            if (r.status != HV_STATUS_SUCCESS) {
                if (len != parent.len ||
                    memcmp(enc, x.arena + parent.off, len) != 0) {
                    snprintf(why, sizeof why, "a call refused with %s "
                             "changed the state",
                             model_status_name(r.status));
                    counterexample(&x, (uint32_t)i, &events[k], &work,
                                   "refused-call-changes-nothing", why);
                    result = 1;
                }
                continue;
            }
            long id = add_node(&x, enc, len, model_fnv1a64(enc, len),
                               (uint32_t)i, parent.depth + 1, &events[k]);
            if (id == -2)
                continue;
            if (id < 0) {
                fprintf(stderr, "explore: out of memory after %zu states\n",
                        x.n_nodes);
                result = -1;
                break;
            }
            st->per_depth[parent.depth + 1]++;
            inv = model_check_invariants(cfg, &work, why, sizeof why);
            if (inv != MODEL_INV_OK) {
                counterexample(&x, (uint32_t)id, NULL, NULL,
                               model_invariant_name(inv), why);
                result = 1;
            }
        }
    }
    st->states = x.n_nodes;
    st->seconds = now() - t0;
    st->violation = result == 1;
    free(x.nodes);
    free(x.arena);
    free(x.table);
    return result;
}
