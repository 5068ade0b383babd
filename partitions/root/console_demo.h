/* Root self-tests of the console channel (console_demo.c). */
#pragma once
#include "../lib/runtime.h"

int console_demo(const struct partition_boot_info *info);         /* test=console */
int console_bad_ring_demo(const struct partition_boot_info *info); /* test=console-bad-ring */
int console_flood_demo(const struct partition_boot_info *info); /* test=console-flood */
