/* SPDX-License-Identifier: MIT */
#include "vtimer.h"

#include "hv_state.h"
#include "partition.h"

int vtimer_programmed;

void vtimer_set(struct vp *vp, uint64_t deadline, uint64_t period, uint8_t vector)
{
    struct vtimer *t = &vp->vtimer;
    t->vector = vector;
    t->period = period;
    t->deadline = vector >= 32 ? deadline : 0;
    vtimer_programmed |= t->deadline != 0;
}

void vtimer_mask(struct vp *vp, int masked)
{
    vp->vtimer.masked = (uint8_t)!!masked;
}

void vtimer_irq(struct vp *vp, uint8_t vector, int level)
{
    vp->vtimer.irq_vector = vector;
    vp->vtimer.irq_level = (uint8_t)(level && vector >= 32);
    vtimer_programmed |= vp->vtimer.irq_level;
}

int vtimer_poll(struct vp *vp, uint64_t now)
{
    struct vtimer *t = &vp->vtimer;
    if (t->deadline && now >= t->deadline) {
        t->pending = 1;
        t->fired++;
        if (t->period) /* the next tick after now; missed ones are lost */
            t->deadline += ((now - t->deadline) / t->period + 1) * t->period;
        else
            t->deadline = 0;
    }
    return (t->pending && !t->masked) || t->irq_level;
}

uint64_t vtimer_earliest(void)
{
    uint64_t best = 0;
    if (!vtimer_programmed)
        return 0;
    for (struct partition *p = partition_next(0); p; p = partition_next(p))
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
            const struct vp *vp = &p->vps[i];
            const struct vtimer *t = &vp->vtimer;
            if (vp->state == HV_VP_STATE_RUNNING && t->deadline && !t->masked &&
                (!best || t->deadline < best))
                best = t->deadline;
        }
    return best;
}
