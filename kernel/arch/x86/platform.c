/* SPDX-License-Identifier: MIT */
/* The x86 side of the arch interface: log channel, CPU description, shutdown. */
#include "../../../lib/string.h"
#include "../../core/log.h"
#include "../arch.h"
#include "cpu.h"
#include "io.h"
#include "serial.h"
#ifdef PARTITA_COVERAGE
#include "../../../lib/gcov_dump.h"
#endif

/* Until a root partition owns COM1, the hypervisor's log is the console. */
static enum serial_port log_port = SERIAL_COM1;

void arch_log_write(const char *s, size_t n)
{
    serial_write(log_port, s, n);
}

void arch_trace_write(const char *s, size_t n)
{
    serial_write(SERIAL_COM3, s, n);
}

void arch_log_leave_console(void)
{
    log_port = SERIAL_COM2;
}

void *arch_phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)pa; /* the first 4 GiB are identity-mapped */
}

void arch_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    struct cpuid_regs r = cpuid(leaf, subleaf);
    out[0] = r.eax;
    out[1] = r.ebx;
    out[2] = r.ecx;
    out[3] = r.edx;
}

static const char *yes_no(int v)
{
    return v ? "yes" : "no";
}

void arch_describe_cpu(void (*line)(const char *text))
{
    struct cpu_features f;
    char buf[160];
    cpu_read_features(&f);
    const char *brand = f.brand;
    while (*brand == ' ')
        brand++;
    format_string(buf, sizeof buf, "cpu: %s \"%s\"", f.vendor, brand);
    line(buf);
    if (f.vmx)
        format_string(buf, sizeof buf,
                      "virtualization: VT-x (EPT %s, VPID %s, unrestricted guest %s)",
                      yes_no(f.vmx_ept), yes_no(f.vmx_vpid), yes_no(f.vmx_unrestricted));
    else if (f.svm)
        format_string(buf, sizeof buf,
                      "virtualization: AMD-V (NPT %s, ASIDs %u, NRIPS %s)",
                      yes_no(f.svm_npt), f.svm_asids, yes_no(f.svm_nrips));
    else
        format_string(buf, sizeof buf, "virtualization: none found");
    line(buf);
}

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

void arch_shutdown(int result)
{
    /* The runners read this line; in Bochs it is the only way to see the result. */
    /* Partitions have stopped: the console is free for the result too. */
    char line[48];
    if (result == 0)
        format_string(line, sizeof line, "PARTITA-RESULT: PASS\n");
    else
        format_string(line, sizeof line, "PARTITA-RESULT: FAIL code=%d\n", result);
    if (log_port != SERIAL_COM1)
        serial_write(SERIAL_COM1, line, strlen(line));
    kprintf("%s", line);
#ifdef PARTITA_COVERAGE
    gcov_dump("hypervisor"); /* coverage builds: counters on COM4, after the root's */
#endif
    serial_flush(SERIAL_COM1);
    serial_flush(SERIAL_COM2);
    serial_flush(SERIAL_COM3);
    serial_flush(SERIAL_COM4);
    /* QEMU exits with status (value << 1) | 1. */
    outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)result);
    const char *bochs = "Shutdown";
    while (*bochs)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*bochs++);
    for (;;)
        __asm__ volatile("cli; hlt");
}
