/* SPDX-License-Identifier: MIT */
/*
 * tables.h — the partitions' second-level tables as the host test sees
 * them, against what the model's ownership state says they must hold
 * (docs/architecture/trace-format.md, "The second-level tables").
 *
 * The fake machine (fake_arch.c) keeps, per table, the number of entries
 * and the sum of tables_entry_hash over them, and writes an M record per
 * live partition after every step; the checker derives the same two
 * numbers from the model's frames (tables.c) and compares.  Both sides
 * name pages by page number (the root's GPA page n is host page n).
 */
#ifndef PARTITA_LOCKSTEP_TABLES_H
#define PARTITA_LOCKSTEP_TABLES_H

#include <stdint.h>

#include "model/model.h"

/* One entry: GPA page -> host page with rights (SLAT_READ 1, WRITE 2,
 * EXEC 4).  Summed modulo 2^64, so an entry's removal is a subtraction. */
static inline uint64_t tables_entry_hash(uint64_t gpa_page, uint64_t hpa_page, uint32_t rights)
{
    uint64_t x = gpa_page * 0x9e3779b97f4a7c15ull ^ hpa_page * 0xc2b2ae3d27d4eb4full ^
                 (uint64_t)rights * 0x165667b19e3779f9ull;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

struct tables_expected {
    uint64_t entries, sum;
};

/* What each live partition's table must hold in model state s, by model
 * slot (exp[i] meaningless where s->part[i] is free): the root maps every
 * RAM page it owns or shares, identity, read-write-execute; a child maps
 * exactly the frames it owns or shares, at their GPA, with the rights of
 * the MapGpaPages call (always readable). */
void tables_expect(const struct model_config *cfg, const struct model_state *s,
                   struct tables_expected exp[MODEL_MAX_PARTITIONS]);

#endif
