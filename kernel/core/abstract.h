/* SPDX-License-Identifier: MIT */
/*
 * The abstraction function: the hypervisor's own structures seen as the
 * reference model's abstract state, in the model's canonical encoding
 * (docs/architecture/model.md), and its 64-bit digest.  Written from the
 * documented encoding, not from the model's code.
 *
 * Check builds only: the model manages 512 page frames, and the
 * hypervisor maps them onto a window of root GPA space: frame i is root
 * page window_base + i.  The window starts at the probe range (the last 8
 * pages of the hypervisor's pool, memory.h), so frames 0-7 are the
 * hypervisor's, as the model's default configuration says; the other 504
 * are the last pages of RAM, from which the root takes everything it
 * lends in a check build (partitions/root/root_pages.c).  The encoding
 * lists only frames that are not plain root pages, so a larger window
 * costs a scan, not a longer hash.  A release build has no window: its
 * pool goes wherever it fits and the root lends from all its RAM.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef PARTITA_TRACE
#define ABSTRACT_FRAMES 512
#define ABSTRACT_HV_FRAMES 8

void abstract_init(uint64_t window_base_page);
uint64_t abstract_window_base(void);
/* Logs a warning for every window frame that is not root RAM at boot. */
void abstract_window_check(void);
#endif

uint64_t fnv1a64(const void *data, size_t len);

/* Check builds (PARTITA_TRACE) only: streams the canonical encoding to
 * emit(); returns its length. */
size_t abstract_encode(void (*emit)(const uint8_t *bytes, size_t n, void *ctx), void *ctx);

/* FNV-1a 64 of the canonical encoding. */
uint64_t abstract_digest(void);

/* State the model also tracks that has no other home in the hypervisor. */
extern uint64_t hv_trace_mask;
extern uint64_t hv_shutdown_code;
