/* SPDX-License-Identifier: MIT */
/*
 * The root's children as a fleet: started by name from their boot
 * modules, served until they have done their work, counted, stopped.
 * The demo (demo.c) and the shell (shell.c) are two ways to drive it.
 *
 * What a child does decides how the root serves it (its "kind"):
 *   hello, badring  the console channel (vsp_console.c): lines arrive as
 *                   "[name] line"; done when the child closes the channel
 *   pinger          100 null hypercalls, then a "ready" message to the root
 *   sintirq         sleeps until the root's message arrives as a virtual
 *                   interrupt, answers "irq=N+"
 */
#pragma once
#include <stdint.h>

#include "../lib/runtime.h"
#include "child.h"

#define FLEET_MAX 7 /* HV_MAX_PARTITIONS less the root */
#define FLEET_CONSOLE_TURN 1024u /* the most bytes of one console per turn */

enum fleet_state {
    FLEET_FREE = 0, /* no child in this entry */
    FLEET_RUNNING,  /* started, its work not finished */
    FLEET_DONE,     /* finished its work; halted until stopped */
    FLEET_FAULTED,  /* the hypervisor stopped its VP (news on the news SINT) */
    FLEET_FAILED,   /* its service ended with an error, or it never answered */
};

struct fleet_child {
    enum fleet_state state;
    const struct fleet_kind *kind;
    struct child c;
    uint32_t slot;            /* 1..FLEET_MAX: channel slot and port numbers */
    uint64_t msgs_in;         /* SynIC messages the root posted to it */
    uint64_t msgs_out;        /* messages it posted to the root */
    uint64_t bytes_in;        /* channel bytes root -> child */
    uint64_t bytes_out;       /* channel bytes child -> root */
    int answered;             /* pinger / sintirq: its message arrived */
    uint64_t turn_max;        /* console: the most bytes one turn took */
};

/* Once, before anything else: where child memory comes from. */
void fleet_init(const struct partition_boot_info *info);

/* 1 if NAME is a child the root knows how to serve. */
int fleet_known(const char *name);
/* The known names, space separated (for messages and help). */
const char *fleet_names(void);
/* 1 if the module NAME.elf was given at boot. */
int fleet_has_module(const char *name);

/* Builds the child NAME from NAME.elf, starts it and serves it until its
 * work is done (or it faults, fails, or stays silent).  Prints what it
 * does; NULL if it could not be started (the reason is printed). */
struct fleet_child *fleet_start(const char *name);
/* Starts NAME without serving it (the demo starts everybody first, so the
 * children run side by side); fleet_serve then serves it. */
struct fleet_child *fleet_launch(const char *name);
void fleet_serve(struct fleet_child *fc);
/* Serves every running console child in turns (a bounded number of bytes
 * each), with the children's messages and news between turns, until
 * `until` is no longer running (NULL: until no console child runs). */
void fleet_serve_consoles(const struct fleet_child *until);
/* Bytes a console child has written through its channel so far. */
uint64_t fleet_console_bytes(struct fleet_child *fc);

/* The live child with this partition id, or NULL. */
struct fleet_child *fleet_find(uint64_t id);
/* Finalizes and deletes it (its memory goes back to the root); 0 or a status. */
int fleet_stop(struct fleet_child *fc);
/* Stops every live child. */
void fleet_stop_all(void);

/* Reads the root's SINT 0 (the children's messages) and the news SINT
 * (faults) and updates the fleet; never waits.  Call between halts. */
void fleet_poll(void);

/* list: id, name, state of the root and every live child. */
void fleet_list(void);
/* The per-partition table; id 0: every partition. 0, or -1 if no such id. */
int fleet_table(uint64_t id);

const char *fleet_state_name(enum fleet_state s);
/* Live children, and how many of them have not finished well. */
unsigned fleet_count(unsigned *not_done);
