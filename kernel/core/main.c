/* SPDX-License-Identifier: MIT */
/*
 * hv_main: print who we are and what the machine looks like, take over
 * physical memory, and run.
 */
#include "../../lib/cmdline.h"
#include "../arch/arch.h"
#include "../arch/virt.h"
#include "abstract.h"
#include "bootinfo.h"
#include "floor.h"
#include "frame_alloc.h"
#include "hv.h"
#include "hv_state.h"
#include "hypercall.h"
#include "log.h"
#include "memory.h"
#include "pages.h"
#include "partition.h"
#include "root_setup.h"
#include "sched.h"
#include "trace.h"
#include "version.h"

uint64_t hv_image_start, hv_image_end;

/* One bit per frame for the first 4 GiB: all the hypervisor maps. */
#define MAX_FRAMES (0x100000000ull / FRAME_SIZE)
static uint8_t frames_used[MAX_FRAMES / 8];
static uint8_t frames_reserved[MAX_FRAMES / 8];
static struct frame_alloc frames;

static void print_line(const char *text)
{
    kprintf("%s\n", text);
}

static void print_memory_map(const struct boot_info *bi)
{
    kprintf("memory map (multiboot%d, %s):\n", bi->protocol,
            bi->loader[0] ? bi->loader : "unnamed loader");
    for (uint32_t i = 0; i < bi->region_count; i++) {
        const struct boot_region *r = &bi->regions[i];
        kprintf("  %016llx-%016llx %s\n", (unsigned long long)r->base,
                (unsigned long long)(r->base + r->length - 1),
                boot_region_type_name(r->type));
    }
    for (uint32_t i = 0; i < bi->module_count; i++)
        kprintf("module %u: %08llx-%08llx %s\n", i,
                (unsigned long long)bi->modules[i].start,
                (unsigned long long)bi->modules[i].end, bi->modules[i].cmdline);
}

/*
 * A boot-time sanity check of the allocator on the real memory map: frames
 * handed out must be RAM outside the image and modules, and distinct.
 */
static int frame_self_check(const struct boot_info *bi, uint64_t image_start,
                            uint64_t image_end)
{
    enum { N = 64 };
    uint64_t got[N];
    uint64_t before = frames.free_count;
    for (int i = 0; i < N; i++) {
        got[i] = frame_alloc_get(&frames);
        if (!got[i])
            return 0;
        if (got[i] < image_end && got[i] + FRAME_SIZE > image_start)
            return 0;
        for (uint32_t m = 0; m < bi->module_count; m++)
            if (got[i] < bi->modules[m].end &&
                got[i] + FRAME_SIZE > bi->modules[m].start)
                return 0;
        for (int j = 0; j < i; j++)
            if (got[j] == got[i])
                return 0;
    }
    for (int i = 0; i < N; i++)
        if (frame_alloc_put(&frames, got[i]) != FRAME_OK)
            return 0;
    return frames.free_count == before;
}

void hv_main(const struct boot_info *bi, uint64_t image_start, uint64_t image_end)
{
    kprintf("\nPartita %s hypervisor (%s build)\n", PARTITA_VERSION,
            PARTITA_BUILD_KIND);
    arch_describe_cpu(print_line);
    kprintf("command line: %s\n", bi->cmdline);
    print_memory_map(bi);

    hv_image_start = image_start;
    hv_image_end = image_end;
    frame_alloc_init(&frames, frames_used, frames_reserved, MAX_FRAMES);
    frame_alloc_setup(&frames, bi, image_start, image_end);
    kprintf("hypervisor image: %08llx-%08llx\n", (unsigned long long)image_start,
            (unsigned long long)image_end);
    kprintf("frames: %llu free (%llu MiB)\n", (unsigned long long)frames.free_count,
            (unsigned long long)(frames.free_count * FRAME_SIZE >> 20));
    if (!frame_self_check(bi, image_start, image_end))
        panic("frame allocator self-check failed");
    kprintf("frame allocator self-check: ok\n");
    /* Lets a test prove that a panic is reported with file, line and reason. */
    if (cmdline_has(bi->cmdline, "panic-test"))
        panic("requested by the command line");

    hv_virt = virt_backend_detect();
    if (!hv_virt)
        panic("no usable hardware virtualization (VT-x with EPT and VPID, or AMD-V with NPT)");
    hv_state_init();
    if (memory_pool_init(&frames))
        panic("no contiguous %u KiB for the hypervisor's pool", HV_POOL_PAGES * 4);
    const char *why = "";
    if (hv_virt->enable(&why))
        panic("cannot enable %s: %s", hv_virt->name, why);
    kprintf("backend: %s (hypercalls by %s), pool %u KiB at 0x%llx\n", hv_virt->name,
            hv_virt->hypercall_insn, HV_POOL_PAGES * 4,
            (unsigned long long)memory_pool_base());
    floor_run(bi->cmdline); /* floor=N: the bare exit's cost, measured before anything runs */

    if (bi->module_count == 0) {
        kprintf("no root partition image given: boot check only\n");
        arch_shutdown(0);
    }
    struct partition *root = root_create(&frames, bi, &bi->modules[0]);
    if (!root)
        arch_shutdown(2);
    kprintf("hypervisor log continues on COM2; COM1 belongs to the root partition\n");
    arch_log_leave_console();
    kprintf("Partita %s hypervisor log (%s, %s build)\n", PARTITA_VERSION, hv_virt->name,
            PARTITA_BUILD_KIND);

    trace_with_states(cmdline_has(bi->cmdline, "trace-states"));
    trace_begin();
    arch_timer_start();
    sched_run();

    int result;
    if (hv.shutdown_requested) {
        result = (int)hv.shutdown_code;
        kprintf("root partition requested shutdown with result %d\n", result);
    } else {
        kprintf("no partition can run: the root partition has stopped\n");
        result = 4;
    }
    trace_end(result);
    kprintf("timer ticks: %llu\n", (unsigned long long)arch_timer_ticks());
    kprintf("idle: %llu TSC ticks halted for a virtual timer or an interrupt\n",
            (unsigned long long)sched_idle_ticks());
    stats_print_all();
    arch_shutdown(result);
}
