/* SPDX-License-Identifier: MIT */
#include "runtime.h"

#include "../../lib/cmdline.h"
#include "hypercall.h"
#ifdef PARTITA_COVERAGE
#include "gcov_dump.h"
#endif

void partition_exit(int code)
{
#ifdef PARTITA_COVERAGE
    partition_gcov_dump(); /* coverage builds: before the hypervisor's own dump */
#endif
    /* Only the root may end the run; a child's call is refused and it halts. */
    hv_call_fast(HVCALL_PARTITA_SHUTDOWN, (uint64_t)code, 0);
    for (;;)
        __asm__ volatile("hlt");
}

int arg_has(const struct partition_boot_info *info, const char *word)
{
    return cmdline_has(info->cmdline, word);
}

int arg_value(const struct partition_boot_info *info, const char *key, char *out,
              unsigned size)
{
    return cmdline_value(info->cmdline, key, out, size);
}
