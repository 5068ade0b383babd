/* SPDX-License-Identifier: MIT */
#include "uart16550.h"

#include "../lib/format.h"

/* The guest's line goes out escaped (format_escape): its control bytes
 * cannot end the line early, move the cursor over the prefix line_out
 * puts before it, or reach a terminal as an escape sequence. */
static void line_done(struct uart16550 *u)
{
    char text[4 * sizeof u->line];
    format_escape(text, sizeof text, u->line, u->used);
    u->line_out(u->name, text, u->ctx);
}

static void emit(struct uart16550 *u, char c)
{
    u->bytes_out++;
    /* A serial console ends its lines with CR LF (Linux does): the CR is
     * part of the line ending, not of the text. */
    if (c == '\n' && u->used && u->line[u->used - 1] == '\r')
        u->used--;
    if (c == '\n' || u->used == sizeof u->line - 1) {
        line_done(u);
        u->used = 0;
        u->lines++;
        if (c == '\n')
            return;
    }
    u->line[u->used++] = c;
}

int uart16550_rx(struct uart16550 *u, uint8_t byte)
{
    if (u->rx_count == UART16550_RX)
        return 0;
    u->rx[(u->rx_head + u->rx_count++) % UART16550_RX] = byte;
    return 1;
}

int uart16550_irq(const struct uart16550 *u)
{
    return (u->ier & 2) || ((u->ier & 1) && u->rx_count);
}

/* Loopback (MCR bit 4): the modem outputs come back as inputs, DTR as
 * DSR, RTS as CTS, OUT1 as RI, OUT2 as DCD. */
static uint8_t modem_status(const struct uart16550 *u)
{
    if (!(u->mcr & 0x10))
        return 0xb0; /* carrier, DSR, CTS */
    return (uint8_t)((u->mcr & 1) << 5 | (u->mcr & 2) << 3 | (u->mcr & 4) << 4 |
                     (u->mcr & 8) << 4);
}

uint8_t uart16550_access(struct uart16550 *u, uint16_t reg, int write, uint8_t value)
{
    u->accesses++;
    int dlab = (u->lcr & 0x80) != 0;
    switch (reg) {
    case 0: /* transmit / receive, or the divisor's low byte */
        if (dlab) {
            if (write)
                u->dll = value;
            return u->dll;
        }
        if (write) {
            if (!(u->mcr & 0x10)) /* loopback sends nothing out */
                emit(u, (char)value);
            return 0;
        }
        if (u->rx_count) {
            uint8_t b = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % UART16550_RX;
            u->rx_count--;
            return b;
        }
        return 0;
    case 1:
        if (dlab) {
            if (write)
                u->dlm = value;
            return u->dlm;
        }
        if (write)
            u->ier = value & 0x0f;
        return u->ier;
    case 2: /* IIR on reads, FCR on writes */
        if (write) {
            u->fcr = value & 0xc9;
            if (value & 2)
                u->rx_count = 0; /* clear the receive FIFO */
            return 0;
        }
        {
            uint8_t fifo = (u->fcr & 1) ? 0xc0 : 0;
            if ((u->ier & 1) && u->rx_count)
                return fifo | 0x04; /* data received */
            if (u->ier & 2)
                return fifo | 0x02; /* transmitter empty */
            return fifo | 0x01; /* no interrupt pending */
        }
    case 3:
        if (write)
            u->lcr = value;
        return u->lcr;
    case 4:
        if (write)
            u->mcr = value & 0x1f;
        return u->mcr;
    case 5: /* transmitter empty; data ready if a byte waits */
        return (uint8_t)(0x60 | (u->rx_count ? 1 : 0));
    case 6: return modem_status(u);
    default:
        if (write)
            u->scratch = value;
        return u->scratch;
    }
}
