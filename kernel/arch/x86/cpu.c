/* SPDX-License-Identifier: MIT */
#include "cpu.h"

#include "../../../lib/string.h"
#include "io.h"

#define MSR_VMX_PROCBASED_CTLS 0x482
#define MSR_VMX_PROCBASED_CTLS2 0x48b

static void put_regs(char *dst, const uint32_t *regs, int count)
{
    memcpy(dst, regs, (unsigned long)count * 4);
}

void cpu_read_features(struct cpu_features *f)
{
    memset(f, 0, sizeof *f);
    struct cpuid_regs r = cpuid(0, 0);
    uint32_t vendor[3] = {r.ebx, r.edx, r.ecx};
    put_regs(f->vendor, vendor, 3);

    struct cpuid_regs ext = cpuid(0x80000000, 0);
    if (ext.eax >= 0x80000004) {
        for (uint32_t leaf = 0; leaf < 3; leaf++) {
            struct cpuid_regs b = cpuid(0x80000002 + leaf, 0);
            uint32_t words[4] = {b.eax, b.ebx, b.ecx, b.edx};
            put_regs(f->brand + 16 * leaf, words, 4);
        }
    }

    struct cpuid_regs std1 = cpuid(1, 0);
    if (std1.ecx & (1u << 5)) {
        f->vmx = 1;
        /* Secondary controls exist only if the primary controls allow them. */
        if (rdmsr(MSR_VMX_PROCBASED_CTLS) >> 32 & (1u << 31)) {
            uint32_t allowed2 = (uint32_t)(rdmsr(MSR_VMX_PROCBASED_CTLS2) >> 32);
            f->vmx_ept = !!(allowed2 & (1u << 1));
            f->vmx_vpid = !!(allowed2 & (1u << 5));
            f->vmx_unrestricted = !!(allowed2 & (1u << 7));
        }
    }

    if (ext.eax >= 0x80000001 && (cpuid(0x80000001, 0).ecx & (1u << 2))) {
        f->svm = 1;
        if (ext.eax >= 0x8000000a) {
            struct cpuid_regs s = cpuid(0x8000000a, 0);
            f->svm_asids = s.ebx;
            f->svm_npt = !!(s.edx & (1u << 0));
            f->svm_nrips = !!(s.edx & (1u << 3));
        }
    }
}
