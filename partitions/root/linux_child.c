/* SPDX-License-Identifier: MIT */
/*
 * test=linux-cpu: what Linux's early boot takes for granted from CPUID,
 * checked on the root's own CPU (every partition gets the same CPUID and
 * MSR answers): an instruction or MSR it cannot use stops the root.
 *
 * test=linux [linux-mib=N] [linux-mode=normal|panic|flood|shell|boot]
 *            [linux-seconds=S] [linux-console-max=BYTES] [linux-reboot=p|t]
 *            [linux-verbose] [linux-then=TEST]
 * The root builds a child from two boot modules, vmlinuz (Debian's
 * bzImage, unmodified) and initrd.gz (BusyBox and /init, built by
 * ci/linux-guest.sh), starts it at the kernel's 64-bit entry point the way
 * the x86 Linux boot protocol says, and serves its small PC
 * (services/pcplat.c) until it powers off (docs/architecture/
 * linux-guest.md).  In BUILD=mono the hypervisor serves the PC and the root
 * only waits for the news that the child has stopped.
 *
 * linux-mode=boot makes BusyBox's `reboot -f` the first user process
 * instead of /init: the run is boot-to-init and a power-off, which make
 * bench (ci/bench.sh) subtracts from a normal run to split the two.
 * linux-then=TEST runs another root self-test (e.g. uart, with its child)
 * once the Linux child is gone: the root and the hypervisor go on.
 *
 * GPA layout: RAM from 0 to N MiB (the ISA hole 0x9f000-0x100000 is RAM
 * the e820 map calls reserved, so Linux's scans of it read zeros):
 *   0x1000  PML4, 0x2000 PDPT, 0x3000 PD: 2 MiB pages over the first GiB
 *   0x6000  a 3-instruction trampoline: RSI = boot_params, jump to the entry
 *   0x7000  boot_params (the "zero page"), 0x20000 the command line
 *   0x1000000 (the kernel's pref_address) the protected-mode kernel
 *   the end of RAM: the initramfs
 */
#include "linux_child.h"

#include "../../lib/portio.h"
#include "../../services/pcplat.h"
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/runtime.h"
#include "../lib/string_util.h"
#include "child.h"
#include "ports.h"
#include "root.h"
#include "text.h"
#include "uart_emul.h"

#define GPA_PML4 0x1000u
#define GPA_TRAMPOLINE 0x6000u
#define GPA_BOOT_PARAMS 0x7000u
#define GPA_CMDLINE 0x20000u
#define CMDLINE_MAX 2048u

/* boot_params and its setup header (Documentation/x86/boot.rst, zero-page.rst) */
#define BP_E820_ENTRIES 0x1e8
#define BP_SETUP_SECTS 0x1f1
#define BP_HEADER_MAGIC 0x202
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_CODE32_START 0x214
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_XLOADFLAGS 0x236
#define BP_CMDLINE_SIZE 0x238
#define BP_PREF_ADDRESS 0x258
#define BP_INIT_SIZE 0x260
#define BP_E820_TABLE 0x2d0

static uint32_t rd32(const uint8_t *p, unsigned off)
{
    return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
           (uint32_t)p[off + 3] << 24;
}

static void wr32(uint8_t *p, unsigned off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}

static void wr64(uint8_t *p, unsigned off, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t tsc_khz(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(HV_CPUID_TIMING_LEAF), "c"(0));
    return a;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int contains(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (memcmp(s, word, n) == 0)
            return 1;
    return 0;
}

static struct {
    struct child c;
    struct pcplat pc;
    uint64_t console_bytes, console_max;
    int saw_panic, saw_done;
    char last[96];
} L;

static void console_line(const char *name, const char *line, void *ctx)
{
    (void)ctx;
    printf("[%s] %s\n", name, line);
    size_t n = strlen(line);
    L.console_bytes += n + 1;
    if (contains(line, "Kernel panic - not syncing"))
        L.saw_panic = 1;
    if (contains(line, "LINUX-DONE:"))
        L.saw_done = 1;
    memcpy(L.last, line, n < sizeof L.last - 1 ? n : sizeof L.last - 1);
    L.last[n < sizeof L.last - 1 ? n : sizeof L.last - 1] = 0;
}

static void add_e820(uint8_t *bp, uint64_t addr, uint64_t size, uint32_t type)
{
    uint8_t n = bp[BP_E820_ENTRIES];
    uint8_t *e = bp + BP_E820_TABLE + 20u * n;
    wr64(e, 0, addr);
    wr64(e, 8, size);
    wr32(e, 16, type);
    bp[BP_E820_ENTRIES] = (uint8_t)(n + 1);
}

/* Lays the kernel, the initramfs and the boot structures into the child's
 * RAM (the root's pages from `ram` on, GPA 0 onwards); 0 or a reason. */
static const char *lay_out(uint8_t *ram, uint64_t ram_bytes, const uint8_t *k, uint64_t ksize,
                           const uint8_t *initrd, uint64_t isize, const char *cmdline,
                           uint64_t *entry)
{
    if (ksize < 0x1000 || rd32(k, BP_HEADER_MAGIC) != 0x53726448u) /* "HdrS" */
        return "vmlinuz has no Linux boot header (HdrS)";
    uint16_t version = (uint16_t)(k[BP_VERSION] | k[BP_VERSION + 1] << 8);
    if (version < 0x020c || !(k[BP_XLOADFLAGS] & 1))
        return "the kernel has no 64-bit entry point (boot protocol < 2.12 or no XLF_KERNEL_64)";
    unsigned setup_sects = k[BP_SETUP_SECTS] ? k[BP_SETUP_SECTS] : 4;
    uint64_t pm_offset = (setup_sects + 1ull) * 512;
    uint64_t load = (uint64_t)rd32(k, BP_PREF_ADDRESS) | (uint64_t)rd32(k, BP_PREF_ADDRESS + 4) << 32;
    uint64_t init_size = rd32(k, BP_INIT_SIZE);
    uint64_t align = rd32(k, BP_KERNEL_ALIGNMENT);
    if (!load || (align && load % align))
        load = 0x1000000;
    uint64_t initrd_gpa = (ram_bytes - isize - 0x100000) & ~0xfffull;
    if (pm_offset >= ksize || load + init_size > initrd_gpa || load + ksize > initrd_gpa)
        return "the kernel and its initramfs do not fit the child's RAM";
    size_t cl = strlen(cmdline);
    if (cl >= CMDLINE_MAX || cl >= rd32(k, BP_CMDLINE_SIZE))
        return "command line too long";
    /* The protected-mode kernel, the initramfs, the command line. */
    memcpy(ram + load, k + pm_offset, ksize - pm_offset);
    memcpy(ram + initrd_gpa, initrd, isize);
    memcpy(ram + GPA_CMDLINE, cmdline, cl + 1);
    /* boot_params: zeroed, the setup header copied from the image, then
     * what the loader fills in. */
    uint8_t *bp = ram + GPA_BOOT_PARAMS;
    unsigned hdr_end = 0x202 + k[0x201];
    memcpy(bp + BP_SETUP_SECTS, k + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
    bp[BP_TYPE_OF_LOADER] = 0xff; /* no assigned loader id */
    bp[BP_LOADFLAGS] |= 0x01;     /* LOADED_HIGH */
    wr32(bp, BP_CODE32_START, (uint32_t)load);
    wr32(bp, BP_RAMDISK_IMAGE, (uint32_t)initrd_gpa);
    wr32(bp, BP_RAMDISK_SIZE, (uint32_t)isize);
    wr32(bp, BP_CMD_LINE_PTR, GPA_CMDLINE);
    add_e820(bp, 0, 0x9f000, 1);
    add_e820(bp, 0x9f000, 0x100000 - 0x9f000, 2);
    add_e820(bp, 0x100000, ram_bytes - 0x100000, 1);
    (void)BP_INITRD_ADDR_MAX;
    /* Identity page tables over the first GiB (2 MiB pages). */
    uint64_t *pml4 = (uint64_t *)(ram + GPA_PML4);
    uint64_t *pdpt = (uint64_t *)(ram + GPA_PML4 + 0x1000);
    uint64_t *pd = (uint64_t *)(ram + GPA_PML4 + 0x2000);
    pml4[0] = (GPA_PML4 + 0x1000) | 3;
    pdpt[0] = (GPA_PML4 + 0x2000) | 3;
    for (uint64_t j = 0; j < 512; j++)
        pd[j] = (j << 21) | 0x83;
    /* mov rsi, boot_params; mov rax, load + 0x200; jmp rax */
    uint8_t *t = ram + GPA_TRAMPOLINE;
    t[0] = 0x48, t[1] = 0xbe;
    wr64(t, 2, GPA_BOOT_PARAMS);
    t[10] = 0x48, t[11] = 0xb8;
    wr64(t, 12, load + 0x200);
    t[20] = 0xff, t[21] = 0xe0;
    *entry = load + 0x200;
    return 0;
}

/* What an intercepted access needs back: the read value and, if the
 * access changed them, the VP's virtual timer and mask. */
static int complete(const struct hv_x64_io_intercept_message *m, uint64_t value)
{
    struct hv_input_complete_io *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = m->partition_id;
    in->vp_index = m->vp_index;
    in->read_value = value;
    if (L.pc.timer_changed) {
        in->flags |= HV_COMPLETE_IO_SET_TIMER;
        in->timer_deadline = L.pc.timer_deadline;
        in->timer_period = L.pc.timer_period;
        in->timer_vector = L.pc.timer_vector;
    }
    if (L.pc.irq_changed) {
        in->flags |= HV_COMPLETE_IO_SET_IRQ;
        in->irq_vector = L.pc.irq_vector;
        in->irq_level = L.pc.irq_level;
    }
    if (L.pc.mask_changed) {
        in->flags |= HV_COMPLETE_IO_SET_MASK;
        in->timer_masked = L.pc.timer_masked;
    }
    return hv_call(HVCALL_PARTITA_COMPLETE_IO, hv_input_page, 0);
}

/* 1 if the hypervisor stopped the child (its bit on the news SINT). */
static int child_stopped(void)
{
    uint64_t flags = child_news();
    return (flags >> (L.c.id % HV_EVENT_FLAGS_PER_SINT)) & 1;
}

static void report_exits(uint64_t t0, uint64_t khz, uint64_t root_exits0)
{
    struct hv_output_exit_stats s;
    if (root_exit_stats(L.c.id, &s))
        return;
    uint64_t ticks = rdtsc() - t0, ms = khz ? ticks / khz : 0;
    /* For make bench: the root's own exits count too (in micro each port
     * access costs it a message read and a PartitaCompleteIo). */
    printf("root: bench linux: %llu child exits, %llu root exits, %llu TSC ticks\n",
           (unsigned long long)s.total,
           (unsigned long long)(root_total_exits(HV_PARTITION_ID_SELF) - root_exits0),
           (unsigned long long)ticks);
    printf("root: linux: %llu ms of guest time, %llu exits: hcall %llu cpuid %llu hlt %llu "
           "io %llu msr %llu npf %llu exc %llu fatal %llu intr %llu other %llu\n",
           (unsigned long long)ms, (unsigned long long)s.total,
           (unsigned long long)s.count[HV_EXIT_HYPERCALL], (unsigned long long)s.count[HV_EXIT_CPUID],
           (unsigned long long)s.count[HV_EXIT_HLT], (unsigned long long)s.count[HV_EXIT_IO],
           (unsigned long long)s.count[HV_EXIT_MSR], (unsigned long long)s.count[HV_EXIT_NPF],
           (unsigned long long)s.count[HV_EXIT_EXCEPTION],
           (unsigned long long)s.count[HV_EXIT_TRIPLE_FAULT],
           (unsigned long long)s.count[HV_EXIT_INTERRUPT], (unsigned long long)s.count[HV_EXIT_OTHER]);
}

/* Keys typed on the root's console go to the child's COM1 (INTERACTIVE=1). */
static void forward_input(void)
{
    while (inb(0x3fd) & 1)
        uart16550_rx(&L.pc.com1, inb(0x3f8));
}

static void cpuid4(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

int linux_cpu_test(void)
{
    uint32_t r[4];
    int ok = 1;
    cpuid4(0, 0, r);
    uint32_t max = r[0];
    /* verify_cpu reads IA32_MISC_ENABLE on Intel with no #GP fixup. */
    if (r[1] == 0x756e6547u && r[3] == 0x49656e69u && r[2] == 0x6c65746eu) {
        uint32_t lo, hi;
        __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1a0));
        printf("root: linux-cpu: Intel: IA32_MISC_ENABLE reads 0x%llx\n",
               (unsigned long long)hi << 32 | lo);
    }
    /* Early TLB flushes use INVPCID when CPUID offers it (type 2: all). */
    if (max >= 7 && (cpuid4(7, 0, r), r[1] & (1u << 10))) {
        struct {
            uint64_t pcid, addr;
        } d = {0, 0};
        __asm__ volatile("invpcid %0, %1" : : "m"(d), "r"(2ull) : "memory");
        printf("root: linux-cpu: INVPCID offered and runs\n");
    }
    cpuid4(0x80000000u, 0, r);
    uint32_t xmax = r[0];
    if (xmax >= 0x80000001u && (cpuid4(0x80000001u, 0, r), r[3] & (1u << 27))) {
        uint32_t a, d, c;
        __asm__ volatile("rdtscp" : "=a"(a), "=d"(d), "=c"(c));
        printf("root: linux-cpu: RDTSCP offered and runs\n");
    }
    /* The decompressor reads the SEV status MSR if this leaf offers SEV. */
    if (xmax >= 0x8000001fu) {
        cpuid4(0x8000001fu, 0, r);
        printf(
            "root: linux-cpu: CPUID 0x8000001f (SME/SEV) %x %x %x %x (expected zeros)\n",
            r[0], r[1], r[2], r[3]);
        ok &= !(r[0] | r[1] | r[2] | r[3]);
    }
    printf("root: linux-cpu: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int linux_child_test(const struct partition_boot_info *info)
{
    char text[32];
    uint64_t mib = 192, seconds = 600, max = 4u << 20;
    char mode[16] = "normal", reboot[4] = "p";
    if (arg_value(info, "linux-mib", text, sizeof text))
        number_after(text, strlen(text), "", &mib);
    if (arg_value(info, "linux-seconds", text, sizeof text))
        number_after(text, strlen(text), "", &seconds);
    if (arg_value(info, "linux-console-max", text, sizeof text))
        number_after(text, strlen(text), "", &max);
    arg_value(info, "linux-mode", mode, sizeof mode);
    arg_value(info, "linux-reboot", reboot, sizeof reboot); /* t: triple fault */
    const struct partition_module *km = root_find_module(info, "vmlinuz");
    const struct partition_module *im = root_find_module(info, "initrd.gz");
    if (!km || !im) {
        printf("root: linux: FAIL needs the boot modules vmlinuz and initrd.gz "
               "(ci/linux-guest.sh builds them)\n");
        return 1;
    }
    uint64_t khz = tsc_khz();
    char cmdline[512], init[64];
    int boot_only = strcmp(mode, "boot") == 0;
    /* boot: everything after "--" is the first process's argv */
    format_string(init, sizeof init,
                  boot_only ? "rdinit=/bin/reboot -- -f" : "rdinit=/init partita=%s",
                  mode);
    /* cryptomgr.notests: the crypto self-tests are about two thirds of the
     * instructions from kernel entry to /init (0.85 of 1.3 G, measured in
     * QEMU with -icount): 17 s of guest time in Bochs. */
    format_string(
        cmdline, sizeof cmdline,
        "console=ttyS0 8250.nr_uarts=1 acpi=off nolapic noapic pci=off nosmp "
        "nokaslr tsc_early_khz=%llu lpj=%llu tsc=reliable io_delay=none hpet=disable "
        "mitigations=off cryptomgr.notests reboot=%s panic=-1 %s %s",
        (unsigned long long)khz, (unsigned long long)(khz * 4), reboot,
        arg_has(info, "linux-verbose") ? "loglevel=7" : "quiet", init);
    printf("root: linux: kernel %llu bytes, initramfs %llu bytes, %llu MiB of RAM, "
           "TSC %llu kHz\n",
           (unsigned long long)km->size, (unsigned long long)im->size,
           (unsigned long long)mib, (unsigned long long)khz);
    printf("root: linux: command line \"%s\"\n", cmdline);
    child_memory_init(info);
    memset(&L, 0, sizeof L);
    L.console_max = max;
    pcplat_init(&L.pc, khz);
    memcpy(L.pc.com1.name, "linux", 6);
    L.pc.com1.line_out = console_line;
    uint64_t first = 0, entry = 0;
    int st = child_create_bare(&L.c, "linux");
    if (!st && !(first = child_take_ram(&L.c, mib << 8)))
        st = HV_STATUS_INSUFFICIENT_MEMORY;
    if (st) {
        printf("root: linux: FAIL cannot build a child of %llu MiB: %s\n",
               (unsigned long long)mib, hv_status_name((hv_status_t)st));
        return 1;
    }
    /* Filled while the pages are the root's, then mapped into the child. */
    const char *why = lay_out((uint8_t *)(uintptr_t)(first << 12), mib << 20,
                              (const uint8_t *)(uintptr_t)km->base, km->size,
                              (const uint8_t *)(uintptr_t)im->base, im->size, cmdline, &entry);
    if (why) {
        printf("root: linux: FAIL %s\n", why);
        return 1;
    }
    if ((st = child_map_ram(&L.c, 0, first, mib << 8))) {
        printf("root: linux: FAIL cannot map its RAM: %s\n", hv_status_name((hv_status_t)st));
        return 1;
    }
    struct hv_input_start_vp *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = L.c.id;
    in->context.rip = GPA_TRAMPOLINE;
    in->context.rsp = GPA_TRAMPOLINE - 16;
    in->context.rflags = 2;
    in->context.cr3 = GPA_PML4;
    if ((st = hv_call(HVCALL_START_VP, hv_input_page, 0))) {
        printf("root: linux: FAIL cannot start it: %s\n", hv_status_name((hv_status_t)st));
        return 1;
    }
    printf("root: linux: started child %llu at the 64-bit entry 0x%llx (boot_params at 0x%x)%s\n",
           (unsigned long long)L.c.id, (unsigned long long)entry, GPA_BOOT_PARAMS,
           info->services_in_hypervisor ? "; the hypervisor serves its devices" : "");
    uint64_t root_exits0 = root_total_exits(HV_PARTITION_ID_SELF);
    uint64_t t0 = rdtsc(), limit = seconds * khz * 1000;
    const char *end = 0;
    int clean = 0;
    while (!end) {
        struct hv_x64_io_intercept_message io;
        int r = uart_emul_next(&io);
        if (r == 1) {
            uint64_t v = pcplat_access(&L.pc, io.port, io.access_size, io.is_write,
                                       (uint32_t)io.value, rdtsc());
            if (L.pc.reset) {
                end = L.saw_panic ? "it panicked and asked for a reset (port 0xcf9)"
                                  : "it asked for a reset (port 0xcf9): powered off";
                clean = !L.saw_panic;
                break;
            }
            if (L.console_bytes > L.console_max) {
                end = "it flooded its console (more than linux-console-max bytes)";
                break;
            }
            complete(&io, v);
            continue;
        }
        if (r == 0)
            continue;
        forward_input();
        if (child_stopped()) {
            struct hv_output_exit_stats s;
            int fatal = !root_exit_stats(L.c.id, &s) && s.count[HV_EXIT_TRIPLE_FAULT];
            end = fatal ? "the hypervisor stopped it (triple fault)"
                        : "the hypervisor stopped it (its log says why)";
            /* mono: the hypervisor's PC model ended it on the guest's reset */
            clean = !fatal && info->services_in_hypervisor;
            break;
        }
        if (limit && rdtsc() - t0 > limit) {
            end = "no power-off within linux-seconds of guest time";
            break;
        }
        __asm__ volatile("hlt");
    }
    report_exits(t0, khz, root_exits0);
    printf("root: linux: PIT mode %u count %llu, PIC base 0x%x mask 0x%x, timer %s\n",
           L.pc.pit_mode, (unsigned long long)L.pc.pit_count, L.pc.pic_base[0],
           L.pc.pic_imr[0], L.pc.timer_deadline ? "armed" : "stopped");
    printf("root: linux: child %llu ended: %s; console %llu bytes, %llu port accesses "
           "served (%llu to empty slots)\n",
           (unsigned long long)L.c.id, end, (unsigned long long)L.console_bytes,
           (unsigned long long)L.pc.accesses, (unsigned long long)L.pc.empty_slot_accesses);
    st = child_delete(&L.c);
    printf("root: linux: child %llu finalized and deleted: %s; the root goes on\n",
           (unsigned long long)L.c.id, hv_status_name((hv_status_t)st));
    int ok = clean && (info->services_in_hypervisor || L.saw_done || boot_only);
    /* panic, flood: contained is the pass (mono: the root sees no console,
     * only that the child was stopped, by the hypervisor or the time limit) */
    if (strcmp(mode, "normal") != 0 && strcmp(mode, "shell") != 0 && !boot_only)
        ok = (!clean || info->services_in_hypervisor) && !st;
    if (arg_value(info, "linux-then", text, sizeof text)) {
        printf("root: linux: now test=%s, with the Linux child gone\n", text);
        int then = root_selftest(text, info);
        printf("root: linux: test=%s after the Linux child: %s\n", text,
               then ? "FAIL" : "ok");
        ok = ok && !then;
    }
    printf("root: linux: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
