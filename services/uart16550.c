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
    if (c == '\n' || u->used == sizeof u->line - 1) {
        line_done(u);
        u->used = 0;
        u->lines++;
        if (c == '\n')
            return;
    }
    u->line[u->used++] = c;
}

uint8_t uart16550_access(struct uart16550 *u, uint16_t reg, int write, uint8_t value)
{
    u->accesses++;
    switch (reg) {
    case 0: /* transmit / receive */
        if (write)
            emit(u, (char)value);
        return 0;
    case 1:
        if (write)
            u->ier = value;
        return u->ier;
    case 2: return 0x01; /* no interrupt pending */
    case 3:
        if (write)
            u->lcr = value;
        return u->lcr;
    case 4:
        if (write)
            u->mcr = value;
        return u->mcr;
    case 5: return 0x60; /* transmitter empty, nothing received */
    case 6: return 0xb0; /* carrier, DSR, CTS */
    default:
        if (write)
            u->scratch = value;
        return u->scratch;
    }
}
