/* SPDX-License-Identifier: MIT */
/*
 * The demo `make run` shows: the root starts every child whose image it
 * was given as a boot module, lets them run side by side, serves each
 * until its work is done, prints what each partition did (fleet_table),
 * stops them all and shuts down.  Missing modules are skipped and named,
 * so the demo runs with whatever images the build has.
 */
#include "demo.h"

#include "../lib/console.h"
#include "block_demo.h"
#include "fleet.h"
#include "root.h"
#include "serve_in_hv.h"

/* In the order they are started, with what a new user should look for. */
static const struct {
    const char *name, *module;
    const char *what;
} plan[] = {
    {"hello", "hello.elf", "prints through the console channel: its lines appear as \"[hello] ...\", "
              "including one 16000-byte line that wraps its 4 KiB ring four times "
              "(the child waits for its reader when the ring is full: flow control; the console "
              "shows the line's start; in BUILD=mono the hypervisor is the reader)"},
    {"pinger", "pinger.elf", "makes 100 null hypercalls, then posts \"ready\" to the root"},
    {"sintirq", "sintirq.elf", "sleeps with no work; the root's message wakes it as a virtual interrupt "
                "and it answers \"irq=1+\""},
    {"uart", "uart.elf", "knows nothing of hypercalls: it writes a line to a 16550 UART at COM2 "
             "with IN/OUT; the hypervisor intercepts each access and the root emulates the UART "
             "(in BUILD=mono the hypervisor does)"},
};
#define PLAN (sizeof plan / sizeof plan[0])

int root_demo(const struct partition_boot_info *info)
{
    struct fleet_child *started[PLAN];
    unsigned count = 0;
    fleet_init(info);
    printf("\n== demo: the root partition starts its children from the boot modules it was "
           "given ==\n");
    for (unsigned i = 0; i < PLAN; i++) {
        started[i] = 0;
        if (!fleet_has_module(plan[i].name)) {
            printf("root: no %s.elf module was given: %s is skipped\n", plan[i].name,
                   plan[i].name);
            continue;
        }
        printf("root: %s %s\n", plan[i].name, plan[i].what);
        started[i] = fleet_launch(plan[i].name);
        count += started[i] != 0;
    }
    /* Images the demo has no plan for (say, a child that needs a service
     * the demo does not set up) are named, so nothing given goes unmentioned. */
    for (uint32_t i = 0; i < info->module_count; i++) {
        int planned = 0;
        for (unsigned j = 0; j < PLAN; j++)
            planned |= root_find_module(info, plan[j].module) == &info->modules[i];
        planned |= root_find_module(info, "blockrw.elf") == &info->modules[i];
        if (!planned)
            printf("root: module %s is not part of the demo: not started (see make run "
                   "INTERACTIVE=1)\n", info->modules[i].name);
    }

    printf("\n== demo: %u children run side by side; the root serves each until its work "
           "is done ==\n", count);
    for (unsigned i = 0; i < PLAN; i++)
        if (started[i])
            fleet_serve(started[i]);

    printf("\n== demo: what each partition did, counted by the hypervisor (exits by reason) "
           "and by the root (its channels) ==\n");
    printf("root: exits: hcall = hypercalls, hlt = halts, npf = nested page faults, "
           "fatal = triple faults, intr = timer preemptions\n");
    printf("root: msgs and bytes: in = from the root to the child, out = from the child to "
           "the root\n");
    fleet_table(0);
    unsigned not_done;
    fleet_count(&not_done);

    printf("\n== demo: the root finalizes and deletes its children, then shuts the machine "
           "down ==\n");
    fleet_stop_all();
    int block_failed = 0;
    if (root_find_module(info, "blockrw.elf")) {
        printf("\n== demo: the block service: a child writes and reads back sectors of the "
               "disk %s drives with its own ATA driver ==\n",
               root_services_in_hv ? "the hypervisor (BUILD=mono)" : "the root");
        block_failed = block_demo(info) != 0;
    }
    printf("root: demo finished: %u children started, %u did their work%s%s\n", count,
           count - not_done, block_failed ? "; the block service failed" : "",
           not_done || block_failed ? " - FAIL" : "");
    return not_done || block_failed ? 1 : 0;
}
