/* SPDX-License-Identifier: MIT */
/*
 * Byte offsets of the registers in struct guest_gprs (kernel/arch/virt.h),
 * for the entry stubs that load and store them (vmx_entry.S, svm_entry.S).
 * Assembly cannot use offsetof, so the offsets are written out here once;
 * the C part below checks every one against the struct at compile time, so
 * a reordered or resized struct fails the build instead of swapping two
 * guest registers.  vmx.c and svm.c include this header for that check.
 */
#pragma once

#define G_RAX 0
#define G_RBX 8
#define G_RCX 16
#define G_RDX 24
#define G_RSI 32
#define G_RDI 40
#define G_RBP 48
#define G_R8 56
#define G_R9 64
#define G_R10 72
#define G_R11 80
#define G_R12 88
#define G_R13 96
#define G_R14 104
#define G_R15 112

#ifndef __ASSEMBLER__
#include <stddef.h>

#include "../virt.h"

_Static_assert(offsetof(struct guest_gprs, rax) == G_RAX, "G_RAX != offset of rax");
_Static_assert(offsetof(struct guest_gprs, rbx) == G_RBX, "G_RBX != offset of rbx");
_Static_assert(offsetof(struct guest_gprs, rcx) == G_RCX, "G_RCX != offset of rcx");
_Static_assert(offsetof(struct guest_gprs, rdx) == G_RDX, "G_RDX != offset of rdx");
_Static_assert(offsetof(struct guest_gprs, rsi) == G_RSI, "G_RSI != offset of rsi");
_Static_assert(offsetof(struct guest_gprs, rdi) == G_RDI, "G_RDI != offset of rdi");
_Static_assert(offsetof(struct guest_gprs, rbp) == G_RBP, "G_RBP != offset of rbp");
_Static_assert(offsetof(struct guest_gprs, r8) == G_R8, "G_R8 != offset of r8");
_Static_assert(offsetof(struct guest_gprs, r9) == G_R9, "G_R9 != offset of r9");
_Static_assert(offsetof(struct guest_gprs, r10) == G_R10, "G_R10 != offset of r10");
_Static_assert(offsetof(struct guest_gprs, r11) == G_R11, "G_R11 != offset of r11");
_Static_assert(offsetof(struct guest_gprs, r12) == G_R12, "G_R12 != offset of r12");
_Static_assert(offsetof(struct guest_gprs, r13) == G_R13, "G_R13 != offset of r13");
_Static_assert(offsetof(struct guest_gprs, r14) == G_R14, "G_R14 != offset of r14");
_Static_assert(offsetof(struct guest_gprs, r15) == G_R15, "G_R15 != offset of r15");
/* The stubs store 15 registers and nothing past them. */
_Static_assert(sizeof(struct guest_gprs) == G_R15 + 8,
               "struct guest_gprs has registers the stubs do not switch");
#endif
