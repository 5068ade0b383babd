/* SPDX-License-Identifier: MIT */
/* Root self-test of the block service (block_demo.c). */
#pragma once
#include "../lib/runtime.h"

#include "vsp_console.h"

int block_demo(const struct partition_boot_info *info); /* test=block */

/* Answers the child's OPEN of its console: the block offer may follow
 * only then, since the child reads offers one at a time.  0 or -1. */
int block_await_console_open(struct vsp_console *vc);
