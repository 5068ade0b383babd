/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h — pseudo-random compiled steps from a seed: hypercalls from the
 * root and from live children, with valid and invalid arguments, chosen
 * with the model's help so most calls get past their first checks.
 * Everything derives from the seed (splitmix64): same seed, same steps.
 */
#ifndef PARTITA_LOCKSTEP_FUZZ_H
#define PARTITA_LOCKSTEP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "steps_file.h"

/* `steps` random steps, then root PartitaShutdown code=0.  Step i has
 * line i + 1.  Returns 0, or -1 with a message in err (a generator bug:
 * the model refused a step the generator thought possible). */
int fuzz_generate(uint64_t seed, uint32_t steps, struct steps_list *out,
                  char *err, size_t errlen);

#endif
