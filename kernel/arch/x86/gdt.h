/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own GDT, TSS and IDT.  VT-x needs a non-zero host TR, so
 * the boot GDT is replaced by one with a 64-bit TSS; the IDT turns any
 * exception taken *by the hypervisor* into a panic with its vector and RIP.
 */
#pragma once

#define GDT_CODE 0x08
#define GDT_DATA 0x10
#define GDT_TSS 0x18

void gdt_idt_init(void);
