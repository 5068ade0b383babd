/* SPDX-License-Identifier: MIT */
/* Reading numbers out of the lines children print (their self-reports). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* The number after `key` in line[0..len), decimal or 0x hex; 0 if none. */
int number_after(const char *line, size_t len, const char *key, uint64_t *v);

struct partition_boot_info;
/* The number of key=N on the root's command line; dflt if it is absent or
 * not a number. */
uint64_t arg_number(const struct partition_boot_info *info, const char *key, uint64_t dflt);
