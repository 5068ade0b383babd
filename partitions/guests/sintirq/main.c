/* SPDX-License-Identifier: MIT */
/*
 * A test guest for virtual interrupts on arrival: it installs a GDT and an
 * IDT, asks for vector 0x40 on SINT 0 through the TLFS SINT0 MSR, and
 * halts.  When the root's message arrives the hypervisor injects the
 * vector; the handler counts it, and the guest answers the root with the
 * count ("irq=N") on its connection 1.
 */
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"

#define SINT_VECTOR 0x40

struct gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

struct table {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint64_t gdt[3] = {0, 0x00AF9A000000FFFFull, 0x00CF92000000FFFFull};
static struct gate idt[256];
static volatile int interrupts;

struct interrupt_frame;

__attribute__((interrupt)) static void sint_handler(struct interrupt_frame *frame)
{
    (void)frame;
    interrupts++;
}

static void install_tables(void)
{
    uint64_t a = (uint64_t)(uintptr_t)sint_handler;
    idt[SINT_VECTOR] = (struct gate){(uint16_t)a, 0x08, 0, 0x8e, (uint16_t)(a >> 16),
                                     (uint32_t)(a >> 32), 0};
    struct table g = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    struct table i = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    /* The hypervisor started us with segment state but no GDT of our own. */
    __asm__ volatile("lgdt %0\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw $0x10, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%ss\n\t"
                     "lidt %1"
                     :
                     : "m"(g), "m"(i)
                     : "rax", "memory");
}

int partition_main(const struct partition_boot_info *info)
{
    (void)info;
    install_tables();
    hv_detect();
    __asm__ volatile("wrmsr" : : "c"(0x40000090u), "a"(SINT_VECTOR), "d"(0));
    while (!interrupts)
        __asm__ volatile("hlt");
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = 0;
    in->reserved = 0;
    hv_status_t st = hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, 0, 0);
    struct hv_input_post_message *m = (void *)hv_input_page;
    memset(m, 0, sizeof *m);
    m->connection_id = 1;
    m->message_type = 1;
    m->payload_size = 6;
    memcpy(m->payload, "irq=?!", 6);
    ((uint8_t *)m->payload)[4] = (uint8_t)('0' + (interrupts < 9 ? interrupts : 9));
    ((uint8_t *)m->payload)[5] = st == HV_STATUS_SUCCESS ? '+' : '-';
    hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
    for (;;)
        __asm__ volatile("hlt");
}
