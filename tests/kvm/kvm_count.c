/* SPDX-License-Identifier: MIT */
#include "kvm_count.h"

#include <stdio.h>

int kvm_per_trip(uint64_t t_n, uint64_t t_2n, uint64_t n, uint64_t *hundredths)
{
    if (n == 0 || t_2n <= t_n)
        return 0;
    uint64_t d = t_2n - t_n;
    if (d > (UINT64_MAX - n / 2) / 100) /* d * 100 + n / 2 would wrap */
        return 0;
    *hundredths = (d * 100 + n / 2) / n;
    return 1;
}

char *kvm_hundredths_text(uint64_t hundredths, char *buf, unsigned len)
{
    snprintf(buf, len, "%llu.%02llu", (unsigned long long)(hundredths / 100),
             (unsigned long long)(hundredths % 100));
    return buf;
}
