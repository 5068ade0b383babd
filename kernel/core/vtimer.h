/* SPDX-License-Identifier: MIT */
/*
 * A VP's one virtual interrupt line with a timer behind it: what an
 * unenlightened guest's PIT and PIC need from the hypervisor, and no more
 * (docs/architecture/linux-guest.md).  The device models (services/pcplat.c,
 * in the root or, in BUILD=mono, in the hypervisor) decide the vector, the
 * deadline and whether the line is masked; the hypervisor raises the vector
 * when the guest's TSC passes the deadline, keeps it pending while the line
 * is masked or the guest has interrupts off, wakes the VP from HLT for it,
 * and injects it at an entry.  Not part of the model's abstract state.
 */
#ifndef PARTITA_VTIMER_H
#define PARTITA_VTIMER_H

#include <stdint.h>

struct vtimer {
    uint64_t deadline; /* guest TSC; 0: stopped */
    uint64_t period;   /* 0: one-shot */
    uint8_t vector;    /* >= 32, or the timer never fires */
    uint8_t masked;
    uint8_t pending;
    uint64_t fired, injected; /* counts, for reports */
    /* A level-triggered device line (the UART's): while irq_level is set
     * the VP gets irq_vector whenever it takes interrupts; the model drops
     * the level when the guest masks the line or the device is served. */
    uint8_t irq_vector, irq_level;
};

struct vp;

/* Set for good by the first vtimer_set or vtimer_irq that arms a timer or
 * raises a line: until then no VP has one, and the scheduler skips its
 * walks over every VP's timer (sched.c, vtimer_earliest). */
extern int vtimer_programmed;

/* Programs the timer (deadline 0 stops it); a pending interrupt stays. */
void vtimer_set(struct vp *vp, uint64_t deadline, uint64_t period, uint8_t vector);
void vtimer_mask(struct vp *vp, int masked);
void vtimer_irq(struct vp *vp, uint8_t vector, int level);
/* Marks the interrupt pending if the deadline has passed; returns 1 if an
 * unmasked interrupt is pending (the VP should run). */
int vtimer_poll(struct vp *vp, uint64_t now);
/* The earliest deadline of an armed, unmasked timer of a running VP, or 0. */
uint64_t vtimer_earliest(void);

#endif
