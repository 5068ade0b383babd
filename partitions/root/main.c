/* SPDX-License-Identifier: MIT */
/*
 * The root partition: the first program the hypervisor starts.  It owns the
 * console (COM1) and, later, the devices; it manages child partitions.
 * Today it says hello from guest mode and runs the checks named by its
 * command line (test=NAME), which the system tests use.
 */
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/runtime.h"
#include "demo.h"
#include "root.h"
#include "serve_in_hv.h"
#include "root_pages.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* Prints what the partition sees of the hypervisor through CPUID. */
static int report_cpuid(void)
{
    uint32_t r[4];
    char sig[13];
    cpuid(HV_CPUID_VENDOR_LEAF, r);
    for (int i = 0; i < 12; i++)
        sig[i] = (char)(r[1 + i / 4] >> (8 * (i % 4)));
    sig[12] = '\0';
    uint32_t max = r[0];
    cpuid(HV_CPUID_INTERFACE_LEAF, r);
    uint32_t version = r[0], backend = r[1];
    cpuid(1, r);
    int present = (r[2] >> 31) & 1;
    printf("root: CPUID 0x40000000 \"%s\" (max leaf 0x%x), interface %u.%u, backend %s, "
           "hypervisor-present bit %d\n",
           sig, max, version >> 16, version & 0xffff,
           backend == HV_BACKEND_VMX ? "VT-x (vmcall)"
           : backend == HV_BACKEND_SVM ? "AMD-V (vmmcall)" : "unknown",
           present);
    return hv_detect() && present;
}

int partition_main(const struct partition_boot_info *info)
{
    printf("root: partition %llu running in guest mode, %u memory ranges, args \"%s\"\n",
           (unsigned long long)info->partition_id, info->range_count, info->cmdline);
    if (info->magic != PARTITION_BOOT_MAGIC) {
        printf("root: FAIL: bad boot information magic\n");
        return 1;
    }
    if (!report_cpuid()) {
        printf("root: FAIL: no Partita hypervisor leaf in CPUID\n");
        return 1;
    }
    root_services_in_hv = info->services_in_hypervisor != 0;
    if (arg_has(info, "scenario"))
        return root_play_scenario(info); /* the steps say which pages to use */
    /* Every page the root gives a hypercall from here on is a page the
     * reference model knows (root_pages.h). */
    root_pages_init(info);
    uint64_t in = root_pages_take(1, info->partition_id),
             out = root_pages_take(1, info->partition_id);
    if (in && out)
        hv_use_parameter_pages((void *)(uintptr_t)(in << 12), (void *)(uintptr_t)(out << 12));
    char test[32];
    int rc = arg_value(info, "test", test, sizeof test) ? root_selftest(test, info)
             : arg_has(info, "shell")                   ? root_shell(info)
                                                        : root_demo(info);
    /* How much of what the root lends from was used (root_pages.h). */
    printf("root: pages lent to the hypervisor: at most %u at once, of %u it lends from\n",
           root_pages_peak(), root_pages_total());
    return rc;
}
