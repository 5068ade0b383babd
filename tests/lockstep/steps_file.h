/* SPDX-License-Identifier: MIT */
/*
 * steps_file.h — compiled scenario files (kernel/abi/scenario_steps.h):
 * reading, writing, and a growable list the compilers fill.
 */
#ifndef PARTITA_LOCKSTEP_STEPS_FILE_H
#define PARTITA_LOCKSTEP_STEPS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/scenario_steps.h"

/* The file is the in-memory layout on a little-endian host; pin it. */
_Static_assert(sizeof(struct scenario_step) == 1600, "scenario_step size");
_Static_assert(sizeof(struct scenario_steps_header) == 80, "header size");

struct steps_list {
    char name[64];
    struct scenario_step *v;
    uint32_t n, cap;
};

/* A zeroed step at the end of the list (NULL when out of memory). */
struct scenario_step *steps_push(struct steps_list *l);
void steps_list_free(struct steps_list *l);

/* 0, or -1 with a message in err. */
int steps_write(const char *path, const struct steps_list *l, char *err,
                size_t errlen);
int steps_read(const char *path, struct steps_list *l, char *err,
               size_t errlen);
/* The same from bytes in memory. */
int steps_parse(const uint8_t *buf, size_t len, struct steps_list *l,
                char *err, size_t errlen);

#endif
