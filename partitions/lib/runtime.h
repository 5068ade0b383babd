/* SPDX-License-Identifier: MIT */
/* What every partition program provides and may call. */
#pragma once
#include <stdint.h>

#include "../../kernel/abi/partition_boot.h"

/* Written by the partition: returns its exit code. */
int partition_main(const struct partition_boot_info *info);

/* Ends the partition: the root shuts the machine down with this result. */
__attribute__((noreturn)) void partition_exit(int code);

/* True if the partition's command line contains WORD or WORD=... */
int arg_has(const struct partition_boot_info *info, const char *word);
/* The value of KEY=VALUE, copied to out; 0 if absent. */
int arg_value(const struct partition_boot_info *info, const char *key, char *out,
              unsigned size);
