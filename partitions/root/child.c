/* SPDX-License-Identifier: MIT */
#include "child.h"

#include "../../lib/elf.h"
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "root_pages.h"

void child_memory_init(const struct partition_boot_info *info)
{
    root_pages_init(info);
}

/* One zeroed root page, held by child `id` until it is deleted. */
static uint64_t root_page(uint64_t id)
{
    return root_pages_take(1, id);
}

void *child_ring_pages(const struct child *c, uint32_t pages)
{
    return (void *)(uintptr_t)(root_pages_take(pages, c->id) << 12);
}

static int call_id(uint16_t code, uint64_t id)
{
    return hv_call_fast(code, id, 0);
}

/* Maps root pages first, first + 1, ... at the child's GPA pages gpa_page,
 * gpa_page + 1, ...: one rep MapGpaPages call (the hypervisor maps one
 * element per exit and leaves RIP on the instruction until all are done). */
static int map_run(uint64_t id, uint64_t gpa_page, uint64_t first, uint32_t n,
                   uint32_t flags)
{
    struct hv_input_map_gpa_pages *in = (void *)hv_input_page;
    in->target_partition_id = id;
    in->target_gpa_base = gpa_page;
    in->map_flags = flags;
    in->reserved = 0;
    for (uint32_t i = 0; i < n; i++)
        in->source_gpa_page_list[i] = first + i;
    return hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(HVCALL_MAP_GPA_PAGES, 0, n, 0),
                                     (uint64_t)(uintptr_t)hv_input_page, 0));
}

int child_map_page(uint64_t id, uint64_t gpa_page, uint64_t page, uint32_t flags)
{
    return map_run(id, gpa_page, page, 1, flags);
}

int child_map_ram(const struct child *c, uint64_t gpa_page, uint64_t first, uint64_t pages)
{
    /* As many page numbers as fit the input page after the header. */
    enum { PER_CALL = (HV_PAGE_SIZE - sizeof(struct hv_input_map_gpa_pages)) / 8 };
    const uint32_t rwx =
        HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE;
    for (uint64_t done = 0; done < pages;) {
        uint32_t n = pages - done < PER_CALL ? (uint32_t)(pages - done) : PER_CALL;
        int st = map_run(c->id, gpa_page + done, first + done, n, rwx);
        if (st)
            return st;
        done += n;
    }
    return 0;
}

uint64_t child_take_ram(const struct child *c, uint64_t pages)
{
    return pages > UINT32_MAX ? 0 : root_pages_take((uint32_t)pages, c->id);
}

int child_add_ram(const struct child *c, uint64_t gpa_page, uint64_t pages, uint64_t *first)
{
    if (pages > UINT32_MAX)
        return HV_STATUS_INVALID_PARAMETER;
    uint64_t base = child_take_ram(c, pages);
    if (!base)
        return HV_STATUS_INSUFFICIENT_MEMORY;
    int st = child_map_ram(c, gpa_page, base, pages);
    if (st)
        return st;
    *first = base;
    return 0;
}

int child_create_bare(struct child *c, const char *name)
{
    int st;
    memset(c, 0, sizeof *c);
    size_t n = strlen(name);
    memcpy(c->name, name, n < sizeof c->name ? n : sizeof c->name - 1);
    ((struct hv_input_create_partition *)hv_input_page)->flags = 0;
    if ((st = hv_call(HVCALL_CREATE_PARTITION, hv_input_page, hv_output_page)))
        return st;
    c->id = ((struct hv_output_create_partition *)hv_output_page)->partition_id;
    if ((st = call_id(HVCALL_INITIALIZE_PARTITION, c->id)))
        return st;
    struct hv_input_deposit_memory *dep = (void *)hv_input_page;
    dep->partition_id = c->id;
    dep->gpa_page_list[0] = root_page(c->id);
    if ((st = hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(HVCALL_DEPOSIT_MEMORY, 0, 1, 0),
                                        (uint64_t)(uintptr_t)hv_input_page, 0))))
        return st;
    struct hv_input_create_vp *vp = (void *)hv_input_page;
    memset(vp, 0, sizeof *vp);
    vp->partition_id = c->id;
    return hv_call(HVCALL_CREATE_VP, hv_input_page, 0);
}

static int skeleton(struct child *c, const char *name)
{
    int st = child_create_bare(c, name);
    if (st)
        return st;
    /* Page tables, written while the pages are still the root's. */
    uint64_t pml4 = root_page(c->id), pdpt = root_page(c->id), pd = root_page(c->id);
    if (!pml4 || !pdpt || !pd)
        return HV_STATUS_INSUFFICIENT_MEMORY;
    ((uint64_t *)(uintptr_t)(pml4 << 12))[0] = 0x1000 | 0x3;
    ((uint64_t *)(uintptr_t)(pdpt << 12))[0] = 0x2000 | 0x3;
    for (uint64_t j = 0; j < 512; j++)
        ((uint64_t *)(uintptr_t)(pd << 12))[j] = (j << 21) | 0x83;
    const uint32_t rw = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE;
    if ((st = child_map_page(c->id, 0, pml4, rw)) ||
        (st = child_map_page(c->id, 1, pdpt, rw)) || (st = child_map_page(c->id, 2, pd, rw)))
        return st;
    for (uint64_t g = 0x10; g < (CHILD_STACK_TOP >> 12); g++) {
        uint64_t page = root_page(c->id);
        if (!page)
            return HV_STATUS_INSUFFICIENT_MEMORY;
        if ((st = child_map_page(c->id, g, page, rw)))
            return st;
    }
    return 0;
}

int child_start(struct child *c)
{
    struct hv_input_start_vp *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = c->id;
    in->context.rip = c->entry;
    in->context.rsp = CHILD_STACK_TOP;
    in->context.rflags = 2;
    in->context.cr3 = 0;
    return hv_call(HVCALL_START_VP, hv_input_page, 0);
}

/* Copies bytes into fresh root pages and maps them at their child GPAs. */
static int load(struct child *c, uint64_t gpa, const uint8_t *bytes, uint64_t filesz,
                uint64_t memsz)
{
    const uint32_t rwx = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE;
    for (uint64_t page_gpa = gpa & ~0xfffull; page_gpa < gpa + memsz; page_gpa += 4096) {
        uint64_t page = root_page(c->id);
        if (!page)
            return HV_STATUS_INSUFFICIENT_MEMORY;
        uint8_t *dst = (uint8_t *)(uintptr_t)(page << 12);
        for (uint64_t a = page_gpa; a < page_gpa + 4096; a++)
            if (a >= gpa && a < gpa + filesz)
                dst[a - page_gpa] = bytes[a - gpa];
        int st = child_map_page(c->id, page_gpa >> 12, page, rwx);
        if (st)
            return st;
    }
    (void)c;
    return 0;
}

int child_create_code(struct child *c, const char *name, const void *code, size_t size)
{
    int st = skeleton(c, name);
    if (st)
        return st;
    c->entry = CHILD_IMAGE_BASE;
    if ((st = load(c, CHILD_IMAGE_BASE, code, size, size)))
        return st;
    return child_start(c);
}

int child_create_elf(struct child *c, const char *name, const void *elf, size_t size)
{
    /* The hypervisor's own ELF reader (lib/elf.c): every field checked. */
    struct elf_image img;
    if (elf_parse(elf, size, &img) || img.lowest < CHILD_IMAGE_BASE)
        return HV_STATUS_INVALID_PARAMETER;
    int st = skeleton(c, name);
    if (st)
        return st;
    c->entry = img.entry;
    for (uint32_t i = 0; i < img.segment_count; i++) {
        const struct elf_segment *seg = &img.segments[i];
        if ((st = load(c, seg->paddr, (const uint8_t *)elf + seg->offset, seg->filesz,
                       seg->memsz)))
            return st;
    }
    return 0;
}

int child_delete(const struct child *c)
{
    int st = hv_call_fast(HVCALL_FINALIZE_PARTITION, c->id, 0);
    if (!st)
        st = hv_call_fast(HVCALL_DELETE_PARTITION, c->id, 0);
    if (!st) /* the hypervisor gave its pages back: they can serve again */
        root_pages_release(c->id);
    return st;
}

int child_remove(const struct child *c)
{
    int st = child_delete(c);
    printf("root: child %llu finalized and deleted: %s\n", (unsigned long long)c->id,
           hv_status_name((hv_status_t)st));
    return st;
}

uint64_t child_news(void)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = HV_SINT_PARTITION_NEWS;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, hv_input_page, hv_output_page))
        return 0;
    return ((const struct hv_output_event_flags *)hv_output_page)->flags;
}
