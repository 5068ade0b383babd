/* SPDX-License-Identifier: MIT */
/*
 * dump.c — readable dumps, diffs and event/result text.
 */
#include "dump.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "encode.h"
#include "state.h"
#include "status.h"

/* Dumps are built as an array of lines so that diff can compare them. */
struct lines {
    char **v;
    size_t n, cap;
};

static void add(struct lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(struct lines *l, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    size_t len = strlen(buf) + 1;
    l->v[l->n] = malloc(len);
    if (!l->v[l->n])
        abort();
    memcpy(l->v[l->n++], buf, len);
}

static void free_lines(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static void message_text(char *buf, size_t len, const struct model_message *m)
{
    snprintf(buf, len,
             "#%" PRIu64 " from p%" PRIu64 " port %u type %u size %u "
             "payload %016" PRIx64,
             m->seq, m->sender, m->port_id, m->type, m->size,
             m->payload_digest);
}

/* "rw", "r", "rx", ...: the rights a child mapped the frame with. */
static const char *rights_text(uint8_t rights)
{
    static char t[4];
    size_t k = 0;
    if (rights & HV_MAP_GPA_READABLE)
        t[k++] = 'r';
    if (rights & HV_MAP_GPA_WRITABLE)
        t[k++] = 'w';
    if (rights & HV_MAP_GPA_EXECUTABLE)
        t[k++] = 'x';
    t[k] = 0;
    return t;
}

static void frame_text(char *buf, size_t len, const struct model_frame *fr)
{
    switch (fr->kind) {
    case MODEL_FRAME_OWNED:
        if (fr->owner == HV_PARTITION_ID_ROOT)
            snprintf(buf, len, "root");
        else
            snprintf(buf, len, "p%" PRIu64 " at gpa page %" PRIu64 " (%s)", fr->owner,
                     fr->gpa, rights_text(fr->rights));
        break;
    case MODEL_FRAME_SHARED:
        snprintf(buf, len, "shared root + p%" PRIu64 " at gpa page %" PRIu64 " (%s)",
                 fr->peer, fr->gpa, rights_text(fr->rights));
        break;
    case MODEL_FRAME_DEPOSITED:
        snprintf(buf, len, "deposited for p%" PRIu64, fr->peer);
        break;
    default:
        snprintf(buf, len, "kind %u?", fr->kind);
    }
}

static void build(const struct model_config *cfg, const struct model_state *s,
                  struct lines *l)
{
    add(l, "hv: %s shutdown_code=%" PRIu64 " trace_mask=0x%" PRIx64
        " next_partition_id=%" PRIu64,
        s->hv_state == MODEL_HV_RUNNING ? "RUNNING" : "SHUT_DOWN",
        s->shutdown_code, s->trace_mask, s->next_partition_id);
    add(l, "counters: posted=%" PRIu64 " acked=%" PRIu64 " discarded=%" PRIu64
        " events_signaled=%" PRIu64,
        s->messages_posted, s->messages_acked, s->messages_discarded,
        s->events_signaled);
    for (uint32_t i = 0; i < cfg->partitions; i++) {
        const struct model_partition *p = &s->part[i];
        if (!model_partition_live(p))
            continue;
        add(l, "partition p%" PRIu64 ": %s%s deposit_used=%u deposited=%u",
            p->id, model_partition_state_name(p->state),
            p->privileges ? " root" : "", p->deposit_used,
            model_deposited_count(cfg, s, p->id));
        for (uint32_t v = 0; v < cfg->vps; v++) {
            const struct model_vp *vp = &p->vp[v];
            if (vp->state == HV_VP_STATE_NONE)
                continue;
            char regs[256] = "";
            if (vp->state == HV_VP_STATE_CREATED)
                for (int r = 0; r < MODEL_VP_REGS; r++) {
                    size_t at = strlen(regs);
                    snprintf(regs + at, sizeof regs - at, " %s=0x%" PRIx64,
                             model_reg_label(r), vp->regs[r]);
                }
            add(l, "vp p%" PRIu64 "/%u: %s%s", p->id, v,
                model_vp_state_name(vp->state), regs);
        }
        for (uint32_t v = 0; v < cfg->vps; v++)
            for (uint32_t q = 0; q < cfg->sints; q++) {
                const struct model_sint *si = &s->sint[i][v][q];
                char m[160];
                if (si->event_flags)
                    add(l, "sint p%" PRIu64 "/%u/%u flags: 0x%" PRIx64, p->id,
                        v, q, si->event_flags);
                if (si->slot_full) {
                    message_text(m, sizeof m, &si->slot);
                    add(l, "sint p%" PRIu64 "/%u/%u slot: %s", p->id, v, q, m);
                }
                for (uint32_t k = 0; k < si->queue_len && k < MODEL_MAX_QUEUE;
                     k++) {
                    message_text(m, sizeof m, &si->queue[k]);
                    add(l, "sint p%" PRIu64 "/%u/%u queue[%u]: %s", p->id, v,
                        q, k, m);
                }
            }
    }
    /* Listed frames (every other frame is a plain root page): a run of
     * consecutive pages with the same description shares a line (mapped
     * frames have distinct GPAs, so they stay one per line). */
    for (uint32_t i = 0; i < s->frames_listed;) {
        char what[128], next[128];
        frame_text(what, sizeof what, &s->frame[i]);
        uint32_t j = i + 1;
        for (; j < s->frames_listed && s->frame[j].page == s->frame[j - 1].page + 1;
             j++) {
            frame_text(next, sizeof next, &s->frame[j]);
            if (strcmp(next, what) != 0)
                break;
        }
        if (j - i == 1)
            add(l, "frame %" PRIu64 ": %s", s->frame[i].page, what);
        else
            add(l, "frames %" PRIu64 "-%" PRIu64 ": %s", s->frame[i].page,
                s->frame[j - 1].page, what);
        i = j;
    }
    for (uint32_t i = 0; i < cfg->ports; i++) {
        const struct model_port *pt = &s->port[i];
        if (pt->used)
            add(l, "port p%" PRIu64 ":%u: %s sint %u vp %u, admits p%" PRIu64 "%s",
                pt->partition, pt->port_id,
                pt->type == HV_PORT_TYPE_MESSAGE ? "message" : "event",
                pt->sint, pt->vp, pt->conn_partition,
                pt->served == HV_SERVICE_CONSOLE ? ", served by the hypervisor's console"
                : pt->served == HV_SERVICE_BLOCK ? ", served by the hypervisor's block service"
                : pt->served ? ", served by an unknown service" : "");
    }
    for (uint32_t i = 0; i < cfg->connections; i++) {
        const struct model_connection *cn = &s->conn[i];
        if (cn->used)
            add(l, "connection p%" PRIu64 ":%u -> port p%" PRIu64 ":%u",
                cn->partition, cn->conn_id, cn->port_partition, cn->port_id);
    }
    add(l, "digest: %016" PRIx64, model_digest(cfg, s));
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void model_dump(const struct model_config *cfg, const struct model_state *s,
                FILE *out)
{
    struct lines l = {0};
    build(cfg, s, &l);
    for (size_t i = 0; i < l.n; i++)
        fprintf(out, "  %s\n", l.v[i]);
    free_lines(&l);
}

int model_diff(const struct model_config *cfg, const struct model_state *a,
               const struct model_state *b, FILE *out)
{
    struct lines la = {0}, lb = {0};
    build(cfg, a, &la);
    build(cfg, b, &lb);
    qsort(la.v, la.n, sizeof *la.v, cmp_lines);
    qsort(lb.v, lb.n, sizeof *lb.v, cmp_lines);
    int differ = 0;
    size_t i = 0, j = 0;
    while (i < la.n || j < lb.n) {
        int c = i == la.n ? 1 : j == lb.n ? -1 : strcmp(la.v[i], lb.v[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) {
            if (out)
                fprintf(out, "  - %s\n", la.v[i]);
            i++, differ++;
        } else {
            if (out)
                fprintf(out, "  + %s\n", lb.v[j]);
            j++, differ++;
        }
    }
    free_lines(&la);
    free_lines(&lb);
    return differ;
}

void model_event_format(const struct model_event *e, char *buf, size_t len)
{
    if (e->kind == MODEL_EV_FAULT) {
        snprintf(buf, len, "p%" PRIu64 "/%u Fault", e->actor, e->vp);
        return;
    }
    uint16_t code = (uint16_t)(e->input & HV_HYPERCALL_CODE_MASK);
    const struct model_call_desc *d = model_call_by_code(code);
    size_t at = 0;
    if (d)
        at += (size_t)snprintf(buf, len, "p%" PRIu64 "/%u %s", e->actor, e->vp,
                               d->name);
    else
        at += (size_t)snprintf(buf, len, "p%" PRIu64 "/%u code=0x%04x",
                               e->actor, e->vp, code);
    uint64_t extra = e->input & ~HV_HYPERCALL_CODE_MASK;
    if (extra && at < len)
        at += (size_t)snprintf(buf + at, len - at, " input=0x%" PRIx64,
                               e->input);
    for (int i = 0; d && i < MODEL_ARGS && d->args[i] && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, " %s=%" PRIu64,
                               d->args[i], e->arg[i]);
    if (d && at < len && (e->in_gpa & (HV_PAGE_SIZE - 1)))
        snprintf(buf + at, len - at, " in_gpa=0x%" PRIx64, e->in_gpa);
}

void model_result_format(const struct model_event *e,
                         const struct model_result *r, char *buf, size_t len)
{
    if (!r->possible) {
        snprintf(buf, len, "(impossible in this state)");
        return;
    }
    const char *name = model_status_name(r->status);
    size_t at = name ? (size_t)snprintf(buf, len, "%s", name)
                     : (size_t)snprintf(buf, len, "status 0x%04x", r->status);
    if (e->input & HV_HYPERCALL_REP_COUNT_MASK && at < len)
        at += (size_t)snprintf(buf + at, len - at, " reps=%u",
                               r->reps_completed);
    const struct model_call_desc *d =
        model_call_by_code((uint16_t)(e->input & HV_HYPERCALL_CODE_MASK));
    for (uint32_t i = 0; d && e->kind == MODEL_EV_HYPERCALL &&
                         i < r->out_count && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, " %s=0x%" PRIx64,
                               d->outs[i] ? d->outs[i] : "out", r->out[i]);
}
