/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strnlen, strtok_r */
#include "prof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void prof_init(struct prof *p)
{
    memset(p, 0, sizeof *p);
}

static int new_node(struct prof *p, long func, int parent)
{
    if (p->nnodes == p->capnodes) {
        int cap = p->capnodes ? 2 * p->capnodes : 1024;
        struct prof_node *n = realloc(p->nodes, (size_t)cap * sizeof *n);
        if (!n)
            abort(); /* a host tool: out of memory is the end */
        p->nodes = n;
        p->capnodes = cap;
    }
    struct prof_node *n = &p->nodes[p->nnodes];
    memset(n, 0, sizeof *n);
    n->func = func;
    n->parent = parent;
    n->child = n->sibling = -1;
    if (parent >= 0) {
        n->depth = p->nodes[parent].depth + 1;
        n->sibling = p->nodes[parent].child;
        p->nodes[parent].child = p->nnodes;
    }
    return p->nnodes++;
}

static int child_of(struct prof *p, int parent, long func)
{
    for (int c = p->nodes[parent].child; c >= 0; c = p->nodes[c].sibling)
        if (p->nodes[c].func == func)
            return c;
    return new_node(p, func, parent);
}

static int add(struct prof *p, const char *name, int guest, int catch_all)
{
    if (p->nspaces == PROF_MAX_SPACES)
        return -1;
    struct prof_space *s = &p->spaces[p->nspaces];
    memset(s, 0, sizeof *s);
    strncpy(s->name, name, sizeof s->name - 1);
    s->guest = guest;
    s->catch_all = catch_all;
    return p->nspaces++;
}

int prof_add_space(struct prof *p, const char *name, int guest, const char *elf,
                   const char **why)
{
    int i = add(p, name, guest, 0);
    if (i < 0) {
        *why = "too many spaces";
        return -1;
    }
    if (elfsyms_load(elf, &p->spaces[i].syms, why)) {
        p->nspaces--;
        return -1;
    }
    return 0;
}

int prof_ready(struct prof *p, const char **why)
{
    if (add(p, "firmware", 0, 1) < 0 || add(p, "guest-other", 1, 1) < 0) {
        *why = "too many spaces";
        return -1;
    }
    new_node(p, -1, -1);
    for (int i = 0; i < p->nspaces; i++) {
        struct prof_space *s = &p->spaces[i];
        s->first_func = p->nfuncs;
        p->nfuncs += s->syms.count + 1;
        s->cur = new_node(p, -2 - i, 0);
        s->last_func = (size_t)-1;
    }
    for (int ph = 0; ph < PROF_PHASES; ph++) {
        p->count[ph] = calloc(p->nfuncs, sizeof *p->count[ph]);
        if (!p->count[ph]) {
            *why = "out of memory";
            return -1;
        }
    }
    return 0;
}

int prof_markers(struct prof *p, char which, const char *chain, const char **why)
{
    struct prof_marker *m = which == 's' ? p->start : p->stop;
    int *n = which == 's' ? &p->nstart : &p->nstop;
    char buf[512];
    if (strlen(chain) >= sizeof buf) {
        *why = "marker chain too long";
        return -1;
    }
    strcpy(buf, chain);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        *why = "a marker is SPACE:SYMBOL";
        if (!colon || *n == PROF_MAX_MARKERS)
            return -1;
        *colon = '\0';
        int sp = -1;
        for (int i = 0; i < p->nspaces; i++)
            if (!p->spaces[i].catch_all && strcmp(p->spaces[i].name, tok) == 0)
                sp = i;
        *why = "a marker names an unknown space";
        if (sp < 0)
            return -1;
        const struct elfsyms *ss = &p->spaces[sp].syms;
        size_t k = 0;
        while (k < ss->count && strcmp(ss->syms[k].name, colon + 1) != 0)
            k++;
        *why = "a marker names a symbol its space does not have";
        if (k == ss->count)
            return -1;
        m[*n].space = sp;
        m[*n].addr = ss->syms[k].addr;
        snprintf(m[*n].name, sizeof m[*n].name, "%s:%s", tok, colon + 1);
        (*n)++;
    }
    *why = "an empty marker chain";
    return *n ? 0 : -1;
}

static int space_of(const struct prof *p, uint64_t pc, int guest)
{
    for (int i = 0; i < p->nspaces; i++) {
        const struct prof_space *s = &p->spaces[i];
        if (s->guest == guest && (s->catch_all || elfsyms_covers(&s->syms, pc)))
            return i;
    }
    return -1; /* not reached: the catch-all spaces take everything */
}

/* The call tree, guessed from the PCs alone (the log has no instruction
 * kinds): entering a function's first instruction is a call (a tail call
 * too), landing in the middle of a function is a return to it, or a jump
 * within it.  A jump back to a function's own first instruction from
 * inside it is a loop, not a recursion. */
static void walk(struct prof *p, struct prof_space *s, size_t func, int entry)
{
    int cur = s->cur;
    int root = p->nodes[cur].func < -1 ? cur : -1;
    for (int n = cur; root < 0; n = p->nodes[n].parent)
        if (p->nodes[n].func < -1)
            root = n;
    if (entry && s->last_func != func) {
        cur = p->nodes[cur].depth >= PROF_MAX_DEPTH ? root : cur;
        s->cur = child_of(p, cur, (long)func);
        return;
    }
    if (p->nodes[cur].func == (long)func)
        return;
    for (int n = cur; n != root; n = p->nodes[n].parent) {
        if (p->nodes[n].func == (long)func) {
            s->cur = n;
            return;
        }
    }
    /* Returned into a function whose call we did not see. */
    s->cur = child_of(p, root, (long)func);
}

static void marker_check(struct prof *p, int space, uint64_t pc)
{
    struct prof_marker *m = p->phase == PROF_BOOT ? p->start : p->stop;
    int n = p->phase == PROF_BOOT ? p->nstart : p->nstop;
    if (p->phase == PROF_AFTER || n == 0)
        return;
    if (m[p->hit].space == space && m[p->hit].addr == pc && ++p->hit == n) {
        p->phase++;
        p->hit = 0;
    }
}

void prof_insn(struct prof *p, uint64_t pc, uint64_t flags)
{
    int sp = space_of(p, pc, (flags & PROF_HF_GUEST) != 0);
    struct prof_space *s = &p->spaces[sp];
    long k = s->catch_all ? -1 : elfsyms_find(&s->syms, pc);
    size_t func = s->first_func + (k < 0 ? s->syms.count : (size_t)k);
    int entry = k >= 0 && s->syms.syms[k].addr == pc;
    if (entry)
        marker_check(p, sp, pc);
    p->count[p->phase][func]++;
    p->phase_total[p->phase]++;
    walk(p, s, func, entry);
    s->last_func = func;
    if (p->phase == PROF_MEASURED)
        p->nodes[s->cur].self++;
}

static int hex(const char **s, uint64_t *v)
{
    const char *q = *s;
    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
        q += 2;
    uint64_t x = 0;
    int digits = 0;
    for (;; q++, digits++) {
        unsigned d;
        if (*q >= '0' && *q <= '9')
            d = (unsigned)(*q - '0');
        else if (*q >= 'a' && *q <= 'f')
            d = (unsigned)(*q - 'a' + 10);
        else if (*q >= 'A' && *q <= 'F')
            d = (unsigned)(*q - 'A' + 10);
        else
            break;
        x = x << 4 | d;
    }
    *s = q;
    *v = x;
    return digits > 0 && digits <= 16;
}

static void commit(struct prof *p)
{
    if (p->have_pending)
        prof_insn(p, p->pending_pc, p->pending_flags);
    p->have_pending = 0;
}

static void cancel(struct prof *p, const char *at)
{
    uint64_t pc;
    if (at && hex(&at, &pc) && p->have_pending && p->pending_pc == pc) {
        p->have_pending = 0;
        p->cancelled++;
    }
}

/*
 * QEMU 7.2's lines (accel/tcg/cpu-exec.c, translate-all.c):
 *   Trace CPU: HOSTPTR [CS_BASE/PC/FLAGS/CFLAGS] SYMBOL
 *     logged before the block runs; one instruction each here;
 *   Stopped execution of TB chain before HOSTPTR [PC] SYMBOL
 *     the block just logged did not run (an interrupt or the icount
 *     budget came first): it runs again later, logged again;
 *   cpu_io_recompile: rewound execution of TB to PC
 *     an I/O instruction under icount restarts in a new block: the same.
 * So every Trace line waits for the next line before it counts.
 */
void prof_line(struct prof *p, const char *line)
{
    if (strncmp(line, "Trace ", 6) == 0) {
        const char *q = strchr(line, '[');
        uint64_t cs, pc, flags;
        if (!q)
            return;
        q++;
        if (!hex(&q, &cs) || *q++ != '/' || !hex(&q, &pc) || *q++ != '/' || !hex(&q, &flags))
            return;
        commit(p);
        p->have_pending = 1;
        p->pending_pc = pc;
        p->pending_flags = flags;
    } else if (strncmp(line, "Stopped execution of TB chain", 29) == 0) {
        const char *q = strchr(line, '[');
        cancel(p, q ? q + 1 : NULL);
    } else if (strncmp(line, "cpu_io_recompile: rewound execution of TB to ", 45) == 0) {
        cancel(p, line + 45);
    }
}

void prof_end(struct prof *p)
{
    commit(p);
    /* Children come after their parents: sum from the last node up. */
    for (int i = p->nnodes - 1; i >= 0; i--) {
        p->nodes[i].total += p->nodes[i].self;
        if (p->nodes[i].parent >= 0)
            p->nodes[p->nodes[i].parent].total += p->nodes[i].total;
    }
}

const char *prof_func_name(const struct prof *p, size_t func, int *space)
{
    for (int i = p->nspaces - 1; i >= 0; i--) {
        const struct prof_space *s = &p->spaces[i];
        if (func >= s->first_func) {
            *space = i;
            size_t k = func - s->first_func;
            return k < s->syms.count ? s->syms.syms[k].name : "(no symbol)";
        }
    }
    *space = -1;
    return "?";
}

void prof_free(struct prof *p)
{
    for (int i = 0; i < p->nspaces; i++)
        elfsyms_free(&p->spaces[i].syms);
    for (int ph = 0; ph < PROF_PHASES; ph++)
        free(p->count[ph]);
    free(p->nodes);
    memset(p, 0, sizeof *p);
}
