#include "uart_emul.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"

#define COM2 0x2f8

static void emit(struct uart_emul *u, char c)
{
    u->bytes_out++;
    if (c == '\n' || u->used == sizeof u->line - 1) {
        u->line[u->used] = '\0';
        printf("[%s] %s\n", u->name, u->line);
        u->used = 0;
        u->lines++;
        if (c == '\n')
            return;
    }
    u->line[u->used++] = c;
}

/* What a read of register `reg` returns; writes update the registers. */
static uint8_t access_reg(struct uart_emul *u, uint16_t reg, int write, uint8_t value)
{
    switch (reg) {
    case 0: /* transmit / receive */
        if (write)
            emit(u, (char)value);
        return 0;
    case 1: if (write) u->ier = value; return u->ier;
    case 2: return 0x01; /* no interrupt pending */
    case 3: if (write) u->lcr = value; return u->lcr;
    case 4: if (write) u->mcr = value; return u->mcr;
    case 5: return 0x60; /* transmitter empty, nothing received */
    case 6: return 0xb0; /* carrier, DSR, CTS */
    default: if (write) u->scratch = value; return u->scratch;
    }
}

int uart_emul_access(struct uart_emul *u, const struct hv_x64_io_intercept_message *m)
{
    uint8_t value = 0xff; /* ports that are no UART read as a floating bus */
    u->accesses++;
    if (m->port >= COM2 && m->port < COM2 + 8)
        value = access_reg(u, (uint16_t)(m->port - COM2), m->is_write, (uint8_t)m->value);
    struct hv_input_complete_io *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = m->partition_id;
    in->vp_index = m->vp_index;
    in->value = value;
    return hv_call(HVCALL_PARTITA_COMPLETE_IO, hv_input_page, 0);
}
