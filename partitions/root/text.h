/* SPDX-License-Identifier: MIT */
/* Reading numbers out of the lines children print (their self-reports). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* The number after `key` in line[0..len), decimal or 0x hex; 0 if none. */
int number_after(const char *line, size_t len, const char *key, uint64_t *v);
