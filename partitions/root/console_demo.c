/* SPDX-License-Identifier: MIT */
/*
 * Root self-tests of the console service over a channel:
 *   test=console           the hello child (module hello.elf) prints through
 *                          the channel; every byte must arrive intact, in
 *                          order, with the writer waiting on a full ring
 *   test=console-bad-ring  the badring child (module badring.elf) corrupts
 *                          its ring; the root must close the channel with
 *                          a report and keep running
 */
#include "console_demo.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "root.h"
#include "text.h"
#include "fleet.h"
#include "serve_in_hv.h"
#include "vsp_console.h"

#define IDLE_HALTS 5000 /* timer ticks without a sign of life: the child is gone */

/* What the hello child says it sent, from its summary line. */
struct claim {
    int seen;
    uint64_t lines, bytes, fnv, waits;
    struct vsp_console_stats got; /* what had arrived before that line */
};

static void on_line(struct vsp_console *vc, const char *line, size_t len)
{
    struct claim *c = vc->ctx;
    static const char tag[] = "hello: sent ";
    if (len < sizeof tag - 1 || memcmp(line, tag, sizeof tag - 1) != 0)
        return;
    c->seen = number_after(line, len, "sent ", &c->lines) &&
              number_after(line, len, "lines, ", &c->bytes) &&
              number_after(line, len, "fnv1a ", &c->fnv) &&
              number_after(line, len, "waited ", &c->waits);
    c->got = vc->before_line;
}

int console_child_build(const struct partition_boot_info *info, const char *name,
                        struct child *c, struct vsp_console *vc)
{
    char module[32];
    format_string(module, sizeof module, "%s.elf", name);
    const struct partition_module *m = root_find_module(info, module);
    if (!m) {
        printf("root: FAIL: no %s module\n", module);
        return 1;
    }
    child_memory_init(info);
    int st = child_create_elf(c, name, (const void *)(uintptr_t)m->base, m->size);
    if (!st)
        st = vsp_console_offer(vc, c, 1, channel_ring_pages(c));
    if (st)
        printf("root: FAIL: cannot build %s with a console channel: %s\n", name,
               hv_status_name((hv_status_t)st));
    return st != 0;
}

/* Builds the child, offers it the console channel and starts it. */
static int start_child(const struct partition_boot_info *info, const char *name,
                       struct child *c, struct vsp_console *vc)
{
    if (console_child_build(info, name, c, vc))
        return 1;
    int st = child_start(c);
    if (st) {
        printf("root: FAIL: cannot start %s: %s\n", name, hv_status_name((hv_status_t)st));
        return 1;
    }
    printf("root: child %llu (%s) started; console channel offered: 2 rings of %u data bytes "
           "at child GPA 0x%llx\n",
           (unsigned long long)c->id, name, vc->ch.rx.size,
           (unsigned long long)CHANNEL_CHILD_RING_GPA);
    return 0;
}

int console_demo(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    struct child c;
    struct claim claim;
    memset(&claim, 0, sizeof claim);
    vc.on_line = on_line;
    vc.ctx = &claim;
    if (start_child(info, "hello", &c, &vc))
        return 1;
    int served = vsp_console_serve(&vc, IDLE_HALTS);
    printf("root: console summary: %llu lines, %llu bytes from %s, fnv1a 0x%08x; the writer "
           "was woken %llu times after waiting for space\n",
           (unsigned long long)vc.stats.lines, (unsigned long long)vc.stats.bytes, vc.name,
           vc.stats.fnv, (unsigned long long)vc.ch.wakeups);
    int ok = served == 0 && claim.seen;
    if (!claim.seen)
        printf("root: FAIL: no summary line from the child\n");
    else {
        printf("root: the child sent %llu lines, %llu bytes, fnv1a 0x%08llx before its summary; "
               "the root got %llu lines, %llu bytes, fnv1a 0x%08x\n",
               (unsigned long long)claim.lines, (unsigned long long)claim.bytes,
               (unsigned long long)claim.fnv, (unsigned long long)claim.got.lines,
               (unsigned long long)claim.got.bytes, claim.got.fnv);
        ok &= claim.lines == claim.got.lines && claim.bytes == claim.got.bytes &&
              claim.fnv == claim.got.fnv;
        /* The long line cannot fit: the writer must have waited.  Not so
         * in BUILD=mono, where the hypervisor reads at every signal. */
        ok &= root_services_in_hv || (claim.waits > 0 && vc.ch.wakeups > 0);
    }
    ok &= child_remove(&c) == 0;
    printf("root: console channel: everything arrived intact and in order, %s: %s\n",
           root_services_in_hv ? "served inside the hypervisor" : "with flow control",
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int console_bad_ring_demo(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    struct child c;
    if (start_child(info, "badring", &c, &vc))
        return 1;
    int served = vsp_console_serve(&vc, IDLE_HALTS);
    int ok = served != 0 && vc.ch.state == CHANNEL_CLOSED && !vc.ch.closed_by_peer &&
             vc.ch.reason == CHANNEL_CLOSE_MALFORMED_RING && vc.stats.lines == 1;
    printf("root: console of %s: %llu good lines before the channel was closed\n", vc.name,
           (unsigned long long)vc.stats.lines);
    ok &= child_remove(&c) == 0;
    /* Still here, still able to make hypercalls: the bad ring hurt nobody. */
    ok &= hv_call_fast(HVCALL_PARTITA_NULL, 0, 0) == HV_STATUS_SUCCESS;
    printf("root: malformed ring detected, channel closed, root still running: %s\n",
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

int console_flood_demo(const struct partition_boot_info *info)
{
    fleet_init(info);
    struct fleet_child *flood = fleet_launch("conflood");
    struct fleet_child *hello = fleet_launch("hello");
    if (!flood || !hello)
        return 1;
    /* Both consoles are served in turns until hello is through. */
    fleet_serve_consoles(hello);
    uint64_t flooded = fleet_console_bytes(flood);
    if (root_services_in_hv)
        printf("root: while hello sent %llu bytes, the flooding child sent %llu; the hypervisor "
               "read each ring in its own child's exits\n",
               (unsigned long long)hello->bytes_out, (unsigned long long)flooded);
    else
        printf("root: while hello sent %llu bytes (at most %llu in one turn), the flooding child "
               "sent %llu (at most %llu in one turn)\n",
               (unsigned long long)hello->bytes_out, (unsigned long long)hello->turn_max,
               (unsigned long long)flooded, (unsigned long long)flood->turn_max);
    int ok = hello->state == FLEET_DONE && flood->state == FLEET_RUNNING;
    /* In BUILD=micro the root's turns bound what one child gets; in
     * BUILD=mono the hypervisor reads each ring in its child's own exits. */
    if (!root_services_in_hv)
        ok &= flood->turn_max <= FLEET_CONSOLE_TURN;
    printf("root: hello %s while the other child flooded its channel\n",
           hello->state == FLEET_DONE ? "finished its work" : "did NOT finish");
    ok &= fleet_stop(flood) == 0 && fleet_stop(hello) == 0;
    printf("root: a child flooding its console channel did not stop the others: %s\n",
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
