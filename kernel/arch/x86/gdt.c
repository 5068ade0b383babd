/* SPDX-License-Identifier: MIT */
#include "gdt.h"

#include <stdint.h>

#include "../../core/log.h"

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static struct tss64 tss;
static uint64_t gdt[5] __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));

/* Per-vector entry stubs, from exceptions.S. */
extern void (*const exception_stubs[32])(void);
extern void timer_stub(void), spurious_stub(void);

static void set_gate(int vector, void (*handler)(void))
{
    uint64_t a = (uint64_t)(uintptr_t)handler;
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)a,
        .selector = GDT_CODE,
        .ist = 0,
        .type_attr = 0x8e, /* present, interrupt gate */
        .offset_mid = (uint16_t)(a >> 16),
        .offset_high = (uint32_t)(a >> 32),
        .reserved = 0,
    };
}

void gdt_idt_init(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;
    tss.iomap_base = sizeof tss;
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFFull; /* 64-bit code */
    gdt[2] = 0x00CF92000000FFFFull; /* data */
    /* 16-byte system descriptor: available 64-bit TSS (type 9), present */
    gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
             ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    gdt[4] = base >> 32;

    struct table_pointer gp = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "ltr %w3"
                     :
                     : "m"(gp), "i"(GDT_CODE), "r"(GDT_DATA), "r"(GDT_TSS)
                     : "rax", "memory");

    for (int v = 0; v < 32; v++)
        set_gate(v, exception_stubs[v]);
    set_gate(0x20, timer_stub);
    set_gate(0xff, spurious_stub);
    struct table_pointer ip = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ip));
}

/* Frame pushed by exceptions.S: vector, error code, then the CPU's frame. */
struct exception_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

void exception_handler(const struct exception_frame *f);

void exception_handler(const struct exception_frame *f)
{
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    panic("hypervisor exception %llu (error 0x%llx) at rip 0x%llx, cr2 0x%llx",
          (unsigned long long)f->vector, (unsigned long long)f->error_code,
          (unsigned long long)f->rip, (unsigned long long)cr2);
}
