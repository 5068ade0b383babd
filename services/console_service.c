/* SPDX-License-Identifier: MIT */
#include "console_service.h"

#include "../lib/fnv.h"
#include "../lib/format.h"
#include "../lib/string.h"
#include "env.h"

void vsp_console_reset(struct vsp_console *vc, const char *name)
{
    void (*on_line)(struct vsp_console *, const char *, size_t) = vc->on_line;
    void *ctx = vc->ctx;
    memset(vc, 0, sizeof *vc);
    vc->on_line = on_line;
    vc->ctx = ctx;
    /* The name makes the prefix that marks the child's lines: it must not
     * hold a newline or a control character either (in BUILD=mono it
     * arrives in a hypercall's input block). */
    format_escape(vc->name, sizeof vc->name, name, strlen(name));
    vc->stats.fnv = FNV1A_INIT;
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
            env_console_write(o->buf, o->used);
            o->used = 0;
        }
        o->buf[o->used++] = s[i];
    }
}

/* A whole line at once, so lines of different children (and the root's
 * own) never mix on the console.  The child's bytes are escaped
 * (format_escape): a line it sends cannot end early, move the cursor over
 * its "[name] " prefix or reach the terminal as an escape sequence; only
 * its '\n' starts a new line, which gets the prefix again.  The shown
 * part of a long line is cut at VSP_CONSOLE_SHOWN console characters,
 * however many bytes that is. */
static void emit_line(struct vsp_console *vc, struct out *o)
{
    char text[VSP_CONSOLE_SHOWN + 1];
    size_t shown = format_escape(text, sizeof text, vc->line, vc->line_len);
    put(o, "[", 1);
    put(o, vc->name, strlen(vc->name));
    put(o, "] ", 2);
    put(o, text, strlen(text));
    if (vc->col > shown) {
        char note[48];
        int k = format_string(note, sizeof note, " ... (%llu more bytes)",
                              (unsigned long long)(vc->col - shown));
        put(o, note, (size_t)k);
    }
    put(o, "\n", 1);
}

static void feed(struct vsp_console *vc, struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!vc->mid_line) {
            vc->mid_line = 1;
            vc->before_line = vc->stats;
            vc->line_len = 0;
            vc->col = 0;
        }
        vc->stats.bytes++;
        vc->stats.fnv = fnv1a(vc->stats.fnv, &c, 1);
        if (c != '\n') {
            if (vc->line_len < sizeof vc->line)
                vc->line[vc->line_len++] = c;
            vc->col++;
            continue;
        }
        vc->stats.lines++;
        emit_line(vc, o);
        vc->mid_line = 0;
        if (vc->on_line)
            vc->on_line(vc, vc->line, vc->line_len);
    }
}

int vsp_console_drain(struct vsp_console *vc, uint32_t limit)
{
    char buf[512];
    struct out o = {.used = 0};
    int n = 0, total = 0;
    while ((uint32_t)total < limit) {
        uint32_t want = limit - (uint32_t)total < sizeof buf ? limit - (uint32_t)total : sizeof buf;
        if ((n = channel_read(&vc->ch, buf, want)) <= 0)
            break;
        feed(vc, &o, buf, (size_t)n);
        total += n;
    }
    env_console_write(o.buf, o.used);
    return n < 0 ? -1 : total;
}

void vsp_console_end_line(struct vsp_console *vc)
{
    if (vc->mid_line) {
        struct out o = {.used = 0};
        emit_line(vc, &o);
        env_console_write(o.buf, o.used);
        vc->mid_line = 0;
    }
}
