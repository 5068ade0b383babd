/*
 * void svm_vmrun(uint64_t vmcb_pa, struct guest_gprs *gprs)
 *
 * Loads the guest's general-purpose registers (RAX travels in the VMCB),
 * runs VMRUN, and on #VMEXIT stores them back.  The host's callee-saved
 * registers are kept on the stack; VMRUN itself restores RSP, RIP, CR*,
 * EFER and segments from the host save area.
 */
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

        mov 8*1(%rsi), %rbx
        mov 8*2(%rsi), %rcx
        mov 8*3(%rsi), %rdx
        mov 8*6(%rsi), %rbp
        mov 8*7(%rsi), %r8
        mov 8*8(%rsi), %r9
        mov 8*9(%rsi), %r10
        mov 8*10(%rsi), %r11
        mov 8*11(%rsi), %r12
        mov 8*12(%rsi), %r13
        mov 8*13(%rsi), %r14
        mov 8*14(%rsi), %r15
        mov 8*5(%rsi), %rdi
        mov 8*4(%rsi), %rsi
        mov (%rsp), %rax         /* vmcb_pa */

        /* GIF holds interrupts until VMRUN; with the host's IF set, the
         * timer then makes the guest exit (INTR intercept). */
        clgi
        sti
        vmrun %rax
        cli
        stgi

        mov 8(%rsp), %rax        /* gprs */
        mov %rbx, 8*1(%rax)
        mov %rcx, 8*2(%rax)
        mov %rdx, 8*3(%rax)
        mov %rsi, 8*4(%rax)
        mov %rdi, 8*5(%rax)
        mov %rbp, 8*6(%rax)
        mov %r8, 8*7(%rax)
        mov %r9, 8*8(%rax)
        mov %r10, 8*9(%rax)
        mov %r11, 8*10(%rax)
        mov %r12, 8*11(%rax)
        mov %r13, 8*12(%rax)
        mov %r14, 8*13(%rax)
        mov %r15, 8*14(%rax)

        add $16, %rsp
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbx
        pop %rbp
        ret

        .section .note.GNU-stack, "", @progbits
