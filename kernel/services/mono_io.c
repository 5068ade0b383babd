/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono: the device services run inside the hypervisor.  An
 * unenlightened child's access to the COM2 UART is served right in the I/O
 * exit by the same UART model the root runs in BUILD=micro
 * (services/uart16550.c), without the request ever leaving the
 * hypervisor.  The model needs no environment: its lines go to the
 * callback it is given, here the hypervisor log.
 */
#include "../../services/uart16550.h"
#include "../core/io_access.h"
#include "../core/log.h"
#include "../core/services.h"

static struct {
    uint64_t owner; /* partition id the state belongs to (slots are reused) */
    struct uart16550 uart;
} uarts[HV_MAX_PARTITIONS];

static void log_line(const char *name, const char *line, void *ctx)
{
    kprintf("[%s-%llu] %s\n", name, (unsigned long long)*(const uint64_t *)ctx, line);
}

int mono_io(struct vp *vp, const struct vm_exit *e)
{
    if (e->port < UART16550_COM2 || e->port >= UART16550_COM2 + 8)
        return 0;
    struct partition *p = vp->partition;
    if (uarts[p->slot].owner != p->id) {
        struct uart16550 fresh = {.line_out = log_line};
        uarts[p->slot].uart = fresh;
        uarts[p->slot].owner = p->id;
        for (int i = 0; p->name[i] && i < (int)sizeof fresh.name - 1; i++)
            uarts[p->slot].uart.name[i] = p->name[i];
        uarts[p->slot].uart.ctx = &uarts[p->slot].owner;
    }
    uint8_t v = uart16550_access(&uarts[p->slot].uart, (uint16_t)(e->port - UART16550_COM2),
                                 !e->io_in, (uint8_t)vp->gprs.rax);
    if (e->io_in)
        vp->gprs.rax = io_merge_in(vp->gprs.rax, e->io_size, v);
    hv_virt->vcpu_skip(vp->arch, e);
    return 1;
}
