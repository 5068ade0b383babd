/* SPDX-License-Identifier: MIT */
/* The root's two front doors when no test is named: the demo (demo.c),
 * and the shell (shell.c, root argument "shell"). */
#pragma once
#include "../lib/runtime.h"

/* Starts the children whose modules were given, serves them, prints the
 * per-partition table, stops them; 0 if every child did its work. */
int root_demo(const struct partition_boot_info *info);

/* A command shell on COM1 (or reading script=MODULE); returns at quit. */
int root_shell(const struct partition_boot_info *info);
