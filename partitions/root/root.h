#pragma once
#include "../lib/runtime.h"

/* Runs the named built-in check; returns the exit code (0 = passed). */
int root_selftest(const char *name, const struct partition_boot_info *info);

/* Plays the compiled scenario of a check build (player.c). */
int root_play_scenario(const struct partition_boot_info *info);
