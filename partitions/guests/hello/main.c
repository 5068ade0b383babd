/* SPDX-License-Identifier: MIT */
/*
 * The console demo child: opens the console channel the root offers,
 * prints a few lines with plain printf, one line long enough to wrap the
 * ring several times (the writer must wait for the root: flow control),
 * a summary the root checks against what it received, then closes the
 * channel and halts.  The root runs it with test=console.
 */
#include "../../lib/console.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/vsc_console.h"

#define LONG_LINE 16000 /* bytes: about four times round a 4032-byte ring */
#define CHUNK 1000      /* bytes a printf */

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    if (vsc_console_open() == 0) {
        struct channel *ch = vsc_console_channel();
        printf("hello from a child partition\n");
        printf("this text travels through a ring of %u bytes in pages shared with the root\n",
               ch->tx.size);
        for (int i = 1; i <= 3; i++)
            printf("line %d of 3: %s\n", i, i == 2 ? "printf goes through the console channel" : "ok");
        /* The long line: 0123456789 repeated, CHUNK characters a printf.  They
         * reach the ring in pieces of printf's line buffer (160 bytes), so a
         * ring's worth is about 26 writes, each a SignalEvent: the ring fills
         * well within the writer's share of a timer tick and the writer must
         * wait.  (With 100-byte printfs a fill took 41 writes, about a whole
         * share: whether the writer ever waited hung on where the ticks fell,
         * and in Bochs that moves with the hypervisor's cost per call.) */
        static char chunk[CHUNK + 1];
        for (int i = 0; i < CHUNK; i++)
            chunk[i] = (char)('0' + i % 10);
        for (int i = 0; i < LONG_LINE / CHUNK; i++)
            printf("%s", chunk);
        printf("\n");
        struct vsc_console_stats s;
        vsc_console_get_stats(&s);
        printf("hello: sent %llu lines, %llu bytes, fnv1a 0x%08x, waited %llu times for ring space\n",
               (unsigned long long)s.lines, (unsigned long long)s.bytes, s.fnv,
               (unsigned long long)s.waits);
        vsc_console_close();
    }
    for (;;)
        __asm__ volatile("hlt");
}
