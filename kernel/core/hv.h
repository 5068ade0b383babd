/* SPDX-License-Identifier: MIT */
/* The portable hypervisor's entry point, called once the machine is set up. */
#pragma once
#include <stdint.h>

#include "bootinfo.h"

__attribute__((noreturn)) void hv_main(const struct boot_info *bi,
                                       uint64_t image_start, uint64_t image_end);

/* The hypervisor's own image in host-physical memory. */
extern uint64_t hv_image_start, hv_image_end;
