/* SPDX-License-Identifier: MIT */
/* Root self-tests of the console channel (console_demo.c). */
#pragma once
#include "../lib/runtime.h"

int console_demo(const struct partition_boot_info *info);         /* test=console */
int console_bad_ring_demo(const struct partition_boot_info *info); /* test=console-bad-ring */
/* Builds child `name` from the module name.elf and offers it the console
 * channel (slot 1); not started.  0, or 1 with the reason printed. */
struct child;
struct vsp_console;
int console_child_build(const struct partition_boot_info *info, const char *name,
                        struct child *c, struct vsp_console *vc);

int console_flood_demo(const struct partition_boot_info *info); /* test=console-flood */
