/* SPDX-License-Identifier: MIT */
/*
 * explore_main.c — `explore [--depth N] [--start boot|setup|ipc]`.
 * Prints states, transitions and seconds; exits 1 with the shortest
 * counterexample on a violation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "state.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: explore [--depth N] [--start boot|setup|ipc]\n"
            "  Enumerates every event sequence up to depth N (default 6) on\n"
            "  the small configuration (root + 2 children, 2 ports, queue\n"
            "  depth 2, 8 frames) and checks the invariants in every state.\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct explore_options o = {
        .cfg = model_config_small(), .depth = 6, .start = MODEL_START_SETUP,
        .report = stdout,
    };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--depth") == 0 && i + 1 < argc) {
            char *end;
            long d = strtol(argv[++i], &end, 10);
            if (*end || d < 0 || d > 60)
                usage();
            o.depth = (unsigned)d;
        } else if (strcmp(argv[i], "--start") == 0 && i + 1 < argc) {
            if (model_start_parse(argv[++i], &o.start))
                usage();
        } else {
            usage();
        }
    }
    const struct model_config *c = &o.cfg;
    printf("explore: depth %u, start '%s', config: %u partitions, %u vp, "
           "%u sints, queue depth %u, %u ports, %u connections, frames: root "
           "pages %llu-%llu, %llu hypervisor pages to probe\n",
           o.depth, model_start_name(o.start), c->partitions, c->vps, c->sints,
           c->queue_depth, c->ports, c->connections, (unsigned long long)c->ram[0].first,
           (unsigned long long)(model_ram_end(c) - 1),
           (unsigned long long)c->probe_pages);
    fflush(stdout);
    struct explore_stats st;
    int rc = model_explore(&o, &st);
    for (unsigned d = 0; d <= o.depth && d < 64; d++)
        if (st.per_depth[d])
            printf("  depth %u: %llu new states\n", d,
                   (unsigned long long)st.per_depth[d]);
    printf("explore: %llu states, %llu transitions (%llu impossible events "
           "skipped), %.2f seconds, %s\n",
           (unsigned long long)st.states, (unsigned long long)st.transitions,
           (unsigned long long)st.impossible, st.seconds,
           rc == 0 ? "0 violations" : rc == 1 ? "VIOLATION" : "ERROR");
    return rc == 0 ? 0 : 1;
}
