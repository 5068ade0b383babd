/* SPDX-License-Identifier: MIT */
/*
 * invariants.h — properties every reachable state must have.  The
 * explorer checks them in every state; the scenario runner after every
 * step; the unit tests prove each one fires on a state that breaks it.
 */
#ifndef PARTITA_MODEL_INVARIANTS_H
#define PARTITA_MODEL_INVARIANTS_H

#include "model.h"

enum model_invariant {
    MODEL_INV_OK = 0,
    MODEL_INV_FRAME_LIST,           /* only frames, sorted, not plain root, sum right */
    MODEL_INV_ONE_OWNER,            /* one owner per page unless shared */
    MODEL_INV_QUEUE_BOUND,          /* queue length within the bound */
    MODEL_INV_MESSAGE_ONCE,         /* delivered once or refused: conserved */
    MODEL_INV_DELETED_OWNS_NOTHING, /* no reference to a gone partition */
    MODEL_INV_DEPOSIT,              /* VPs charged <= pages deposited */
    MODEL_INV_ROOT,                 /* the root is live, privileged, running */
    MODEL_INV_COUNT
};

/* First violated invariant (MODEL_INV_OK if none); a sentence saying
 * what is wrong goes to why. */
enum model_invariant model_check_invariants(const struct model_config *cfg,
                                            const struct model_state *s,
                                            char *why, size_t why_len);

const char *model_invariant_name(enum model_invariant inv);

#endif /* PARTITA_MODEL_INVARIANTS_H */
