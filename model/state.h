/* SPDX-License-Identifier: MIT */
/*
 * state.h — lookups over the abstract state shared by the handlers,
 * invariants and encoders.  Everything is found by id, never by slot.
 */
#ifndef PARTITA_MODEL_STATE_H
#define PARTITA_MODEL_STATE_H

#include "model.h"

#define MODEL_ROOT_SLOT 0u
#define MODEL_NO_SLOT 0xFFFFFFFFu

static inline int model_partition_live(const struct model_partition *p)
{
    return p->state != MODEL_PART_FREE;
}

/* The root's SINTs (VP 0) the hypervisor itself writes to: the last for
 * partition news (fault flags), the one before for intercept messages —
 * HV_SINT_PARTITION_NEWS and HV_SINT_INTERCEPTS at the hypervisor's 16
 * SINTs, the same two SINTs from the top in a smaller configuration
 * (model_config_check requires two). */
static inline uint32_t model_news_sint(const struct model_config *cfg)
{
    return cfg->sints - 1;
}
static inline uint32_t model_intercept_sint(const struct model_config *cfg)
{
    return cfg->sints - 2;
}

/* Slot of the live partition `id`, or MODEL_NO_SLOT. */
uint32_t model_slot_of(const struct model_config *cfg,
                       const struct model_state *s, uint64_t id);
/* Live partition `id`, or NULL. */
struct model_partition *model_partition_by_id(const struct model_config *cfg,
                                              struct model_state *s,
                                              uint64_t id);
/* Live child `id` (never the root), or NULL: what the root may manage. */
struct model_partition *model_child_by_id(const struct model_config *cfg,
                                          struct model_state *s, uint64_t id,
                                          uint32_t *slot);

/* 1 if root GPA page `page` is a frame (root RAM at boot). */
int model_page_is_ram(const struct model_config *cfg, uint64_t page);
/* One past the highest frame. */
uint64_t model_ram_end(const struct model_config *cfg);

/* The listed frame at root page `page`, or NULL: a plain root page if it
 * is a frame at all. */
const struct model_frame *model_frame_find(const struct model_state *s, uint64_t page);
/* Sets the frame at f->page to *f, keeping the list sorted, unlisting a
 * plain root page and keeping frames_sum. */
void model_frame_set(struct model_state *s, const struct model_frame *f);
/* Makes `page` a plain root page again. */
void model_frame_give_to_root(struct model_state *s, uint64_t page);
/* Owned by the root, lent to nobody: never listed. */
int model_frame_plain_root(const struct model_frame *f);
/* FNV-1a 64 of the frame's bytes in the canonical encoding (model.md). */
uint64_t model_frame_hash(const struct model_frame *f);

/* The frame (its root page) partition `id` reaches at GPA page
 * `gpa_page`, or -1.  The root's GPA page n is frame n (identity); a
 * child reaches the frames mapped into it at their recorded GPA. */
int64_t model_frame_at_gpa(const struct model_config *cfg, const struct model_state *s,
                           uint64_t id, uint64_t gpa_page);

/* 1 if partition `id` may write the frame at `page`, which it reaches:
 * the root writes every frame it reaches; a child those mapped WRITABLE. */
int model_frame_writable(const struct model_state *s, uint64_t id, uint64_t page);

/* Number of frames deposited for `id`. */
uint32_t model_deposited_count(const struct model_config *cfg,
                               const struct model_state *s, uint64_t id);

/* Port / connection lookups: index or -1. */
int model_port_find(const struct model_config *cfg,
                    const struct model_state *s, uint64_t partition,
                    uint32_t port_id);
int model_conn_find(const struct model_config *cfg,
                    const struct model_state *s, uint64_t partition,
                    uint32_t conn_id);

/* Register subset: index of a TLFS register name, or -1. */
int model_reg_index(uint32_t name);
uint32_t model_reg_name(int index);
const char *model_reg_label(int index);

/* Names for dumps and diagrams. */
const char *model_partition_state_name(uint8_t st);
const char *model_vp_state_name(uint8_t st);
const char *model_frame_kind_name(uint8_t kind);

/* The input page the explorer uses for `actor`: its lowest GPA page it
 * can write (a partition writes its input block there, and the output
 * block goes in the same page); GPA 0 if it has none, which the
 * dispatcher will refuse. */
uint64_t model_default_in_gpa(const struct model_config *cfg,
                              const struct model_state *s, uint64_t actor);

#endif /* PARTITA_MODEL_STATE_H */
