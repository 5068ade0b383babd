/* SPDX-License-Identifier: MIT */
/*
 * CPUID as a partition sees it: the real processor's answers, minus what a
 * partition cannot have (virtualization extensions, MONITOR/MWAIT,
 * performance counters, XSAVE features whose state is not switched, memory
 * encryption, RDRAND/RDSEED), with the OS-enabled bits taken from the
 * partition's own CR4, plus the hypervisor-present bit and Partita's own
 * leaves at 0x40000000.
 *
 * RDRAND and RDSEED are hidden because their answers come from outside the
 * emulated machine (Bochs: the host's rand()): a Linux child that seeds its
 * hash tables and stack canaries from them runs a different path each time,
 * and Partita's runs must reproduce bit for bit.  Linux falls back to the
 * TSC, which is emulated time.
 */
#include "cpuid.h"

#include "../abi/partition_boot.h"
#include "../arch/arch.h"
#include "partition.h"

#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)

/* Features answered by the hypervisor, not the processor: what the
 * partition has switched on itself, and what it cannot have. */
static void hide_host_features(struct vp *vp, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    uint64_t cr4 = hv_virt->vcpu_get(vp->arch, VCPU_CR4);
    uint64_t offered = arch_xcr0_offered();
    if (leaf == 1) {
        r[2] &= ~(1u << 5);  /* VMX: a partition cannot nest */
        r[2] &= ~(1u << 3);  /* MONITOR/MWAIT: #UD in a partition */
        r[2] &= ~(1u << 30); /* RDRAND: not offered, see the top */
        r[2] &= ~(1u << 27); /* OSXSAVE is the partition's own CR4 bit, not the host's */
        if (cr4 & CR4_OSXSAVE)
            r[2] |= 1u << 27;
        r[2] |= 1u << 31;    /* hypervisor present */
    } else if (leaf == 7 && sub == 0) {
        r[2] &= ~(1u << 4); /* OSPKE, likewise */
        if ((cr4 & CR4_PKE) && (offered & (1u << 9)))
            r[2] |= 1u << 4;
        if (!(offered & (1u << 9)))
            r[2] &= ~(1u << 3); /* PKU without its state switched: not offered */
        r[1] &= ~(1u << 18); /* RDSEED: not offered, see the top */
        r[2] &= ~(1u << 7);  /* CET shadow stacks and */
        r[3] &= ~(1u << 20); /* indirect-branch tracking: their state is not switched */
    } else if (leaf == 0xa) {
        r[0] = r[1] = r[2] = r[3] = 0; /* no performance counters: RDPMC gets #GP */
    } else if (leaf == 0xd) {
        /* XSAVE: only the features whose state the hypervisor switches.
         * Sub-leaf 0 EBX is the size for the current XCR0, which is the
         * partition's while it runs. */
        if (sub == 0) {
            uint32_t max = 0;
            for (uint32_t i = 2; i < 64; i++)
                if (offered & (1ull << i)) {
                    uint32_t c[4];
                    arch_cpuid(0xd, i, c);
                    max = c[0] + c[1] > max ? c[0] + c[1] : max;
                }
            r[0] = (uint32_t)offered;
            r[3] = (uint32_t)(offered >> 32);
            r[2] = offered ? (max > 576 ? max : 576) : 0;
        } else if (sub == 1) {
            r[0] &= ~(1u << 3); /* XSAVES: needs IA32_XSS, which is not offered */
            r[2] = r[3] = 0;
        } else if (sub >= 64 || !(offered & (1ull << sub))) {
            r[0] = r[1] = r[2] = r[3] = 0;
        }
    } else if (leaf == 0x80000001u) {
        r[2] &= ~(1u << 2);  /* SVM */
        r[2] &= ~(1u << 29); /* MONITORX/MWAITX */
    } else if (leaf == 0x8000000au) {
        r[0] = r[1] = r[2] = r[3] = 0;
    } else if (leaf == 0x8000001fu) {
        /* SME/SEV: a partition has no memory encryption, and a kernel
         * told otherwise reads their MSRs (SEV status) with no #GP fixup. */
        r[0] = r[1] = r[2] = r[3] = 0;
    }
}

void cpuid_emulate(struct vp *vp)
{
    uint32_t leaf = (uint32_t)vp->gprs.rax, sub = (uint32_t)vp->gprs.rcx;
    uint32_t r[4] = {0, 0, 0, 0};
    if (leaf == HV_CPUID_VENDOR_LEAF) {
        const char *sig = HV_CPUID_SIGNATURE; /* 12 characters in EBX ECX EDX */
        r[0] = HV_CPUID_INTERFACE_LEAF;
        for (int i = 0; i < 12; i++)
            r[1 + i / 4] |= (uint32_t)(uint8_t)sig[i] << (8 * (i % 4));
    } else if (leaf == HV_CPUID_INTERFACE_LEAF) {
        r[0] = HV_ABI_INTERFACE_VERSION;
        r[1] = hv_virt->kind;
    } else if (leaf == HV_CPUID_TIMING_LEAF) {
        /* The timing leaf (as VMware and others define it): TSC kHz in
         * EAX, local APIC bus kHz in EBX (no APIC is offered: 0). */
        r[0] = (uint32_t)arch_tsc_khz();
    } else if (leaf >= 0x40000000u && leaf < 0x40000100u) {
        /* other hypervisor leaves: all zero */
    } else {
        arch_cpuid(leaf, sub, r);
        hide_host_features(vp, leaf, sub, r);
        if (hv_virt->cpuid_adjust)
            hv_virt->cpuid_adjust(leaf, sub, r);
    }
    vp->gprs.rax = r[0];
    vp->gprs.rbx = r[1];
    vp->gprs.rcx = r[2];
    vp->gprs.rdx = r[3];
}
