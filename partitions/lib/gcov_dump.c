/* SPDX-License-Identifier: MIT */
/* A partition's coverage counters out on COM4 (see gcov_dump.h). */
#include "gcov_dump.h"

#ifdef PARTITA_COVERAGE
#include "../../lib/gcov_dump.h"

/*
 * The stream names its image.  The runtime is shared by every partition
 * program, so the name is a weak default a program may override; the
 * object paths in the records (.../part/partitions/root/...) say which
 * program it was in any case.
 */
__attribute__((weak)) const char partition_gcov_image[] = "partition";

void partition_gcov_dump(void)
{
    gcov_dump(partition_gcov_image);
}
#endif
