/* SPDX-License-Identifier: MIT */
/*
 * fuzz-compile --seed N --steps M OUT.bin [--coverage]
 * fuzz-compile --seed N --steps M --window K OUT.bin
 *
 * Writes M pseudo-random steps (and a final root PartitaShutdown) derived
 * only from the seed, in the compiled scenario format.  --coverage
 * replays them through the model and prints, per call, how often each
 * status came back (to see that the mix reaches every check).
 *
 * --window K: no steps at all, but the window of a generated run
 * (kernel/abi/scenario_steps.h, SCENARIO_GEN_MAGIC): the seed, the step
 * count and K empty slots, for the check build's root to generate the
 * same steps into as it plays them.  Any number of steps, a few pages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "fuzz.h"
#include "model/calls.h"
#include "model/status.h"

static int number(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return *s && !*end && !errno && s[0] != '-' ? 0 : -1;
}

/* Per call, how many elements ended with each status. */
static void coverage(const struct steps_list *l)
{
    static unsigned count[64][32];
    unsigned faults = 0;
    struct model_config cfg = model_config_default();
    struct model_state *s = malloc(sizeof *s);
    if (!s)
        return;
    model_init(&cfg, s);
    for (uint32_t i = 0; i < l->n; i++) {
        const struct scenario_step *st = &l->v[i];
        uint64_t input = st->input;
        for (;;) {
            struct model_event e;
            struct model_result r;
            step_event(st, input, &e);
            model_apply(&cfg, s, &e, &r);
            if (e.kind == MODEL_EV_FAULT) {
                faults++;
                break;
            }
            const struct model_call_desc *d =
                model_call_by_code((uint16_t)(input & HV_HYPERCALL_CODE_MASK));
            size_t row = 63, col = 31;
            for (size_t k = 0; d && k < model_call_count(); k++)
                if (model_call_at(k) == d)
                    row = k;
            for (size_t k = 0; k < model_status_count(); k++)
                if (model_status_at(k) == r.status)
                    col = k;
            count[row][col]++;
            uint32_t n = (uint32_t)((input & HV_HYPERCALL_REP_COUNT_MASK) >>
                                    HV_HYPERCALL_REP_COUNT_SHIFT);
            if (r.status || !n || r.reps_completed >= n)
                break;
            input = step_continuation(st->input, r.reps_completed);
        }
    }
    for (size_t k = 0; k <= model_call_count(); k++) {
        size_t row = k < model_call_count() ? k : 63;
        printf("  %-30s", k < model_call_count() ? model_call_at(k)->name : "(unknown codes)");
        for (size_t c = 0; c < model_status_count(); c++)
            if (count[row][c])
                printf(" %s=%u", model_status_name(model_status_at(c)), count[row][c]);
        printf("\n");
    }
    printf("  %-30s %u\n", "Fault", faults);
    free(s);
}

static int write_window(const char *path, uint64_t seed, uint64_t steps, uint32_t ring)
{
    struct scenario_gen_header h = {SCENARIO_GEN_MAGIC, SCENARIO_STEPS_VERSION,
                                    sizeof(struct scenario_step), ring, seed, steps + 1, 0};
    size_t size = SCENARIO_GEN_HEADER + (size_t)ring * sizeof(struct scenario_step);
    unsigned char *buf = calloc(1, size);
    FILE *f = fopen(path, "wb");
    if (!buf || !f || (memcpy(buf, &h, sizeof h), fwrite(buf, 1, size, f) != size) ||
        fclose(f)) {
        perror(path);
        free(buf);
        return 1;
    }
    free(buf);
    printf("fuzz seed %llu: %llu steps generated in the machine, window of %u slots -> %s\n",
           (unsigned long long)seed, (unsigned long long)steps + 1, ring, path);
    return 0;
}

int main(int argc, char **argv)
{
    int want_coverage = 0;
    unsigned long long seed = 0, steps = 0, window = 0;
    const char *out = NULL;
    int have_seed = 0, have_steps = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (number(argv[++i], &seed))
                goto usage;
            have_seed = 1;
        } else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
            if (number(argv[++i], &steps) || steps > 0xfffffffeull)
                goto usage;
            have_steps = 1;
        } else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc) {
            if (number(argv[++i], &window) || window == 0 || window > 1024)
                goto usage;
        } else if (strcmp(argv[i], "--coverage") == 0) {
            want_coverage = 1;
        } else if (argv[i][0] != '-' && !out) {
            out = argv[i];
        } else {
            goto usage;
        }
    }
    if (!have_seed || !have_steps || !out || (window && want_coverage))
        goto usage;
    if (window)
        return write_window(out, seed, steps, (uint32_t)window);
    if (steps > 10000000) /* a list in memory: 1.6 KB a step */
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
    if (want_coverage)
        coverage(&l);
    steps_list_free(&l);
    return 0;
usage:
    fprintf(stderr, "usage: fuzz-compile --seed N --steps M OUT.bin [--coverage]\n"
                    "       fuzz-compile --seed N --steps M --window K OUT.bin\n");
    return 2;
}
