/* SPDX-License-Identifier: MIT */
/*
 * Partition entry.  The hypervisor starts us in 64-bit mode with RDI
 * pointing at struct partition_boot_info (kernel/abi/partition_boot.h).
 * Switch to our own stack and call partition_main(info); its return value
 * is the partition's exit code.
 */
        .section .text.start, "ax"
        .global _start
_start:
        mov $stack_top, %rsp
        xor %rbp, %rbp
        call partition_main
        mov %rax, %rdi
        call partition_exit
1:      hlt
        jmp 1b

        .bss
        .align 16
stack:
        .skip 32768
stack_top:

        .section .note.GNU-stack, "", @progbits
