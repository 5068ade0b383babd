/*
 * The console service provider (VSP) as the root runs it: every line a
 * child writes into its console channel is printed on COM1 as
 * "[name] line".  The data path is kernel/services/console_service.c; in
 * BUILD=mono the root sets the channel up and the hypervisor runs that
 * data path (serve_in_hv.c).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../../kernel/services/console_service.h"
#include "child.h"

/* Offers the console channel to a built, not yet started child. */
int vsp_console_offer(struct vsp_console *vc, const struct child *c, uint32_t slot,
                      void *pages);

/* Serves the channel until it closes: the child's CLOSE (0), a malformed
 * ring (the channel is closed with a report on COM1; 1), or no sign of
 * life for idle_halts halts (1). */
int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts);
