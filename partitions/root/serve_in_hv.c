/* SPDX-License-Identifier: MIT */
#include "serve_in_hv.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"

int root_services_in_hv;

static int serve_call(struct channel *ch, uint32_t op, uint32_t service, void *pages,
                      const char *name, struct hv_output_serve_channel *out)
{
    struct hv_input_serve_channel *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = ch->peer;
    in->op = op;
    in->port_id = ch->event_port;
    if (op == HV_SERVE_ATTACH) {
        in->service = service;
        in->ring_bytes = channel_ring_bytes; /* as offered */
        in->ring_page = (uint64_t)(uintptr_t)pages >> HV_PAGE_SHIFT;
        in->signal_connection_id = ch->event_connection;
        in->signal_flag = ch->event_flag;
        size_t n = strlen(name);
        memcpy(in->name, name, n < sizeof in->name ? n : sizeof in->name);
    }
    hv_status_t st = hv_call(HVCALL_PARTITA_SERVE_CHANNEL, hv_input_page, hv_output_page);
    if (st == HV_STATUS_SUCCESS && out)
        memcpy(out, hv_output_page, sizeof *out);
    return st;
}

int serve_in_hv_attach(struct channel *ch, const char *name, uint32_t service, void *pages)
{
    return serve_call(ch, HV_SERVE_ATTACH, service, pages, name, 0);
}

void serve_in_hv_detach(struct channel *ch)
{
    serve_call(ch, HV_SERVE_DETACH, 0, 0, 0, 0);
}

/* One look while the hypervisor serves: the service's verdict, and the
 * child's CLOSE (its messages are routed by the caller).  *o gets what
 * the service saw; a closed channel is taken back (DETACH). */
static enum vsp_step step(struct channel *ch, const char *what, const char *name,
                          struct hv_output_serve_channel *o)
{
    int st = serve_call(ch, ch->state == CHANNEL_CLOSED ? HV_SERVE_DETACH : HV_SERVE_QUERY, 0, 0,
                        0, o);
    if (st) {
        printf("root: %s of %s: HvPartitaServeChannel: %s\n", what, name, hv_status_name(st));
        return VSP_FAILED;
    }
    if (o->state == HV_SERVE_STATE_FAILED) {
        uint32_t n = o->text_len < sizeof ch->report ? o->text_len : sizeof ch->report - 1;
        memcpy(ch->report, o->text, n);
        ch->report[n] = '\0';
        printf("root: %s of %s: channel %u closed: %s\n", what, name, ch->id, ch->report);
        channel_close(ch, CHANNEL_CLOSE_MALFORMED_RING);
        serve_in_hv_detach(ch);
        return VSP_FAILED;
    }
    if (ch->state != CHANNEL_CLOSED)
        return VSP_IDLE;
    if (ch->closed_by_peer && ch->reason == CHANNEL_CLOSE_NORMAL)
        return VSP_DONE;
    printf("root: %s of %s: the child closed channel %u, reason %u\n", what, name, ch->id,
           ch->reason);
    return VSP_FAILED;
}

enum vsp_step serve_in_hv_console_step(struct vsp_console *vc)
{
    struct hv_output_serve_channel o;
    memset(&o, 0, sizeof o);
    enum vsp_step r = step(&vc->ch, "console", vc->name, &o);
    if (o.state == HV_SERVE_STATE_NONE)
        return r;
    uint64_t before = vc->stats.bytes;
    vc->stats.lines = o.counters[0];
    vc->stats.bytes = o.counters[1];
    vc->stats.fnv = (uint32_t)o.counters[2];
    vc->ch.wakeups = o.counters[6];
    if (r == VSP_DONE && vc->on_line && o.text_len) {
        /* The hypervisor keeps the last line: the one the root's checks
         * look for is the child's closing summary. */
        vc->before_line.lines = o.counters[3];
        vc->before_line.bytes = o.counters[4];
        vc->before_line.fnv = (uint32_t)o.counters[5];
        vc->on_line(vc, o.text, o.text_len);
    }
    return r == VSP_IDLE && vc->stats.bytes != before ? VSP_PROGRESS : r;
}

int serve_in_hv_block(struct vsp_block *vb, unsigned idle_halts)
{
    struct channel *ch = &vb->ch;
    struct hv_output_serve_channel o;
    memset(&o, 0, sizeof o);
    unsigned idle = 0;
    uint64_t seen = 0;
    enum vsp_step r;
    for (;;) {
        /* Clear the flags first, then look: a later message wakes the halt. */
        channel_take_events(ch);
        int progress = channel_root_messages(ch);
        r = step(ch, "block", vb->name, &o);
        if (r == VSP_DONE || r == VSP_FAILED)
            break;
        uint64_t now = o.counters[0];
        if (progress || now != seen) {
            seen = now;
            idle = 0;
            continue;
        }
        if (++idle > idle_halts) {
            printf("root: block of %s: no sign of life after %u halts; closing\n", vb->name,
                   idle_halts);
            channel_close(ch, CHANNEL_CLOSE_PEER_SILENT);
            serve_in_hv_detach(ch);
            r = VSP_FAILED;
            break;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
    struct vsp_block_stats *s = &vb->stats;
    s->requests = o.counters[0];
    s->sectors_read = o.counters[1];
    s->sectors_written = o.counters[2];
    s->errors = o.counters[3];
    s->last_written_sector = o.counters[4];
    s->last_written_fnv = (uint32_t)o.counters[5];
    s->wrote = (int)o.counters[6];
    for (unsigned k = 0; k <= BLOCK_E_NO_DISK; k++)
        s->by_status[k] = o.counters[7 + k];
    /* Failed with sane rings: the request stream could not be followed. */
    vb->frame_lost = o.state == HV_SERVE_STATE_FAILED && o.ring_error == 0;
    return r == VSP_FAILED;
}
