/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono: the device services run inside the hypervisor.  An
 * unenlightened child's port I/O is served right in the I/O exit by the
 * same models the root runs in BUILD=micro, without the request ever
 * leaving the hypervisor:
 *   - the COM2 UART of the small test children (services/uart16550.c),
 *     whose lines go to the hypervisor log ([name-id] ...);
 *   - every other port: the small PC of a Linux child (services/pcplat.c:
 *     COM1, PIT, PIC, reset), whose console lines go to COM1 like the
 *     root's ([name] ...), whose timer programs the VP's virtual timer
 *     line (kernel/core/vtimer.h), and whose reset request stops the VP.
 */
#include "../../lib/format.h"
#include "../../services/pcplat.h"
#include "../../services/env.h"
#include "../arch/arch.h"
#include "../core/exits.h"
#include "../core/io_access.h"
#include "../core/log.h"
#include "../core/services.h"
#include "mono_env.h"

static struct {
    uint64_t owner; /* partition id the state belongs to (slots are reused) */
    struct uart16550 uart;
    uint64_t pc_owner;
    struct pcplat pc;
} devs[HV_MAX_PARTITIONS];

static void log_line(const char *name, const char *line, void *ctx)
{
    kprintf("[%s-%llu] %s\n", name, (unsigned long long)*(const uint64_t *)ctx, line);
}

/* A Linux child's console line on COM1, as the root prints it in micro. */
static void console_line(const char *name, const char *line, void *ctx)
{
    (void)ctx;
    char text[640];
    size_t n = format_string(text, sizeof text, "[%s] %s\n", name, line);
    if (n > sizeof text - 1)
        n = sizeof text - 1;
    if (mono_console_room() < n)
        mono_console_flush();
    env_console_write(text, n);
}

static void name_of(char *dst, size_t size, const struct partition *p)
{
    for (size_t i = 0; p->name[i] && i < size - 1; i++)
        dst[i] = p->name[i];
}

static int pc_io(struct vp *vp, const struct vm_exit *e)
{
    struct partition *p = vp->partition;
    struct pcplat *pc = &devs[p->slot].pc;
    if (devs[p->slot].pc_owner != p->id) {
        pcplat_init(pc, arch_tsc_khz());
        devs[p->slot].pc_owner = p->id;
        name_of(pc->com1.name, sizeof pc->com1.name, p);
        pc->com1.line_out = console_line;
    }
    uint32_t v = pcplat_access(pc, e->port, (uint8_t)e->io_size, !e->io_in,
                               (uint32_t)vp->gprs.rax, arch_tsc());
    if (pc->timer_changed)
        vtimer_set(vp, pc->timer_deadline, pc->timer_period, pc->timer_vector);
    if (pc->mask_changed)
        vtimer_mask(vp, pc->timer_masked);
    if (pc->irq_changed)
        vtimer_irq(vp, pc->irq_vector, pc->irq_level);
    if (pc->reset) {
        exit_fault(vp, "the guest asked for a reset (port 0xcf9): powered off");
        return 1;
    }
    if (e->io_in)
        vp->gprs.rax = io_merge_in(vp->gprs.rax, e->io_size, v);
    hv_virt->vcpu_skip(vp->arch, e);
    return 1;
}

int mono_io(struct vp *vp, const struct vm_exit *e)
{
    if (pcplat_claims(e->port))
        return pc_io(vp, e);
    /* LAB 8.1 BEGIN: serve the child's COM2 access right in the I/O exit */
    struct partition *p = vp->partition;
    if (devs[p->slot].owner != p->id) {
        struct uart16550 fresh = {.line_out = log_line};
        devs[p->slot].uart = fresh;
        devs[p->slot].owner = p->id;
        name_of(devs[p->slot].uart.name, sizeof fresh.name, p);
        devs[p->slot].uart.ctx = &devs[p->slot].owner;
    }
    uint8_t v = uart16550_access(&devs[p->slot].uart, (uint16_t)(e->port - UART16550_COM2),
                                 !e->io_in, (uint8_t)vp->gprs.rax);
    if (e->io_in)
        vp->gprs.rax = io_merge_in(vp->gprs.rax, e->io_size, v);
    hv_virt->vcpu_skip(vp->arch, e);
    return 1;
    /* LAB 8.1 END */
}
