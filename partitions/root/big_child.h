/* SPDX-License-Identifier: MIT */
/* test=big-child (big_child.c). */
#pragma once
#include "../lib/runtime.h"

int big_child_test(const struct partition_boot_info *info);
