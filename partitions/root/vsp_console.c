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

int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts)
{
    if (root_services_in_hv)
        return serve_in_hv_console(vc, idle_halts);
    struct channel *ch = &vc->ch;
    unsigned idle = 0;
    for (;;) {
        /* Clear the flags first, then look: a signal after this point
         * wakes the next halt. */
        channel_take_events(ch);
        int progress = channel_root_messages(&vc->ch);
        int got = 0;
        if (ch->state == CHANNEL_OPEN || ch->closed_by_peer)
            got = vsp_console_drain(vc, UINT32_MAX);
        if (got < 0) {
            vsp_console_end_line(vc);
            printf("root: console of %s: channel %u closed: %s\n", vc->name, ch->id, ch->report);
            return 1;
        }
        if (ch->state == CHANNEL_CLOSED) {
            /* The child closed: what it wrote before CLOSE is drained. */
            vsp_console_end_line(vc);
            if (ch->reason != CHANNEL_CLOSE_NORMAL)
                printf("root: console of %s: the child closed channel %u, reason %u\n", vc->name,
                       ch->id, ch->reason);
            return ch->reason == CHANNEL_CLOSE_NORMAL ? 0 : 1;
        }
        if (progress || got) {
            idle = 0;
            continue;
        }
        if (++idle > idle_halts) {
            vsp_console_end_line(vc);
            printf("root: console of %s: no sign of life after %u halts; closing\n", vc->name,
                   idle_halts);
            channel_close(ch, CHANNEL_CLOSE_PEER_SILENT);
            return 1;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
}
