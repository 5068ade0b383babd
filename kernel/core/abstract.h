/* SPDX-License-Identifier: MIT */
/*
 * The abstraction function: the hypervisor's own structures seen as the
 * reference model's abstract state, in the model's canonical encoding
 * (docs/architecture/model.md), and its 64-bit digest.  Written from the
 * documented encoding, not from the model's code.
 *
 * A frame of the model is a page of the root's RAM at boot, named by its
 * root GPA page (the root's GPAs are host-physical): no window, no
 * translation.  The encoding lists the frames that are not plain root
 * pages; the digest has only their count and the sum of their hashes,
 * kept up to date as pages change hands (pages.c calls
 * abstract_page_change), so a step's digest costs the same with a 4 KiB
 * child or a 512 MiB one.  All of it exists in check builds only.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef PARTITA_TRACE
struct page_info;
/* Every page is the hypervisor's again (hv_state_init): nothing listed. */
void abstract_pages_reset(void);
/* Page `page` goes from *old to *new (pages.c, before it writes). */
void abstract_page_change(uint64_t page, const struct page_info *old,
                          const struct page_info *new_info);
/* Writes the root's RAM at boot as "F+N" ranges of pages, for the trace
 * header; returns how many ranges. */
unsigned abstract_ram_ranges(void (*put)(uint64_t first, uint64_t pages));
#endif

/* Pure: where only the trace would read a digest, a release build drops
 * the call (intercept.c, hc_output). */
uint64_t fnv1a64(const void *data, size_t len) __attribute__((pure));

/* Check builds (PARTITA_TRACE) only: streams the canonical encoding to
 * emit(); returns its length. */
size_t abstract_encode(void (*emit)(const uint8_t *bytes, size_t n, void *ctx), void *ctx);

/* FNV-1a 64 of the digest form: the canonical encoding with the frame
 * list replaced by the listed frames' hash sum (model.md). */
uint64_t abstract_digest(void);

/* State the model also tracks that has no other home in the hypervisor. */
