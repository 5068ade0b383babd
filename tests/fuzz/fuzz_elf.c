/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the ELF64 reader of partition images (lib/elf.c).  Oracle:
 * the sanitizers (the input buffer is exactly the image) and what a caller
 * relies on when elf_parse accepts: every segment's file bytes inside the
 * image, filesz <= memsz, no address overflow, lowest/highest span them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf.h"

static void must(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *image = malloc(size ? size : 1);
    memcpy(image, data, size);
    struct elf_image out;
    if (!elf_parse(image, size, &out)) {
        must(out.segment_count >= 1 && out.segment_count <= ELF_MAX_SEGMENTS);
        must(out.entry >= out.lowest && out.entry < out.highest);
        for (uint32_t i = 0; i < out.segment_count; i++) {
            const struct elf_segment *s = &out.segments[i];
            must(s->filesz <= s->memsz);
            must(s->offset <= size && s->filesz <= size - s->offset);
            must(s->paddr + s->memsz >= s->paddr);
            must(s->paddr >= out.lowest && s->paddr + s->memsz <= out.highest);
            must(out.highest <= 1ull << 32);
        }
    }
    free(image);
    return 0;
}
