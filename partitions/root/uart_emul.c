/* SPDX-License-Identifier: MIT */
#include "uart_emul.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "intercept_reader.h"

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

int uart_emul_complete(const struct hv_x64_io_intercept_message *m, uint64_t value)
{
    struct hv_input_complete_io *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = m->partition_id;
    in->vp_index = m->vp_index;
    in->read_value = value;
    return hv_call(HVCALL_PARTITA_COMPLETE_IO, hv_input_page, 0);
}

int uart_emul_refuse(const struct hv_x64_io_intercept_message *m, const char *why)
{
    int st = uart_emul_complete(m, ~0ull);
    printf("root: %s of port 0x%x (%u bytes) by child %llu VP %u refused: %s; %s: %s\n",
           m->is_write ? "OUT" : "IN", m->port, m->access_size,
           (unsigned long long)m->partition_id, m->vp_index, why,
           m->is_write ? "the write goes nowhere" : "it reads all ones",
           hv_status_name((hv_status_t)st));
    return st;
}

int uart_emul_access(struct uart16550 *u, const struct hv_x64_io_intercept_message *m)
{
    if (m->port < UART16550_COM2 || m->port >= UART16550_COM2 + 8)
        return uart_emul_refuse(m, "no device there");
    uint8_t value = uart16550_access(u, (uint16_t)(m->port - UART16550_COM2), m->is_write,
                                     (uint8_t)m->value);
    return uart_emul_complete(m, value);
}

/* The intercept SINT through the root's hypercalls. */
static const struct hv_message *read_slot(void *ctx)
{
    (void)ctx;
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = HV_SINT_INTERCEPTS;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page))
        return 0;
    return (const struct hv_message *)hv_output_page;
}

static void eom(void *ctx)
{
    (void)ctx;
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, HV_SINT_INTERCEPTS, 0);
}

static void report(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
}

int uart_emul_next(struct hv_x64_io_intercept_message *io)
{
    static const struct intercept_sint root_sint = {read_slot, eom, report, 0};
    return intercept_take(&root_sint, io);
}
