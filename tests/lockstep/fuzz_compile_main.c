/*
 * fuzz-compile --seed N --steps M OUT.bin
 *
 * Writes M pseudo-random steps (and a final root PartitaShutdown) derived
 * only from the seed, in the compiled scenario format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int number(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return *s && !*end && !errno && s[0] != '-' ? 0 : -1;
}

int main(int argc, char **argv)
{
    unsigned long long seed = 0, steps = 0;
    const char *out = NULL;
    int have_seed = 0, have_steps = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (number(argv[++i], &seed))
                goto usage;
            have_seed = 1;
        } else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
            if (number(argv[++i], &steps) || steps > 10000000)
                goto usage;
            have_steps = 1;
        } else if (argv[i][0] != '-' && !out) {
            out = argv[i];
        } else {
            goto usage;
        }
    }
    if (!have_seed || !have_steps || !out)
        goto usage;
    static struct steps_list l;
    char err[256];
    if (fuzz_generate(seed, (uint32_t)steps, &l, err, sizeof err) ||
        steps_write(out, &l, err, sizeof err)) {
        fprintf(stderr, "fuzz-compile: %s\n", err);
        steps_list_free(&l);
        return 1;
    }
    printf("%s: %u steps -> %s\n", l.name, l.n, out);
    steps_list_free(&l);
    return 0;
usage:
    fprintf(stderr, "usage: fuzz-compile --seed N --steps M OUT.bin\n");
    return 2;
}
