/* SPDX-License-Identifier: MIT */
/*
 * void svm_vmrun(uint64_t vmcb_pa, struct guest_gprs *gprs)
 *
 * Loads the guest's general-purpose registers (RAX travels in the VMCB),
 * runs VMRUN, and on #VMEXIT stores them back.  The host's callee-saved
 * registers are kept on the stack; VMRUN itself restores RSP, RIP, CR*,
 * EFER and segments from the host save area.  The offsets of struct
 * guest_gprs (G_RBX ...) are in guest_gprs_offsets.h, checked against the
 * struct at compile time.
 */
#include "guest_gprs_offsets.h"

        .text
        .global svm_vmrun
svm_vmrun:
        push %rbp
        push %rbx
        push %r12
        push %r13
        push %r14
        push %r15
        push %rsi                /* gprs */
        push %rdi                /* vmcb_pa */

        mov G_RBX(%rsi), %rbx
        mov G_RCX(%rsi), %rcx
        mov G_RDX(%rsi), %rdx
        mov G_RBP(%rsi), %rbp
        mov G_R8(%rsi), %r8
        mov G_R9(%rsi), %r9
        mov G_R10(%rsi), %r10
        mov G_R11(%rsi), %r11
        mov G_R12(%rsi), %r12
        mov G_R13(%rsi), %r13
        mov G_R14(%rsi), %r14
        mov G_R15(%rsi), %r15
        mov G_RDI(%rsi), %rdi
        mov G_RSI(%rsi), %rsi
        mov (%rsp), %rax         /* vmcb_pa */

        /* GIF holds interrupts until VMRUN; with the host's IF set, the
         * timer then makes the guest exit (INTR intercept). */
        clgi
        sti
        vmrun %rax
        cli
        stgi

        mov 8(%rsp), %rax        /* gprs */
        mov %rbx, G_RBX(%rax)
        mov %rcx, G_RCX(%rax)
        mov %rdx, G_RDX(%rax)
        mov %rsi, G_RSI(%rax)
        mov %rdi, G_RDI(%rax)
        mov %rbp, G_RBP(%rax)
        mov %r8, G_R8(%rax)
        mov %r9, G_R9(%rax)
        mov %r10, G_R10(%rax)
        mov %r11, G_R11(%rax)
        mov %r12, G_R12(%rax)
        mov %r13, G_R13(%rax)
        mov %r14, G_R14(%rax)
        mov %r15, G_R15(%rax)

        add $16, %rsp
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbx
        pop %rbp
        ret

        .section .note.GNU-stack, "", @progbits
