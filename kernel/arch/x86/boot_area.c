/* SPDX-License-Identifier: MIT */
/*
 * The x86 part of the root partition's boot area (kernel/core/root_setup.c
 * builds the rest: boot information and stack).  The root is entered
 * straight in 64-bit mode, which needs paging and a code segment with L=1
 * before its first instruction, so the hypervisor writes an identity map
 * and a flat GDT into the root's own memory.  Children never get these:
 * the root builds them with hypercalls (partitions/root/child.c).
 */
#include "../arch.h"
#include "../virt.h"

/* Offsets in the area; all of them below ARCH_BOOT_TABLES_SIZE. */
#define BOOT_PML4 0x0000
#define BOOT_PDPT 0x1000
#define BOOT_PD 0x2000 /* four pages: one per GiB */
#define BOOT_GDT 0x6000
_Static_assert(BOOT_GDT + 0x1000 <= ARCH_BOOT_TABLES_SIZE,
               "the boot tables outgrow ARCH_BOOT_TABLES_SIZE");

static void *hpa(uint64_t pa)
{
    return arch_phys_to_virt(pa);
}

void arch_boot_area_build(uint64_t area, uint64_t entry, uint64_t stack_top,
                          struct vcpu_setup *setup)
{
    /* Identity map of the first 4 GiB with 2 MiB pages, as the guest's own tables. */
    uint64_t *pml4 = hpa(area + BOOT_PML4), *pdpt = hpa(area + BOOT_PDPT);
    pml4[0] = (area + BOOT_PDPT) | 0x3;
    for (int i = 0; i < 4; i++) {
        uint64_t *pd = hpa(area + BOOT_PD + 0x1000ull * i);
        pdpt[i] = (area + BOOT_PD + 0x1000ull * i) | 0x3;
        for (int j = 0; j < 512; j++)
            pd[j] = ((uint64_t)i << 30 | (uint64_t)j << 21) | 0x83;
    }
    /* Null, code 0x08 (64-bit), data 0x10: what vcpu_setup's LONG64 mode expects. */
    uint64_t *gdt = hpa(area + BOOT_GDT);
    gdt[1] = 0x00AF9A000000FFFFull;
    gdt[2] = 0x00CF92000000FFFFull;

    *setup = (struct vcpu_setup){
        .mode = VCPU_MODE_LONG64,
        .rip = entry,
        .rsp = stack_top,
        .rflags = 0x2, /* IF = 0 (kernel/abi/partition_boot.h) */
        .cr3 = area + BOOT_PML4,
        .gdt_base = area + BOOT_GDT,
        .gdt_limit = 3 * 8 - 1,
    };
}
