/* SPDX-License-Identifier: MIT */
/* The isolation matrix (isolation.c). */
#pragma once
#include "../lib/runtime.h"

int isolation_matrix(const struct partition_boot_info *info); /* test=isolation */
