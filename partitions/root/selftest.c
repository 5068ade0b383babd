/* SPDX-License-Identifier: MIT */
/*
 * Built-in checks the system tests ask for with test=NAME.  Each prints
 * what it expected and what it got; the hypervisor log (COM2) shows the
 * hypervisor's side.
 */
#include "../../lib/portio.h"
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "../lib/bench_params.h"
#include "bench.h"
#include "block_demo.h"
#include "child.h"
#include "console_demo.h"
#include "faults.h"
#include "text.h"
#include "big_child.h"
#include "linux_child.h"
#include "isolation.h"
#include "ports.h"
#include "root.h"
#include "root_pages.h"
#include "serve_revoke.h"
#include "uart_emul.h"

static int expect_status(const char *what, hv_status_t got, hv_status_t want)
{
    int ok = got == want;
    printf("root: %-44s -> %s (expected %s): %s\n", what, hv_status_name(got),
           hv_status_name(want), ok ? "ok" : "FAIL");
    return ok;
}

/* Codes no call has: the TLFS range's gaps and Partita's unused range. */
static int test_unknown_hypercall(void)
{
    int ok = 1;
    ok &= expect_status("hypercall 0x0001 (not implemented)",
                        hv_call(0x0001, hv_input_page, hv_output_page),
                        HV_STATUS_INVALID_HYPERCALL_CODE);
    ok &= expect_status("hypercall 0x7777 (no such code)",
                        hv_call(0x7777, hv_input_page, hv_output_page),
                        HV_STATUS_INVALID_HYPERCALL_CODE);
    ok &= expect_status("hypercall 0x80ff (Partita range, unused)",
                        hv_call(0x80ff, hv_input_page, hv_output_page),
                        HV_STATUS_INVALID_HYPERCALL_CODE);
    ok &= expect_status("hypercall 0xffff", hv_call(0xffff, 0, 0),
                        HV_STATUS_INVALID_HYPERCALL_CODE);
    return ok ? 0 : 1;
}

/* Bad parameters to a valid call: each gets a status, nothing crashes. */
static int test_bad_input(const struct partition_boot_info *info)
{
    struct hv_input_get_exit_stats *in = (void *)hv_input_page;
    uint64_t in_gpa = (uint64_t)(uintptr_t)hv_input_page;
    uint64_t out_gpa = (uint64_t)(uintptr_t)hv_output_page;
    uint16_t code = HVCALL_PARTITA_GET_EXIT_STATS;
    struct hv_output_hv_info hv;
    int ok = 1;
    in->partition_id = HV_PARTITION_ID_SELF;

    ok &= expect_status("reserved bit 17 set",
                        hv_status_of(hv_hypercall(code | (1ull << 17), in_gpa, out_gpa)),
                        HV_STATUS_INVALID_HYPERCALL_INPUT);
    ok &= expect_status("reserved bit 63 set",
                        hv_status_of(hv_hypercall(code | (1ull << 63), in_gpa, out_gpa)),
                        HV_STATUS_INVALID_HYPERCALL_INPUT);
    ok &= expect_status("rep count on a simple call",
                        hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(code, 0, 3, 0), in_gpa,
                                                  out_gpa)),
                        HV_STATUS_INVALID_HYPERCALL_INPUT);
    ok &= expect_status("fast bit on a memory call",
                        hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(code, 1, 0, 0), in_gpa,
                                                  out_gpa)),
                        HV_STATUS_INVALID_HYPERCALL_INPUT);
    ok &= expect_status("input block misaligned",
                        hv_status_of(hv_hypercall(code, in_gpa + 4, out_gpa)),
                        HV_STATUS_INVALID_ALIGNMENT);
    ok &= expect_status("output block crossing a page",
                        hv_status_of(hv_hypercall(code, in_gpa, out_gpa + 4096 - 16)),
                        HV_STATUS_INVALID_ALIGNMENT);
    ok &= expect_status("input block in unmapped memory",
                        hv_status_of(hv_hypercall(code, 0xfffff000ull, out_gpa)),
                        HV_STATUS_INVALID_PARAMETER);
    ok &= expect_status("get hypervisor info",
                        hv_call(HVCALL_PARTITA_GET_HV_INFO, 0, hv_output_page),
                        HV_STATUS_SUCCESS);
    memcpy(&hv, hv_output_page, sizeof hv);
    ok &= expect_status("output block in a hypervisor page",
                        hv_status_of(hv_hypercall(code, in_gpa, hv.hv_probe_gpa_base)),
                        HV_STATUS_INVALID_PARAMETER);
    ok &= expect_status("input block in a hypervisor page",
                        hv_status_of(hv_hypercall(code, hv.hv_probe_gpa_base, out_gpa)),
                        HV_STATUS_INVALID_PARAMETER);
    in->partition_id = 77;
    ok &= expect_status("statistics of a partition that does not exist",
                        hv_call(code, hv_input_page, hv_output_page),
                        HV_STATUS_INVALID_PARTITION_ID);
    in->partition_id = info->partition_id;
    ok &= expect_status("statistics of itself by id",
                        hv_call(code, hv_input_page, hv_output_page), HV_STATUS_SUCCESS);
    return ok ? 0 : 1;
}

/* Writes a page the hypervisor keeps: the hypervisor must stop us. */
static int test_hv_page_write(void)
{
    if (hv_call(HVCALL_PARTITA_GET_HV_INFO, 0, hv_output_page) != HV_STATUS_SUCCESS) {
        printf("root: FAIL: cannot read hypervisor info\n");
        return 1;
    }
    struct hv_output_hv_info hv;
    memcpy(&hv, hv_output_page, sizeof hv);
    volatile uint64_t *target = (volatile uint64_t *)(uintptr_t)hv.hv_probe_gpa_base;
    printf("root: writing to hypervisor page 0x%llx (%llu pages kept by the hypervisor)\n",
           (unsigned long long)hv.hv_probe_gpa_base,
           (unsigned long long)hv.hv_probe_page_count);
    *target = 0xdeadbeef;
    printf("root: FAIL: the write to a hypervisor page went through\n");
    return 1;
}

/* No IDT: the first exception becomes a double fault, then a triple fault. */
static int test_triple_fault(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = {0, 0};
    printf("root: loading an empty IDT and raising #UD: expect a triple fault\n");
    __asm__ volatile("lidt %0\n\tud2" : : "m"(empty));
    printf("root: FAIL: still running after the triple fault\n");
    return 1;
}

/* Null hypercalls, counted exactly by the exit statistics.  calls=N on the
 * command line changes the count (benchmarks time two counts). */
static int test_null_calls(const struct partition_boot_info *info)
{
    char arg[16];
    uint64_t calls_wanted = 10000;
    if (arg_value(info, "calls", arg, sizeof arg)) {
        calls_wanted = 0;
        for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
            calls_wanted = calls_wanted * 10 + (uint64_t)(*p - '0');
    }
    struct hv_output_exit_stats before, after;
    if (root_exit_stats(HV_PARTITION_ID_SELF, &before))
        return 1;
    uint64_t t0 = rdtsc_now();
    for (uint64_t i = 0; i < calls_wanted; i++) {
        uint64_t r = hv_hypercall(HVCALL_PARTITA_NULL, 0, 0);
        if (hv_status_of(r) != HV_STATUS_SUCCESS) {
            printf("root: FAIL: null call %llu returned %s\n", (unsigned long long)i,
                   hv_status_name(hv_status_of(r)));
            return 1;
        }
    }
    uint64_t t1 = rdtsc_now();
    if (root_exit_stats(HV_PARTITION_ID_SELF, &after))
        return 1;
    /* The second statistics call is itself one more hypercall exit. */
    uint64_t calls = after.count[HV_EXIT_HYPERCALL] - before.count[HV_EXIT_HYPERCALL];
    /* Timer interrupts may preempt the loop: they are exits too, counted apart. */
    uint64_t timer = after.count[HV_EXIT_INTERRUPT] - before.count[HV_EXIT_INTERRUPT];
    uint64_t total = after.total - before.total - timer;
    printf("root: %llu null hypercalls: hypercall exits counted %llu (expected %llu), all exits "
           "but the timer's %llu, %llu TSC ticks per call\n",
           (unsigned long long)calls_wanted, (unsigned long long)calls,
           (unsigned long long)calls_wanted + 1, (unsigned long long)total,
           (unsigned long long)((t1 - t0) / calls_wanted));
    int ok = calls == calls_wanted + 1 && total == calls_wanted + 1;
    printf("root: null hypercall count: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

static uint64_t msr_read(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

/* Ports and MSRs the root was not given are intercepted, not passed through:
 * the emulators' power-off ports must not end the machine. */
static int test_io_msr(void)
{
    struct hv_output_exit_stats before, after;
    int ok = root_exit_stats(HV_PARTITION_ID_SELF, &before) == 0;
    outb(0xf4, 0x10); /* QEMU's debug-exit port */
    const char *off = "Shutdown";
    while (*off)
        outb(0x8900, (uint8_t)*off++); /* Bochs's power-off port */
    uint8_t lsr = inb(0x2f8 + 5);   /* COM2 belongs to the hypervisor */
    uint64_t efer = msr_read(0xc0000080);
    uint64_t vp_index = msr_read(0x40000002);
    ok &= root_exit_stats(HV_PARTITION_ID_SELF, &after) == 0;
    uint64_t io = after.count[HV_EXIT_IO] - before.count[HV_EXIT_IO];
    uint64_t msr = after.count[HV_EXIT_MSR] - before.count[HV_EXIT_MSR];
    printf("root: intercepted port writes did not end the machine; COM2 status read 0x%x "
           "(expected 0xff)\n", lsr);
    printf("root: EFER 0x%llx (LME+LMA expected, SVME hidden), VP index %llu\n",
           (unsigned long long)efer, (unsigned long long)vp_index);
    printf("root: exits counted: io %llu (expected 10), msr %llu (expected 2)\n",
           (unsigned long long)io, (unsigned long long)msr);
    ok &= lsr == 0xff && (efer & 0x500) == 0x500 && !(efer & (1u << 12)) && vp_index == 0 &&
          io == 10 && msr == 2;
    printf("root: io and msr interception: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* A child that never yields: only the timer can take the CPU back. */
static int test_spinner(const struct partition_boot_info *info)
{
    static const uint8_t spin[] = {0xeb, 0xfe}; /* jmp . */
    struct child c;
    child_memory_init(info);
    int st = child_create_code(&c, "spinner", spin, sizeof spin);
    if (st) {
        printf("root: FAIL: cannot create the spinning child: %s\n", hv_status_name(st));
        return 1;
    }
    printf("root: child %llu spins forever; the root halts 20 times and must still come back\n",
           (unsigned long long)c.id);
    for (int i = 0; i < 20; i++)
        __asm__ volatile("hlt");
    struct hv_output_exit_stats s;
    root_exit_stats(c.id, &s);
    printf("root: the spinner was preempted by the timer %llu times\n",
           (unsigned long long)s.count[HV_EXIT_INTERRUPT]);
    int ok = s.count[HV_EXIT_INTERRUPT] > 0;
    printf("root: spinning child did not starve the root: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* A child loaded from a boot module: the root builds it with hypercalls,
 * gives it a connection to the root, starts it, and halts until its message
 * arrives (the hypervisor wakes a halted VP when a message lands). */
static int test_child_module(const struct partition_boot_info *info)
{
    const struct partition_module *m = root_find_module(info, "pinger.elf");
    struct child c;
    if (!m) {
        printf("root: FAIL: no pinger.elf module\n");
        return 1;
    }
    child_memory_init(info);
    int st = child_create_elf(&c, "pinger", (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = root_create_port(info->partition_id, 1, c.id, HV_PORT_TYPE_MESSAGE, 0);
    if (!st)
        st = root_connect(c.id, 1, info->partition_id, 1);
    if (!st)
        st = child_start(&c);
    if (st) {
        printf("root: FAIL: cannot build the child from pinger.elf: %s\n", hv_status_name(st));
        return 1;
    }
    printf("root: child %llu started from module pinger.elf (%llu bytes); waiting for its message\n",
           (unsigned long long)c.id, (unsigned long long)m->size);
    int halts = 0;
    struct hv_input_sint *sint = (void *)hv_input_page;
    sint->sint = 0;
    sint->reserved = 0;
    while ((st = hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page)) ==
           HV_STATUS_NO_DATA) {
        __asm__ volatile("hlt");
        halts++;
    }
    const struct hv_message *msg = (const void *)hv_output_page;
    int ok = st == HV_STATUS_SUCCESS && msg->header.payload_size == 5 &&
             memcmp(msg->payload, "ready", 5) == 0 && msg->header.port_id == 1;
    char text[8] = {0}, shown[4 * sizeof text]; /* shown: escaped for COM1 */
    memcpy(text, msg->payload, msg->header.payload_size < 7 ? msg->header.payload_size : 7);
    format_escape(shown, sizeof shown, text, strlen(text));
    printf("root: message from the child after %d halts: %s \"%s\" on port %u\n", halts,
           hv_status_name(st), shown, msg->header.port_id);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, 0, 0);
    struct hv_output_exit_stats s;
    root_exit_stats(c.id, &s);
    printf("root: the child made %llu hypercalls (expected 101)\n",
           (unsigned long long)s.count[HV_EXIT_HYPERCALL]);
    ok &= s.count[HV_EXIT_HYPERCALL] == 101;
    printf("root: child from a boot module: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* Virtual interrupts on arrival: the child sleeps until the hypervisor
 * injects its SINT vector for the root's message. */
static int test_sint_interrupt(const struct partition_boot_info *info)
{
    const struct partition_module *m = root_find_module(info, "sintirq.elf");
    struct child c;
    if (!m) {
        printf("root: FAIL: no sintirq.elf module\n");
        return 1;
    }
    child_memory_init(info);
    uint64_t me = info->partition_id;
    int st = child_create_elf(&c, "sintirq", (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = root_create_port(c.id, 1, me, HV_PORT_TYPE_MESSAGE, 0);
    if (!st)
        st = root_connect(me, 7, c.id, 1);
    if (!st)
        st = root_create_port(me, 1, c.id, HV_PORT_TYPE_MESSAGE, 0);
    if (!st)
        st = root_connect(c.id, 1, me, 1);
    if (!st)
        st = child_start(&c);
    if (st) {
        printf("root: FAIL: cannot set up the child: %s\n", hv_status_name(st));
        return 1;
    }
    /* Let the child program its SINT and go to sleep first. */
    for (int i = 0; i < 3; i++)
        __asm__ volatile("hlt");
    struct hv_input_post_message *msg = (void *)hv_input_page;
    memset(msg, 0, sizeof *msg);
    msg->connection_id = 7;
    msg->message_type = 1;
    msg->payload_size = 4;
    memcpy(msg->payload, "ping", 4);
    st = hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
    printf("root: posted a message to the sleeping child: %s\n", hv_status_name(st));
    struct hv_input_sint *sint = (void *)hv_input_page;
    sint->sint = 0;
    sint->reserved = 0;
    int halts = 0;
    while ((st = hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page)) ==
               HV_STATUS_NO_DATA &&
           halts < 1000) {
        __asm__ volatile("hlt");
        halts++;
    }
    const struct hv_message *reply = (const void *)hv_output_page;
    char text[8] = {0}, shown[4 * sizeof text]; /* shown: escaped for COM1 */
    memcpy(text, reply->payload, reply->header.payload_size < 7 ? reply->header.payload_size : 7);
    format_escape(shown, sizeof shown, text, strlen(text));
    printf("root: the child answered \"%s\" (%s)\n", shown, hv_status_name(st));
    int ok = st == HV_STATUS_SUCCESS && memcmp(text, "irq=1+", 6) == 0;
    printf("root: virtual interrupt on arrival: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* Halts until the hypervisor flags news of child `id` on the news SINT. */
static int wait_for_news(uint64_t id)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    for (int halts = 0; halts < 2000; halts++) {
        in->sint = HV_SINT_PARTITION_NEWS;
        in->reserved = 0;
        if (hv_call(HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, hv_input_page, hv_output_page))
            return -1;
        uint64_t flags = ((struct hv_output_event_flags *)hv_output_page)->flags;
        if (flags & (1ull << (id % HV_EVENT_FLAGS_PER_SINT)))
            return halts;
        __asm__ volatile("hlt");
    }
    return -1;
}

/* A child that faults: the root hears of it, reports it, deletes the
 * partition and starts the image again as a new partition. */
static int test_fault_restart(const struct partition_boot_info *info)
{
    static const uint8_t crash[] = {0x0f, 0x0b}; /* ud2, and no IDT to handle it */
    child_memory_init(info);
    int faults = 0;
    for (int round = 0; round < 2; round++) {
        struct child c;
        int st = child_create_code(&c, "crasher", crash, sizeof crash);
        if (st) {
            printf("root: FAIL: cannot start the child: %s\n", hv_status_name(st));
            return 1;
        }
        int halts = wait_for_news(c.id);
        if (halts < 0) {
            printf("root: FAIL: no news of child %llu\n", (unsigned long long)c.id);
            return 1;
        }
        struct hv_output_exit_stats s;
        root_exit_stats(c.id, &s);
        uint64_t fatal = s.count[HV_EXIT_TRIPLE_FAULT] + s.count[HV_EXIT_EXCEPTION];
        printf("root: child %llu faulted (%llu fatal exits); news after %d halts; %s\n",
               (unsigned long long)c.id, (unsigned long long)fatal, halts,
               round == 0 ? "restarting it" : "done");
        faults += fatal == 1;
        if (child_remove(&c)) {
            printf("root: FAIL: cannot delete child %llu\n", (unsigned long long)c.id);
            return 1;
        }
    }
    int ok = faults == 2;
    printf("root: fault reported and child restarted: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/*
 * An exit in the middle of delivering a virtual interrupt.  The sintirq
 * child sleeps with vector 0x40 on SINT 0; the root takes the child's top
 * page table away (HvUnmapGpaPages of GPA page 0, its PML4) and posts to it.
 * The hypervisor injects 0x40 at the next entry; the processor, walking the
 * child's page tables to read the IDT gate, takes a second-level fault
 * while the interrupt is being delivered.  That exit stops the child (a
 * second-level fault always does), and the hypervisor's report must name
 * the interrupt it interrupted ("while delivering interrupt 0x40" on COM2):
 * the backend saw the event in flight (VT-x: IDT-vectoring information,
 * AMD-V: EXITINTINFO) and re-queued it, so an exit that resumes the guest
 * would not lose it.
 */
static int test_sint_delivery_fault(const struct partition_boot_info *info)
{
    const struct partition_module *m = root_find_module(info, "sintirq.elf");
    struct child c;
    if (!m) {
        printf("root: FAIL: no sintirq.elf module\n");
        return 1;
    }
    child_memory_init(info);
    uint64_t me = info->partition_id;
    int st = child_create_elf(&c, "sintirq", (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = root_create_port(c.id, 1, me, HV_PORT_TYPE_MESSAGE, 0);
    if (!st)
        st = root_connect(me, 7, c.id, 1);
    if (!st)
        st = child_start(&c);
    if (st) {
        printf("root: FAIL: cannot set up the child: %s\n", hv_status_name(st));
        return 1;
    }
    /* Let the child program its SINT and go to sleep first. */
    for (int i = 0; i < 3; i++)
        __asm__ volatile("hlt");
    struct hv_input_unmap_gpa_pages *un = (void *)hv_input_page;
    memset(un, 0, sizeof *un);
    un->target_partition_id = c.id;
    un->target_gpa_base = 0;
    st = hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(HVCALL_UNMAP_GPA_PAGES, 0, 1, 0),
                                   (uint64_t)(uintptr_t)hv_input_page, 0));
    printf("root: took the sleeping child's PML4 (GPA page 0) away: %s\n", hv_status_name(st));
    struct hv_input_post_message *msg = (void *)hv_input_page;
    memset(msg, 0, sizeof *msg);
    msg->connection_id = 7;
    msg->message_type = 1;
    msg->payload_size = 4;
    memcpy(msg->payload, "ping", 4);
    hv_status_t posted = hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
    printf("root: posted a message to the child: %s\n", hv_status_name(posted));
    int halts = wait_for_news(c.id);
    struct hv_output_exit_stats s;
    root_exit_stats(c.id, &s);
    printf("root: child %llu stopped after %d halts with %llu second-level fault(s); "
           "the hypervisor log names the event it interrupted\n",
           (unsigned long long)c.id, halts, (unsigned long long)s.count[HV_EXIT_NPF]);
    int ok = st == HV_STATUS_SUCCESS && posted == HV_STATUS_SUCCESS && halts >= 0 &&
             s.count[HV_EXIT_NPF] == 1;
    if (child_remove(&c))
        ok = 0;
    printf("root: exit during interrupt delivery: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

#define UART_GUEST_ACCESSES 71 /* what partitions/guests/uart does */
#define UART_GUEST_BYTES 34

/* The unenlightened path: a child doing port I/O to COM2.  In BUILD=micro
 * the root's UART emulation serves it through intercept messages; in
 * BUILD=mono the hypervisor serves it and the root only watches.  Either
 * way it reports the cost per byte (exits, and TSC ticks: instructions
 * under QEMU -icount). */

/* Serves an unenlightened child's COM2 accesses until `want` are served or
 * the child says it is done (*done nonzero, if done is given): in
 * BUILD=micro the root's UART emulation answers each intercept; in
 * BUILD=mono the hypervisor serves them and the root counts the child's
 * I/O exits, halting between looks.  *served: the accesses served.  1 on a
 * failed completion (reported), else 0; a child that stops early leaves
 * *served short after 5000 halts.  Inlined so that test_uart's loop is the
 * instructions it was (lab 8's numbers, labs/08-micro-mono/report.md). */
static inline __attribute__((always_inline)) int
uart_serve(const struct partition_boot_info *info, const struct child *c,
                      struct uart16550 *u, uint64_t want, const volatile uint32_t *done,
                      uint64_t *served)
{
    *served = 0;
    /* done is written after the child's last access was served: no more come. */
    for (int halts = 0; *served < want && halts < 5000 && !(done && *done);) {
        if (info->services_in_hypervisor) {
            struct hv_output_exit_stats s;
            *served = root_exit_stats(c->id, &s) ? 0 : s.count[HV_EXIT_IO];
            if (*served < want) {
                __asm__ volatile("hlt");
                halts++;
            }
            continue;
        }
        struct hv_x64_io_intercept_message io;
        int r = uart_emul_next(&io);
        if (r < 0) {
            __asm__ volatile("hlt");
            halts++;
            continue;
        }
        if (r == 0)
            continue; /* not an intercept: uart_emul_next reported it */
        hv_status_t st = uart_emul_access(u, &io);
        if (st) {
            printf("root: FAIL: completing the access: %s\n", hv_status_name(st));
            return 1;
        }
        *served = u->accesses;
    }
    return 0;
}

static int test_uart(const struct partition_boot_info *info)
{
    const struct partition_module *m = root_find_module(info, "uart.elf");
    struct child c;
    if (!m) {
        printf("root: FAIL: no uart.elf module\n");
        return 1;
    }
    child_memory_init(info);
    int st = child_create_elf(&c, "uart", (const void *)(uintptr_t)m->base, m->size);
    if (st) {
        printf("root: FAIL: cannot build the child: %s\n", hv_status_name(st));
        return 1;
    }
    struct uart16550 u;
    uart_emul_init(&u, "uart");
    uint64_t exits0 = root_total_exits(info->partition_id), t0 = rdtsc_now();
    if ((st = child_start(&c))) {
        printf("root: FAIL: cannot start the child: %s\n", hv_status_name(st));
        return 1;
    }
    uint64_t served = 0;
    if (uart_serve(info, &c, &u, UART_GUEST_ACCESSES, 0, &served))
        return 1;
    uint64_t ticks = rdtsc_now() - t0;
    uint64_t root_exits = root_total_exits(info->partition_id) - exits0;
    uint64_t child_exits = root_total_exits(c.id);
    uint64_t exits = root_exits + child_exits;
    const char *where = info->services_in_hypervisor ? "in the hypervisor (mono)"
                                                     : "by the root's UART emulation (micro)";
    printf("root: UART accesses served %s: %llu\n", where, (unsigned long long)served);
    printf("root: bench uart: %u bytes, %llu exits, %llu TSC ticks: %llu exits and %llu ticks "
           "per byte; %llu root exits, %llu child exits\n",
           UART_GUEST_BYTES, (unsigned long long)exits, (unsigned long long)ticks,
           (unsigned long long)(exits / UART_GUEST_BYTES),
           (unsigned long long)(ticks / UART_GUEST_BYTES), (unsigned long long)root_exits,
           (unsigned long long)child_exits);
    int ok = served == UART_GUEST_ACCESSES &&
             (info->services_in_hypervisor || (u.lines == 1 && u.bytes_out == UART_GUEST_BYTES));
    printf("root: unenlightened guest served: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* make bench's port-I/O round trip (ci/bench-pio.sh): the child ioloop.elf
 * writes COM2's scratch register accesses=N times (default 1000), served
 * as test_uart's are; the child times its loop.  The check: the child's
 * I/O exits, its own count and (micro) the accesses the root served are
 * all N, and the scratch register holds the last value written. */
static int test_ioloop(const struct partition_boot_info *info)
{
    uint64_t want = arg_number(info, "accesses", 1000);
    uint32_t n = want > 0xffffffffu ? 0 : (uint32_t)want;
    const struct partition_module *m = root_find_module(info, "ioloop.elf");
    struct child c;
    if (!m || n == 0) {
        printf("root: FAIL: no ioloop.elf module or accesses=0\n");
        return 1;
    }
    child_memory_init(info);
    int st = child_create_elf(&c, "ioloop", (const void *)(uintptr_t)m->base, m->size);
    if (st) {
        printf("root: FAIL: cannot build the child: %s\n", hv_status_name(st));
        return 1;
    }
    struct bench_params *p = bench_params_page(&c);
    if (!p)
        return 1;
    p->ioloop_accesses = n;
    struct uart16550 u;
    uart_emul_init(&u, "ioloop");
    uint64_t exits0 = root_total_exits(info->partition_id);
    if ((st = child_start(&c))) {
        printf("root: FAIL: cannot start the child: %s\n", hv_status_name(st));
        return 1;
    }
    uint64_t served = 0;
    if (uart_serve(info, &c, &u, n, &p->ioloop_done, &served))
        return 1;
    /* Waits for the child's report (mono may count the last exit first). */
    for (int halts = 0; !p->ioloop_done && halts < 5000; halts++)
        __asm__ volatile("hlt");
    uint64_t root_exits = root_total_exits(info->partition_id) - exits0;
    struct hv_output_exit_stats s;
    if (root_exit_stats(c.id, &s))
        return 1;
    uint64_t child_exits = s.total, io = s.count[HV_EXIT_IO];
    printf("root: bench ioloop: %u accesses, %llu exits, %llu TSC ticks (the child's loop); "
           "%llu root exits, %llu child exits, %llu of them I/O\n",
           n, (unsigned long long)(root_exits + child_exits),
           (unsigned long long)p->ioloop_ticks, (unsigned long long)root_exits,
           (unsigned long long)child_exits, (unsigned long long)io);
    int ok = io == n && p->ioloop_done == n &&
             (info->services_in_hypervisor || (u.accesses == n && u.scratch == (uint8_t)(n - 1)));
    if (!ok)
        printf("root: FAIL: asked %u, child did %u, I/O exits %llu, root served %llu\n", n,
               p->ioloop_done, (unsigned long long)io,
               (unsigned long long)(info->services_in_hypervisor ? io : u.accesses));
    printf("root: port I/O loop count: %s\n", ok ? "ok" : "FAIL");
    if (child_remove(&c))
        ok = 0;
    return ok ? 0 : 1;
}

/*
 * The edges of the unenlightened path, in lockstep with the model (the test
 * runs with --lockstep): a partition's message on the intercept SINT is
 * reported and acknowledged (the pinger posts "ready" through a root port
 * this test aims at HV_SINT_INTERCEPTS); an access the root has no device
 * for is refused, completed as a port with nothing behind it; an access
 * still waiting when its partition is finalized is cancelled, and the
 * root's late answer is refused (INVALID_VP_STATE, then
 * INVALID_PARTITION_ID once the partition is deleted).
 */
static int test_intercept_edges(const struct partition_boot_info *info)
{
    const struct partition_module *um = root_find_module(info, "uart.elf");
    const struct partition_module *pm = root_find_module(info, "pinger.elf");
    struct child uart, pinger;
    if (!um || !pm) {
        printf("root: FAIL: needs uart.elf and pinger.elf modules\n");
        return 1;
    }
    uint64_t me = info->partition_id;
    child_memory_init(info);
    int st = child_create_elf(&uart, "uart", (const void *)(uintptr_t)um->base, um->size);
    if (!st)
        st = child_create_elf(&pinger, "pinger", (const void *)(uintptr_t)pm->base, pm->size);
    if (!st)
        st = root_create_port(me, 1, pinger.id, HV_PORT_TYPE_MESSAGE, HV_SINT_INTERCEPTS);
    if (!st)
        st = root_connect(pinger.id, 1, me, 1);
    if (!st)
        st = child_start(&pinger);
    if (!st)
        st = child_start(&uart);
    if (st) {
        printf("root: FAIL: cannot set up the children: %s\n", hv_status_name(st));
        return 1;
    }
    /* The uart child's first access is refused, its second held unanswered;
     * then it waits, and the pinger's message may come before or after. */
    int others = 0, intercepts = 0, refused = -1;
    struct hv_x64_io_intercept_message held;
    memset(&held, 0, sizeof held);
    for (int halts = 0; halts < 5000 && !(others == 1 && intercepts == 2);) {
        struct hv_x64_io_intercept_message io;
        int r = uart_emul_next(&io);
        if (r < 0) {
            __asm__ volatile("hlt");
            halts++;
        } else if (r == 0) {
            others++;
        } else if (++intercepts == 1) {
            refused = uart_emul_refuse(&io, "this test emulates no device for it");
        } else {
            held = io;
        }
    }
    if (others != 1 || intercepts != 2) {
        printf("root: FAIL: %d other messages and %d intercepts on SINT %u (expected 1 and 2)\n",
               others, intercepts, HV_SINT_INTERCEPTS);
        return 1;
    }
    int fin = hv_call_fast(HVCALL_FINALIZE_PARTITION, uart.id, 0);
    int late = uart_emul_complete(&held, 0);
    int del = hv_call_fast(HVCALL_DELETE_PARTITION, uart.id, 0);
    if (!del)
        root_pages_release(uart.id);
    int later = uart_emul_complete(&held, 0);
    printf("root: child %llu finalized while its VP waited on port 0x%x: %s; the late answer: "
           "%s; deleted: %s; then the answer: %s\n",
           (unsigned long long)uart.id, held.port, hv_status_name((hv_status_t)fin),
           hv_status_name((hv_status_t)late), hv_status_name((hv_status_t)del),
           hv_status_name((hv_status_t)later));
    int ok = refused == HV_STATUS_SUCCESS && fin == HV_STATUS_SUCCESS &&
             late == HV_STATUS_INVALID_VP_STATE && del == HV_STATUS_SUCCESS &&
             later == HV_STATUS_INVALID_PARTITION_ID;
    child_remove(&pinger);
    printf("root: intercept edges (report, refuse, cancel): %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* Containment: a child flooding the root with messages does not stop or
 * starve another child.  Each has its own root SINT, so the flooder's full
 * queue refuses only the flooder; the timer shares the CPU. */
static int test_flood(const struct partition_boot_info *info)
{
    const struct partition_module *fm = root_find_module(info, "flooder.elf");
    const struct partition_module *pm = root_find_module(info, "pinger.elf");
    struct child flooder, pinger;
    if (!fm || !pm) {
        printf("root: FAIL: needs flooder.elf and pinger.elf modules\n");
        return 1;
    }
    uint64_t me = info->partition_id;
    child_memory_init(info);
    int st = child_create_elf(&flooder, "flooder", (const void *)(uintptr_t)fm->base, fm->size);
    if (!st)
        st = child_create_elf(&pinger, "pinger", (const void *)(uintptr_t)pm->base, pm->size);
    for (int k = 0; !st && k < 2; k++) {
        st = root_create_port(me, 0x500 + (uint32_t)k, k ? pinger.id : flooder.id,
                              HV_PORT_TYPE_MESSAGE, 4 + (uint32_t)k); /* a SINT each */
        if (!st)
            st = root_connect(k ? pinger.id : flooder.id, 1, me, 0x500 + (uint32_t)k);
    }
    if (!st)
        st = child_start(&flooder);
    if (!st)
        st = child_start(&pinger);
    if (st) {
        printf("root: FAIL: cannot set up the children: %s\n", hv_status_name(st));
        return 1;
    }
    printf("root: child %llu floods the root with messages; child %llu does its work beside it\n",
           (unsigned long long)flooder.id, (unsigned long long)pinger.id);
    struct hv_input_sint *in = (void *)hv_input_page;
    int ticks = 0;
    for (;; ticks++) {
        in->sint = 5;
        in->reserved = 0;
        st = hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page);
        if (st != HV_STATUS_NO_DATA || ticks == 3000)
            break;
        __asm__ volatile("hlt");
    }
    char text[8] = {0}, shown[4 * sizeof text]; /* shown: escaped for COM1 */
    memcpy(text, ((const struct hv_message *)hv_output_page)->payload, 5);
    format_escape(shown, sizeof shown, text, strlen(text));
    struct hv_output_exit_stats fs;
    root_exit_stats(flooder.id, &fs);
    printf("root: the other child answered \"%s\" after %d halts; the flooder made %llu "
           "hypercalls and was preempted %llu times\n",
           shown, ticks, (unsigned long long)fs.count[HV_EXIT_HYPERCALL],
           (unsigned long long)fs.count[HV_EXIT_INTERRUPT]);
    /* The flooder's queue is full: one more post from it is refused, not lost. */
    in->sint = 4;
    in->reserved = 0;
    hv_status_t full = hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page);
    int ok = strcmp(text, "ready") == 0 && full == HV_STATUS_SUCCESS &&
             fs.count[HV_EXIT_HYPERCALL] > HV_MESSAGE_QUEUE_DEPTH + 1;
    child_remove(&flooder);
    printf("root: a flooding child did not stop the others: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int root_selftest(const char *name, const struct partition_boot_info *info)
{
    if (strcmp(name, "unknown-hypercall") == 0)
        return test_unknown_hypercall();
    if (strcmp(name, "bad-input") == 0)
        return test_bad_input(info);
    if (strcmp(name, "hv-page-write") == 0)
        return test_hv_page_write();
    if (strcmp(name, "triple-fault") == 0)
        return test_triple_fault();
    if (strcmp(name, "null-calls") == 0)
        return test_null_calls(info);
    if (strcmp(name, "io-msr") == 0)
        return test_io_msr();
    if (strcmp(name, "spinner") == 0)
        return test_spinner(info);
    if (strcmp(name, "child-module") == 0)
        return test_child_module(info);
    if (strcmp(name, "console") == 0)
        return console_demo(info);
    if (strcmp(name, "console-flood") == 0)
        return console_flood_demo(info);
    if (strcmp(name, "console-bad-ring") == 0)
        return console_bad_ring_demo(info);
    if (strcmp(name, "serve-revoke") == 0)
        return serve_revoke_test(info);
    if (strcmp(name, "sint-interrupt") == 0)
        return test_sint_interrupt(info);
    if (strcmp(name, "fault-restart") == 0)
        return test_fault_restart(info);
    if (strcmp(name, "sint-delivery-fault") == 0)
        return test_sint_delivery_fault(info);
    if (strcmp(name, "block") == 0)
        return block_demo(info);
    if (strcmp(name, "faults") == 0)
        return faults_test(info);
    if (strcmp(name, "bench-console") == 0)
        return bench_console(info);
    if (strcmp(name, "bench-block") == 0)
        return bench_block(info);
    if (strcmp(name, "bench-message") == 0)
        return bench_oneway(info, BENCH_ONEWAY_MESSAGE);
    if (strcmp(name, "bench-event") == 0)
        return bench_oneway(info, BENCH_ONEWAY_EVENT);
    if (strcmp(name, "bench-children") == 0)
        return bench_children(info);
    if (strcmp(name, "uart") == 0)
        return test_uart(info);
    if (strcmp(name, "ioloop") == 0)
        return test_ioloop(info);
    if (strcmp(name, "flood") == 0)
        return test_flood(info);
    if (strcmp(name, "intercept-edges") == 0)
        return test_intercept_edges(info);
    if (strcmp(name, "isolation") == 0)
        return isolation_matrix(info);
    if (strcmp(name, "big-child") == 0)
        return big_child_test(info);
    if (strcmp(name, "linux") == 0)
        return linux_child_test(info);
    if (strcmp(name, "linux-cpu") == 0)
        return linux_cpu_test();
    printf("root: FAIL: unknown test '%s'\n", name);
    return 1;
}
