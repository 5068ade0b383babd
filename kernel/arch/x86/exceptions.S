/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs for the hypervisor itself.  Every vector pushes a
 * uniform frame (vector, error code) and calls exception_handler, which
 * panics: the hypervisor never expects to fault.
 */
        .text
.macro STUB vector, has_error
exception_stub_\vector:
        .if \has_error == 0
        pushq $0
        .endif
        pushq $\vector
        mov %rsp, %rdi
        and $-16, %rsp
        call exception_handler
1:      cli
        hlt
        jmp 1b
.endm

/* Vectors 8, 10-14, 17, 21, 29, 30 push an error code. */
STUB 0, 0
STUB 1, 0
STUB 2, 0
STUB 3, 0
STUB 4, 0
STUB 5, 0
STUB 6, 0
STUB 7, 0
STUB 8, 1
STUB 9, 0
STUB 10, 1
STUB 11, 1
STUB 12, 1
STUB 13, 1
STUB 14, 1
STUB 15, 0
STUB 16, 0
STUB 17, 1
STUB 18, 0
STUB 19, 0
STUB 20, 0
STUB 21, 1
STUB 22, 0
STUB 23, 0
STUB 24, 0
STUB 25, 0
STUB 26, 0
STUB 27, 0
STUB 28, 0
STUB 29, 1
STUB 30, 1
STUB 31, 0

/* The APIC timer (vector 0x20) and spurious interrupts (0xff). */
        .global timer_stub
timer_stub:
        push %rax
        push %rcx
        push %rdx
        push %rsi
        push %rdi
        push %r8
        push %r9
        push %r10
        push %r11
        mov %rsp, %rax
        and $-16, %rsp
        push %rax
        sub $8, %rsp
        call timer_interrupt
        add $8, %rsp
        pop %rsp
        pop %r11
        pop %r10
        pop %r9
        pop %r8
        pop %rdi
        pop %rsi
        pop %rdx
        pop %rcx
        pop %rax
        iretq

        .global spurious_stub
spurious_stub:
        iretq

        .section .rodata
        .global exception_stubs
        .align 8
exception_stubs:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad exception_stub_\v
        .endr

        .section .note.GNU-stack, "", @progbits
