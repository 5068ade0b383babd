/* SPDX-License-Identifier: MIT */
/* Picks the virtualization backend the processor offers. */
#include "../virt.h"
#include "cpu.h"

const struct virt_backend *virt_backend_detect(void)
{
    struct cpu_features f;
    cpu_read_features(&f);
    if (f.vmx && f.vmx_ept && f.vmx_vpid)
        return &vmx_backend;
    if (f.svm && f.svm_npt)
        return &svm_backend;
    return 0;
}
