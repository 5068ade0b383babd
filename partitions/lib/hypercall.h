/* SPDX-License-Identifier: MIT */
/*
 * Hypercall stubs: the TLFS register convention (RCX input value, RDX and
 * R8 input/output page GPAs or fast registers, RAX result).  The
 * instruction (VMCALL or VMMCALL) is chosen from CPUID at start-up.
 */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/hvabi.h"

/* Reads the hypervisor CPUID leaves; 0 if no Partita hypervisor is found. */
int hv_detect(void);

uint64_t hv_hypercall(uint64_t input, uint64_t in_gpa, uint64_t out_gpa);

static inline hv_status_t hv_status_of(uint64_t result)
{
    return (hv_status_t)(result & HV_HYPERCALL_RESULT_STATUS_MASK);
}

/* A simple (non-rep, non-fast) call with page-sized input/output buffers. */
hv_status_t hv_call(uint16_t code, const void *in, void *out);
/* A fast call: two register inputs, no memory. */
hv_status_t hv_call_fast(uint16_t code, uint64_t a, uint64_t b);

/* Page-aligned buffers for parameter blocks (one caller at a time):
 * pages of the partition's image unless it picks others. */
extern uint8_t *hv_input_page;
extern uint8_t *hv_output_page;
/* From now on, these two pages (the root: pages it lends, root_pages.h,
 * kept apart from its image). */
void hv_use_parameter_pages(void *in, void *out);

const char *hv_status_name(hv_status_t st);
