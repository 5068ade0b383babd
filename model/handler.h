/* SPDX-License-Identifier: MIT */
/*
 * handler.h — small helpers every handler file uses, so each handler
 * reads as its check list and nothing else.
 */
#ifndef PARTITA_MODEL_HANDLER_H
#define PARTITA_MODEL_HANDLER_H

#include "calls.h"
#include "state.h"

/* The manage-partitions privilege: only the root holds it. */
static inline int caller_is_root(const struct model_call *c)
{
    return (c->caller->privileges & HV_PRIVILEGE_MANAGE_PARTITIONS) != 0;
}

static inline uint64_t arg(const struct model_call *c, int i)
{
    return c->e->arg[i];
}

/* A partition argument that may be HV_PARTITION_ID_SELF. */
static inline uint64_t resolve_self(const struct model_call *c, uint64_t id)
{
    return id == HV_PARTITION_ID_SELF ? c->caller->id : id;
}

static inline void output(struct model_call *c, uint64_t value)
{
    if (c->r->out_count < MODEL_OUTS)
        c->r->out[c->r->out_count++] = value;
}

/* x86-64 canonical address (48-bit virtual addresses). */
static inline int canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

/* Remove port `index` and every connection to it (hc_port.c). */
void model_port_remove(const struct model_config *cfg, struct model_state *s,
                       int index);

#endif /* PARTITA_MODEL_HANDLER_H */
