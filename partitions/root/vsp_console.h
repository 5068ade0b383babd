/*
 * The console service provider (VSP) in the root: every line a child
 * writes into its console channel is printed on COM1 as "[name] line".
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../lib/channel.h"
#include "child.h"

/* A line longer than this is shown cut, with the count of what was left
 * out: a console is for people, and a burst of kilobytes on one line only
 * buries the rest (the statistics still count every byte). */
#define VSP_CONSOLE_SHOWN 160

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
    char line[200];   /* the current line's start, for on_line (longer lines cut) */
    size_t line_len;
    int mid_line;     /* the prefix of the current line is out */
    uint64_t col;     /* bytes of the current line so far */
    /* Called at each '\n' with the line (no '\n') and the stats before it. */
    void (*on_line)(struct vsp_console *vc, const char *line, size_t len);
    void *ctx;
};

/* Offers the console channel to a built, not yet started child. */
int vsp_console_offer(struct vsp_console *vc, const struct child *c, uint32_t slot,
                      void *pages);

/* Serves the channel until it closes: the child's CLOSE (0), a malformed
 * ring (the channel is closed with a report on COM1; 1), or no sign of
 * life for idle_halts halts (1). */
int vsp_console_serve(struct vsp_console *vc, unsigned idle_halts);
