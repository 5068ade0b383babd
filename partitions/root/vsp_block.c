/* SPDX-License-Identifier: MIT */
#include "vsp_block.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "serve_in_hv.h"

static const struct channel_layout layout = {
    .child_msg_port = BLOCK_CHILD_MSG_PORT,
    .child_event_port = BLOCK_CHILD_EVENT_PORT,
    .child_event_sint = BLOCK_CHILD_EVENT_SINT,
    .child_ring_gpa = BLOCK_CHILD_RING_GPA,
    .root_msg_sint = BLOCK_ROOT_MSG_SINT,
    .root_event_sint = BLOCK_ROOT_EVENT_SINT,
};

int vsp_block_offer(struct vsp_block *vb, const struct child *c, void *pages,
                    const struct ata_disk *disk)
{
    memset(vb, 0, sizeof *vb);
    memcpy(vb->name, c->name, sizeof vb->name);
    vb->name[sizeof vb->name - 1] = '\0';
    vb->disk = disk;
    int st = channel_offer_at(&vb->ch, c, BLOCK_CHANNEL_SERVICE, BLOCK_SLOT, pages, &layout);
    if (!st && root_services_in_hv)
        st = serve_in_hv_attach(&vb->ch, c->name, HV_SERVICE_BLOCK, pages);
    return st;
}

int vsp_block_serve(struct vsp_block *vb, unsigned idle_halts)
{
    if (root_services_in_hv)
        return serve_in_hv_block(vb, idle_halts);
    struct channel *ch = &vb->ch;
    unsigned idle = 0;
    for (;;) {
        /* Clear the flags first, then look: a later signal wakes the halt. */
        channel_take_events(ch);
        int progress = channel_root_messages(&vb->ch);
        if (ch->state == CHANNEL_CLOSED) {
            if (ch->closed_by_peer && ch->reason == CHANNEL_CLOSE_NORMAL)
                return 0;
            printf("root: block of %s: the child closed channel %u, reason %u\n", vb->name,
                   ch->id, ch->reason);
            return 1;
        }
        int got = ch->state == CHANNEL_OPEN ? vsp_block_pump(vb) : 0;
        if (got < 0) {
            printf("root: block of %s: channel %u closed: %s\n", vb->name, ch->id, ch->report);
            return 1;
        }
        if (progress || got) {
            idle = 0;
            continue;
        }
        if (++idle > idle_halts) {
            printf("root: block of %s: no sign of life after %u halts; closing\n", vb->name,
                   idle_halts);
            channel_close(ch, CHANNEL_CLOSE_PEER_SILENT);
            return 1;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
}
