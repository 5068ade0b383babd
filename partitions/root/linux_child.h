/* SPDX-License-Identifier: MIT */
/* test=linux: an unmodified Linux kernel in a child partition
 * (docs/architecture/linux-guest.md). */
#pragma once
#include "../../kernel/abi/partition_boot.h"

int linux_child_test(const struct partition_boot_info *info);
/* test=linux-cpu: the CPU features Linux's early boot relies on. */
int linux_cpu_test(void);
