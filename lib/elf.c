/* SPDX-License-Identifier: MIT */
#include "elf.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "string.h"
#endif

#define PT_LOAD 1
#define EM_X86_64 62
#define ET_EXEC 2

struct elf64_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

const char *elf_parse(const void *image, uint64_t size, struct elf_image *out)
{
    struct elf64_header h;
    memset(out, 0, sizeof *out);
    if (size < sizeof h)
        return "image smaller than an ELF header";
    memcpy(&h, image, sizeof h);
    if (memcmp(h.ident, "\177ELF", 4) != 0)
        return "not an ELF file";
    if (h.ident[4] != 2 || h.ident[5] != 1)
        return "not a little-endian ELF64 file";
    if (h.machine != EM_X86_64 || h.type != ET_EXEC)
        return "not an x86-64 executable";
    if (h.phentsize != sizeof(struct elf64_phdr))
        return "unexpected program header size";
    if (h.phoff > size || (uint64_t)h.phnum * sizeof(struct elf64_phdr) > size - h.phoff)
        return "program headers run past the end of the image";
    out->entry = h.entry;
    out->lowest = UINT64_MAX;
    for (uint32_t i = 0; i < h.phnum; i++) {
        struct elf64_phdr ph;
        memcpy(&ph, (const uint8_t *)image + h.phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (out->segment_count == ELF_MAX_SEGMENTS)
            return "too many loadable segments";
        if (ph.filesz > ph.memsz)
            return "segment file size exceeds its memory size";
        if (ph.offset > size || ph.filesz > size - ph.offset)
            return "segment runs past the end of the image";
        if (ph.paddr + ph.memsz < ph.paddr || ph.paddr + ph.memsz > (1ull << 32))
            return "segment outside the first 4 GiB";
        out->segments[out->segment_count++] =
            (struct elf_segment){ph.paddr, ph.offset, ph.filesz, ph.memsz};
        if (ph.paddr < out->lowest)
            out->lowest = ph.paddr;
        if (ph.paddr + ph.memsz > out->highest)
            out->highest = ph.paddr + ph.memsz;
    }
    if (out->segment_count == 0)
        return "no loadable segments";
    if (out->entry < out->lowest || out->entry >= out->highest)
        return "entry point outside the loaded segments";
    return 0;
}
