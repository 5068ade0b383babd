/* SPDX-License-Identifier: MIT */
/*
 * The scenario agent's entry.  Every VP of a child starts here (the
 * player gives StartVp this context); each takes its own stack from its VP
 * index (the TLFS VP-index MSR, which the hypervisor emulates).
 */
        .section .text.start, "ax"
        .global _start
_start:
        mov %rdi, %r12              /* struct scenario_agent_info * */
        mov $0x40000002, %ecx
        rdmsr
        mov %eax, %r13d             /* VP index */
        mov %rax, %rcx
        inc %rcx
        shl $14, %rcx               /* 16 KiB per VP */
        mov $0x30020000, %rsp       /* SCENARIO_AGENT_STACKS (main.c asserts it) */
        add %rcx, %rsp
        mov %r12, %rdi
        mov %r13d, %esi
        call agent_main
1:      hlt
        jmp 1b

        .section .note.GNU-stack, "", @progbits
