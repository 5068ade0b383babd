/* SPDX-License-Identifier: MIT */
#include "serial.h"

#include "io.h"

void serial_init(enum serial_port port)
{
    outb(port + 1, 0x00); /* no interrupts: the hypervisor polls */
    outb(port + 3, 0x80); /* divisor latch access */
    outb(port + 0, 0x01); /* 115200 baud */
    outb(port + 1, 0x00);
    outb(port + 3, 0x03); /* 8 data bits, no parity, one stop bit */
    outb(port + 2, 0xc7); /* FIFOs on and cleared */
    outb(port + 4, 0x03); /* DTR, RTS */
}

void serial_putc(enum serial_port port, char c)
{
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    for (int spin = 0; spin < 100000; spin++)
        if (inb(port + 5) & 0x20)
            break;
    outb(port, (uint8_t)c);
}

void serial_write(enum serial_port port, const char *s, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        serial_putc(port, s[i]);
}

void serial_flush(enum serial_port port)
{
    /* Wait until the transmitter is empty so nothing is cut off at power-off. */
    for (int spin = 0; spin < 1000000; spin++)
        if (inb(port + 5) & 0x40)
            break;
}
