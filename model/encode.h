/* SPDX-License-Identifier: MIT */
/*
 * encode.h — the canonical encoding of an abstract state and its digest.
 *
 * The byte layout is specified in docs/architecture/model.md
 * ("Canonical encoding"); the hypervisor produces the same bytes from its
 * own structures and the lockstep checker compares digests.
 */
#ifndef PARTITA_MODEL_ENCODE_H
#define PARTITA_MODEL_ENCODE_H

#include "model.h"

#define MODEL_ENCODING_MAGIC 0x53544150u /* bytes "PATS" */
#define MODEL_ENCODING_VERSION 4u
/* The largest full form the tools keep: about 1,900 listed frames.  The
 * digest form is small whatever is listed. */
#define MODEL_ENCODING_MAX 65536u

/* Encode into buf (capacity cap); returns the length, 0 if cap is short. */
size_t model_encode(const struct model_config *cfg,
                    const struct model_state *s, uint8_t *buf, size_t cap);
/* Decode into *s; returns 0, or -1 on malformed input. */
int model_decode(const struct model_config *cfg, const uint8_t *buf,
                 size_t len, struct model_state *s);

uint64_t model_fnv1a64(const void *data, size_t len);
/* FNV-1a 64 of the digest form: the canonical encoding with the frame
 * list replaced by the sum of the listed frames' hashes (model.md). */
uint64_t model_digest(const struct model_config *cfg,
                      const struct model_state *s);

#endif /* PARTITA_MODEL_ENCODE_H */
