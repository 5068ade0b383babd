/* SPDX-License-Identifier: MIT */
/*
 * The console service provider (VSP) as the root runs it: every line a
 * child writes into its console channel is printed on COM1 as
 * "[name] line".  The data path is services/console_service.c; in
 * BUILD=mono the root sets the channel up and the hypervisor runs that
 * data path (serve_in_hv.c).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../../services/console_service.h"
#include "child.h"

/* Offers the console channel to a built, not yet started child. */
int vsp_console_offer(struct vsp_console *vc, const struct child *c, uint32_t slot,
                      void *pages);

/* Serves the channel until it closes: the child's CLOSE (0), a malformed
 * ring (the channel is closed with a report on COM1; 1), or no sign of
 * life for idle_halts halts (1). */
int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts);

/* One turn of serving, for a root that serves several channels in turns
 * (fleet.c): at most `budget` bytes of the ring, never waits.  The
 * channel's messages are the caller's to route (channel_root_handle). */
enum vsp_step {
    VSP_IDLE,     /* nothing to do now */
    VSP_PROGRESS, /* bytes moved: look again soon */
    VSP_DONE,     /* the child closed the channel and everything is out */
    VSP_FAILED,   /* closed on an error (reported) */
};
enum vsp_step vsp_console_step(struct vsp_console *vc, uint32_t budget);

/* Closes a channel whose child showed no sign of life (reported). */
void vsp_console_give_up(struct vsp_console *vc, unsigned idle_halts);
