/* SPDX-License-Identifier: MIT */
/*
 * From the assembly entry to the portable core: set up the serial
 * channels, read the boot loader's information, and hand over.
 */
#include <stdint.h>

#include "../../core/bootinfo.h"
#include "../../core/hv.h"
#include "../../core/log.h"
#include "gdt.h"
#include "serial.h"

extern char __image_start[], __image_end[];

/* The hypervisor identity-maps the first 4 GiB; nothing above is readable. */
static const void *identity_map(uint64_t paddr, uint64_t length, void *ctx)
{
    (void)ctx;
    if (paddr == 0 || length > 0x100000000ull || paddr > 0x100000000ull - length)
        return 0;
    return (const void *)(uintptr_t)paddr;
}

static struct boot_info boot_info;

void arch_entry(uint32_t magic, uint64_t info);

void arch_entry(uint32_t magic, uint64_t info)
{
    serial_init(SERIAL_COM1);
    serial_init(SERIAL_COM2);
    serial_init(SERIAL_COM3);
    serial_init(SERIAL_COM4);
    gdt_idt_init();

    uint64_t image_start = (uintptr_t)__image_start;
    uint64_t image_end = (uintptr_t)__image_end;
    enum boot_error err = bootinfo_parse(magic, info, identity_map, 0, &boot_info);
    if (err)
        panic("boot information: %s (magic 0x%x)", boot_error_text(err), magic);
    err = bootinfo_check_modules(&boot_info, image_start, image_end);
    if (err)
        panic("boot modules: %s", boot_error_text(err));
    hv_main(&boot_info, image_start, image_end);
}
