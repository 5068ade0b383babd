/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono from the root's side (docs/architecture/placement.md): the
 * root sets each channel up as always, then hands its data path to the
 * service inside the hypervisor with HvPartitaServeChannel and only keeps
 * the control path (the handshake, CLOSE, reports) and the statistics.
 */
#pragma once
#include <stdint.h>

#include "vsp_block.h"
#include "vsp_console.h"

/* Set from the boot information: the hypervisor has the services. */
extern int root_services_in_hv;

/* Hands the data path of the channel (offered to child `name`) to the
 * hypervisor's `service`; `pages` are its rings.  0 or a status. */
int serve_in_hv_attach(struct channel *ch, const char *name, uint32_t service, void *pages);

/* vsp_console_step / vsp_block_serve when the hypervisor serves the data:
 * the same results, reports and statistics. */
enum vsp_step serve_in_hv_console_step(struct vsp_console *vc);
int serve_in_hv_block(struct vsp_block *vb, unsigned idle_halts);

/* Takes the channel back from the hypervisor (after the root closed it). */
void serve_in_hv_detach(struct channel *ch);
