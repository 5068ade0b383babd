/* SPDX-License-Identifier: MIT */
/*
 * x86 port I/O instructions as inline functions, for every program that
 * drives a device: the hypervisor (kernel/arch/x86/io.h adds MSRs, CPUID
 * and the TSC), the partitions (a root's passed-through ports, a child's
 * intercepted ones) and the services in services/ (the ATA driver), which
 * execute the same instructions wherever they are placed.
 */
#pragma once
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
