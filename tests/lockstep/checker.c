/* SPDX-License-Identifier: MIT */
/*
 * checker.c — the lockstep checker.
 *
 * One hypercall step consumes one H record, plus the continuation records
 * of a rep call (the hypervisor completes one element per exit, leaves
 * RIP on the instruction and advances the rep start); a fault step
 * consumes one F record.  Each record becomes a model event in model
 * space, the model takes the step, and everything observable is compared:
 * whether the step can happen at all, status, reps, outputs and the
 * digest of the abstract state after it.
 */
#include "checker.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "block_layout.h"
#include "model/calls.h"
#include "model/dump.h"
#include "model/encode.h"
#include "model/status.h"
#include "tables.h"
#include "translate.h"

struct ctx {
    const struct step_source *steps; /* NULL: free-running */
    const struct scenario_step *cur; /* the step being checked */
    const struct trace *t;
    const struct lockstep_options *opt;
    struct lockstep_result *res;
    struct model_config cfg;
    struct model_state *s; /* the model, after the records checked so far */
    FILE *out;
    int (*more)(void *); /* lockstep_check_stream */
    void *more_ctx;
    uint64_t base; /* records before t->rec[0] (more) */
    int unreadable; /* more() could not read the trace */
};

/* The next record to check, or NULL at the end of the trace. */
static const struct trace_record *next_record(struct ctx *c, size_t *ri)
{
    if (*ri == c->t->n) {
        if (!c->more || c->unreadable)
            return NULL;
        c->base += c->t->n;
        *ri = 0;
        int got = c->more(c->more_ctx);
        if (got < 0)
            c->unreadable = 1;
        if (got <= 0 || c->t->n == 0)
            return NULL;
    }
    return &c->t->rec[(*ri)++];
}

static uint16_t code_of(uint64_t input)
{
    return (uint16_t)(input & HV_HYPERCALL_CODE_MASK);
}

static uint32_t rep_count_of(uint64_t input)
{
    return (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                      HV_HYPERCALL_REP_COUNT_SHIFT);
}

static const char *status_name(hv_status_t st)
{
    const char *n = model_status_name(st);
    return n ? n : "(unknown status)";
}

/* "14-queue-full-drain.scn line 24" / "fuzz seed 1 step 17" */
static void where(const struct ctx *c, uint32_t si, char *buf, size_t len)
{
    if (!c->steps) {
        snprintf(buf, len, "free-running check of %s (every record in order)",
                 c->opt->name ? c->opt->name : "the trace");
        return;
    }
    snprintf(buf, len, "step %u of %s (line %u)", si + 1, c->steps->name,
             c->cur->line);
}

static void print_state(const struct ctx *c, const struct model_state *s)
{
    model_dump(&c->cfg, s, c->out);
}

/* The hypervisor's state after record seq, from an S record, if any. */
static int kernel_state(const struct ctx *c, uint64_t seq, uint64_t digest,
                        struct model_state *ks)
{
    const struct trace_state *ts = NULL;
    if (c->opt->states)
        ts = trace_state_at(c->opt->states, seq);
    if (!ts)
        ts = trace_state_at(c->t, seq);
    if (!ts) {
        fprintf(c->out,
                "the hypervisor's abstract state is not available: no S record "
                "for seq %" PRIu64 " (boot the check build with trace-states and "
                "pass --states); the model's state after the step:\n", seq);
        return -1;
    }
    if (model_fnv1a64(ts->bytes, ts->len) != digest)
        fprintf(c->out,
                "note: the S record's bytes hash to %016" PRIx64 ", not the "
                "record's digest %016" PRIx64 " (the state dump and the digest "
                "disagree inside the hypervisor)\n",
                model_fnv1a64(ts->bytes, ts->len), digest);
    if (model_decode(&c->cfg, ts->bytes, ts->len, ks)) {
        fprintf(c->out,
                "the S record for seq %" PRIu64 " (%zu bytes) is not a valid "
                "canonical encoding; the model's state after the step:\n",
                seq, ts->len);
        return -1;
    }
    return 0;
}

static void show_states(const struct ctx *c, uint64_t seq, uint64_t digest,
                        const struct model_state *model_after)
{
    struct model_state *ks = malloc(sizeof *ks);
    if (ks && kernel_state(c, seq, digest, ks) == 0) {
        fprintf(c->out,
                "abstract state after the step: lines only in the model (-) "
                "and only in the hypervisor (+):\n");
        if (model_diff(&c->cfg, model_after, ks, c->out) == 0)
            fprintf(c->out, "  (none: the states are equal)\n");
    } else {
        print_state(c, model_after);
    }
    free(ks);
}

static void fmt_outs(char *buf, size_t len, uint32_t n, const uint64_t *o)
{
    int k = snprintf(buf, len, "%u:", n);
    for (uint32_t i = 0; i < n && i < TRACE_OUTS && k > 0 && (size_t)k < len; i++)
        k += snprintf(buf + k, len - (size_t)k, " 0x%" PRIx64, o[i]);
    if (n == 0 && k > 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, " (none)");
}

static void row(FILE *out, const char *field, const char *model,
                const char *kernel)
{
    fprintf(out, "  %-8s %-34s %-34s%s\n", field, model, kernel,
            strcmp(model, kernel) ? "  <-- differs" : "");
}

/* Report a record whose outcome differs from the model's. */
static void report_divergence(const struct ctx *c, uint32_t si,
                              const struct trace_record *rec,
                              const struct model_event *e,
                              const struct model_result *r,
                              const uint64_t *kout, uint64_t model_digest_after,
                              const struct model_state *after, const char *why)
{
    char w[200], ev[512], a[200], b[200];
    where(c, si, w, sizeof w);
    model_event_format(e, ev, sizeof ev);
    fprintf(c->out, "DIVERGENCE at record seq %" PRIu64 " (trace line %u), %s\n",
            rec->seq, rec->line, w);
    fprintf(c->out, "  call:  %s\n", ev);
    if (e->kind == MODEL_EV_HYPERCALL)
        fprintf(c->out, "  input value 0x%" PRIx64 ", in_gpa 0x%" PRIx64
                ", out_gpa 0x%" PRIx64 " (model space)\n",
                e->input, e->in_gpa, e->out_gpa);
    if (why)
        fprintf(c->out, "  %s\n", why);
    fprintf(c->out, "  %-8s %-34s %-34s\n", "", "model (expected)",
            "hypervisor (actual)");
    row(c->out, "possible", r->possible ? "yes" : "no: cannot happen here", "yes");
    if (e->kind == MODEL_EV_IO_INTERCEPT)
        row(c->out, "status", r->possible ? status_name(r->status) : "-",
            status_name(rec->status));
    if (e->kind == MODEL_EV_HYPERCALL) {
        row(c->out, "status", r->possible ? status_name(r->status) : "-",
            status_name(rec->status));
        snprintf(a, sizeof a, "%u", r->reps_completed);
        snprintf(b, sizeof b, "%u", rec->reps);
        row(c->out, "reps", r->possible ? a : "-", b);
        fmt_outs(a, sizeof a, r->out_count, r->out);
        fmt_outs(b, sizeof b, rec->nout, kout);
        row(c->out, "outputs", r->possible ? a : "-", b);
    }
    snprintf(a, sizeof a, "%016" PRIx64, model_digest_after);
    snprintf(b, sizeof b, "%016" PRIx64, rec->digest);
    row(c->out, "digest", r->possible ? a : "-", b);
    show_states(c, rec->seq, rec->digest, after);
    c->res->seq = rec->seq;
    c->res->step_index = si;
    c->res->line = c->steps ? c->cur->line : 0;
}

/* A record that belongs to no step, or to another step: the run and the
 * compiled steps are out of step (a lost record, a player bug). */
static int report_misaligned(const struct ctx *c, uint32_t si,
                             const struct trace_record *rec,
                             const struct model_event *want, const char *what)
{
    char w[200], ev[512];
    where(c, si, w, sizeof w);
    model_event_format(want, ev, sizeof ev);
    fprintf(c->out, "OUT OF STEP at record seq %" PRIu64 " (trace line %u), "
            "%s: %s\n", rec->seq, rec->line, w, what);
    fprintf(c->out,
            "  expected: %s (input 0x%" PRIx64 ", in_gpa 0x%" PRIx64
            ", out_gpa 0x%" PRIx64 ", as the root played it)\n",
            ev, want->input, want->in_gpa, want->out_gpa);
    fprintf(c->out,
            "  record:   %c actor %" PRIx64 " vp %u input 0x%" PRIx64 " in_gpa 0x%" PRIx64
            " out_gpa 0x%" PRIx64 "\n",
            rec->kind, rec->actor, rec->vp, rec->input, rec->in_gpa, rec->out_gpa);
    c->res->seq = rec->seq;
    c->res->step_index = si;
    c->res->line = c->cur->line;
    return 1;
}

static int report_short(const struct ctx *c, uint32_t si, const char *what)
{
    char w[200], ev[512];
    struct model_event e;
    where(c, si, w, sizeof w);
    step_event(c->cur, c->cur->input, &e);
    model_event_format(&e, ev, sizeof ev);
    uint64_t last = c->t->n ? c->t->rec[c->t->n - 1].seq : 0;
    fprintf(c->out, "TRACE ENDS EARLY: %s; ", what);
    if (c->t->n)
        fprintf(c->out, "last record seq %" PRIu64 " (trace line %u)",
                last, c->t->rec[c->t->n - 1].line);
    else
        fprintf(c->out, "no step record at all");
    fprintf(c->out, "; waiting for %s: %s\n", w, ev);
    if (c->t->truncated_line)
        fprintf(c->out, "  (trace line %u was cut off in the middle of a "
                "record)\n", c->t->truncated_line);
    if (!c->t->have_end)
        fprintf(c->out, "  (no E record: the run did not finish; see the "
                "hypervisor log for a panic or a stopped partition)\n");
    c->res->seq = last;
    c->res->step_index = si;
    c->res->line = c->cur->line;
    return 1;
}

static void write_step_line(const struct ctx *c, const struct trace_record *rec,
                            const struct model_event *e, const uint64_t *out)
{
    FILE *f = c->opt->steps_out;
    if (!f)
        return;
    if (rec->kind == 'F') {
        fprintf(f, "%" PRIu64 " F %" PRIx64 " %x %016" PRIx64 "\n", rec->seq,
                e->actor, e->vp, rec->digest);
        return;
    }
    if (rec->kind == 'I') {
        fprintf(f, "%" PRIu64 " I %" PRIx64 " %x %" PRIx64 " %" PRIx64 " %x %016" PRIx64 "\n",
                rec->seq, e->actor, e->vp, e->arg[0], e->arg[1], rec->status, rec->digest);
        return;
    }
    fprintf(f, "%" PRIu64 " H %" PRIx64 " %x %" PRIx64 " %" PRIx64 " %" PRIx64,
            rec->seq, e->actor, e->vp, e->input, e->in_gpa, e->out_gpa);
    for (int i = 0; i < MODEL_ARGS; i++)
        fprintf(f, " %" PRIx64, e->arg[i]);
    fprintf(f, " %x %x %u", rec->status, rec->reps, rec->nout);
    /* The probe range is wherever the hypervisor's pool went, which
     * differs between emulators: written as an offset from the header's. */
    uint64_t o1 = out[1];
    if (e->actor == HV_PARTITION_ID_ROOT && rec->nout >= 2 &&
        (uint16_t)(e->input & HV_HYPERCALL_CODE_MASK) == HVCALL_PARTITA_GET_HV_INFO)
        o1 -= c->t->probe_page << HV_PAGE_SHIFT;
    for (int i = 0; i < TRACE_OUTS; i++)
        fprintf(f, " %" PRIx64, i == 1 ? o1 : out[i]);
    fprintf(f, " %016" PRIx64 "\n", rec->digest);
}

/*
 * The one outcome the model leaves to the hypervisor: its own pool running
 * out.  The model has no pool (how many table pages a mapping needs is the
 * backend's business), so where the hypervisor answers MapGpaPages,
 * StartVp or CreatePartition (no page for the new partition's top-level
 * table) with INSUFFICIENT_MEMORY where the model completes that very
 * element, the record agrees if exactly the elements before it took
 * effect (StartVp, CreatePartition: none) — checked by running the model
 * over those only.
 * Then *r and s are the model's account of that.  0 if it applies.
 */
static int pool_ran_out(const struct ctx *c, const struct trace_record *rec,
                        const struct model_event *e, const struct model_state *before,
                        struct model_state *s, struct model_result *r)
{
    uint16_t code = code_of(e->input);
    if (rec->status != HV_STATUS_INSUFFICIENT_MEMORY || !r->possible)
        return -1;
    /* Only where the model succeeds with the refused element itself:
     * every check before the allocation still comes first. */
    if (!((code == HVCALL_START_VP || code == HVCALL_CREATE_PARTITION) &&
          r->status == HV_STATUS_SUCCESS) &&
        !(code == HVCALL_MAP_GPA_PAGES && r->reps_completed > rec->reps))
        return -1;
    uint32_t start = (uint32_t)((e->input & HV_HYPERCALL_REP_START_MASK) >>
                                HV_HYPERCALL_REP_START_SHIFT);
    struct model_result done = {.possible = 1, .status = HV_STATUS_SUCCESS,
                                .reps_completed = start};
    model_state_copy(&c->cfg, s, before);
    if (code == HVCALL_MAP_GPA_PAGES && rec->reps > start) {
        struct model_event upto = *e;
        upto.input = (e->input & ~HV_HYPERCALL_REP_COUNT_MASK) |
                     ((uint64_t)rec->reps << HV_HYPERCALL_REP_COUNT_SHIFT);
        model_apply(&c->cfg, s, &upto, &done);
    }
    if (!done.possible || done.status != HV_STATUS_SUCCESS || done.reps_completed != rec->reps)
        return -1;
    *r = done;
    r->status = HV_STATUS_INSUFFICIENT_MEMORY;
    return 0;
}

/* The M records ahead of rec against the tables the model's frames imply
 * (tables.h): one per live partition, each with the entries and sum
 * expected and nothing unmapped since its last flush.  NULL if they agree
 * (or there are none and none are required), else why, in buf. */
static const char *check_tables(const struct ctx *c, const struct trace_record *rec,
                                char *buf, size_t len)
{
    if (!rec->tables && !c->opt->tables)
        return NULL;
    struct tables_expected exp[MODEL_MAX_PARTITIONS];
    tables_expect(&c->cfg, c->s, exp);
    uint32_t live = 0;
    for (uint32_t k = 0; k < MODEL_MAX_PARTITIONS; k++)
        live += c->s->part[k].state != MODEL_PART_FREE;
    if (rec->tables != live) {
        snprintf(buf, len, "second-level tables: %u partitions have one after the step, "
                 "the model has %u live partitions", rec->tables, live);
        return buf;
    }
    for (uint32_t i = 0; i < rec->tables; i++) {
        const struct trace_table *tt = &rec->table[i];
        uint32_t k = 0;
        while (k < MODEL_MAX_PARTITIONS &&
               (c->s->part[k].state == MODEL_PART_FREE || c->s->part[k].id != tt->id))
            k++;
        if (k == MODEL_MAX_PARTITIONS)
            snprintf(buf, len, "second-level tables: partition %" PRIu64 " has one, "
                     "but the model has no such partition", tt->id);
        else if (tt->entries != exp[k].entries || tt->sum != exp[k].sum)
            snprintf(buf, len, "second-level tables: partition %" PRIu64 " maps %u pages "
                     "(sum %016" PRIx64 "); the model's frames give it %" PRIu64
                     " (sum %016" PRIx64 "): a mapping left behind, missing, or with "
                     "other rights or another page", tt->id, tt->entries, tt->sum,
                     exp[k].entries, exp[k].sum);
        else if (tt->unflushed)
            snprintf(buf, len, "second-level tables: partition %" PRIu64 " had %u "
                     "entries removed or changed and no TLB flush of its tag after",
                     tt->id, tt->unflushed);
        else
            continue;
        return buf;
    }
    return NULL;
}

/* One record against the model.  0 = agrees. */
static int check_record(struct ctx *c, uint32_t si, const struct trace_record *rec,
                        struct model_state *before_copy)
{
    struct model_event e;
    uint64_t kout[TRACE_OUTS];
    struct model_result r;
    record_to_event(rec, &e, kout);
    /* The state before: for the replay below, and for a pool that ran out. */
    int may_run_out = rec->status == HV_STATUS_INSUFFICIENT_MEMORY;
    if (c->steps || may_run_out)
        model_state_copy(&c->cfg, before_copy, c->s);
    model_apply(&c->cfg, c->s, &e, &r);
    int ran_out = may_run_out && pool_ran_out(c, rec, &e, before_copy, c->s, &r) == 0;
    uint64_t dig = r.possible ? model_digest(&c->cfg, c->s) : 0;
    write_step_line(c, rec, &e, kout);
    c->res->records++;

    const char *why = NULL;
    char buf[1024];
    if (!r.possible)
        why = "the model says this step cannot happen (the actor has no "
              "running VP with that index, or the run was shut down)";
    else if (e.kind != MODEL_EV_FAULT &&
             (r.status != rec->status || r.reps_completed != rec->reps ||
              r.out_count != rec->nout))
        why = "status, reps or number of outputs differ";
    else if (e.kind == MODEL_EV_HYPERCALL &&
             memcmp(r.out, kout, sizeof(uint64_t) * r.out_count))
        why = "outputs differ";
    else if (dig != rec->digest)
        why = "the abstract states after the step differ (digest)";
    else
        why = check_tables(c, rec, buf, sizeof buf);
    if (!why && e.kind == MODEL_EV_HYPERCALL && c->steps && !ran_out) {
        /* The bytes the partition wrote must mean what the hypervisor
         * decoded: replay with the written arguments; same outcome? */
        const struct scenario_step *st = c->cur;
        const struct model_call_desc *d = model_call_by_code(code_of(e.input));
        int fast = (e.input & HV_HYPERCALL_FAST_BIT) != 0;
        if (d && (fast || (st->flags & SCENARIO_STEP_WRITE_BLOCK) || d->in_size == 0)) {
            struct model_event w;
            step_event(st, e.input, &w);
            relocate_step_event(st, &w);
            w.in_gpa = e.in_gpa;
            w.out_gpa = e.out_gpa;
            if (code_of(e.input) == HVCALL_START_VP && st->start_agent)
                for (int i = 2; i < 6; i++) /* the agent's own context */
                    w.arg[i] = e.arg[i];
            if (memcmp(w.arg, e.arg, sizeof w.arg)) {
                struct model_result r2;
                model_apply(&c->cfg, before_copy, &w, &r2);
                uint64_t dig2 = r2.possible ? model_digest(&c->cfg, before_copy) : 0;
                if (r2.possible != r.possible || r2.status != r.status ||
                    r2.reps_completed != r.reps_completed || dig2 != dig) {
                    char ev[512];
                    model_event_format(&w, ev, sizeof ev);
                    snprintf(buf, sizeof buf,
                             "the hypervisor decoded the input block into other "
                             "arguments than the partition wrote (the call's "
                             "outcome depends on them); written: %s -> %s", ev,
                             r2.possible ? status_name(r2.status) : "(impossible)");
                    why = buf;
                }
            }
        }
    }
    if (!why)
        return 0;
    report_divergence(c, si, rec, &e, &r, kout, dig, c->s, why);
    return 1;
}

/* The T header against the model's boot state.  0 = agrees. */
static int check_header(const struct ctx *c)
{
    const struct trace *t = c->t;
    if (!t->have_header) {
        fprintf(c->out, "trace has no 'T partita-trace' header\n");
        return 1;
    }
    const char *bad = model_config_check(&c->cfg);
    if (bad) {
        fprintf(c->out,
                "trace header: the machine it describes is no model "
                "configuration: %s\n",
                bad);
        return 1;
    }
    uint64_t boot = model_digest(&c->cfg, c->s);
    if (t->digest != boot) {
        fprintf(c->out, "DIVERGENCE at boot: the T header's digest is %016" PRIx64
                ", the model's boot state has %016" PRIx64 "\n", t->digest, boot);
        show_states(c, UINT64_MAX, t->digest, c->s);
        return 1;
    }
    return 0;
}

/* The E record: the run finished, every record was seen, and it ended
 * with the code the model was shut down with.  0 = agrees. */
static int check_end(const struct ctx *c)
{
    const struct trace *t = c->t;
    if (!t->have_end) {
        fprintf(c->out, "TRACE ENDS EARLY: every record was checked but there is "
                "no E record (the run did not finish)%s\n",
                t->truncated_line ? "; the last line was cut off" : "");
        return 1;
    }
    if (t->end_seq != c->base + t->n) {
        fprintf(c->out, "E record says %" PRIu64 " steps, the trace holds %" PRIu64 "\n",
                t->end_seq, c->base + t->n);
        return 1;
    }
    if (c->s->hv_state == MODEL_HV_SHUT_DOWN &&
        (uint64_t)t->end_result != c->s->shutdown_code) {
        fprintf(c->out, "E record: the run ended with result %lld, the model "
                "was shut down with code %" PRIu64 "\n", t->end_result,
                c->s->shutdown_code);
        return 1;
    }
    return 0;
}

/* A check begins: the model at boot, in the configuration the trace's
 * header names, and a scratch state.  0, or 1 (reported) without memory. */
static int ctx_open(struct ctx *c, const struct step_source *steps, const struct trace *t,
                    const struct lockstep_options *opt, struct lockstep_result *res,
                    struct model_state **scratch)
{
    *c = (struct ctx){steps, NULL, t, opt, res, model_config_default(), NULL,
                      opt->out ? opt->out : stdout, NULL, NULL, 0, 0};
    memset(res, 0, sizeof *res);
    c->s = malloc(sizeof *c->s);
    *scratch = malloc(sizeof **scratch);
    if (!c->s || !*scratch) {
        free(c->s);
        free(*scratch);
        fprintf(c->out, "out of memory\n");
        return 1;
    }
    c->cfg.services_in_hypervisor = (uint32_t)t->services_in_hypervisor;
    /* The machine the header describes: the root's RAM and the probe. */
    c->cfg.ram_ranges = t->ram_ranges;
    for (uint32_t i = 0; i < t->ram_ranges && i < MODEL_MAX_RAM_RANGES; i++)
        c->cfg.ram[i] = (struct model_range){t->ram[i][0], t->ram[i][1]};
    c->cfg.probe_page = t->probe_page;
    c->cfg.probe_pages = t->probe_pages;
    model_init(&c->cfg, c->s);
    return 0;
}

static int list_step(void *ctx, uint32_t i, struct scenario_step *st)
{
    const struct steps_list *l = ctx;
    memcpy(st, &l->v[i], sizeof *st);
    return 0;
}

int lockstep_check(const struct steps_list *steps, const struct trace *t,
                   const struct lockstep_options *opt, struct lockstep_result *res)
{
    struct step_source src = {steps->name, steps->n, list_step, (void *)steps, NULL};
    return lockstep_check_source(&src, t, opt, res);
}

int lockstep_check_source(const struct step_source *steps, const struct trace *t,
                          const struct lockstep_options *opt,
                          struct lockstep_result *res)
{
    return lockstep_check_stream(steps, t, NULL, NULL, opt, res);
}

int lockstep_check_stream(const struct step_source *steps, const struct trace *t,
                          int (*more)(void *more_ctx), void *more_ctx,
                          const struct lockstep_options *opt,
                          struct lockstep_result *res)
{
    struct ctx c;
    struct model_state *scratch;
    struct scenario_step *st = malloc(sizeof *st);
    if (!st || ctx_open(&c, steps, t, opt, res, &scratch)) {
        free(st);
        return 1;
    }
    c.cur = st;
    c.more = more;
    c.more_ctx = more_ctx;
    int rc = 1;
    if (check_header(&c))
        goto done;

    size_t ri = 0;
    for (uint32_t si = 0; si < steps->n; si++) {
        if (steps->get(steps->ctx, si, st)) {
            fprintf(c.out, "the steps of %s cannot be had at step %u: %s\n",
                    steps->name, si + 1, steps->err ? steps->err : "(no reason)");
            goto done;
        }
        struct model_event want;
        uint32_t index = 0;
        step_event(st, st->input, &want);
        relocate_step_event(st, &want);
        for (;;) {
            const struct trace_record *rec = next_record(&c, &ri);
            if (!rec) {
                char what[160];
                snprintf(what, sizeof what, "the trace holds %" PRIu64 " records, the run has "
                         "%u steps%s%s", c.base + t->n, steps->n,
                         index ? " (inside a rep call)" : "",
                         c.unreadable ? " (the rest of the trace could not be read)" : "");
                report_short(&c, si, what);
                goto done;
            }
            if (st->kind == SCENARIO_STEP_FAULT) {
                if (rec->kind != 'F' || rec->actor != st->actor || rec->vp != st->vp) {
                    report_misaligned(&c, si, rec, &want,
                                      "expected the F record of a fault");
                    goto done;
                }
            } else {
                if (rec->kind != 'H' || rec->actor != st->actor || rec->vp != st->vp ||
                    rec->input != want.input || rec->in_gpa != want.in_gpa ||
                    rec->out_gpa != want.out_gpa) {
                    report_misaligned(&c, si, rec, &want,
                                      index ? "expected the next element of a rep call"
                                            : "expected this hypercall");
                    goto done;
                }
            }
            if (check_record(&c, si, rec, scratch))
                goto done;
            uint32_t count = rep_count_of(rec->input);
            if (rec->kind == 'H' && rec->status == HV_STATUS_SUCCESS && count &&
                rec->reps < count) {
                index = rec->reps; /* the continuation the hypervisor asked for */
                step_event(st, step_continuation(st->input, index), &want);
                relocate_step_event(st, &want);
                continue;
            }
            break;
        }
        res->steps++;
    }
    const struct trace_record *extra = next_record(&c, &ri);
    if (extra) {
        const struct trace_record *rec = extra;
        fprintf(c.out, "EXTRA RECORD seq %" PRIu64 " (trace line %u) after the "
                "last of %u steps: %c actor %" PRIx64 " vp %u input 0x%" PRIx64
                "\n", rec->seq, rec->line, steps->n, rec->kind, rec->actor,
                rec->vp, rec->input);
        res->seq = rec->seq;
        goto done;
    }
    if (check_end(&c))
        goto done;
    res->passed = 1;
    fprintf(c.out, "PASS %s: %u steps, %" PRIu64 " records checked\n",
            steps->name, res->steps, res->records);
    rc = 0;
done:
    free(c.s);
    free(scratch);
    free(st);
    return rc;
}

/*
 * Free-running: no compiled steps, the records are the run.  Whatever the
 * partitions did (the demo, a service, a shell script), each record in
 * order becomes its model event and must have the model's outcome.  What
 * cannot be checked without steps: that the hypervisor decoded the bytes
 * the partition wrote (the replay above) and that a record was due at
 * all; the digest still covers every state change a record carries.
 */
int lockstep_check_free(const struct trace *t, const struct lockstep_options *opt,
                        struct lockstep_result *res)
{
    struct ctx c;
    struct model_state *scratch;
    if (ctx_open(&c, NULL, t, opt, res, &scratch))
        return 1;
    int rc = 1;
    uint64_t kinds[3] = {0, 0, 0}; /* H, F, I */
    if (check_header(&c))
        goto done;
    size_t ri = 0;
    for (const struct trace_record *rec; (rec = next_record(&c, &ri)) != NULL;) {
        if (check_record(&c, 0, rec, scratch))
            goto done;
        kinds[rec->kind == 'H' ? 0 : rec->kind == 'F' ? 1 : 2]++;
    }
    if (check_end(&c))
        goto done;
    res->passed = 1;
    fprintf(c.out, "PASS %s (free-running): %" PRIu64 " records checked (%" PRIu64
            " hypercalls, %" PRIu64 " faults, %" PRIu64 " intercepts)\n",
            opt->name ? opt->name : "trace", res->records, kinds[0], kinds[1], kinds[2]);
    rc = 0;
done:
    free(c.s);
    free(scratch);
    return rc;
}
