/* SPDX-License-Identifier: MIT */
/*
 * The narrow interface between the portable hypervisor core and the
 * machine.  The core calls only these; kernel/arch/x86 implements them on
 * real (emulated) hardware and tests can implement them on the host.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Hypervisor log channel: never shared with a partition's console. */
void arch_log_write(const char *s, size_t n);

/* The step trace's own channel (check builds). */
void arch_trace_write(const char *s, size_t n);

/* The periodic timer that preempts partitions (local APIC); it turns the
 * firmware's interrupts off first (arch_legacy_irqs_off). */
void arch_timer_start(void);
/* No interrupt from the devices the firmware left running (the legacy
 * PICs masked): a guest run before the timer starts exits only for itself
 * (kernel/core/floor.c). */
void arch_legacy_irqs_off(void);
/* Take the interrupt that made a guest exit. */
void arch_service_interrupts(void);
uint64_t arch_timer_ticks(void);
/* The time stamp counter (partitions read the same one: no offset), its
 * frequency measured at boot against the PIT (0 if that failed), and a
 * wait until it reaches `tsc` (the CPU idles for a guest's virtual timer). */
uint64_t arch_tsc(void);
uint64_t arch_tsc_khz(void);
void arch_wait_until(uint64_t tsc);
/* The CPU halts until the next interrupt (the periodic timer), for when
 * every VP has halted: the machine sleeps instead of spinning. */
void arch_wait_interrupt(void);

/* From now on the log has its own channel: a partition owns the console. */
void arch_log_leave_console(void);

/* Ends the run and tells the emulator the result (0 = pass). */
__attribute__((noreturn)) void arch_shutdown(int result);

/* Where the hypervisor can read and write a host-physical address. */
void *arch_phys_to_virt(uint64_t pa);

struct vcpu_setup; /* virt.h */

/*
 * The processor's part of the boot area of the one partition the
 * hypervisor starts itself, the root (the root builds its children with
 * hypercalls): whatever its first instruction needs (x86: page tables
 * identity-mapping the first 4 GiB and a flat GDT), written into the first
 * ARCH_BOOT_TABLES_SIZE bytes at `area` (guest-physical == host-physical,
 * already zeroed), and *setup, the vCPU state that enters `entry` in 64-bit
 * mode with its stack at `stack_top`.  The core places the rest of the area.
 */
#define ARCH_BOOT_TABLES_SIZE 0x7000u
void arch_boot_area_build(uint64_t area, uint64_t entry, uint64_t stack_top,
                          struct vcpu_setup *setup);

/* Executes CPUID on the real processor. */
void arch_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/* The XCR0 features a partition may enable with XSETBV (and whose state
 * the hypervisor switches); 0 if the processor has no XSAVE. */
uint64_t arch_xcr0_offered(void);

/* One line describing the CPU and its virtualization features, for the banner. */
void arch_describe_cpu(void (*line)(const char *text));
