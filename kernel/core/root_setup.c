/* SPDX-License-Identifier: MIT */
#include "root_setup.h"

#include "../../lib/elf.h"
#include "../abi/partition_boot.h"
#include "../arch/arch.h"
#include "abstract.h"
#include "harness.h"
#include "log.h"
#include "pages.h"
#include "root_image.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

/* The boot area sits just below the image: the processor's boot tables
 * (arch_boot_area_build), then the boot information, then the stack up to
 * the top of the area. */
#define BOOT_AREA_SIZE 0x10000ull
#define BOOT_INFO 0x7000
_Static_assert(BOOT_INFO >= ARCH_BOOT_TABLES_SIZE,
               "the boot information would overwrite the processor's boot tables");
_Static_assert(BOOT_INFO + sizeof(struct partition_boot_info) <= BOOT_AREA_SIZE - 0x1000,
               "the boot information leaves the stack less than a page");

#define COM1_BASE 0x3f8

static void *hpa(uint64_t pa)
{
    return arch_phys_to_virt(pa);
}

static void add_range(struct partition_boot_info *info, uint64_t frame)
{
    uint64_t pa = frame << FRAME_SHIFT;
    if (info->range_count) {
        struct partition_memory_range *r = &info->ranges[info->range_count - 1];
        if (r->base + r->pages * FRAME_SIZE == pa) {
            r->pages++;
            return;
        }
    }
    if (info->range_count < PARTITION_BOOT_MAX_RANGES)
        info->ranges[info->range_count++] = (struct partition_memory_range){pa, 1};
}

static uint64_t ram_top(const struct boot_info *bi)
{
    uint64_t top = 0;
    for (uint32_t i = 0; i < bi->region_count; i++) {
        const struct boot_region *r = &bi->regions[i];
        if (r->type == BOOT_REGION_RAM && r->base + r->length > top)
            top = r->base + r->length;
    }
    return top < (1ull << 32) ? top : (1ull << 32);
}

struct partition *root_create(struct frame_alloc *fa, const struct boot_info *bi,
                              const struct boot_module *m)
{
    struct elf_image img;
    const char *err = elf_parse(hpa(m->start), m->end - m->start, &img);
    if (err) {
        kprintf("root image '%s': %s\n", m->cmdline, err);
        return 0;
    }
    uint64_t first = 0, last = 0, bad = 0;
    switch (root_image_claim(fa, &img, BOOT_AREA_SIZE, &first, &last, &bad)) {
    case ROOT_IMAGE_OK:
        break;
    case ROOT_IMAGE_NO_ROOM_BELOW:
        kprintf("root image '%s': it starts at 0x%llx, below its boot area of 0x%llx bytes\n",
                m->cmdline, (unsigned long long)img.lowest,
                (unsigned long long)BOOT_AREA_SIZE);
        return 0;
    case ROOT_IMAGE_NOT_FREE:
        kprintf("root image '%s': its memory 0x%llx-0x%llx overlaps the hypervisor, "
                "a boot module or a hole (page 0x%llx)\n",
                m->cmdline, (unsigned long long)first, (unsigned long long)last,
                (unsigned long long)bad);
        return 0;
    }
    for (uint64_t pa = first; pa < last; pa += FRAME_SIZE)
        memset(hpa(pa), 0, FRAME_SIZE);
    for (uint32_t i = 0; i < img.segment_count; i++) {
        const struct elf_segment *s = &img.segments[i];
        memcpy(hpa(s->paddr), (const uint8_t *)hpa(m->start) + s->offset, s->filesz);
    }

    struct partition *p = partition_create_root();
    if (!p) {
        kprintf("root: no memory for second-level tables\n");
        return 0;
    }
    uint64_t area = first;
    struct vcpu_setup setup;
    arch_boot_area_build(area, img.entry, area + BOOT_AREA_SIZE, &setup);
    struct partition_boot_info *info = hpa(area + BOOT_INFO);
    info->magic = PARTITION_BOOT_MAGIC;
    info->partition_id = p->id;
    info->backend = hv_virt->kind;
    /* The module's command line starts with the image's name: skip it. */
    const char *args = m->cmdline;
    while (*args && *args != ' ')
        args++;
    while (*args == ' ')
        args++;
    size_t n = strlen(args);
    if (n >= sizeof info->cmdline)
        n = sizeof info->cmdline - 1;
    memcpy(info->cmdline, args, n);

    /* Every frame of RAM not kept by the hypervisor, mapped at its own address. */
    uint64_t top = ram_top(bi) >> FRAME_SHIFT, mapped = 0;
    for (uint64_t f = 0; f < top; f++) {
        uint64_t pa = f << FRAME_SHIFT;
        int mine = (pa >= first && pa < last) || frame_alloc_take(fa, pa) == FRAME_OK;
        if (!mine)
            continue;
        struct page_info *pg = page_at(f);
        if (!pg)
            continue; /* beyond what the ownership table tracks: left out */
        *pg = (struct page_info){PAGE_OWNED, 0, PAGE_NOBODY, 0, 0};
        if (hv_virt->slat_map(&p->slat, pa, pa, SLAT_RWX)) {
            kprintf("root: out of memory for second-level tables after %llu pages\n",
                    (unsigned long long)mapped);
            return 0;
        }
        add_range(info, f);
        mapped++;
    }
    /* The other boot modules (child images, a compiled scenario) are the
     * root's to read: plain RAM at their own addresses. */
    for (uint32_t i = 1; i < bi->module_count && i <= PARTITION_BOOT_MAX_MODULES; i++) {
        const struct boot_module *mod = &bi->modules[i];
        for (uint64_t pa = mod->start & ~(FRAME_SIZE - 1); pa < mod->end; pa += FRAME_SIZE) {
            struct page_info *pg = page_at(pa >> FRAME_SHIFT);
            if (!pg || hv_virt->slat_map(&p->slat, pa, pa, SLAT_RWX))
                break;
            *pg = (struct page_info){PAGE_OWNED, 0, PAGE_NOBODY, 0, 0};
        }
        struct partition_module *pm = &info->modules[info->module_count++];
        pm->base = mod->start;
        pm->size = mod->end - mod->start;
        /* The file's base name: loaders give the path first. */
        const char *name = mod->cmdline, *end = name;
        while (*end && *end != ' ')
            end++;
        for (const char *c = name; c < end; c++)
            if (*c == '/')
                name = c + 1;
        size_t len = (size_t)(end - name);
        memcpy(pm->name, name, len < sizeof pm->name ? len : sizeof pm->name - 1);
    }
#ifdef PARTITA_MONO
    info->services_in_hypervisor = 1;
#endif
    harness_root_setup(p, info, bi);
    partition_allow_io(p, COM1_BASE, 8);
    /* The root drives the primary ATA channel itself (services/ata.c). */
    partition_allow_io(p, 0x1f0, 8);
    partition_allow_io(p, 0x3f6, 1);
#ifdef PARTITA_COVERAGE
    partition_allow_io(p, 0x2e8, 8); /* coverage builds: COM4 for the root's counters */
#endif

    struct vp *vp = &p->vps[0];
    if (vp_start(vp, &setup)) {
        kprintf("root: cannot create its virtual processor\n");
        return 0;
    }
    vp->gprs.rdi = area + BOOT_INFO;
    kprintf("root partition: image 0x%llx-0x%llx entry 0x%llx, %llu MiB in %u ranges, %s\n",
            (unsigned long long)img.lowest, (unsigned long long)img.highest,
            (unsigned long long)img.entry, (unsigned long long)(mapped >> 8),
            info->range_count, args[0] ? args : "(no arguments)");
    return p;
}
