/* SPDX-License-Identifier: MIT */
/*
 * The floor (floor.h).  The guest is five bytes at guest-physical 0, run
 * in real mode:
 *     0: vmmcall / vmcall      (0f 01 d9 / 0f 01 c1)
 *     3: jmp 0                 (eb fb)
 * and the handler only checks that the exit is that hypercall and moves
 * RIP past it.  So a round trip is the world switch as the partitions get
 * it (the backend's vcpu_run: guest state, VMLOAD or VMPTRLD as needed, the
 * entry stub, the exit's decoding) plus the skip and one jump in the guest.
 * It runs before the root exists and before the hypervisor's timer starts,
 * with the firmware's interrupts masked: no other exit comes in between.
 */
#include "floor.h"

#include "../../lib/cmdline.h"
#include "../arch/arch.h"
#include "../arch/virt.h"
#include "log.h"
#include "partition.h" /* hv_virt */

/* floor=N: N, or 0 if it is not a number from 1 to 10,000,000. */
static uint64_t parse_count(const char *text)
{
    uint64_t n = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9' || n > 10000000)
            return 0;
        n = n * 10 + (uint64_t)(*c - '0');
    }
    return n <= 10000000 ? n : 0;
}

void floor_run(const char *cmdline)
{
    char text[16];
    if (!cmdline_value(cmdline, "floor", text, sizeof text))
        return;
    uint64_t n = parse_count(text);
    if (!n) {
        kprintf("floor: \"%s\" is not a count from 1 to 10000000: not measured\n", text);
        return;
    }
    struct slat slat = {0};
    uint64_t code = hv_page_alloc();
    uint64_t io = hv_pages_alloc(2); /* zeroed: no port passes through */
    if (!code || !io || hv_virt->slat_init(&slat) ||
        hv_virt->slat_map(&slat, 0, code, SLAT_RWX)) {
        kprintf("floor: out of memory: not measured\n");
        return;
    }
    uint8_t *p = (uint8_t *)(uintptr_t)code;
    p[0] = 0x0f;
    p[1] = 0x01;
    p[2] = hv_virt->kind == HV_BACKEND_SVM ? 0xd9 : 0xc1;
    p[3] = 0xeb;
    p[4] = 0xfb;
    /* Tag 1 is the root's, which does not exist yet; flushed below before
     * the root gets it. */
    struct vcpu_partition_info info = {&slat, 1, (const uint8_t *)(uintptr_t)io};
    struct vcpu_setup setup = {.mode = VCPU_MODE_REAL, .rip = 0, .rsp = 0x1000, .rflags = 0};
    struct arch_vcpu *v = hv_virt->vcpu_create(&info, &setup);
    if (!v) {
        kprintf("floor: no vCPU: not measured\n");
        return;
    }
    struct guest_gprs gprs = {0};
    struct vm_exit e;
    arch_legacy_irqs_off(); /* the PIT would interrupt the guest (and hit vector 8) */
    uint64_t done = 0, t0 = arch_tsc();
    for (; done < n; done++) {
        hv_virt->vcpu_run(v, &gprs, &e);
        if (e.reason != HV_EXIT_HYPERCALL)
            break;
        hv_virt->vcpu_skip(v, &e);
    }
    uint64_t ticks = arch_tsc() - t0;
    if (done < n)
        kprintf("floor: exit %llu was not the hypercall (reason %u, raw 0x%llx): not measured\n",
                (unsigned long long)done, (unsigned)e.reason, (unsigned long long)e.raw_reason);
    else
        kprintf("floor: %llu exits, %llu TSC ticks, %llu TSC ticks per exit\n",
                (unsigned long long)n, (unsigned long long)ticks,
                (unsigned long long)((ticks + n / 2) / n));
    hv_virt->vcpu_destroy(v);
    hv_virt->slat_flush(&slat, 1);
    hv_virt->slat_destroy(&slat);
    hv_page_free(code);
    hv_page_free(io);
    hv_page_free(io + 4096);
}
