/* SPDX-License-Identifier: MIT */
/* What the processor offers for hardware virtualization, read from CPUID and MSRs. */
#pragma once
#include <stdint.h>

struct cpu_features {
    char vendor[13];
    char brand[49];
    int vmx;             /* Intel VT-x */
    int vmx_ept;
    int vmx_vpid;
    int vmx_unrestricted;
    int svm;             /* AMD-V */
    int svm_npt;
    int svm_nrips;
    uint32_t svm_asids;
};

void cpu_read_features(struct cpu_features *f);
