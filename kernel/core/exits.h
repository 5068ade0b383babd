/* SPDX-License-Identifier: MIT */
/* What the hypervisor does with each kind of VM exit. */
#pragma once
#include "io_access.h"
#include "partition.h"

enum exit_action {
    EXIT_RESUME, /* run the same VP again */
    EXIT_YIELD,  /* let the scheduler pick (HLT) */
    EXIT_STOPPED /* the partition was stopped; never resume this VP */
};

enum exit_action exit_handle(struct vp *vp, const struct vm_exit *e);

/* Stops a VP for good after a fault, with a report line and a trace step. */
void exit_fault(struct vp *vp, const char *why);
