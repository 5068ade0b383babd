/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h — pseudo-random compiled steps from a seed: hypercalls from the
 * root and from live children, with valid and invalid arguments, chosen
 * with the model's help so most calls get past their first checks.
 * Everything derives from the seed (splitmix64): same seed, same steps.
 *
 * The generator streams: fuzz_begin, then fuzz_next for one step at a
 * time.  Its state is its own copy of the model, advanced by the steps it
 * generates (never by a hypervisor's answers), so the root partition
 * (the check build's in-machine generator, partitions/root/player.c) and
 * the host checker generate the same steps from the same seed.  It is
 * freestanding C: fuzz_generate and fuzz_error only exist hosted.
 */
#ifndef PARTITA_LOCKSTEP_FUZZ_H
#define PARTITA_LOCKSTEP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "steps_file.h"

#define FUZZ_MAX_ELEMS 4

struct fuzz_gen {
    uint64_t rng;
    uint64_t seed;
    uint32_t steps; /* random steps; then the final shutdown */
    uint32_t index; /* the next step's index */
    struct model_config cfg;
    struct model_state s;
    /* the step being built */
    uint64_t actor;
    uint32_t vp;
    uint64_t elem[FUZZ_MAX_ELEMS][MODEL_ARGS];
    uint32_t elements;
    uint8_t payload[HV_MESSAGE_PAYLOAD];
    size_t payload_len;
};

#define FUZZ_BLOCK_TOO_LARGE (-1) /* generator bugs */
#define FUZZ_IMPOSSIBLE (-2)

/* Starts `steps` random steps, then root PartitaShutdown code=0. */
void fuzz_begin(struct fuzz_gen *f, uint64_t seed, uint32_t steps);

/* The next step into *st (step i has line i + 1): 1; 0 after the final
 * shutdown; FUZZ_* on a generator bug (the model refused a step the
 * generator thought possible). */
int fuzz_next(struct fuzz_gen *f, struct scenario_step *st);

#if __STDC_HOSTED__
/* fuzz_next's error as a message. */
void fuzz_error(const struct fuzz_gen *f, int rc, char *err, size_t errlen);

/* The whole run into a list.  Returns 0, or -1 with a message in err. */
int fuzz_generate(uint64_t seed, uint32_t steps, struct steps_list *out,
                  char *err, size_t errlen);

/* The run as a step source for the checker (checker.h): regenerated
 * step by step as the check asks for them. */
#include "checker.h"
struct fuzz_source {
    struct fuzz_gen *g;
    char name[64];
    char err[200];
    struct step_source src;
};
int fuzz_source_open(struct fuzz_source *fs, uint64_t seed, uint32_t steps);
void fuzz_source_close(struct fuzz_source *fs);
#endif

#endif
