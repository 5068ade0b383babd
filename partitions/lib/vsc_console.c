/* SPDX-License-Identifier: MIT */
#include "vsc_console.h"

#include "../../lib/fnv.h"
#include "console.h"

static struct channel ch;
static struct vsc_console_stats stats = {.fnv = FNV1A_INIT};

/* printf's sink: every chunk goes into the ring, waiting while it is
 * full.  Once the channel is closed there is nowhere to write to. */
static void write_channel(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        stats.lines += s[i] == '\n';
    stats.bytes += n;
    stats.fnv = fnv1a(stats.fnv, s, n);
    channel_write(&ch, s, (uint32_t)n);
}

int vsc_console_open(void)
{
    if (channel_accept_offer(&ch, CHANNEL_SERVICE_CONSOLE))
        return -1;
    console_set_sink(write_channel);
    return 0;
}

void vsc_console_close(void)
{
    channel_close(&ch, CHANNEL_CLOSE_NORMAL);
}

void vsc_console_get_stats(struct vsc_console_stats *s)
{
    *s = stats;
    s->waits = ch.waits;
}

struct channel *vsc_console_channel(void)
{
    return &ch;
}
