/* SPDX-License-Identifier: MIT */
/*
 * The unenlightened path, in one place: a child's port access that no one
 * in the hypervisor serves goes to the root's device emulation as an
 * HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT message on the root's SINT
 * HV_SINT_INTERCEPTS (VP 0), and the child's VP waits in
 * HV_VP_STATE_WAITING_IO until the root answers (HvPartitaCompleteIo) or
 * the partition is finalized.  docs/architecture/hypercalls.md, section 9
 * and PartitaCompleteIo; the model's side is model/step.c (io_intercept).
 */
#pragma once
#include <stdint.h>

#include "../arch/virt.h"
#include "partition.h"

/* Sends the access `e` of child VP `vp` to the root.  1: sent, the VP
 * waits; 0: the root's intercept SINT has no room, nothing changed and the
 * VP executes the instruction again when it next runs.  Either way one step
 * of the trace (an I record). */
int intercept_send(struct vp *vp, const struct vm_exit *e);

/* Whether the VP waits for the root's answer to an intercept. */
int intercept_waiting(const struct vp *vp);

/* The root's answer, for a VP that intercept_waiting() (PartitaCompleteIo
 * after its checks): an IN reads `value` by the rule of io_access.h, RIP
 * moves past the instruction and the VP runs again. */
void intercept_complete(struct vp *vp, uint64_t value);

/* No answer will come: the VP's partition is being finalized.  A waiting VP
 * stops for good without completing the access; the message already sent
 * stays with the root, whose PartitaCompleteIo for it is then refused
 * (INVALID_VP_STATE; INVALID_PARTITION_ID once the partition is deleted —
 * ids are never reused, so a stale message never completes another VP). */
void intercept_cancel(struct vp *vp);
