#include "uart_emul.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"

static void print_line(const char *name, const char *line, void *ctx)
{
    (void)ctx;
    printf("[%s] %s\n", name, line);
}

void uart_emul_init(struct uart16550 *u, const char *name)
{
    memset(u, 0, sizeof *u);
    size_t n = strlen(name);
    memcpy(u->name, name, n < sizeof u->name ? n : sizeof u->name - 1);
    u->line_out = print_line;
}

int uart_emul_access(struct uart16550 *u, const struct hv_x64_io_intercept_message *m)
{
    uint8_t value = 0xff; /* ports that are no UART read as a floating bus */
    if (m->port >= UART16550_COM2 && m->port < UART16550_COM2 + 8)
        value = uart16550_access(u, (uint16_t)(m->port - UART16550_COM2), m->is_write,
                                 (uint8_t)m->value);
    struct hv_input_complete_io *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = m->partition_id;
    in->vp_index = m->vp_index;
    in->value = value;
    return hv_call(HVCALL_PARTITA_COMPLETE_IO, hv_input_page, 0);
}

int uart_emul_next(struct hv_x64_io_intercept_message *io)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = HV_SINT_PARTITION_NEWS;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page))
        return -1;
    const struct hv_message *msg = (const void *)hv_output_page;
    int intercept = msg->header.message_type == HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT;
    if (intercept)
        memcpy(io, msg->payload, sizeof *io);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, HV_SINT_PARTITION_NEWS, 0);
    return intercept;
}
