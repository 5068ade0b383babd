/* SPDX-License-Identifier: MIT */
/*
 * Coverage builds only (make COVERAGE=1, which defines PARTITA_COVERAGE):
 * writes the gcov counters of the running image on COM4 as a framed text
 * stream that tests/coverage/gcda_rebuild turns back into .gcda files.
 * The same code runs in the hypervisor and, linked with partitions/lib, in
 * partitions.  docs/architecture/coverage.md describes the stream.
 */
#pragma once

/* COM4: a debug channel, never the console, so counters cannot garble it. */
#define GCOV_DUMP_PORT 0x2e8

/*
 * Writes every object file's counters of this image, framed with IMAGE as
 * its name.  Only the first call per image does anything: a panic during
 * the dump re-enters through arch_shutdown and must not start a second,
 * interleaved stream (the host then sees the first one cut short).
 */
void gcov_dump(const char *image);

#ifdef HOST_BUILD
/* Host tests only: where the stream goes instead of COM4. */
void gcov_dump_host_write(const char *s, unsigned long n);
#endif
