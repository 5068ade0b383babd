/*
 * CPUID as a partition sees it: the real processor's answers, minus the
 * virtualization extensions (a partition cannot nest), plus the
 * hypervisor-present bit and Partita's own leaves at 0x40000000.
 */
#include "cpuid.h"

#include "../abi/partition_boot.h"
#include "../arch/arch.h"
#include "partition.h"

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
    } else if (leaf >= 0x40000000u && leaf < 0x40000100u) {
        /* other hypervisor leaves: all zero */
    } else {
        arch_cpuid(leaf, sub, r);
        if (leaf == 1) {
            r[2] &= ~(1u << 5);  /* VMX */
            r[2] |= 1u << 31;    /* hypervisor present */
        } else if (leaf == 0x80000001u) {
            r[2] &= ~(1u << 2);  /* SVM */
        } else if (leaf == 0x8000000au) {
            r[0] = r[1] = r[2] = r[3] = 0;
        }
    }
    vp->gprs.rax = r[0];
    vp->gprs.rbx = r[1];
    vp->gprs.rcx = r[2];
    vp->gprs.rdx = r[3];
}
