/* Root self-test of the block service (block_demo.c). */
#pragma once
#include "../lib/runtime.h"

int block_demo(const struct partition_boot_info *info); /* test=block */
