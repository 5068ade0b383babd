/* SPDX-License-Identifier: MIT */
/*
 * The function symbols and executable ranges of one ELF64 file (the
 * hypervisor, the root, a child), for make profile's symbolizer.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define ELFSYMS_MAX_RANGES 8

struct elfsym {
    uint64_t addr;
    char *name;
};

struct elfsyms {
    struct elfsym *syms; /* sorted by address, one name per address */
    size_t count;
    /* The executable PT_LOAD segments: [lo, hi) each. */
    uint64_t lo[ELFSYMS_MAX_RANGES], hi[ELFSYMS_MAX_RANGES];
    size_t ranges;
};

/* 0 on success; else -1 with *why saying what is wrong with the file. */
int elfsyms_load(const char *path, struct elfsyms *out, const char **why);
/* Whether pc lies in one of the executable segments. */
int elfsyms_covers(const struct elfsyms *s, uint64_t pc);
/* The symbol at or below pc (its index), or -1 if pc is below them all. */
long elfsyms_find(const struct elfsyms *s, uint64_t pc);
void elfsyms_free(struct elfsyms *s);
