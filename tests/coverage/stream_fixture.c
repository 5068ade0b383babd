/* SPDX-License-Identifier: MIT */
/*
 * Host fixture for the coverage stream test (test_gcda_rebuild.sh): a
 * program instrumented like the hypervisor (-fprofile-arcs
 * -fprofile-info-section, no constructors) that runs known code and then
 *   stream_fixture STREAM REFERENCE N
 * writes its counters twice: through the hypervisor's encoder
 * (lib/gcov_dump.c, built with HOST_BUILD) into STREAM, and
 * straight from libgcov into REFERENCE.  The rebuilt .gcda must equal the
 * reference byte for byte, and gcov must see branchy() run N times.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../lib/gcov_dump.h"

struct gcov_info;
extern void __gcov_info_to_gcda(const struct gcov_info *info,
                                void (*filename_fn)(const char *, void *),
                                void (*dump_fn)(const void *, unsigned, void *),
                                void *(*allocate_fn)(unsigned, void *), void *arg);
extern const struct gcov_info *const __gcov_info_start[];
extern const struct gcov_info *const __gcov_info_end[];

static FILE *stream;

__attribute__((no_profile_instrument_function)) void gcov_dump_host_write(const char *s, unsigned long n)
{
    fwrite(s, 1, n, stream);
}

static int branchy(int x)
{
    if (x % 2)
        return x * 3;
    return x / 2;
}

__attribute__((no_profile_instrument_function)) static void ref_name(const char *name, void *arg)
{
    (void)name, (void)arg;
}

__attribute__((no_profile_instrument_function)) static void ref_data(const void *p, unsigned n, void *arg)
{
    fwrite(p, 1, n, arg);
}

__attribute__((no_profile_instrument_function)) static void *ref_alloc(unsigned n, void *arg)
{
    (void)arg;
    return malloc(n);
}

/* Not instrumented, so no counter moves between the two copies. */
__attribute__((no_profile_instrument_function, noinline)) static int dump_both(FILE *ref)
{
    for (const struct gcov_info *const *gi = __gcov_info_start; gi < __gcov_info_end; gi++)
        __gcov_info_to_gcda(*gi, ref_name, ref_data, ref_alloc, ref);
    gcov_dump("fixture");
    return fclose(ref) || fclose(stream);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: stream_fixture STREAM REFERENCE N\n");
        return 2;
    }
    int sum = 0;
    for (int i = 0; i < atoi(argv[3]); i++)
        sum += branchy(i);
    printf("sum %d\n", sum);

    FILE *ref = fopen(argv[2], "wb");
    stream = fopen(argv[1], "wb");
    if (!ref || !stream)
        return 2;
    return dump_both(ref);
}
