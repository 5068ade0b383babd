/* SPDX-License-Identifier: MIT */
/*
 * test=isolation: the isolation matrix.  One row per piece of CPU state a
 * partition must keep for itself, then three rows of behaviour the
 * hypervisor must enforce; one line per row and a summary:
 *
 *   root: isolation x87: root ok, child ok
 *   root: isolation cr2: FAIL root saw 0x... in cr2 (marker of child 5, the set
 *        child), keep child 4 saw ...
 *   root: isolation matrix: 15 rows, 13 passed, 0 failed, 2 skipped
 *
 * A state row runs two isoprobe children (partitions/guests/isoprobe):
 *   1. the keep child writes its marker, reads it back, says READY;
 *   2. the set child is started; it waits for its arguments;
 *   3. the root writes its own marker, then sends the set child its
 *      arguments, which are its "go": it writes its marker, says SET and
 *      halts for ever holding it;
 *   4. the root reads its state back: its own marker, not the set child's;
 *   5. the root tells the keep child CHECK: it reads back and reports.
 * The keep child writes first so that state the hypervisor refuses (today
 * some of it stops the partition) is found on a child, not on the root;
 * the root writes only what a child could.  Markers say whose they are
 * (partitions/lib/iso_state.c), so a failure names the partition whose
 * value leaked.  Every writer reads its marker back at once: a write
 * that does not stick fails the row instead of passing it for nothing.
 *
 * Waits are for messages (halting between looks); a child that says
 * nothing for WAIT_HALTS timer ticks, or that the hypervisor stops (news
 * on the root's news SINT), fails its row and the matrix goes on.
 */
#include "isolation.h"

#include <stdarg.h>

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/iso_state.h"
#include "../lib/string_util.h"
#include "child.h"
#include "ports.h"
#include "root.h"

#define MODULE "isoprobe.elf"
#define ROOT_SINT 0u                      /* where the children's messages arrive */
#define ROOT_PORT(slot) (0x600u + (slot)) /* the root's port for child `slot` */
#define ROOT_CONN(slot) (0x600u + (slot)) /* the root's connection to its port 1 */
#define SLOT_KEEP 1u                      /* the keep child, or the probe */
#define SLOT_SET 2u
#define WAIT_HALTS 3000    /* timer ticks without a word: the child went quiet */
#define WAIT_IN_OFFSET 512 /* iso_hold's SINT inputs: after a post block */
#define WHY 240            /* bytes of a row's result text */

struct probe {
    struct child c; /* c.id 0: not created */
    uint32_t slot;
    const char *role; /* "keep", "set", "probe": for messages */
};

enum got {
    GOT_MESSAGE,     /* the matrix's message from the child waited for */
    GOT_STOPPED,     /* the hypervisor stopped it, and all it posted before is read */
    GOT_SILENT,      /* nothing for WAIT_HALTS timer ticks */
    GOT_FOREIGN,     /* a message that is not the matrix's (foreign_text) */
    GOT_STALE,       /* the matrix's, from an earlier child on the same port */
    GOT_POST_FAILED, /* the root could not post to it (post_status) */
};

static const struct partition_boot_info *boot;
static struct iso_cpu cpu;
static uint64_t me;
static uint64_t news_seen;      /* news flags read so far: bit (child id % 64) */
static char foreign_text[80];   /* the last message that was not the matrix's */
static hv_status_t post_status; /* the last post that failed */

/* Appends to a result text. */
static void add(char *buf, unsigned size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(char *buf, unsigned size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    format_buffer(buf + used, size - used, fmt, ap);
    va_end(ap);
}

static const char *vector_name(uint32_t v)
{
    static const char *const names[20] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR",       "#UD", "#NM", "#DF", "vector 9",
        "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM"};
    if (v == ISO_COMPLETES)
        return "completed";
    return v < 20 ? names[v] : "an exception";
}

/* An exception outside every recovery point: the run cannot go on. */
static void root_unexpected(const struct iso_fault *f)
{
    printf(
        "root: isolation: FAIL the root took %s (error 0x%x) at rip 0x%llx outside any "
        "recovery point\n",
        vector_name(f->vector), f->error_code, (unsigned long long)f->rip);
    partition_exit(1);
}

/* ------------------------------------------------------------- children */

static void take_news(void)
{
    news_seen |= child_news();
}

static uint64_t news_bit(const struct probe *p)
{
    return 1ull << (p->c.id % HV_EVENT_FLAGS_PER_SINT);
}

/* Builds the child (not started) with a connection each way:
 * child connection 1 -> root port ROOT_PORT(slot) on SINT 0,
 * root connection ROOT_CONN(slot) -> child port 1 on its SINT 0. */
static int probe_create(struct probe *p, uint32_t slot, const char *role, char *why,
                        unsigned size)
{
    const struct partition_module *m = root_find_module(boot, MODULE);
    memset(p, 0, sizeof *p);
    p->slot = slot;
    p->role = role;
    int st =
        child_create_elf(&p->c, "isoprobe", (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = root_create_port(me, ROOT_PORT(slot), p->c.id, HV_PORT_TYPE_MESSAGE,
                              ROOT_SINT);
    if (!st)
        st = root_connect(p->c.id, 1, me, ROOT_PORT(slot));
    if (!st)
        st = root_create_port(p->c.id, 1, me, HV_PORT_TYPE_MESSAGE, 0);
    if (!st)
        st = root_connect(me, ROOT_CONN(slot), p->c.id, 1);
    if (st)
        add(why, size, "FAIL cannot build a child from %s: %s", MODULE,
            hv_status_name((hv_status_t)st));
    return st == 0;
}

static int probe_start(struct probe *p, uint32_t slot, const char *role, char *why,
                       unsigned size)
{
    if (!probe_create(p, slot, role, why, size))
        return 0;
    int st = child_start(&p->c);
    if (st)
        add(why, size, "FAIL cannot start child %llu: %s", (unsigned long long)p->c.id,
            hv_status_name((hv_status_t)st));
    return st == 0;
}

/* Finalizes and deletes it, halted, waiting or stopped alike. */
static void probe_stop(struct probe *p)
{
    if (!p->c.id)
        return;
    int st = child_delete(&p->c);
    if (st)
        printf("root: isolation: FAIL cannot delete child %llu: %s\n",
               (unsigned long long)p->c.id, hv_status_name((hv_status_t)st));
    news_seen &= ~news_bit(p);
    p->c.id = 0;
}

/* The PostMessage block of `m` to child p, in the input page. */
static void build_post(const struct probe *p, const struct iso_msg *m)
{
    struct hv_input_post_message *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->connection_id = ROOT_CONN(p->slot);
    in->message_type = 1;
    in->payload_size = sizeof *m;
    memcpy(in->payload, m, sizeof *m);
}

static hv_status_t post_to(const struct probe *p, const struct iso_msg *m)
{
    hv_status_t st = HV_STATUS_INSUFFICIENT_BUFFERS;
    for (int tries = 0; tries < WAIT_HALTS && st == HV_STATUS_INSUFFICIENT_BUFFERS;
         tries++) {
        build_post(p, m);
        st = hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
        if (st == HV_STATUS_INSUFFICIENT_BUFFERS)
            __asm__ volatile("hlt"); /* its queue is full: let it read */
    }
    return st;
}

static struct iso_msg message(uint32_t kind, enum iso_row r, enum iso_who who,
                              uint64_t id)
{
    struct iso_msg m;
    memset(&m, 0, sizeof m);
    m.magic = ISO_MAGIC;
    m.kind = kind;
    m.row = r;
    m.who = who;
    m.id = id;
    return m;
}

/* What a message on the root's SINT is: from p and the matrix's, or not. */
static enum got parse(const struct probe *p, const struct hv_message *msg,
                      struct iso_msg *m)
{
    memset(m, 0, sizeof *m);
    uint32_t n = msg->header.payload_size;
    if (msg->header.port_id == ROOT_PORT(p->slot) && n >= sizeof *m) {
        memcpy(m, msg->payload, sizeof *m);
        if (m->magic == ISO_MAGIC && m->id == p->c.id)
            return GOT_MESSAGE;
        if (m->magic == ISO_MAGIC) {
            format_string(foreign_text, sizeof foreign_text,
                          "the matrix's message of child %llu, deleted",
                          (unsigned long long)m->id);
            return GOT_STALE;
        }
    }
    /* Printable text, so a stray message can be quoted. */
    const char *text = (const char *)msg->payload;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n && k + 1 < sizeof foreign_text; i++)
        foreign_text[k++] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '.';
    foreign_text[k] = '\0';
    return GOT_FOREIGN;
}

/* One message from the root's SINT, if there is one (acknowledged). */
static int read_message(const struct probe *p, struct iso_msg *m, enum got *g)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = ROOT_SINT;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page))
        return 0;
    *g = parse(p, (const struct hv_message *)hv_output_page, m);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, ROOT_SINT, 0);
    return 1;
}

/*
 * The next message of p; or its stop; or silence.  A child may post and
 * then be stopped while the root is between its two looks (the timer
 * preempts it): what it posted is read before its stop is reported.
 */
static enum got wait_from(const struct probe *p, struct iso_msg *m)
{
    for (int halts = 0; halts <= WAIT_HALTS;) {
        enum got g;
        if (read_message(p, m, &g)) {
            if (g != GOT_STALE)
                return g;
            continue; /* a deleted child's: not this one's */
        }
        if (news_seen & news_bit(p))
            return GOT_STOPPED; /* and its queue is empty */
        take_news();
        if (news_seen & news_bit(p))
            continue; /* look at its messages once more */
        __asm__ volatile("hlt");
        halts++;
    }
    return GOT_SILENT;
}

/* Messages of children already deleted must not reach the next row. */
static void drain(void)
{
    struct probe none = {.slot = 0};
    struct iso_msg m;
    enum got g;
    while (read_message(&none, &m, &g))
        ;
}

static int send(const struct probe *p, const struct iso_msg *m, char *why, unsigned size)
{
    hv_status_t st = post_to(p, m);
    if (st)
        add(why, size, "FAIL cannot post to child %llu: %s", (unsigned long long)p->c.id,
            hv_status_name(st));
    return st == HV_STATUS_SUCCESS;
}

/* ------------------------------------------------------- describing things */

/* A state row: its two children. */
struct row {
    enum iso_row r;
    struct probe keep, set;
    int root_wrote; /* the root ran the row's instructions: they are safe for it */
};

/* "stopped by the hypervisor <when> (exits: other 1)": the kinds of exit
 * that end a partition, counted for it. */
static void add_stop(char *buf, unsigned size, const struct probe *p, const char *when)
{
    struct hv_output_exit_stats s;
    add(buf, size, "stopped by the hypervisor %s", when);
    if (root_exit_stats(p->c.id, &s))
        return;
    static const struct {
        int reason;
        const char *name;
    } fatal[] = {{HV_EXIT_NPF, "npf"},
                 {HV_EXIT_EXCEPTION, "exception"},
                 {HV_EXIT_TRIPLE_FAULT, "triple fault"},
                 {HV_EXIT_OTHER, "other"}};
    const char *sep = " (exits:";
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        if (s.count[fatal[i].reason]) {
            add(buf, size, "%s %s %llu", sep, fatal[i].name,
                (unsigned long long)s.count[fatal[i].reason]);
            sep = ",";
        }
    if (sep[0] == ',')
        add(buf, size, ")");
}

/* "saw 0x... in lstar (marker of child 3, the set child)": whose value it
 * is, by its marker.  Small markers carry no id: the row's child of that
 * role wrote it. */
static void add_seen(char *buf, unsigned size, const struct row *w, uint32_t item,
                     uint64_t value)
{
    char name[24];
    uint64_t id;
    int who = iso_marker_owner(w->r, item, value, &id);
    add(buf, size, "saw 0x%llx in %s (", (unsigned long long)value,
        iso_item_name(w->r, item, name, sizeof name));
    if (who < 0) {
        add(buf, size, "not a marker)");
    } else if (who == ISO_WHO_ROOT) {
        add(buf, size, "the root's marker)");
    } else {
        if (!id)
            id = who == ISO_WHO_KEEP ? w->keep.c.id : w->set.c.id;
        add(buf, size, "marker of child %llu, the %s child)", (unsigned long long)id,
            iso_who_name((enum iso_who)who));
    }
}

/* "#GP writing fs.base (rip 0x...)" */
static void add_fault(char *buf, unsigned size, enum iso_row r, uint32_t item,
                      uint32_t vector, uint64_t rip, const char *doing)
{
    char name[24];
    add(buf, size, "%s %s %s (rip 0x%llx)", vector_name(vector), doing,
        iso_item_name(r, item, name, sizeof name), (unsigned long long)rip);
}

/*
 * Why child p's answer (g, m) is not the OK it should be, as
 * "<role> child N: ..." (`doing`: what it was doing); w for DIFFERS.
 */
static void add_answer(char *buf, unsigned size, const struct row *w, enum iso_row r,
                       const struct probe *p, enum got g, const struct iso_msg *m,
                       const char *doing)
{
    char name[24], when[64] = "";
    add(buf, size, "%s child %llu ", p->role, (unsigned long long)p->c.id);
    if (g == GOT_STOPPED) {
        add(when, sizeof when, "while %s", doing);
        add_stop(buf, size, p, when);
    } else if (g == GOT_SILENT) {
        add(buf, size, "gave no answer in %d timer ticks while %s", WAIT_HALTS, doing);
    } else if (g == GOT_FOREIGN) {
        add(buf, size, "sent a message that is not the matrix's: \"%s\"", foreign_text);
    } else if (g == GOT_POST_FAILED) {
        add(buf, size, "could not be posted to: %s", hv_status_name(post_status));
    } else if (m->status == ISO_FAULT) {
        add(buf, size, "took ");
        add_fault(buf, size, r, m->item, m->vector, m->fault_rip,
                  m->reading ? "reading back" : "writing");
    } else if (m->status == ISO_NOT_TAKEN) {
        add(buf, size, "wrote 0x%llx to %s, read back 0x%llx at once",
            (unsigned long long)m->want, iso_item_name(r, m->item, name, sizeof name),
            (unsigned long long)m->got);
    } else if (m->status == ISO_DIFFERS && w) {
        add_seen(buf, size, w, m->item, m->got);
    } else {
        add(buf, size, "answered kind %u, status %u while %s", m->kind, m->status, doing);
    }
}

/* Waits for p's message of `kind` with status OK; otherwise says why not. */
static int expect(const struct probe *p, uint32_t kind, enum iso_row r, const char *doing,
                  struct iso_msg *m, char *why, unsigned size)
{
    enum got g = wait_from(p, m);
    if (g == GOT_MESSAGE && m->kind == kind && m->status == ISO_OK)
        return 1;
    add(why, size, "FAIL ");
    add_answer(why, size, 0, r, p, g, m, doing);
    return 0;
}

/* ------------------------------------------------------------ state rows */

/* The root's side of ISO_GPRS: the registers hold the root's markers from
 * before the set child's "go" until its SET arrives. */
static enum got root_hold_gprs(const struct row *w, const struct iso_state *mine,
                               struct iso_state *now, struct iso_msg *m)
{
    struct iso_hold h;
    memset(&h, 0, sizeof h);
    memcpy(h.reg, mine->v, sizeof h.reg);
    struct iso_msg go = message(ISO_MSG_ARGS, ISO_GPRS, ISO_WHO_SET, w->set.c.id);
    build_post(&w->set, &go);
    struct hv_input_sint *in = (void *)(hv_input_page + WAIT_IN_OFFSET);
    in[0] = (struct hv_input_sint){ROOT_SINT, 0};
    in[1] = (struct hv_input_sint){HV_SINT_PARTITION_NEWS, 0};
    h.post_gpa = (uint64_t)(uintptr_t)hv_input_page;
    h.wait_gpa = (uint64_t)(uintptr_t)&in[0];
    h.news_gpa = (uint64_t)(uintptr_t)&in[1];
    h.out_gpa = (uint64_t)(uintptr_t)hv_output_page;
    h.max_halts = WAIT_HALTS;
    h.use_vmcall = cpu.backend == HV_BACKEND_VMX;
    iso_hold_gprs(&h);
    *now = *mine;
    memcpy(now->v, h.reg, sizeof h.reg);
    news_seen |= h.news;
    if ((post_status = hv_status_of(h.post_result)) != HV_STATUS_SUCCESS)
        return GOT_POST_FAILED;
    if (hv_status_of(h.wait_result) == HV_STATUS_SUCCESS) {
        enum got g = parse(&w->set, (const struct hv_message *)hv_output_page, m);
        hv_call_fast(HVCALL_PARTITA_SINT_EOM, ROOT_SINT, 0);
        return g == GOT_STALE ? GOT_FOREIGN
                              : g; /* drain() after each row: not expected */
    }
    return news_seen & news_bit(&w->set) ? GOT_STOPPED : GOT_SILENT;
}

/* Every other row: the root writes (and reads back at once), the set
 * child goes, the root reads its own.  A failure of the root's own
 * instructions is said in `why`. */
static enum got root_write_and_read(const struct row *w, const struct iso_state *mine,
                                    struct iso_state *now, struct iso_msg *m, char *why,
                                    unsigned size)
{
    const char *doing = 0;
    if (iso_write(w->r, mine))
        doing = "writing";
    else if (iso_read(w->r, now))
        doing = "reading back";
    if (doing) {
        add(why, size, "FAIL the root took ");
        add_fault(why, size, w->r, iso_fault.item, iso_fault.vector, iso_fault.rip,
                  doing);
        return GOT_POST_FAILED;
    }
    int i = iso_first_difference(now, mine);
    if (i >= 0) {
        char name[24];
        add(why, size, "FAIL the root wrote 0x%llx to %s, read back 0x%llx at once",
            (unsigned long long)mine->v[i],
            iso_item_name(w->r, (uint32_t)i, name, sizeof name),
            (unsigned long long)now->v[i]);
        return GOT_POST_FAILED;
    }
    struct iso_msg go = message(ISO_MSG_ARGS, w->r, ISO_WHO_SET, w->set.c.id);
    if ((post_status = post_to(&w->set, &go)) != HV_STATUS_SUCCESS)
        return GOT_POST_FAILED;
    enum got g = wait_from(&w->set, m);
    if (iso_read(w->r, now)) { /* at once: nothing of the root's has run since */
        add(why, size, "FAIL the root took ");
        add_fault(why, size, w->r, iso_fault.item, iso_fault.vector, iso_fault.rip,
                  "reading back");
        return GOT_POST_FAILED;
    }
    return g;
}

/* At the end of a row the root wrote, puts back what would hurt it later:
 * a TPR that masks the hypervisor's timer where CR8 is not the
 * partition's own, odd FS/GS.  Not before the keep child has read back:
 * it must see what the others left, not the root's tidying. */
static void restore_root(enum iso_row r)
{
    if (r == ISO_TPR)
        ISO_TRY("mov %[z], %%cr8", (), ([z] "r"(0ull)));
    if (r == ISO_SEGMENTS)
        __asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" : : "r"((uint16_t)ISO_SEL_DATA));
}

/* Step 5: the keep child reads its state back; "child ok" or why not. */
static int keep_still_holds(const struct row *w, char *part, unsigned size)
{
    struct iso_msg m = message(ISO_MSG_CHECK, w->r, ISO_WHO_KEEP, w->keep.c.id);
    enum got g = GOT_POST_FAILED;
    if ((post_status = post_to(&w->keep, &m)) == HV_STATUS_SUCCESS)
        g = wait_from(&w->keep, &m);
    if (g == GOT_MESSAGE && m.kind == ISO_MSG_REPORT && m.status == ISO_OK) {
        add(part, size, "child ok");
        return 1;
    }
    add_answer(part, size, w, w->r, &w->keep, g, &m, "reading back");
    return 0;
}

/* Steps 2 to 5 of a state row, once the keep child is READY. */
static int state_row_check(struct row *w, char *why, unsigned size)
{
    struct iso_state mine, now;
    struct iso_msg m;
    if (!probe_start(&w->set, SLOT_SET, "set", why, size))
        return 0;
    iso_markers(w->r, ISO_WHO_ROOT, me, &mine);
    w->root_wrote = 1;
    enum got g = w->r == ISO_GPRS ? root_hold_gprs(w, &mine, &now, &m)
                                  : root_write_and_read(w, &mine, &now, &m, why, size);
    if (why[0]) /* the root's own write or read failed */
        return 0;
    if (g != GOT_MESSAGE || m.kind != ISO_MSG_SET || m.status != ISO_OK) {
        add(why, size, "FAIL ");
        add_answer(why, size, w, w->r, &w->set, g, &m, "writing its marker");
        return 0;
    }
    /* Step 4: the root's own, read as soon as the set child said SET. */
    char root_part[WHY / 2] = "", child_part[WHY / 2] = "";
    int i = iso_first_difference(&now, &mine);
    if (i < 0) {
        add(root_part, sizeof root_part, "root ok");
    } else {
        add(root_part, sizeof root_part, "root ");
        add_seen(root_part, sizeof root_part, w, (uint32_t)i, now.v[i]);
    }
    int child_ok = keep_still_holds(w, child_part, sizeof child_part);
    add(why, size, "%s%s, %s", i < 0 && child_ok ? "" : "FAIL ", root_part, child_part);
    return i < 0 && child_ok;
}

static int state_row(enum iso_row r, char *why, unsigned size)
{
    struct row w;
    struct iso_msg m;
    memset(&w, 0, sizeof w);
    w.r = r;
    int ok = probe_start(&w.keep, SLOT_KEEP, "keep", why, size);
    if (ok) {
        struct iso_msg args = message(ISO_MSG_ARGS, r, ISO_WHO_KEEP, w.keep.c.id);
        ok = send(&w.keep, &args, why, size) &&
             expect(&w.keep, ISO_MSG_READY, r, "writing its marker", &m, why, size) &&
             state_row_check(&w, why, size);
    }
    if (w.root_wrote)
        restore_root(r);
    probe_stop(&w.set);
    probe_stop(&w.keep);
    return ok;
}

/* -------------------------------------------------------- cpl3-hypercall */

/*
 * The probe drops to CPL 3 and posts to the root from there.  The
 * hypercall must be #UD at CPL 3 (the probe's handler sees vector 6 at
 * the hypercall, saved CS with RPL 3), and the root must get no message
 * but the probe's report.
 */
static int run_cpl3(struct probe *p, char *why, unsigned size)
{
    struct iso_msg m;
    if (!probe_start(p, SLOT_KEEP, "probe", why, size))
        return 0;
    m = message(ISO_MSG_ARGS, ISO_CPL3_HYPERCALL, ISO_WHO_PROBE, p->c.id);
    if (!send(p, &m, why, size))
        return 0;
    char heard[sizeof foreign_text] = "";
    enum got g;
    while ((g = wait_from(p, &m)) == GOT_FOREIGN)
        if (!heard[0])
            memcpy(heard, foreign_text, sizeof heard);
    if (g != GOT_MESSAGE || m.kind != ISO_MSG_REPORT) {
        add(why, size, "FAIL ");
        add_answer(why, size, 0, ISO_CPL3_HYPERCALL, p, g, &m, "calling from CPL 3");
        return 0;
    }
    int at_call = m.status == ISO_FAULT && m.fault_rip == m.arg[0];
    int ok = at_call && m.vector == 6 && (m.fault_cs & 3) == 3 && !heard[0];
    add(why, size, "%s", ok ? "ok (" : "FAIL ");
    if (at_call)
        add(why, size, "%s at the hypercall from CS 0x%llx", vector_name(m.vector),
            (unsigned long long)m.fault_cs);
    else if (m.status == ISO_FAULT && m.arg[1] != ~0ull)
        add(why, size, "the call returned at CPL 3 with %s",
            hv_status_name(hv_status_of(m.arg[1])));
    else if (m.status == ISO_FAULT)
        add(why, size, "%s at rip 0x%llx from CS 0x%llx (the hypercall is at 0x%llx)",
            vector_name(m.vector), (unsigned long long)m.fault_rip,
            (unsigned long long)m.fault_cs, (unsigned long long)m.arg[0]);
    else
        add(why, size, "no exception at all");
    if (heard[0])
        add(why, size, "; the root received the message posted at CPL 3: \"%s\"", heard);
    else
        add(why, size, "; no message from CPL 3 reached the root");
    if (ok)
        add(why, size, ")");
    return ok;
}

/* ------------------------------------------------------- readonly-output */

static uint8_t pattern(unsigned i)
{
    return (uint8_t)(i * 37u + 0x5au);
}

/*
 * The root shares one of its pages with the probe, readable only; the
 * probe names it as the output block of PartitaGetExitStats.  The call
 * must be refused (ACCESS_DENIED) and the page must stay as it was.
 */
static int run_readonly(struct probe *p, char *why, unsigned size)
{
    if (!probe_create(p, SLOT_KEEP, "probe", why, size))
        return 0;
    uint8_t *page = child_ring_pages(&p->c, 1);
    if (!page) {
        add(why, size, "FAIL no root page to share");
        return 0;
    }
    for (unsigned i = 0; i < HV_PAGE_SIZE; i++)
        page[i] = pattern(i);
    int st = child_map_page(p->c.id, ISO_RO_GPA >> HV_PAGE_SHIFT,
                            (uint64_t)(uintptr_t)page >> HV_PAGE_SHIFT,
                            HV_MAP_GPA_READABLE | HV_MAP_GPA_PARTITA_SHARED);
    if (st || (st = child_start(&p->c))) {
        add(why, size, "FAIL cannot share a read-only page and start child %llu: %s",
            (unsigned long long)p->c.id, hv_status_name((hv_status_t)st));
        return 0;
    }
    struct iso_msg m = message(ISO_MSG_ARGS, ISO_READONLY_OUTPUT, ISO_WHO_PROBE, p->c.id);
    if (!send(p, &m, why, size) ||
        !expect(p, ISO_MSG_REPORT, ISO_READONLY_OUTPUT, "calling", &m, why, size))
        return 0;
    unsigned changed = 0;
    for (unsigned i = 0; i < HV_PAGE_SIZE; i++)
        changed += page[i] != pattern(i);
    uint64_t first;
    uint8_t want[8];
    for (unsigned i = 0; i < 8; i++)
        want[i] = pattern(i);
    memcpy(&first, want, sizeof first);
    hv_status_t status = (hv_status_t)m.arg[0];
    /* The child must have read the pattern: the page was there, readable. */
    int ok = status == HV_STATUS_ACCESS_DENIED && changed == 0 && m.arg[1] == first;
    if (ok) {
        add(why, size, "ok (ACCESS_DENIED, the read-only page unchanged)");
        return 1;
    }
    add(why, size,
        "FAIL status %s (expected ACCESS_DENIED), %u bytes of the read-only page "
        "changed",
        hv_status_name(status), changed);
    if (m.arg[1] != first)
        add(why, size, "; the child read 0x%llx from it, not the root's 0x%llx",
            (unsigned long long)m.arg[1], (unsigned long long)first);
    return 0;
}

/* ------------------------------------------------------------- sensitive */

struct tally {
    unsigned ok, failed, skipped;
};

/* One instruction's line: the outcome and the change of `other` exits. */
static void judge_insn(const struct iso_msg *m, struct tally *t)
{
    const struct iso_insn *in = iso_insn(m->item);
    if (m->status == ISO_SKIPPED) {
        printf("root: isolation sensitive %s: skipped (no XSAVE)\n", in->name);
        t->skipped++;
        return;
    }
    uint32_t here = cpu.backend == HV_BACKEND_VMX ? ISO_ON_VMX : ISO_ON_SVM;
    int exits = (in->intercept & here) != 0;
    /* Where CPUID shows no MONITOR (the hypervisor may hide it), the
     * processor may raise #UD before any intercept (QEMU's does): either
     * count is right; the #UD is still required. */
    int either = exits && in->needs_monitor && !cpu.monitor;
    uint64_t delta = m->arg[0];
    int ok = m->vector == in->outcome && (either ? delta <= 1 : delta == (uint64_t)exits);
    /* Why the count may stay: the other vendor's instruction, or none. */
    char note[64] = "";
    if (!exits)
        add(note, sizeof note, ": raised by the processor itself, it has no %s",
            here == ISO_ON_VMX ? "AMD-V" : "VT-x");
    else if (either)
        add(note, sizeof note, ": +0 or +1 accepted, CPUID shows no MONITOR");
    char want[128] = "";
    if (!ok)
        add(want, sizeof want, " (expected %s, other +%s%s)", vector_name(in->outcome),
            either  ? "0 or +1"
            : exits ? "1"
                    : "0",
            note);
    printf("root: isolation sensitive %s: %s%s, other +%llu%s%s\n", in->name,
           ok ? "ok (" : "FAIL ", vector_name(m->vector), (unsigned long long)delta,
           ok ? note : want, ok ? ")" : "");
    if (ok)
        t->ok++;
    else
        t->failed++;
}

/* A probe runs the instructions from `first` on; returns where the next
 * probe starts (after one that stopped or went quiet). */
static uint32_t sensitive_child(uint32_t first, struct tally *t)
{
    struct probe p;
    char why[WHY] = "";
    struct iso_msg m;
    uint32_t next = first;
    int started = probe_start(&p, SLOT_KEEP, "probe", why, sizeof why);
    if (started) {
        m = message(ISO_MSG_ARGS, ISO_SENSITIVE, ISO_WHO_PROBE, p.c.id);
        m.arg[0] = first;
    }
    if (started && send(&p, &m, why, sizeof why)) {
        for (;;) {
            enum got g = wait_from(&p, &m);
            if (g == GOT_MESSAGE && m.kind == ISO_MSG_INSN && m.item == next) {
                judge_insn(&m, t);
                next++;
                continue;
            }
            if (g == GOT_MESSAGE && m.kind == ISO_MSG_REPORT && m.status == ISO_OK &&
                next == ISO_INSN_COUNT)
                break;
            add(why, sizeof why, "FAIL ");
            if (g == GOT_MESSAGE && m.status == ISO_FAULT)
                add(why, sizeof why,
                    "probe child %llu took %s at rip 0x%llx, outside the "
                    "instruction",
                    (unsigned long long)p.c.id, vector_name(m.vector),
                    (unsigned long long)m.fault_rip);
            else
                add_answer(why, sizeof why, 0, ISO_SENSITIVE, &p, g, &m, "running it");
            break;
        }
    }
    probe_stop(&p);
    if (next < ISO_INSN_COUNT && why[0]) {
        printf("root: isolation sensitive %s: %s\n", iso_insn(next)->name, why);
        t->failed++;
        next++;
    }
    return next;
}

/*
 * Each instruction must be intercepted (the probe's `other` exit count
 * goes up by exactly 1) and end as the table in iso_state.c says: INVD
 * and WBINVD complete, the rest fault.  The other vendor's instructions
 * do not exist on this processor: it raises #UD itself, no exit.
 */
static int sensitive_row(char *why, unsigned size)
{
    struct tally t = {0, 0, 0};
    for (uint32_t next = 0; next < ISO_INSN_COUNT;)
        next = sensitive_child(next, &t);
    add(why, size, "%s%u instructions: %u ok, %u failed, %u skipped",
        t.failed ? "FAIL " : "", ISO_INSN_COUNT, t.ok, t.failed, t.skipped);
    return t.failed == 0;
}

/* ------------------------------------------------------------ the matrix */

static int behaviour_row(enum iso_row r, char *why, unsigned size)
{
    if (r == ISO_SENSITIVE)
        return sensitive_row(why, size);
    struct probe p;
    memset(&p, 0, sizeof p);
    int ok =
        r == ISO_CPL3_HYPERCALL ? run_cpl3(&p, why, size) : run_readonly(&p, why, size);
    probe_stop(&p);
    return ok;
}

int isolation_matrix(const struct partition_boot_info *info)
{
    boot = info;
    me = info->partition_id;
    if (!root_find_module(info, MODULE)) {
        printf("root: FAIL: no %s module\n", MODULE);
        return 1;
    }
    iso_cpu_detect(&cpu);
    iso_install_tables(0, root_unexpected);
    iso_enable_sse();
    child_memory_init(info);
    printf("root: isolation matrix: %u rows, children from %s; %s, XSAVE %s, AVX %s, "
           "MONITOR %s\n",
           ISO_ROW_COUNT, MODULE, cpu.backend == HV_BACKEND_VMX ? "VT-x" : "AMD-V",
           cpu.xsave ? "yes" : "no", cpu.avx ? "yes" : "no", cpu.monitor ? "yes" : "no");
    unsigned passed = 0, failed = 0, skipped = 0;
    for (int r = 0; r < ISO_ROW_COUNT; r++) {
        char why[WHY] = "";
        const char *skip = iso_row_skip((enum iso_row)r, &cpu);
        if (skip) {
            printf("root: isolation %s: skipped (%s)\n", iso_row_name((enum iso_row)r),
                   skip);
            skipped++;
            continue;
        }
        int ok = r < ISO_FIRST_BEHAVIOUR_ROW
                     ? state_row((enum iso_row)r, why, sizeof why)
                     : behaviour_row((enum iso_row)r, why, sizeof why);
        printf("root: isolation %s: %s\n", iso_row_name((enum iso_row)r), why);
        drain();
        if (ok)
            passed++;
        else
            failed++;
    }
    printf("root: isolation matrix: %u rows, %u passed, %u failed, %u skipped\n",
           ISO_ROW_COUNT, passed, failed, skipped);
    return failed ? 1 : 0;
}
