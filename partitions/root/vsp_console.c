/* SPDX-License-Identifier: MIT */
#include "vsp_console.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "serve_in_hv.h"

int vsp_console_offer(struct vsp_console *vc, const struct child *c, uint32_t slot, void *pages)
{
    vsp_console_reset(vc, c->name);
    int st = channel_offer(&vc->ch, c, CHANNEL_SERVICE_CONSOLE, slot, pages);
    if (!st && root_services_in_hv)
        st = serve_in_hv_attach(&vc->ch, c->name, HV_SERVICE_CONSOLE, pages);
    return st;
}

enum vsp_step vsp_console_step(struct vsp_console *vc, uint32_t budget)
{
    if (root_services_in_hv)
        return serve_in_hv_console_step(vc);
    struct channel *ch = &vc->ch;
    int got = 0;
    if (ch->state == CHANNEL_OPEN || ch->closed_by_peer)
        got = vsp_console_drain(vc, budget);
    if (got < 0) {
        vsp_console_end_line(vc);
        printf("root: console of %s: channel %u closed: %s\n", vc->name, ch->id, ch->report);
        return VSP_FAILED;
    }
    if (got) /* closed or not: come back for the rest */
        return VSP_PROGRESS;
    if (ch->state != CHANNEL_CLOSED)
        return VSP_IDLE;
    /* Closed, and what the child wrote before CLOSE is drained. */
    vsp_console_end_line(vc);
    if (ch->closed_by_peer && ch->reason == CHANNEL_CLOSE_NORMAL)
        return VSP_DONE;
    if (ch->closed_by_peer)
        printf("root: console of %s: the child closed channel %u, reason %u\n", vc->name, ch->id,
               ch->reason);
    return VSP_FAILED;
}

void vsp_console_give_up(struct vsp_console *vc, unsigned idle_halts)
{
    vsp_console_end_line(vc);
    printf("root: console of %s: no sign of life after %u halts; closing\n", vc->name,
           idle_halts);
    channel_close(&vc->ch, CHANNEL_CLOSE_PEER_SILENT);
    if (root_services_in_hv)
        serve_in_hv_detach(&vc->ch);
}

int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts)
{
    unsigned idle = 0;
    for (;;) {
        /* Clear the flags first, then look: a signal after this point
         * wakes the next halt. */
        channel_take_events(&vc->ch);
        int progress = channel_root_messages(&vc->ch);
        enum vsp_step r = vsp_console_step(vc, UINT32_MAX);
        if (r == VSP_DONE || r == VSP_FAILED)
            return r == VSP_FAILED;
        if (progress || r == VSP_PROGRESS) {
            idle = 0;
            continue;
        }
        if (++idle > idle_halts) {
            vsp_console_give_up(vc, idle_halts);
            return 1;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
}
