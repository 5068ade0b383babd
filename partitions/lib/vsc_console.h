/* SPDX-License-Identifier: MIT */
/*
 * The console service client (VSC) in a child: printf goes into the
 * console channel the root offers, and the root prints it as
 * "[child name] line" (partitions/root/vsp_console.c).
 */
#pragma once
#include <stdint.h>

#include "channel.h"

struct vsc_console_stats {
    uint64_t lines, bytes; /* what printf handed over so far */
    uint32_t fnv;          /* FNV-1a of those bytes, in order */
    uint64_t waits;        /* times the ring was full and printf waited */
};

/* Waits for the root's console offer, opens it, redirects printf.  0 or -1. */
int vsc_console_open(void);
/* Closes the channel (after everything written so far). */
void vsc_console_close(void);
void vsc_console_get_stats(struct vsc_console_stats *s);
/* The channel itself (tests poke at its ring). */
struct channel *vsc_console_channel(void);
