/* SPDX-License-Identifier: MIT */
/*
 * The boot loader's description of the machine, reduced to what the
 * hypervisor needs.  Both multiboot1 (QEMU -kernel) and multiboot2 (GRUB)
 * are parsed into this one structure, so nothing after boot cares which
 * loader ran.
 */
#pragma once
#include <stdint.h>

#define BOOT_MAGIC_MB1 0x2BADB002u
#define BOOT_MAGIC_MB2 0x36D76289u

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 128
#define BOOT_NAME_MAX 64
/* A module's command line starts with its file's path, which can be long
 * (a checkout deep in a home directory): room for it and the arguments. */
#define BOOT_MODULE_CMDLINE_MAX 256

enum boot_region_type {
    BOOT_REGION_RAM = 1,
    BOOT_REGION_RESERVED = 2,
    BOOT_REGION_ACPI = 3,
    BOOT_REGION_NVS = 4,
    BOOT_REGION_BAD = 5,
};

struct boot_region {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* enum boot_region_type; unknown types count as reserved */
};

struct boot_module {
    uint64_t start; /* physical, inclusive */
    uint64_t end;   /* physical, exclusive */
    char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_info {
    int protocol; /* 1 = multiboot1, 2 = multiboot2 */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[BOOT_NAME_MAX];
    uint32_t region_count;
    struct boot_region regions[BOOT_MAX_REGIONS];
    uint32_t module_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    uint64_t info_start; /* the loader's own structure, kept reserved */
    uint64_t info_end;
    uint32_t dropped_empty_regions; /* zero-length entries ignored */
};

enum boot_error {
    BOOT_OK = 0,
    BOOT_ERR_BAD_MAGIC,
    BOOT_ERR_UNREADABLE,   /* an address the loader gave cannot be read */
    BOOT_ERR_TRUNCATED,    /* a size runs past the end of its container */
    BOOT_ERR_BAD_TAG,      /* a multiboot2 tag or map entry is malformed */
    BOOT_ERR_NO_END_TAG,
    BOOT_ERR_NO_MEMORY_MAP,
    BOOT_ERR_TOO_MANY_REGIONS,
    BOOT_ERR_TOO_MANY_MODULES,
    BOOT_ERR_BAD_REGION,   /* base + length wraps around */
    BOOT_ERR_BAD_MODULE,   /* end before start */
    BOOT_ERR_MODULE_OVERLAPS_IMAGE,
    BOOT_ERR_MODULES_OVERLAP,
};

const char *boot_error_text(enum boot_error err);

/*
 * Translates a physical range to a readable pointer, or NULL if the range
 * cannot be read.  The hypervisor identity-maps memory; host tests map a
 * buffer that stands for a small physical address space.
 */
typedef const void *(*boot_map_fn)(uint64_t paddr, uint64_t length, void *ctx);

enum boot_error bootinfo_parse(uint32_t magic, uint64_t info_paddr,
                               boot_map_fn map, void *ctx,
                               struct boot_info *out);

/* Modules must not overlap the hypervisor image [start, end) or each other. */
enum boot_error bootinfo_check_modules(const struct boot_info *bi,
                                       uint64_t image_start,
                                       uint64_t image_end);

const char *boot_region_type_name(uint32_t type);
