/* SPDX-License-Identifier: MIT */
/* AMD nested page tables: the second-level page tables of the AMD-V backend (npt.c). */
#pragma once
#include "../virt.h"

int npt_init(struct slat *slat);
int npt_map(struct slat *slat, uint64_t gpa, uint64_t hpa, uint32_t rights);
int npt_unmap(struct slat *slat, uint64_t gpa);
uint64_t npt_lookup(struct slat *slat, uint64_t gpa, uint32_t *rights);
void npt_flush(struct slat *slat, uint16_t tag);
void npt_destroy(struct slat *slat);

/* Set when translations must go: AMD-V tags nested translations with the
 * ASID alone, so the next VMRUN, of whichever vCPU, flushes the whole TLB
 * (svm.c owns it and turns it into TLB_CONTROL). */
extern int npt_flush_pending;
