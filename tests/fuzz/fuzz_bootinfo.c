/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the boot-information parser (kernel/core/bootinfo.c), the
 * first thing the hypervisor reads from outside.  The input's first byte
 * picks multiboot 1 or 2; the rest is the loader's memory from FAKE_BASE,
 * an exact-size allocation, so a read outside what the map function gave
 * is an ASan report.  Oracle on success: counts within their arrays,
 * strings terminated, regions and modules that do not wrap, and
 * bootinfo_check_modules never crashing on what the parser accepted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/core/bootinfo.h"

#define FAKE_BASE 0x10000u

static const uint8_t *mem;
static size_t mem_size;

static const void *map(uint64_t paddr, uint64_t len, void *ctx)
{
    (void)ctx;
    if (paddr < FAKE_BASE || len > mem_size || paddr - FAKE_BASE > mem_size - len)
        return NULL;
    return mem + (paddr - FAKE_BASE);
}

static void must(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t *copy = malloc(size - 1 ? size - 1 : 1);
    memcpy(copy, data + 1, size - 1);
    mem = copy;
    mem_size = size - 1;
    static struct boot_info bi;
    memset(&bi, 0xcc, sizeof bi);
    uint32_t magic = data[0] & 1 ? BOOT_MAGIC_MB2 : BOOT_MAGIC_MB1;
    if (bootinfo_parse(magic, FAKE_BASE, map, NULL, &bi) == BOOT_OK) {
        must(bi.region_count <= BOOT_MAX_REGIONS && bi.module_count <= BOOT_MAX_MODULES);
        must(memchr(bi.cmdline, 0, sizeof bi.cmdline) &&
             memchr(bi.loader, 0, sizeof bi.loader));
        for (uint32_t i = 0; i < bi.region_count; i++)
            must(bi.regions[i].base + bi.regions[i].length >= bi.regions[i].base);
        for (uint32_t i = 0; i < bi.module_count; i++) {
            must(bi.modules[i].start <= bi.modules[i].end);
            must(memchr(bi.modules[i].cmdline, 0, sizeof bi.modules[i].cmdline) != NULL);
        }
        (void)bootinfo_check_modules(&bi, 0x100000, 0x200000);
    }
    free(copy);
    return 0;
}
