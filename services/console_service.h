/* SPDX-License-Identifier: MIT */
/*
 * The console service's data path (docs/architecture/channels.md): what a
 * child writes into its console channel comes out as lines "[name] text".
 * The same file runs in the root (BUILD=micro, partitions/root/vsp_console.c
 * around it) and in the hypervisor (BUILD=mono, kernel/services/
 * mono_channels.c); it reads through the channel data path (channel.h)
 * and prints through the environment (env.h).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "channel.h"

/* A line longer than this (in console characters, after escaping: a
 * control byte shows as 4) is shown cut, with the count of the bytes left
 * out: a console is for people, and a burst of kilobytes on one line only
 * buries the rest (the statistics still count every byte). */
#define VSP_CONSOLE_SHOWN 160

/* Lines go out whole, when their '\n' arrives.  The most output one line
 * makes ("[" name "] ", the shown part, the note of a cut line, '\n'), and
 * the most one input byte can make besides a held line's: a line of one
 * '\n'.  The hypervisor sizes what it reads by these
 * (kernel/services/mono_channels.c). */
#define VSP_CONSOLE_LINE_MAX 256
#define VSP_CONSOLE_WORST_PER_BYTE 20

struct vsp_console_stats {
    uint64_t lines; /* complete lines ('\n') */
    uint64_t bytes;
    uint32_t fnv;   /* FNV-1a of every byte, in order */
};

struct vsp_console {
    struct channel ch;
    char name[16];
    struct vsp_console_stats stats;
    struct vsp_console_stats before_line; /* stats when the current line began */
    char line[200];   /* the current line's start: shown, and given to on_line */
    size_t line_len;
    int mid_line;     /* a line has begun and not ended */
    uint64_t col;     /* bytes of the current line so far */
    /* Called at each '\n' with the line (no '\n') and the stats before it. */
    void (*on_line)(struct vsp_console *vc, const char *line, size_t len);
    void *ctx;
};

/* Clears the statistics and the line state and names the child; keeps
 * on_line and ctx. */
void vsp_console_reset(struct vsp_console *vc, const char *name);

/* Reads up to `limit` bytes the ring holds now and prints them; returns
 * the count, or -1 if the ring went bad (the channel is then closed). */
int vsp_console_drain(struct vsp_console *vc, uint32_t limit);

/* Ends a line the child left open (before a report about the channel). */
void vsp_console_end_line(struct vsp_console *vc);
