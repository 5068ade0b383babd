/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono: the device services run inside the hypervisor.  An
 * unenlightened child's access to the COM2 UART is served right in the I/O
 * exit by the same UART model the root runs in BUILD=micro, without the
 * request ever leaving the hypervisor.
 */
#pragma once
#include "../arch/virt.h"
#include "../core/partition.h"

/* 1 if the access was served (the VP moves on), 0 if it is not a service's. */
int mono_io(struct vp *vp, const struct vm_exit *e);
