/* SPDX-License-Identifier: MIT */
/*
 * scenario.c — parser and runner for .scn files.
 *
 *   [actor] Call key=value ... [-> name[=output] ...] [expect STATUS [output=value ...]]
 *
 * Every error names the file and line and says what was expected; no
 * input makes the runner crash.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "dump.h"
#include "encode.h"
#include "invariants.h"
#include "alphabet.h"
#include "state.h"
#include "status.h"

#define MAX_TOKENS 32
#define MAX_BINDINGS 64
#define MAX_NAME 32
#define MAX_LIST SCENARIO_MAX_LIST

struct binding {
    char name[MAX_NAME];
    uint64_t value;
};

struct runner {
    const char *file;
    unsigned line;
    FILE *out, *err;
    struct model_config cfg;
    struct model_state s;
    int started; /* a step has run: config is frozen */
    struct binding b[MAX_BINDINGS];
    size_t nb;
    scenario_call_fn call_fn; /* optional observer of each step */
    void *call_ctx;
};

static int fail(struct runner *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct runner *r, const char *fmt, ...)
{
    va_list ap;
    fprintf(r->err, "%s:%u: ", r->file, r->line);
    va_start(ap, fmt);
    vfprintf(r->err, fmt, ap);
    va_end(ap);
    fputc('\n', r->err);
    return -1;
}

/* ---- tokens ---------------------------------------------------------- */

/* Split a line into tokens in place: whitespace separates, '#' starts a
 * comment, "..." may hold spaces (kept with its quotes). */
static int tokenize(struct runner *r, char *line, char **tok, int *n)
{
    *n = 0;
    char *p = line;
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            return 0;
        if (*n == MAX_TOKENS)
            return fail(r, "too many words on one line (at most %d)",
                        MAX_TOKENS);
        tok[(*n)++] = p;
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '"') {
                char *close = strchr(p + 1, '"');
                if (!close)
                    return fail(r, "unterminated string: %s", tok[*n - 1]);
                p = close;
            }
            p++;
        }
        if (*p)
            *p++ = 0;
    }
}

/* ---- values ---------------------------------------------------------- */

static const struct {
    const char *name;
    uint64_t value;
} constants[] = {
    {"root", HV_PARTITION_ID_ROOT},
    {"self", HV_PARTITION_ID_SELF},
    {"r", HV_MAP_GPA_READABLE},
    {"w", HV_MAP_GPA_WRITABLE},
    {"x", HV_MAP_GPA_EXECUTABLE},
    {"rw", HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE},
    {"rwx", HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE},
    {"shared", HV_MAP_GPA_PARTITA_SHARED},
    {"message", HV_PORT_TYPE_MESSAGE},
    {"event", HV_PORT_TYPE_EVENT},
    {"rax", HV_X64_REGISTER_RAX},
    {"rsp", HV_X64_REGISTER_RSP},
    {"rip", HV_X64_REGISTER_RIP},
    {"rflags", HV_X64_REGISTER_RFLAGS},
    {"cr0", HV_X64_REGISTER_CR0},
    {"cr3", HV_X64_REGISTER_CR3},
    {"cr4", HV_X64_REGISTER_CR4},
    {"efer", HV_X64_REGISTER_EFER},
    {"hypercalls", HV_TRACE_HYPERCALLS},
    {"messages", HV_TRACE_MESSAGES},
    {"exits", HV_TRACE_EXITS},
    {"digests", HV_TRACE_DIGESTS},
};

static struct binding *find_binding(struct runner *r, const char *name)
{
    for (size_t i = 0; i < r->nb; i++)
        if (strcmp(r->b[i].name, name) == 0)
            return &r->b[i];
    return NULL;
}

/* One term: a number, a bound name, a constant, or "text" (its FNV-1a
 * 64 digest, with its length in *text_len). */
static int term(struct runner *r, const char *t, uint64_t *v, long *text_len)
{
    if (t[0] == '"') {
        size_t n = strlen(t);
        if (n < 2 || t[n - 1] != '"')
            return fail(r, "bad string %s: strings are \"...\"", t);
        *v = model_fnv1a64(t + 1, n - 2);
        if (text_len)
            *text_len = (long)(n - 2);
        return 0;
    }
    if (isdigit((unsigned char)t[0])) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(t, &end, 0);
        if (*end || errno)
            return fail(r, "bad number '%s'", t);
        *v = x;
        return 0;
    }
    struct binding *b = find_binding(r, t);
    if (b) {
        *v = b->value;
        return 0;
    }
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (strcmp(constants[i].name, t) == 0) {
            *v = constants[i].value;
            return 0;
        }
    return fail(r, "unknown name '%s' (not a number, a bound name or a "
                   "constant; bind names with '-> name')", t);
}

/* Cut the next field ending at `sep` out of *p; NULL when none left. */
static char *field(char **p, char sep)
{
    if (!*p)
        return NULL;
    char *start = *p, *at = strchr(start, sep);
    if (at) {
        *at = 0;
        *p = at + 1;
    } else {
        *p = NULL;
    }
    return start;
}

/* A value: terms joined by '|' are OR-ed ("rw|shared"); a string is one
 * term whatever it contains. */
static int value(struct runner *r, char *text, uint64_t *v, long *text_len)
{
    *v = 0;
    if (!*text)
        return fail(r, "missing value after '='");
    if (text[0] == '"')
        return term(r, text, v, text_len);
    char *t, *rest = text;
    while ((t = field(&rest, '|')) != NULL) {
        uint64_t x;
        if (!*t)
            return fail(r, "empty term in '%s'", text);
        if (term(r, t, &x, text_len))
            return -1;
        *v |= x;
    }
    return 0;
}

/* A list "a,b,c" (rep elements) into vals; returns count or -1. */
static int list(struct runner *r, char *text, uint64_t *vals, long *text_len)
{
    int n = 0;
    if (!*text)
        return fail(r, "missing value after '='");
    if (text[0] == '"') /* a string may contain commas */
        return value(r, text, &vals[0], text_len) ? -1 : 1;
    char *t, *rest = text;
    while ((t = field(&rest, ',')) != NULL) {
        if (n == MAX_LIST)
            return fail(r, "list too long (at most %d elements)", MAX_LIST);
        if (!*t)
            return fail(r, "empty element in a list");
        if (value(r, t, &vals[n++], text_len))
            return -1;
    }
    return n;
}

/* ---- statements ------------------------------------------------------ */

static int set_config(struct runner *r, char **tok, int n)
{
    if (r->started)
        return fail(r, "'config' must come before the first step");
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
#define K(f) {#f, offsetof(struct model_config, f)}
        K(partitions), K(vps),         K(sints),           K(queue_depth),
        K(ports),      K(connections), K(child_gpa_pages), K(services_in_hypervisor),
#undef K
    };
    for (int i = 1; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq)
            return fail(r, "config expects key=value, got '%s'", tok[i]);
        *eq = 0;
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k].key, tok[i]))
            k++;
        if (k == sizeof keys / sizeof keys[0])
            return fail(r, "unknown config key '%s'", tok[i]);
        uint64_t v;
        if (value(r, eq + 1, &v, NULL))
            return -1;
        if (v > 0xFFFFFFFFu)
            return fail(r, "config %s=%" PRIu64 " is too large", tok[i], v);
        *(uint32_t *)((char *)&r->cfg + keys[k].off) = (uint32_t)v;
    }
    const char *why = model_config_check(&r->cfg);
    if (why)
        return fail(r, "bad config: %s", why);
    model_init(&r->cfg, &r->s);
    return 0;
}

static int bind(struct runner *r, const char *name, uint64_t v)
{
    if (!isalpha((unsigned char)name[0]) || strlen(name) >= MAX_NAME)
        return fail(r, "bad name '%s': names start with a letter and have "
                       "at most %d characters", name, MAX_NAME - 1);
    struct binding *b = find_binding(r, name);
    if (!b) {
        if (r->nb == MAX_BINDINGS)
            return fail(r, "too many names (at most %d)", MAX_BINDINGS);
        b = &r->b[r->nb++];
        strcpy(b->name, name);
    }
    b->value = v;
    return 0;
}

/* Resolve "root", "name" or "name/vp" to (partition id, vp). */
static int actor(struct runner *r, char *t, uint64_t *id, uint32_t *vp)
{
    *vp = 0;
    char *slash = strchr(t, '/');
    if (slash) {
        *slash = 0;
        char *end;
        unsigned long v = strtoul(slash + 1, &end, 10);
        if (!slash[1] || *end || v >= MODEL_MAX_VPS)
            return fail(r, "bad VP in actor '%s/%s'", t, slash + 1);
        *vp = (uint32_t)v;
    }
    if (strcmp(t, "root") == 0) {
        *id = HV_PARTITION_ID_ROOT;
        return 0;
    }
    struct binding *b = find_binding(r, t);
    if (!b)
        return fail(r, "unknown actor '%s': use 'root' or a name bound by an "
                       "earlier step (e.g. 'root CreatePartition -> %s')",
                    t, t);
    *id = b->value;
    return 0;
}

struct step {
    struct model_event e;
    const struct model_call_desc *d;
    uint64_t lists[MODEL_ARGS][MAX_LIST];
    int list_len[MODEL_ARGS];
    int reps; /* elements to run (rep calls) */
    int have_expect;
    hv_status_t expect;
    int n_out_checks;
    int out_check_index[MODEL_OUTS + 1];
    uint64_t out_check_value[MODEL_OUTS + 1];
    const char *bind_name[MODEL_OUTS];
    int bind_out[MODEL_OUTS];
    int n_binds;
    int in_gpa_given, out_gpa_given;
    const char *payload_text; /* a quoted payload, without its quotes */
    size_t payload_len;
};

/* Parse "Call key=value ... [-> ...] [expect ...]" starting at tok[1]. */
static int parse_step(struct runner *r, char **tok, int n, struct step *st)
{
    memset(st, 0, sizeof *st);
    const char *call = tok[1];
    int fault = strcmp(call, "Fault") == 0, raw = strcmp(call, "Raw") == 0;
    if (!fault && !raw) {
        st->d = model_call_by_name(call);
        if (!st->d)
            return fail(r, "unknown call '%s' (use the TLFS name, e.g. "
                           "PostMessage, or Raw code=N, or Fault)", call);
    }
    st->e.kind = fault ? MODEL_EV_FAULT : MODEL_EV_HYPERCALL;
    int fast = 0;
    uint64_t rcx_or = 0, code = st->d ? st->d->code : 0, count = 0;
    long text_len = -1;
    int size_given = 0, i = 2;

    for (; i < n && strcmp(tok[i], "->") && strcmp(tok[i], "expect"); i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq || eq == tok[i])
            return fail(r, "expected key=value, got '%s'", tok[i]);
        *eq = 0;
        const char *key = tok[i];
        char *val = eq + 1;
        uint64_t v;
        int k = st->d ? model_call_arg_index(st->d, key) : -1;
        if (k >= 0) {
            int len = list(r, val, st->lists[k], &text_len);
            if (len < 0)
                return -1;
            st->list_len[k] = len;
            if (strcmp(key, "size") == 0)
                size_given = 1;
            if (strcmp(key, "payload") == 0 && val[0] == '"') {
                st->payload_text = val + 1;
                st->payload_len = strlen(val) - 2;
            }
            continue;
        }
        if (value(r, val, &v, NULL))
            return -1;
        if (strcmp(key, "fast") == 0)
            fast = v != 0;
        else if (strcmp(key, "in_gpa") == 0)
            st->e.in_gpa = v, st->in_gpa_given = 1;
        else if (strcmp(key, "out_gpa") == 0)
            st->e.out_gpa = v, st->out_gpa_given = 1;
        else if (strcmp(key, "rcx_or") == 0)
            rcx_or = v;
        else if (strcmp(key, "count") == 0)
            count = v;
        else if (strcmp(key, "code") == 0 && raw)
            code = v;
        else
            return fail(r, "%s has no argument '%s'%s", call, key,
                        st->d ? " (see hypercalls.md for its arguments)" : "");
    }
    if (raw && code > 0xFFFF)
        return fail(r, "Raw code=%" PRIu64 " does not fit in 16 bits", code);

    /* A quoted payload also gives the size, unless size= says otherwise. */
    int pk = st->d ? model_call_arg_index(st->d, "payload") : -1;
    int sk = st->d ? model_call_arg_index(st->d, "size") : -1;
    if (pk >= 0 && sk >= 0 && !size_given && text_len >= 0) {
        st->lists[sk][0] = (uint64_t)text_len;
        st->list_len[sk] = 1;
    }

    int rep = st->d && (st->d->flags & MODEL_CALL_REP);
    int longest = 1;
    for (int k = 0; k < MODEL_ARGS; k++) {
        if (st->list_len[k] > 1 && !rep)
            return fail(r, "%s is not a rep call: '%s' takes one value",
                        call, st->d->args[k]);
        if (st->list_len[k] > longest)
            longest = st->list_len[k];
    }
    if (count > MAX_LIST)
        return fail(r, "count=%" PRIu64 " is too large (at most %d)", count,
                    MAX_LIST);
    st->reps = rep ? (count > (uint64_t)longest ? (int)count : longest) : 1;
    for (int k = 0; k < MODEL_ARGS; k++)
        if (st->list_len[k] > 1 && st->list_len[k] != st->reps)
            return fail(r, "list '%s' has %d elements but the call has %d reps",
                        st->d->args[k], st->list_len[k], st->reps);
    st->e.input = model_input((uint16_t)code, fast, rep ? (uint32_t)st->reps : 0,
                              0) | rcx_or;

    if (i < n && strcmp(tok[i], "->") == 0) {
        for (i++; i < n && strcmp(tok[i], "expect"); i++) {
            if (st->n_binds == MODEL_OUTS)
                return fail(r, "too many bindings");
            char *eq = strchr(tok[i], '=');
            int o = 0;
            if (eq) {
                *eq = 0;
                o = st->d ? model_call_out_index(st->d, eq + 1) : -1;
                if (o < 0)
                    return fail(r, "%s has no output '%s'", call, eq + 1);
            } else if (!st->d || !st->d->outs[0]) {
                return fail(r, "%s has no output to bind to '%s'", call,
                            tok[i]);
            }
            st->bind_name[st->n_binds] = tok[i];
            st->bind_out[st->n_binds++] = o;
        }
        if (st->n_binds == 0)
            return fail(r, "'->' must be followed by a name to bind");
    }
    if (i < n && strcmp(tok[i], "expect") == 0) {
        if (++i == n)
            return fail(r, "'expect' must be followed by a status, e.g. "
                           "expect SUCCESS");
        st->have_expect = 1;
        if (strcmp(tok[i], "any") == 0)
            st->have_expect = 2;
        else if (model_status_parse(tok[i], &st->expect))
            return fail(r, "unknown status '%s' (e.g. SUCCESS, "
                           "INSUFFICIENT_BUFFERS)", tok[i]);
        for (i++; i < n; i++) {
            char *eq = strchr(tok[i], '=');
            if (!eq)
                return fail(r, "expected output=value after the status, "
                               "got '%s'", tok[i]);
            *eq = 0;
            int o = strcmp(tok[i], "reps") == 0 ? MODEL_OUTS
                    : st->d                     ? model_call_out_index(st->d, tok[i])
                                                : -1;
            if (o < 0)
                return fail(r, "%s has no output '%s'", call, tok[i]);
            if (st->n_out_checks == MODEL_OUTS + 1)
                return fail(r, "too many output checks");
            if (value(r, eq + 1, &st->out_check_value[st->n_out_checks], NULL))
                return -1;
            st->out_check_index[st->n_out_checks++] = o;
        }
    }
    if (i < n)
        return fail(r, "unexpected '%s'", tok[i]);
    return 0;
}

/* ---- coverage ---------------------------------------------------------- */

#define COV_CALLS 64
#define COV_STATUSES 32
static unsigned coverage[COV_CALLS + 1][COV_STATUSES]; /* last row: Fault */

static void cover(const struct model_event *e, const struct model_result *res)
{
    size_t row = COV_CALLS, col = COV_STATUSES;
    if (e->kind == MODEL_EV_HYPERCALL) {
        const struct model_call_desc *d =
            model_call_by_code((uint16_t)(e->input & HV_HYPERCALL_CODE_MASK));
        row = COV_CALLS - 1; /* unknown codes */
        for (size_t i = 0; d && i < model_call_count(); i++)
            if (model_call_at(i) == d)
                row = i;
    }
    for (size_t i = 0; i < model_status_count(); i++)
        if (model_status_at(i) == res->status)
            col = i;
    if (col < COV_STATUSES && row <= COV_CALLS)
        coverage[row][col]++;
}

int scenario_coverage_report(FILE *out)
{
    int missing = 0;
    fprintf(out, "coverage: call -> statuses reached\n");
    for (size_t i = 0; i <= model_call_count(); i++) {
        size_t row = i < model_call_count() ? i : COV_CALLS;
        const char *name = i < model_call_count() ? model_call_at(i)->name
                                                  : "Fault (async)";
        unsigned any = 0;
        fprintf(out, "  %-30s", name);
        for (size_t k = 0; k < model_status_count(); k++)
            if (coverage[row][k]) {
                fprintf(out, " %s", model_status_name(model_status_at(k)));
                any = 1;
            }
        if (!any) {
            fprintf(out, " NOT REACHED");
            missing++;
        }
        fputc('\n', out);
    }
    if (coverage[COV_CALLS - 1][1] || coverage[COV_CALLS - 1][0])
        fprintf(out, "  %-30s (unknown call codes)\n", "Raw");
    fprintf(out, "coverage: statuses reached by any step\n");
    for (size_t k = 0; k < model_status_count(); k++) {
        unsigned n = 0;
        for (size_t i = 0; i <= COV_CALLS; i++)
            n += coverage[i][k];
        fprintf(out, "  %-30s %u%s\n", model_status_name(model_status_at(k)), n,
                n ? "" : "  NOT REACHED");
        missing += n == 0;
    }
    return missing;
}

/* Element k of a step as the model sees it: rep start k, the default
 * parameter pages resolved in the current state, element k's arguments. */
static void element_event(struct runner *r, const struct step *st, int k,
                          struct model_event *e)
{
    *e = st->e;
    e->input |= (uint64_t)k << HV_HYPERCALL_REP_START_SHIFT;
    if (!st->in_gpa_given)
        e->in_gpa = model_default_in_gpa(&r->cfg, &r->s, st->e.actor);
    if (!st->out_gpa_given)
        e->out_gpa = e->in_gpa + HV_PAGE_SIZE / 2;
    for (int a = 0; a < MODEL_ARGS; a++)
        e->arg[a] = st->lists[a][st->list_len[a] > 1 ? k : 0];
}

static void report_call(struct runner *r, const struct step *st)
{
    static struct scenario_call c; /* large: keep it off the stack */
    memset(&c, 0, sizeof c);
    c.line = r->line;
    element_event(r, st, 0, &c.event);
    c.elements = (uint32_t)st->reps;
    for (int k = 0; k < st->reps; k++)
        for (int a = 0; a < MODEL_ARGS; a++)
            c.elem_arg[k][a] = st->lists[a][st->list_len[a] > 1 ? k : 0];
    c.in_gpa_given = st->in_gpa_given;
    c.out_gpa_given = st->out_gpa_given;
    c.payload_text = st->payload_text;
    c.payload_len = st->payload_len;
    r->call_fn(&c, r->call_ctx);
}

static int run_step(struct runner *r, char **tok, int n)
{
    struct step st;
    uint64_t id = 0;
    uint32_t vp = 0;
    if (n < 2)
        return fail(r, "a step is: ACTOR Call key=value ... (got only '%s')",
                    tok[0]);
    if (actor(r, tok[0], &id, &vp) || parse_step(r, tok, n, &st))
        return -1;
    r->started = 1;
    st.e.actor = id;
    st.e.vp = vp;

    if (r->call_fn)
        report_call(r, &st);

    struct model_result res = {0};
    static struct model_state next; /* megabytes: off the stack */
    char ev[512], out[512];
    for (int k = 0; k < st.reps; k++) {
        struct model_event e;
        element_event(r, &st, k, &e);
        model_step(&r->cfg, &r->s, &e, &next, &res);
        if (res.possible)
            cover(&e, &res);
        model_event_format(&e, ev, sizeof ev);
        model_result_format(&e, &res, out, sizeof out);
        fprintf(r->out, "%4u: %s -> %s\n", r->line, ev, out);
        if (!res.possible)
            return fail(r, "step impossible: %s (the actor needs a running "
                           "VP, and nothing happens after PartitaShutdown)",
                        ev);
        model_state_copy(&r->cfg, &r->s, &next);
        char why[256];
        enum model_invariant inv =
            model_check_invariants(&r->cfg, &r->s, why, sizeof why);
        if (inv != MODEL_INV_OK)
            return fail(r, "invariant %s violated: %s",
                        model_invariant_name(inv), why);
        if (res.status != HV_STATUS_SUCCESS)
            break; /* a rep call stops at its first refused element */
    }

    hv_status_t want = st.have_expect ? st.expect : HV_STATUS_SUCCESS;
    if (st.have_expect != 2 && res.status != want) {
        const char *w = model_status_name(want), *g = model_status_name(res.status);
        return fail(r, "expectation failed: expected %s, got %s",
                    w ? w : "?", g ? g : "?");
    }
    for (int c = 0; c < st.n_out_checks; c++) {
        int o = st.out_check_index[c];
        uint64_t got = o == MODEL_OUTS ? res.reps_completed
                       : (uint32_t)o < res.out_count ? res.out[o]
                                                     : UINT64_MAX;
        const char *oname = o == MODEL_OUTS ? "reps" : st.d->outs[o];
        if ((uint32_t)o < MODEL_OUTS && (uint32_t)o >= res.out_count)
            return fail(r, "expectation failed: %s has no output %s after "
                           "status %s", st.d->name, oname,
                        model_status_name(res.status));
        if (got != st.out_check_value[c])
            return fail(r, "expectation failed: expected %s=0x%" PRIx64
                           ", got 0x%" PRIx64, oname, st.out_check_value[c],
                        got);
    }
    for (int b = 0; b < st.n_binds; b++) {
        if ((uint32_t)st.bind_out[b] >= res.out_count)
            return fail(r, "cannot bind '%s': the step gave no %s (status %s)",
                        st.bind_name[b], st.d->outs[st.bind_out[b]],
                        model_status_name(res.status));
        if (bind(r, st.bind_name[b], res.out[st.bind_out[b]]))
            return -1;
        fprintf(r->out, "      %s = %" PRIu64 "\n", st.bind_name[b],
                res.out[st.bind_out[b]]);
    }
    return 0;
}

static int run_line(struct runner *r, char *line)
{
    char *tok[MAX_TOKENS];
    int n;
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r')
            return fail(r, "control character 0x%02x in the line",
                        (unsigned char)*p);
    if (tokenize(r, line, tok, &n))
        return -1;
    if (n == 0)
        return 0;
    if (strcmp(tok[0], "config") == 0)
        return set_config(r, tok, n);
    if (strcmp(tok[0], "dump") == 0 && n == 1) {
        model_dump(&r->cfg, &r->s, r->out);
        return 0;
    }
    if (strcmp(tok[0], "bind") == 0) { /* bind name=value */
        if (n != 2 || !strchr(tok[1], '='))
            return fail(r, "bind expects one name=value");
        char *eq = strchr(tok[1], '=');
        *eq = 0;
        uint64_t v;
        if (value(r, eq + 1, &v, NULL))
            return -1;
        return bind(r, tok[1], v);
    }
    return run_step(r, tok, n);
}

int scenario_run_text(const char *name, const char *text, FILE *out, FILE *err)
{
    return scenario_run_text_with(name, text, out, err, NULL, NULL);
}

int scenario_run_text_with(const char *name, const char *text, FILE *out,
                           FILE *err, scenario_call_fn fn, void *ctx)
{
    static struct runner r; /* large: keep it off the stack */
    memset(&r, 0, sizeof r);
    r.call_fn = fn;
    r.call_ctx = ctx;
    r.file = name;
    r.out = out;
    r.err = err;
    r.cfg = model_config_default();
    model_init(&r.cfg, &r.s);

    const char *p = text;
    int status = 0;
    while (*p && status == 0) {
        r.line++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[1024];
        if (len >= sizeof line) {
            fail(&r, "line too long (at most %zu characters)",
                 sizeof line - 1);
            return 1;
        }
        memcpy(line, p, len);
        line[len] = 0;
        if (run_line(&r, line))
            status = 1;
        p += len + (eol != NULL);
    }
    if (status == 0)
        fprintf(out, "%s: %u lines, all expectations met, digest %016" PRIx64
                "\n", name, r.line, model_digest(&r.cfg, &r.s));
    return status;
}

int scenario_run_file(const char *path, FILE *out, FILE *err)
{
    return scenario_run_file_with(path, out, err, NULL, NULL);
}

int scenario_run_file_with(const char *path, FILE *out, FILE *err,
                           scenario_call_fn fn, void *ctx)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
        return 2;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(err, "%s: out of memory\n", path);
        return 2;
    }
    buf[len] = 0;
    if (memchr(buf, 0, len)) {
        fprintf(err, "%s: binary file (contains NUL bytes)\n", path);
        free(buf);
        return 1;
    }
    int rc = scenario_run_text_with(path, buf, out, err, fn, ctx);
    free(buf);
    return rc;
}
