/* SPDX-License-Identifier: MIT */
/*
 * A misbehaving console child: opens the console channel, prints one good
 * line, then writes a write index far outside its ring into the shared
 * header and signals the root.  The root must notice, close the channel
 * with a report and keep running (test=console-bad-ring); this child
 * then only waits for the root's CLOSE and halts.
 */
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_console.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() == 0) {
        struct channel *ch = vsc_console_channel();
        printf("a good line before the bad index\n");
        /* Let the root read it first, so it shows the channel worked. */
        while (ring_free(&ch->tx) != ch->tx.size - 1)
            __asm__ volatile("hlt");
        /* Bypass ring.c: poke the shared header as a hostile child would. */
        ch->tx.shared->write_index = ch->tx.size + 100;
        channel_signal(ch);
        while (ch->state != CHANNEL_CLOSED) {
            __asm__ volatile("hlt");
            channel_take_events(ch);
            channel_poll(ch);
        }
    }
    for (;;)
        __asm__ volatile("hlt");
}
