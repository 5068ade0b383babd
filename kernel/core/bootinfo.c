/* SPDX-License-Identifier: MIT */
/*
 * Multiboot parsing.  Every length and address in the loader's structure is
 * treated as untrusted: each read goes through the map callback with its
 * exact size, so a truncated or corrupt structure becomes an error code.
 */
#include "bootinfo.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

const char *boot_error_text(enum boot_error err)
{
    switch (err) {
    case BOOT_OK: return "ok";
    case BOOT_ERR_BAD_MAGIC: return "unknown boot loader magic";
    case BOOT_ERR_UNREADABLE: return "boot information points outside readable memory";
    case BOOT_ERR_TRUNCATED: return "boot information is truncated";
    case BOOT_ERR_BAD_TAG: return "malformed multiboot2 tag";
    case BOOT_ERR_NO_END_TAG: return "multiboot2 information has no end tag";
    case BOOT_ERR_NO_MEMORY_MAP: return "boot loader gave no memory map";
    case BOOT_ERR_TOO_MANY_REGIONS: return "too many memory map entries";
    case BOOT_ERR_TOO_MANY_MODULES: return "too many boot modules";
    case BOOT_ERR_BAD_REGION: return "memory region wraps around the address space";
    case BOOT_ERR_BAD_MODULE: return "boot module ends before it starts";
    case BOOT_ERR_MODULE_OVERLAPS_IMAGE: return "boot module overlaps the hypervisor image";
    case BOOT_ERR_MODULES_OVERLAP: return "two boot modules overlap";
    }
    return "unknown boot error";
}

const char *boot_region_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_REGION_RAM: return "ram";
    case BOOT_REGION_ACPI: return "acpi";
    case BOOT_REGION_NVS: return "nvs";
    case BOOT_REGION_BAD: return "bad";
    default: return "reserved";
    }
}

struct reader {
    boot_map_fn map;
    void *ctx;
};

static int read_bytes(const struct reader *r, uint64_t paddr, void *dst,
                      uint64_t len)
{
    const void *src = r->map(paddr, len, r->ctx);
    if (!src)
        return 0;
    memcpy(dst, src, len);
    return 1;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Copies a NUL-terminated string of at most max-1 bytes; longer ones are cut. */
static enum boot_error read_string(const struct reader *r, uint64_t paddr,
                                   char *dst, uint32_t max)
{
    for (uint32_t i = 0; i + 1 < max; i++) {
        const char *c = r->map(paddr + i, 1, r->ctx);
        if (!c)
            return BOOT_ERR_UNREADABLE;
        dst[i] = *c;
        if (!*c)
            return BOOT_OK;
    }
    dst[max - 1] = '\0';
    return BOOT_OK;
}

/* Copies a string that must lie inside [paddr, limit). */
static enum boot_error read_bounded_string(const struct reader *r,
                                           uint64_t paddr, uint64_t limit,
                                           char *dst, uint32_t max)
{
    uint32_t i = 0;
    for (; paddr + i < limit && i + 1 < max; i++) {
        const char *c = r->map(paddr + i, 1, r->ctx);
        if (!c)
            return BOOT_ERR_UNREADABLE;
        dst[i] = *c;
        if (!*c)
            return BOOT_OK;
    }
    dst[i] = '\0';
    return BOOT_OK;
}

static enum boot_error add_region(struct boot_info *bi, uint64_t base,
                                  uint64_t length, uint32_t type)
{
    if (length == 0) {
        bi->dropped_empty_regions++;
        return BOOT_OK;
    }
    if (base + length < base)
        return BOOT_ERR_BAD_REGION;
    if (bi->region_count == BOOT_MAX_REGIONS)
        return BOOT_ERR_TOO_MANY_REGIONS;
    struct boot_region *reg = &bi->regions[bi->region_count++];
    reg->base = base;
    reg->length = length;
    reg->type = type;
    return BOOT_OK;
}

static enum boot_error add_module(struct boot_info *bi, uint64_t start,
                                  uint64_t end, struct boot_module **out)
{
    if (end < start)
        return BOOT_ERR_BAD_MODULE;
    if (bi->module_count == BOOT_MAX_MODULES)
        return BOOT_ERR_TOO_MANY_MODULES;
    struct boot_module *m = &bi->modules[bi->module_count++];
    m->start = start;
    m->end = end;
    m->cmdline[0] = '\0';
    *out = m;
    return BOOT_OK;
}

/* Multiboot1 information structure offsets (multiboot specification 0.6.96). */
#define MB1_FLAG_MEM 0x001
#define MB1_FLAG_CMDLINE 0x004
#define MB1_FLAG_MODS 0x008
#define MB1_FLAG_MMAP 0x040
#define MB1_FLAG_LOADER 0x200

static enum boot_error parse_mb1(const struct reader *r, uint64_t info,
                                 struct boot_info *bi)
{
    uint8_t hdr[68];
    enum boot_error err;
    if (!read_bytes(r, info, hdr, 52))
        return BOOT_ERR_UNREADABLE;
    uint32_t flags = get32(hdr);
    bi->info_start = info;
    bi->info_end = info + 52;
    if (flags & MB1_FLAG_LOADER) {
        if (!read_bytes(r, info, hdr, sizeof hdr))
            return BOOT_ERR_TRUNCATED;
        bi->info_end = info + sizeof hdr;
        err = read_string(r, get32(hdr + 64), bi->loader, sizeof bi->loader);
        if (err)
            return err;
    }
    if (flags & MB1_FLAG_CMDLINE) {
        err = read_string(r, get32(hdr + 16), bi->cmdline, sizeof bi->cmdline);
        if (err)
            return err;
    }
    if (flags & MB1_FLAG_MODS) {
        uint32_t count = get32(hdr + 20);
        uint64_t addr = get32(hdr + 24);
        if (count > BOOT_MAX_MODULES)
            return BOOT_ERR_TOO_MANY_MODULES;
        for (uint32_t i = 0; i < count; i++) {
            uint8_t m[16];
            struct boot_module *mod;
            if (!read_bytes(r, addr + 16 * i, m, sizeof m))
                return BOOT_ERR_UNREADABLE;
            err = add_module(bi, get32(m), get32(m + 4), &mod);
            if (err)
                return err;
            if (get32(m + 8)) {
                err = read_string(r, get32(m + 8), mod->cmdline,
                                  sizeof mod->cmdline);
                if (err)
                    return err;
            }
        }
    }
    if (flags & MB1_FLAG_MMAP) {
        uint64_t addr = get32(hdr + 48);
        uint64_t end = addr + get32(hdr + 44);
        /* Each entry is preceded by its own size, which excludes the size field. */
        while (addr < end) {
            uint8_t e[24];
            if (end - addr < 4 || !read_bytes(r, addr, e, 4))
                return end - addr < 4 ? BOOT_ERR_TRUNCATED : BOOT_ERR_UNREADABLE;
            uint32_t size = get32(e);
            if (size < 20 || size > end - addr - 4)
                return BOOT_ERR_TRUNCATED;
            if (!read_bytes(r, addr, e, 24))
                return BOOT_ERR_UNREADABLE;
            err = add_region(bi, get64(e + 4), get64(e + 12), get32(e + 20));
            if (err)
                return err;
            addr += (uint64_t)size + 4;
        }
    } else if (flags & MB1_FLAG_MEM) {
        /* No map: fall back to the two classic sizes (in KiB). */
        err = add_region(bi, 0, (uint64_t)get32(hdr + 4) * 1024, BOOT_REGION_RAM);
        if (!err)
            err = add_region(bi, 0x100000, (uint64_t)get32(hdr + 8) * 1024,
                             BOOT_REGION_RAM);
        if (err)
            return err;
    } else {
        return BOOT_ERR_NO_MEMORY_MAP;
    }
    return BOOT_OK;
}

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

static enum boot_error parse_mb2_mmap(const struct reader *r, uint64_t tag,
                                      uint32_t size, struct boot_info *bi)
{
    uint8_t h[16];
    if (size < 16)
        return BOOT_ERR_BAD_TAG;
    if (!read_bytes(r, tag, h, sizeof h))
        return BOOT_ERR_UNREADABLE;
    uint32_t entry_size = get32(h + 8);
    if (entry_size < 24)
        return BOOT_ERR_BAD_TAG;
    for (uint64_t off = 16; off + entry_size <= size; off += entry_size) {
        uint8_t e[24];
        if (!read_bytes(r, tag + off, e, sizeof e))
            return BOOT_ERR_UNREADABLE;
        enum boot_error err = add_region(bi, get64(e), get64(e + 8), get32(e + 16));
        if (err)
            return err;
    }
    return BOOT_OK;
}

static enum boot_error parse_mb2(const struct reader *r, uint64_t info,
                                 struct boot_info *bi)
{
    uint8_t h[8];
    if (!read_bytes(r, info, h, sizeof h))
        return BOOT_ERR_UNREADABLE;
    uint32_t total = get32(h);
    if (total < 16)
        return BOOT_ERR_TRUNCATED;
    if (!r->map(info, total, r->ctx))
        return BOOT_ERR_TRUNCATED;
    bi->info_start = info;
    bi->info_end = info + total;

    int have_mmap = 0;
    uint64_t off = 8;
    for (;;) {
        if (off + 8 > total)
            return BOOT_ERR_NO_END_TAG;
        uint64_t tag = info + off;
        if (!read_bytes(r, tag, h, sizeof h))
            return BOOT_ERR_UNREADABLE;
        uint32_t type = get32(h), size = get32(h + 4);
        if (size < 8)
            return BOOT_ERR_BAD_TAG;
        if (size > total - off)
            return BOOT_ERR_TRUNCATED;
        enum boot_error err = BOOT_OK;
        switch (type) {
        case MB2_TAG_END:
            return have_mmap ? BOOT_OK : BOOT_ERR_NO_MEMORY_MAP;
        case MB2_TAG_CMDLINE:
            err = read_bounded_string(r, tag + 8, tag + size, bi->cmdline,
                                      sizeof bi->cmdline);
            break;
        case MB2_TAG_LOADER:
            err = read_bounded_string(r, tag + 8, tag + size, bi->loader,
                                      sizeof bi->loader);
            break;
        case MB2_TAG_MODULE: {
            uint8_t m[16];
            struct boot_module *mod;
            if (size < 16)
                return BOOT_ERR_BAD_TAG;
            if (!read_bytes(r, tag, m, sizeof m))
                return BOOT_ERR_UNREADABLE;
            err = add_module(bi, get32(m + 8), get32(m + 12), &mod);
            if (!err)
                err = read_bounded_string(r, tag + 16, tag + size, mod->cmdline,
                                          sizeof mod->cmdline);
            break;
        }
        case MB2_TAG_MMAP:
            have_mmap = 1;
            err = parse_mb2_mmap(r, tag, size, bi);
            break;
        default:
            break; /* tags we do not use are skipped by their size */
        }
        if (err)
            return err;
        off += ((uint64_t)size + 7) & ~7ull;
    }
}

enum boot_error bootinfo_parse(uint32_t magic, uint64_t info_paddr,
                               boot_map_fn map, void *ctx,
                               struct boot_info *out)
{
    struct reader r = {map, ctx};
    memset(out, 0, sizeof *out);
    if (magic == BOOT_MAGIC_MB1) {
        out->protocol = 1;
        return parse_mb1(&r, info_paddr, out);
    }
    if (magic == BOOT_MAGIC_MB2) {
        out->protocol = 2;
        return parse_mb2(&r, info_paddr, out);
    }
    return BOOT_ERR_BAD_MAGIC;
}

static int ranges_overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
    return a0 < b1 && b0 < a1;
}

enum boot_error bootinfo_check_modules(const struct boot_info *bi,
                                       uint64_t image_start,
                                       uint64_t image_end)
{
    for (uint32_t i = 0; i < bi->module_count; i++) {
        const struct boot_module *m = &bi->modules[i];
        if (ranges_overlap(m->start, m->end, image_start, image_end))
            return BOOT_ERR_MODULE_OVERLAPS_IMAGE;
        for (uint32_t j = i + 1; j < bi->module_count; j++) {
            const struct boot_module *n = &bi->modules[j];
            if (ranges_overlap(m->start, m->end, n->start, n->end))
                return BOOT_ERR_MODULES_OVERLAP;
        }
    }
    return BOOT_OK;
}
