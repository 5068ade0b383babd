/* SPDX-License-Identifier: MIT */
/*
 * First code that runs: a multiboot1 and a multiboot2 header (so both QEMU's
 * -kernel loader and GRUB accept the image), then a 32-bit entry that turns
 * on long mode with an identity map of the first 4 GiB and calls
 * arch_entry(magic, info) in C.
 *
 * Identity mapping keeps physical and hypervisor-virtual addresses equal,
 * which is the simplest thing a student can reason about.
 */
#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS 0x00000003 /* page-align modules, give memory info */
#define MB2_MAGIC 0xE85250D6

        .section .multiboot, "a"
        .align 4
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)

        .align 8
mb2_header:
        .long MB2_MAGIC
        .long 0 /* i386 protected mode */
        .long mb2_end - mb2_header
        .long 0x100000000 - (MB2_MAGIC + (mb2_end - mb2_header))
        /* module alignment tag: modules start on page boundaries */
        .short 6, 0
        .long 8
        /* end tag */
        .short 0, 0
        .long 8
mb2_end:

        .section .text.boot, "ax"
        .code32
        .global _start
_start:
        cli
        cld
        mov $boot_stack_top, %esp
        mov %eax, %edi /* loader magic: first C argument */
        mov %ebx, %esi /* loader info pointer: second C argument */

        /* PML4[0] -> PDPT, PDPT[0..3] -> four page directories */
        mov $boot_pdpt, %eax
        or $0x3, %eax
        mov %eax, boot_pml4
        mov $boot_pd, %eax
        or $0x3, %eax
        mov %eax, boot_pdpt
        add $0x1000, %eax
        mov %eax, boot_pdpt + 8
        add $0x1000, %eax
        mov %eax, boot_pdpt + 16
        add $0x1000, %eax
        mov %eax, boot_pdpt + 24

        /* 2048 entries of 2 MiB pages: present, writable, large */
        xor %ecx, %ecx
1:      mov %ecx, %eax
        shl $21, %eax
        or $0x83, %eax
        mov %eax, boot_pd(, %ecx, 8)
        mov %ecx, %eax
        shr $11, %eax /* bits 32+ of the address */
        mov %eax, boot_pd + 4(, %ecx, 8)
        inc %ecx
        cmp $2048, %ecx
        jne 1b

        mov $boot_pml4, %eax
        mov %eax, %cr3
        mov %cr4, %eax
        or $0x20, %eax /* PAE */
        mov %eax, %cr4
        mov $0xC0000080, %ecx /* EFER */
        rdmsr
        or $0x100, %eax /* LME */
        wrmsr
        mov %cr0, %eax
        or $0x80000001, %eax /* PG | PE */
        mov %eax, %cr0

        lgdt boot_gdt_ptr
        ljmp $0x08, $long_mode_entry

        .code64
long_mode_entry:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        mov %ax, %fs
        mov %ax, %gs
        mov $boot_stack_top, %rsp
        mov %edi, %edi /* upper halves are undefined after the mode switch */
        mov %esi, %esi
        call arch_entry
2:      cli
        hlt
        jmp 2b

        .section .rodata
        .align 16
boot_gdt:
        .quad 0
        .quad 0x00AF9A000000FFFF /* 0x08: 64-bit code */
        .quad 0x00CF92000000FFFF /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
        .short boot_gdt_end - boot_gdt - 1
        .long boot_gdt

        .section .bss
        .align 4096
boot_pml4:
        .skip 4096
boot_pdpt:
        .skip 4096
boot_pd:
        .skip 4096 * 4
        .global boot_stack_top
boot_stack:
        .skip 16384
boot_stack_top:
        .section .note.GNU-stack, "", @progbits
