/* SPDX-License-Identifier: MIT */
/* Command lines (the hypervisor's, a partition's arguments): space-separated
 * words and key=value options. */
#pragma once
#include <stddef.h>

/* True if WORD appears as a whole word (or as the key of key=value). */
int cmdline_has(const char *cmdline, const char *word);

/* Copies the value of key=value into out (NUL-terminated); 0 if absent. */
int cmdline_value(const char *cmdline, const char *key, char *out, size_t size);
