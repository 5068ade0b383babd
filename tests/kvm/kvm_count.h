/* SPDX-License-Identifier: MIT */
/* The pure arithmetic of the KVM peer measurement (tests/kvm/kvmbench.c,
 * docs/architecture/kvm-peer.md), apart so the host tests check it without
 * /dev/kvm. */
#ifndef KVM_COUNT_H
#define KVM_COUNT_H

#include <stdint.h>

/* Instructions per round trip, in hundredths, from a loop of n round trips
 * that took t_n ticks and one of 2n that took t_2n: the difference is n
 * round trips with every fixed cost (KVM_RUN's entry and exit, the rdtsc
 * pair, the loop's set-up) cancelled.  Rounded to nearest.  Returns 0 and
 * leaves *hundredths alone when the counts cannot be such a pair: n of 0,
 * or t_2n not above t_n (the longer loop must cost more), or a difference
 * too large to scale without overflow. */
int kvm_per_trip(uint64_t t_n, uint64_t t_2n, uint64_t n, uint64_t *hundredths);

/* Writes "W.FF" (hundredths as a decimal with two places) into buf of size
 * len, NUL-terminated; returns buf. */
char *kvm_hundredths_text(uint64_t hundredths, char *buf, unsigned len);

#endif
