/* SPDX-License-Identifier: MIT */
/*
 * Reading partition images: ELF64 x86-64 executables.  Every field is
 * checked against the image's size before use.
 */
#pragma once
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    uint64_t paddr;  /* where it goes in the partition's guest-physical space */
    uint64_t offset; /* where its bytes start in the image */
    uint64_t filesz;
    uint64_t memsz;  /* memsz - filesz bytes of zeros follow */
};

struct elf_image {
    uint64_t entry;
    uint32_t segment_count;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    uint64_t lowest, highest; /* guest-physical span of all segments */
};

/* NULL on success, else what is wrong with the image. */
const char *elf_parse(const void *image, uint64_t size, struct elf_image *out);
