/* SPDX-License-Identifier: MIT */
#include "bench.h"

#include "../lib/bench_params.h"
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "block_demo.h"
#include "channel_offer.h"
#include "child.h"
#include "console_demo.h"
#include "fleet.h"
#include "ports.h"
#include "root.h"
#include "text.h"
#include "vsp_block.h"
#include "vsp_console.h"

#define IDLE_HALTS 5000
#define BENCH_READS 64      /* partitions/guests/blkbench: 4 KiB each */
#define HELLO_BYTES 16274u  /* what partitions/guests/hello sends, its summary included */

struct meter {
    uint64_t root_exits, t0;
};

static struct meter meter_start(void)
{
    struct meter m = {root_total_exits(HV_PARTITION_ID_SELF), rdtsc_now()};
    return m;
}

/* Exits of the root since the start and all the child's; ticks since. */
static void meter_stop(const struct meter *m, const struct child *c, uint64_t *root_exits,
                       uint64_t *child_exits, uint64_t *ticks)
{
    *ticks = rdtsc_now() - m->t0;
    *root_exits = root_total_exits(HV_PARTITION_ID_SELF) - m->root_exits;
    *child_exits = root_total_exits(c->id);
}

/* The parameter page (partitions/lib/bench_params.h) mapped at the child's
 * BENCH_PARAMS_GPA, with its magic; NULL (and a line) if it cannot be. */
struct bench_params *bench_params_page(const struct child *c)
{
    struct bench_params *p = child_ring_pages(c, 1);
    int st = p ? 0 : HV_STATUS_INSUFFICIENT_MEMORY;
    if (!st)
        st = child_map_page(c->id, BENCH_PARAMS_GPA >> 12, (uint64_t)(uintptr_t)p >> 12,
                            HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
                                HV_MAP_GPA_PARTITA_SHARED);
    if (st) {
        printf("root: FAIL: cannot give %s its parameters: %s\n", c->name,
               hv_status_name((hv_status_t)st));
        return 0;
    }
    p->magic = BENCH_PARAMS_MAGIC;
    return p;
}

/* The block workload's request size: bench-request-sectors=N on the root's
 * command line (ci/bench.sh's block sweep), 0 (the default workload)
 * without it, -1 if out of range. */
static int request_sectors(const struct partition_boot_info *info)
{
    char text[24];
    uint64_t n = 0;
    if (!arg_value(info, "bench-request-sectors", text, sizeof text))
        return 0;
    number_after(text, strlen(text), "", &n);
    return n < 1 || n > BLOCK_MAX_SECTORS ? -1 : (int)n;
}

/* The console workload's line length: bench-line-bytes=N on the root's
 * command line (ci/bench.sh's sweep), BENCH_LINE_BYTES without it. */
static uint32_t line_bytes(const struct partition_boot_info *info)
{
    uint64_t n = arg_number(info, "bench-line-bytes", BENCH_LINE_BYTES);
    return n < BENCH_LINE_BYTES_MIN || n > BENCH_LINE_BYTES_MAX ? 0 : (uint32_t)n;
}

/* The console channel's rings: bench-ring-pages=N on the root's command
 * line (ci/bench-ring.sh's sweep), pages of each ring; 1 without it, 0 if
 * out of range (the child's rings sit at CHANNEL_CHILD_RING_GPA, and mono
 * attaches at most 8 pages: 2 rings of 4). */
#define BENCH_RING_PAGES_MAX 4u
static uint32_t ring_pages(const struct partition_boot_info *info)
{
    uint64_t n = arg_number(info, "bench-ring-pages", CHANNEL_RING_BYTES / 4096);
    return n < 1 || n > BENCH_RING_PAGES_MAX ? 0 : (uint32_t)n;
}

int bench_console(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    struct child c;
    uint32_t bytes = line_bytes(info), pages = ring_pages(info);
    if (!bytes) {
        printf("root: FAIL: bench-line-bytes must be %u to %u\n", BENCH_LINE_BYTES_MIN,
               BENCH_LINE_BYTES_MAX);
        return 1;
    }
    if (!pages) {
        printf("root: FAIL: bench-ring-pages must be 1 to %u\n", BENCH_RING_PAGES_MAX);
        return 1;
    }
    channel_ring_bytes = pages * 4096;
    if (console_child_build(info, "conbench", &c, &vc))
        return 1;
    /* The workload's parameters, on a page the child reads at
     * BENCH_PARAMS_GPA (partitions/lib/bench_params.h). */
    struct bench_params *p = bench_params_page(&c);
    if (!p)
        return 1;
    p->lines = BENCH_LINES;
    p->line_bytes = bytes;
    struct meter m = meter_start();
    int st = child_start(&c);
    int served = st ? 1 : vsp_console_serve(&vc, IDLE_HALTS);
    uint64_t root_exits, child_exits, ticks;
    meter_stop(&m, &c, &root_exits, &child_exits, &ticks);
    printf("root: bench console: %llu lines of %u bytes", (unsigned long long)vc.stats.lines,
           bytes);
    if (pages != 1)
        printf(" in rings of %u bytes", channel_ring_bytes);
    printf(", %llu exits, %llu TSC ticks; %llu root exits, %llu child exits\n",
           (unsigned long long)(root_exits + child_exits), (unsigned long long)ticks,
           (unsigned long long)root_exits, (unsigned long long)child_exits);
    int ok = !st && served == 0 && vc.stats.lines == BENCH_LINES &&
             vc.stats.bytes == (uint64_t)BENCH_LINES * bytes;
    ok &= child_remove(&c) == 0;
    printf("root: console workload: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int bench_block(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    static struct vsp_block vb;
    static struct ata_disk disk;
    struct child c;
    if (ata_probe(&disk) != ATA_OK) {
        printf("root: FAIL: no ATA disk\n");
        return 1;
    }
    int per = request_sectors(info);
    if (per < 0) {
        printf("root: FAIL: bench-request-sectors must be 1 to %u\n", BLOCK_MAX_SECTORS);
        return 1;
    }
    if (console_child_build(info, "blkbench", &c, &vc))
        return 1;
    struct bench_params *p = bench_params_page(&c);
    if (!p)
        return 1;
    p->request_sectors = (uint32_t)per;
    struct meter m = meter_start();
    int st = child_start(&c);
    if (!st)
        st = block_await_console_open(&vc) ? HV_STATUS_INVALID_PARTITION_STATE : 0;
    if (!st)
        st = vsp_block_offer(&vb, &c, channel_ring_pages(&c), &disk);
    int served = st ? 1 : vsp_block_serve(&vb, IDLE_HALTS);
    served |= st ? 1 : vsp_console_serve(&vc, IDLE_HALTS);
    uint64_t root_exits, child_exits, ticks;
    meter_stop(&m, &c, &root_exits, &child_exits, &ticks);
    int ok;
    if (per == 0) {
        uint64_t reads = vb.stats.sectors_read / 8;
        printf("root: bench block: %llu reads of 4 KiB, %llu exits, %llu TSC ticks; "
               "%llu root exits, %llu child exits\n",
               (unsigned long long)reads, (unsigned long long)(root_exits + child_exits),
               (unsigned long long)ticks, (unsigned long long)root_exits,
               (unsigned long long)child_exits);
        ok = served == 0 && reads == BENCH_READS && vb.stats.errors == 0 &&
             vb.stats.requests == 2 * BENCH_READS + 1; /* + the size query */
    } else {
        uint64_t requests = vb.stats.requests - 1; /* the size query */
        printf("root: bench block: %llu requests of %d sectors, %llu exits, %llu TSC ticks; "
               "%llu root exits, %llu child exits\n",
               (unsigned long long)requests, per,
               (unsigned long long)(root_exits + child_exits), (unsigned long long)ticks,
               (unsigned long long)root_exits, (unsigned long long)child_exits);
        ok = served == 0 && requests == BENCH_SWEEP_REQUESTS && vb.stats.errors == 0 &&
             vb.stats.sectors_read == (uint64_t)BENCH_SWEEP_REQUESTS * (uint64_t)per;
    }
    ok &= child_remove(&c) == 0;
    printf("root: block workload: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* The message row's payload: bench-payload-bytes=N on the root's command
 * line (ci/bench-ipc.sh's sweep), BENCH_PAYLOAD_BYTES without it; -1 if
 * over HV_MESSAGE_PAYLOAD. */
static int payload_bytes(const struct partition_boot_info *info)
{
    uint64_t n = arg_number(info, "bench-payload-bytes", BENCH_PAYLOAD_BYTES);
    return n > HV_MESSAGE_PAYLOAD ? -1 : (int)n;
}

/*
 * One way, BENCH_ONEWAY_COUNT times: the root posts a message to the
 * halted child (connection 7 -> its port 1) or signals its event
 * (connection 8 -> port 2, flag 0), then halts until the child has taken
 * it: woken, read and ended the message (or taken the flag) and halted
 * again.  The window starts once the child sleeps, so its start is not in
 * the counts; every unit is the sender's call and HLT, the receiver's
 * wake-up, its calls and its HLT.
 */
int bench_oneway(const struct partition_boot_info *info, uint32_t mode)
{
    const char *what = mode == BENCH_ONEWAY_MESSAGE ? "message" : "event";
    const struct partition_module *mod = root_find_module(info, "oneway.elf");
    int size = mode == BENCH_ONEWAY_MESSAGE ? payload_bytes(info) : 0;
    if (!mod || size < 0) {
        printf("root: FAIL: %s\n", mod ? "bench-payload-bytes must be 0 to 240"
                                       : "no oneway.elf module");
        return 1;
    }
    child_memory_init(info);
    uint64_t me = info->partition_id;
    struct child c;
    int st = child_create_elf(&c, "oneway", (const void *)(uintptr_t)mod->base, mod->size);
    struct bench_params *p = st ? 0 : bench_params_page(&c);
    if (!p)
        return 1;
    p->oneway = mode;
    if (mode == BENCH_ONEWAY_MESSAGE) {
        st = root_create_port(c.id, 1, me, HV_PORT_TYPE_MESSAGE, 0);
        if (!st)
            st = root_connect(me, 7, c.id, 1);
    } else {
        st = root_create_port(c.id, 2, me, HV_PORT_TYPE_EVENT, 0);
        if (!st)
            st = root_connect(me, 8, c.id, 2);
    }
    if (!st)
        st = child_start(&c);
    for (int i = 0; !st && !p->ready && i < 1000; i++)
        __asm__ volatile("hlt");
    if (st || !p->ready) {
        printf("root: FAIL: cannot set up the child: %s\n",
               st ? hv_status_name((hv_status_t)st) : "it never got ready");
        return 1;
    }
    /* The child's count first: make profile's window starts at the root's. */
    uint64_t child0 = root_total_exits(c.id);
    uint64_t root0 = root_total_exits(HV_PARTITION_ID_SELF), t0 = rdtsc_now();
    struct hv_input_post_message *msg = (void *)hv_input_page;
    memset(msg, 0, sizeof *msg);
    msg->connection_id = 7;
    msg->message_type = 1;
    msg->payload_size = (uint32_t)size;
    for (int i = 0; i < size; i++)
        ((uint8_t *)msg->payload)[i] = (uint8_t)('a' + i % 26);
    struct hv_input_signal_event ev = {.connection_id = 8, .flag_number = 0};
    uint64_t fast;
    memcpy(&fast, &ev, sizeof fast);
    uint32_t sent = 0, stuck = 0;
    for (; sent < BENCH_ONEWAY_COUNT && !st && !stuck; sent++) {
        st = mode == BENCH_ONEWAY_MESSAGE ? hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0)
                                          : hv_call_fast(HVCALL_SIGNAL_EVENT, fast, 0);
        int halts = 0;
        while (!st && p->received <= sent && halts++ < 1000)
            __asm__ volatile("hlt");
        stuck = p->received <= sent;
    }
    uint64_t ticks = rdtsc_now() - t0;
    uint64_t root_exits = root_total_exits(HV_PARTITION_ID_SELF) - root0;
    uint64_t child_exits = root_total_exits(c.id) - child0;
    uint32_t got = p->received;
    uint64_t bytes = p->bytes;
    char sized[24] = "";
    if (mode == BENCH_ONEWAY_MESSAGE)
        format_string(sized, sizeof sized, " of %d bytes", size);
    printf("root: bench %s: %u %ss%s, %llu exits, %llu TSC ticks; "
           "%llu root exits, %llu child exits\n",
           what, got, what, sized, (unsigned long long)(root_exits + child_exits),
           (unsigned long long)ticks, (unsigned long long)root_exits,
           (unsigned long long)child_exits);
    int ok = !st && got == BENCH_ONEWAY_COUNT &&
             bytes == (uint64_t)BENCH_ONEWAY_COUNT * (uint64_t)size;
    if (st)
        printf("root: the %s call failed: %s\n", what, hv_status_name((hv_status_t)st));
    ok &= child_remove(&c) == 0;
    printf("root: %s workload: %s\n", what, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

/* make bench's children sweep: bench-children=N hello children at once,
 * each writing its 6 lines (16,274 bytes with its summary) through its
 * own console channel, all served side by side (fleet.c, as the demo
 * does); counts for the whole run, per child. */
int bench_children(const struct partition_boot_info *info)
{
    uint64_t n = arg_number(info, "bench-children", 1);
    if (n < 1 || n > FLEET_MAX) {
        printf("root: FAIL: bench-children must be 1 to %u\n", FLEET_MAX);
        return 1;
    }
    fleet_init(info);
    struct fleet_child *fc[FLEET_MAX];
    struct meter m = meter_start();
    for (uint64_t i = 0; i < n; i++)
        if (!(fc[i] = fleet_launch("hello"))) {
            printf("root: FAIL: cannot start hello child %llu of %llu\n",
                   (unsigned long long)i + 1, (unsigned long long)n);
            return 1;
        }
    fleet_serve_consoles(0); /* until none is running */
    uint64_t ticks = rdtsc_now() - m.t0;
    uint64_t root_exits = root_total_exits(HV_PARTITION_ID_SELF) - m.root_exits;
    uint64_t child_exits = 0;
    int ok = 1;
    for (uint64_t i = 0; i < n; i++) {
        child_exits += root_total_exits(fc[i]->c.id);
        ok &= fc[i]->state == FLEET_DONE && fleet_console_bytes(fc[i]) == HELLO_BYTES;
    }
    printf("root: bench children: %llu children, %llu exits, %llu TSC ticks; "
           "%llu root exits, %llu child exits\n",
           (unsigned long long)n, (unsigned long long)(root_exits + child_exits),
           (unsigned long long)ticks, (unsigned long long)root_exits,
           (unsigned long long)child_exits);
    fleet_stop_all();
    printf("root: children workload: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
