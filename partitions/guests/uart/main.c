/* SPDX-License-Identifier: MIT */
/*
 * An unenlightened test guest: it knows nothing of hypercalls or channels
 * and talks to a 16550 UART at the COM2 ports with plain IN/OUT.  The
 * hypervisor intercepts every access and the root emulates the UART.
 */
#include <stdint.h>

#include "../../../lib/portio.h"
#include "../../lib/runtime.h"

#define COM2 0x2f8

static void put(char c)
{
    while (!(inb(COM2 + 5) & 0x20)) /* transmitter holding register empty */
        ;
    outb(COM2, (uint8_t)c);
}

int partition_main(const struct partition_boot_info *info)
{
    (void)info;
    outb(COM2 + 3, 0x03); /* 8N1 */
    outb(COM2 + 7, 0x5a); /* the scratch register must read back */
    const char *text = inb(COM2 + 7) == 0x5a ? "hello from an unenlightened guest\n"
                                              : "scratch register lost\n";
    for (const char *p = text; *p; p++)
        put(*p);
    for (;;)
        __asm__ volatile("hlt");
}
