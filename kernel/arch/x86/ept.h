/* SPDX-License-Identifier: MIT */
/* Intel EPT: the second-level page tables of the VT-x backend (ept.c). */
#pragma once
#include "../virt.h"

/* The EPT pointer of a table tree: PML4 address, walk length 4, write-back. */
uint64_t ept_pointer(const struct slat *slat);

int ept_init(struct slat *slat);
int ept_map(struct slat *slat, uint64_t gpa, uint64_t hpa, uint32_t rights);
int ept_unmap(struct slat *slat, uint64_t gpa);
uint64_t ept_lookup(struct slat *slat, uint64_t gpa, uint32_t *rights);
void ept_destroy(struct slat *slat);
void ept_flush(struct slat *slat, uint16_t tag);
