#include "vsp_console.h"

#include "../lib/console.h"
#include "../lib/fnv.h"
#include "../lib/string_util.h"
#include "channel_offer.h"

int vsp_console_offer(struct vsp_console *vc, const struct child *c, uint32_t slot, void *pages)
{
    void (*on_line)(struct vsp_console *, const char *, size_t) = vc->on_line;
    void *ctx = vc->ctx;
    memset(vc, 0, sizeof *vc);
    vc->on_line = on_line;
    vc->ctx = ctx;
    memcpy(vc->name, c->name, sizeof vc->name);
    vc->name[sizeof vc->name - 1] = '\0';
    vc->stats.fnv = FNV1A_INIT;
    return channel_offer(&vc->ch, c, CHANNEL_SERVICE_CONSOLE, slot, pages);
}

/* Output is batched per drained chunk: the prefix at each line start. */
struct out {
    char buf[256];
    size_t used;
};

static void put(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->used == sizeof o->buf) {
            console_write_com1(o->buf, o->used);
            o->used = 0;
        }
        o->buf[o->used++] = s[i];
    }
}

static void feed(struct vsp_console *vc, struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!vc->mid_line) {
            put(o, "[", 1);
            put(o, vc->name, strlen(vc->name));
            put(o, "] ", 2);
            vc->mid_line = 1;
            vc->before_line = vc->stats;
            vc->line_len = 0;
            vc->col = 0;
        }
        if (c == '\n' && vc->col > VSP_CONSOLE_SHOWN) {
            char note[48];
            int k = format_string(note, sizeof note, " ... (%llu more bytes)",
                                  (unsigned long long)(vc->col - VSP_CONSOLE_SHOWN));
            put(o, note, (size_t)k);
        }
        if (c == '\n' || vc->col++ < VSP_CONSOLE_SHOWN)
            put(o, &c, 1);
        vc->stats.bytes++;
        vc->stats.fnv = fnv1a(vc->stats.fnv, &c, 1);
        if (c == '\n') {
            vc->stats.lines++;
            vc->mid_line = 0;
            if (vc->on_line)
                vc->on_line(vc, vc->line, vc->line_len);
        } else if (vc->line_len < sizeof vc->line) {
            vc->line[vc->line_len++] = c;
        }
    }
}

/* Reads everything the ring holds now; -1 if the ring went bad. */
static int drain(struct vsp_console *vc)
{
    char buf[512];
    struct out o = {.used = 0};
    int n, total = 0;
    while ((n = channel_read(&vc->ch, buf, sizeof buf)) > 0) {
        feed(vc, &o, buf, (size_t)n);
        total += n;
    }
    console_write_com1(o.buf, o.used);
    return n < 0 ? -1 : total;
}

static int messages(struct vsp_console *vc)
{
    uint32_t type, port;
    struct channel_msg m;
    int n = 0;
    while (channel_next_message(vc->ch.msg_sint, &type, &m, &port)) {
        n++;
        if (port == vc->ch.msg_port)
            channel_root_handle(&vc->ch, type, &m);
    }
    return n;
}

static void end_line(struct vsp_console *vc)
{
    if (vc->mid_line) {
        console_write_com1("\n", 1);
        vc->mid_line = 0;
    }
}

int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts)
{
    struct channel *ch = &vc->ch;
    unsigned idle = 0;
    for (;;) {
        /* Clear the flags first, then look: a signal after this point
         * wakes the next halt. */
        channel_take_events(ch);
        int progress = messages(vc);
        int got = 0;
        if (ch->state == CHANNEL_OPEN || ch->closed_by_peer)
            got = drain(vc);
        if (got < 0) {
            end_line(vc);
            printf("root: console of %s: channel %u closed: %s\n", vc->name, ch->id, ch->report);
            return 1;
        }
        if (ch->state == CHANNEL_CLOSED) {
            /* The child closed: what it wrote before CLOSE is drained. */
            end_line(vc);
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
            end_line(vc);
            printf("root: console of %s: no sign of life after %u halts; closing\n", vc->name,
                   idle_halts);
            channel_close(ch, CHANNEL_CLOSE_PEER_SILENT);
            return 1;
        }
        __asm__ volatile("hlt" ::: "memory");
    }
}
