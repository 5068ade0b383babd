/* SPDX-License-Identifier: MIT */
#include "synic.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

int sint_post(struct sint *s, const struct synic_message *m)
{
    if (!s->slot_full) {
        s->slot = *m;
        s->slot_full = 1;
        return 1;
    }
#ifdef PARTITA_DEFECT_QUEUE_BOUND
    /* Deliberate defect for the checker's self-test: one message too many. */
    if (s->queue_len > HV_MESSAGE_QUEUE_DEPTH)
        return 0;
#else
    if (s->queue_len >= HV_MESSAGE_QUEUE_DEPTH)
        return 0;
#endif
    s->queue[s->queue_len++] = *m;
    return 1;
}

int sint_eom(struct sint *s)
{
    if (!s->slot_full)
        return 0;
    memset(&s->slot, 0, sizeof s->slot);
    s->slot_full = 0;
    if (s->queue_len) {
        s->slot = s->queue[0];
        s->slot_full = 1;
        memmove(&s->queue[0], &s->queue[1], (s->queue_len - 1) * sizeof s->queue[0]);
        s->queue_len--;
        memset(&s->queue[s->queue_len], 0, sizeof s->queue[0]);
    }
    return 1;
}

uint32_t sint_discard(struct sint *s)
{
    uint32_t n = s->slot_full + s->queue_len;
    memset(s, 0, sizeof *s);
    return n;
}

void synic_raise(struct synic *s, uint32_t n)
{
    uint8_t v = s->vector[n];
    if (v)
        s->pending[v / 64] |= 1ull << (v % 64);
}

uint8_t synic_take_pending(struct synic *s)
{
    for (unsigned w = 0; w < 4; w++) {
        if (!s->pending[w])
            continue;
        unsigned b = (unsigned)__builtin_ctzll(s->pending[w]);
        s->pending[w] &= s->pending[w] - 1; /* clear the lowest set bit */
        return (uint8_t)(w * 64 + b);
    }
    return 0;
}
