/* SPDX-License-Identifier: MIT */
/*
 * Only in a lab's starter tree (make lab-starter): the generator puts
 * LAB_TODO(n, m) where lab n's exercise m was cut out, and includes this
 * file.  LAB_TODO stops whatever runs the code with the exercise's id:
 * the hypervisor panics, a partition exits with a failure, a host program
 * (the model, the host tests) aborts.  labs/README.md.
 */
#pragma once

/* A cut-out function body leaves parameters, locals and static helpers
 * unused: in a starter tree that is expected, not an error. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#if __STDC_HOSTED__
#include <stdio.h>
#include <stdlib.h>
static inline _Noreturn void lab_todo(const char *what)
{
    fprintf(stderr, "%s\n", what);
    fflush(NULL);
    abort();
}
#elif defined(PARTITA_BUILD_KIND) /* the hypervisor (kernel/core/log.h) */
__attribute__((noreturn, format(printf, 3, 4))) void panic_at(const char *file, int line,
                                                              const char *fmt, ...);
#define lab_todo(what) panic_at(__FILE__, __LINE__, "%s", what)
#else /* a partition (partitions/lib/runtime.h, console.h) */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void partition_exit(int code);
static inline __attribute__((noreturn)) void lab_todo(const char *what)
{
    printf("%s\n", what);
    partition_exit(1);
}
#endif

#define LAB_TODO(lab, exercise)                                                          \
    lab_todo("lab " #lab ", exercise " #exercise ": not written yet")
