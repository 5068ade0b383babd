/* SPDX-License-Identifier: MIT */
#include "text.h"

#include "../lib/runtime.h"
#include "../lib/string_util.h"

/* The number after `key` in line[0..len), decimal or 0x hex. */
int number_after(const char *line, size_t len, const char *key, uint64_t *v)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k <= len; i++) {
        if (memcmp(line + i, key, k) != 0)
            continue;
        size_t j = i + k;
        int base = 10;
        if (j + 1 < len && line[j] == '0' && line[j + 1] == 'x') {
            base = 16;
            j += 2;
        }
        uint64_t n = 0;
        size_t start = j;
        for (; j < len; j++) {
            char c = line[j];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                break;
            n = n * (uint64_t)base + (uint64_t)d;
        }
        *v = n;
        return j > start;
    }
    return 0;
}


uint64_t arg_number(const struct partition_boot_info *info, const char *key, uint64_t dflt)
{
    char text[24];
    uint64_t v = dflt;
    if (arg_value(info, key, text, sizeof text))
        number_after(text, strlen(text), "", &v);
    return v;
}
