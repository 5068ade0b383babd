/* SPDX-License-Identifier: MIT */
#pragma once
#include "../lib/runtime.h"

/* Runs the named built-in check; returns the exit code (0 = passed). */
int root_selftest(const char *name, const struct partition_boot_info *info);

/* Plays the compiled scenario of a check build (player.c). */
int root_play_scenario(const struct partition_boot_info *info);

/* The boot module whose file name ends with `name`, or NULL. */
const struct partition_module *root_find_module(const struct partition_boot_info *info,
                                                const char *name);
