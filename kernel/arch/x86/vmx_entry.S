/* SPDX-License-Identifier: MIT */
/*
 * VM entry and VM exit for the VT-x backend.
 *
 *   int vmx_enter(struct guest_gprs *gprs, int launched);
 *
 * Saves the host's callee-saved registers on the stack, records the stack
 * pointer as HOST_RSP, loads the guest's general-purpose registers and
 * enters the guest with VMLAUNCH (first time) or VMRESUME.  RSP, RIP and
 * RFLAGS of the guest are in the VMCS; the rest is ours to switch.
 *
 * A VM exit lands on vmx_exit_stub (HOST_RIP) with RSP = HOST_RSP, i.e. on
 * the frame pushed here: it stores the guest registers back into *gprs and
 * returns 0 from vmx_enter.  If VMLAUNCH/VMRESUME itself fails, execution
 * continues after it and vmx_enter returns 1 (VMfailInvalid: no current
 * VMCS) or 2 (VMfailValid: the reason is in VM_INSTRUCTION_ERROR).
 *
 * The offsets of struct guest_gprs (G_RAX ...) are in guest_gprs_offsets.h,
 * checked against the struct at compile time.
 */
#include "guest_gprs_offsets.h"

#define HOST_RSP 0x6C14

        .text
        .global vmx_enter
vmx_enter:
        push %rbp
        push %rbx
        push %r12
        push %r13
        push %r14
        push %r15
        push %rdi               /* gprs: found again at 0(%rsp) after exit */

        mov $HOST_RSP, %rax
        vmwrite %rsp, %rax

        test %esi, %esi         /* flags survive the MOVs below */
        mov G_RAX(%rdi), %rax
        mov G_RBX(%rdi), %rbx
        mov G_RCX(%rdi), %rcx
        mov G_RDX(%rdi), %rdx
        mov G_RSI(%rdi), %rsi
        mov G_RBP(%rdi), %rbp
        mov G_R8(%rdi), %r8
        mov G_R9(%rdi), %r9
        mov G_R10(%rdi), %r10
        mov G_R11(%rdi), %r11
        mov G_R12(%rdi), %r12
        mov G_R13(%rdi), %r13
        mov G_R14(%rdi), %r14
        mov G_R15(%rdi), %r15
        mov G_RDI(%rdi), %rdi   /* last: it was the pointer */
        jnz 1f
        vmlaunch
        jmp 2f
1:      vmresume
2:      /* Only reached if the entry instruction failed. */
        mov $2, %eax
        jz 3f                   /* ZF: VMfailValid */
        mov $1, %eax            /* CF: VMfailInvalid */
3:      add $8, %rsp
        jmp 4f

        .global vmx_exit_stub
vmx_exit_stub:
        push %rdi               /* guest RDI; the gprs pointer is now at 8(%rsp) */
        mov 8(%rsp), %rdi
        mov %rax, G_RAX(%rdi)
        mov %rbx, G_RBX(%rdi)
        mov %rcx, G_RCX(%rdi)
        mov %rdx, G_RDX(%rdi)
        mov %rsi, G_RSI(%rdi)
        mov %rbp, G_RBP(%rdi)
        mov %r8, G_R8(%rdi)
        mov %r9, G_R9(%rdi)
        mov %r10, G_R10(%rdi)
        mov %r11, G_R11(%rdi)
        mov %r12, G_R12(%rdi)
        mov %r13, G_R13(%rdi)
        mov %r14, G_R14(%rdi)
        mov %r15, G_R15(%rdi)
        pop %rax
        mov %rax, G_RDI(%rdi)
        add $8, %rsp
        xor %eax, %eax
4:      pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbx
        pop %rbp
        ret

        .section .note.GNU-stack, "", @progbits
