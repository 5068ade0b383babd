/* SPDX-License-Identifier: MIT */
/*
 * make profile's counter: reads QEMU's exec log (-d exec,nochain with one
 * instruction per translation block, so one "Trace" line per executed
 * instruction), tells the address spaces apart, attributes every
 * instruction to a function, splits the run into phases at PC markers and
 * keeps a call tree of the measured phase.  docs/architecture/profile.md.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "elfsyms.h"

#define PROF_MAX_SPACES 8
#define PROF_MAX_MARKERS 8
#define PROF_MAX_DEPTH 128
/* QEMU's x86 hflags bit HF_GUEST_MASK (target/i386/cpu.h, 1 << 21): the
 * vCPU is in SVM guest mode.  The hypervisor runs in host mode, the root
 * and the children in guest mode: this is what separates the hypervisor
 * at 0x100000 from a child linked at 0x100000 too. */
#define PROF_HF_GUEST (1ull << 21)

enum { PROF_BOOT, PROF_MEASURED, PROF_AFTER, PROF_PHASES };

struct prof_space {
    char name[32];
    int guest;        /* runs in SVM guest mode */
    int catch_all;    /* no ELF: what no configured space covers */
    struct elfsyms syms;
    size_t first_func; /* syms.count + 1 functions; the last is "(no symbol)" */
    int cur;           /* the call-tree node executing now */
    size_t last_func;  /* the function of its previous instruction */
};

struct prof_marker {
    int space;
    uint64_t addr;
    char name[96];
};

/* One call-tree node: a function under its caller (the space's root node
 * under node 0, "all"). */
struct prof_node {
    long func; /* -1: the whole machine; -2 - space: a space's root */
    int parent, child, sibling, depth;
    uint64_t self, total; /* measured-phase instructions; total after prof_end */
};

struct prof {
    struct prof_space spaces[PROF_MAX_SPACES];
    int nspaces;
    size_t nfuncs;
    uint64_t *count[PROF_PHASES]; /* per function */
    uint64_t phase_total[PROF_PHASES];
    struct prof_marker start[PROF_MAX_MARKERS], stop[PROF_MAX_MARKERS];
    int nstart, nstop, hit;
    int phase;
    struct prof_node *nodes;
    int nnodes, capnodes;
    int have_pending;
    uint64_t pending_pc, pending_flags;
    uint64_t cancelled; /* Trace lines of instructions that did not run */
};

void prof_init(struct prof *p);
/* A space: its name, whether it runs in guest mode, its ELF file.  All
 * spaces go in before prof_ready.  0, or -1 with *why. */
int prof_add_space(struct prof *p, const char *name, int guest, const char *elf,
                   const char **why);
/* Adds the catch-all spaces ("firmware" for host mode, "guest-other"). */
int prof_ready(struct prof *p, const char **why);
/* A marker chain "SPACE:SYMBOL[,SPACE:SYMBOL...]": the phase changes at
 * the first instruction of the last symbol, each entered in that order
 * (stop's chain counts from the start).  which: 's' start, 'e' stop. */
int prof_markers(struct prof *p, char which, const char *chain, const char **why);
/* One line of the exec log. */
void prof_line(struct prof *p, const char *line);
/* One executed instruction (what a Trace line says). */
void prof_insn(struct prof *p, uint64_t pc, uint64_t flags);
/* End of the log: commits the last instruction, sums the call tree. */
void prof_end(struct prof *p);
const char *prof_func_name(const struct prof *p, size_t func, int *space);
void prof_free(struct prof *p);
