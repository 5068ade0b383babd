/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono: the hypervisor's side of services/env.h beyond the three
 * functions the services call — the console buffer, which the serving
 * glue (mono_channels.c) sizes the console service's reads by and empties
 * when the root is quiet.
 */
#pragma once
#include <stdint.h>

/* Bytes the console buffer can still take / holds now. */
uint32_t mono_console_room(void);
uint32_t mono_console_held(void);

/* Writes what the buffer holds to COM1 and empties it.  Only while the
 * root is between two of its instructions: COM1 is the root's. */
void mono_console_flush(void);
