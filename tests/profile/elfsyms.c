/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* strdup, strnlen, strtok_r */
#include "elfsyms.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            char *n = realloc(buf, cap);
            if (!n) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = n;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *size = len;
    return buf;
}

static int by_addr(const void *a, const void *b)
{
    const struct elfsym *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Whether [off, off + len) lies inside a file of size bytes. */
static int inside(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static void section(const unsigned char *img, const Elf64_Ehdr *eh, unsigned i, Elf64_Shdr *out)
{
    memcpy(out, img + eh->e_shoff + i * sizeof *out, sizeof *out);
}

int elfsyms_load(const char *path, struct elfsyms *out, const char **why)
{
    memset(out, 0, sizeof *out);
    size_t size;
    unsigned char *img = slurp(path, &size);
    if (!img) {
        *why = "cannot read the file";
        return -1;
    }
    Elf64_Ehdr ehdr;
    const Elf64_Ehdr *eh = &ehdr;
    if (size >= sizeof ehdr)
        memcpy(&ehdr, img, sizeof ehdr);
    *why = "not an ELF64 little-endian file";
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
        goto bad;
    *why = "program or section headers out of the file";
    if (!inside(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size) ||
        !inside(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size))
        goto bad;
    /* Headers are copied out: nothing says the file keeps them aligned. */
    for (unsigned i = 0; i < eh->e_phnum && out->ranges < ELFSYMS_MAX_RANGES; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img + eh->e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
            out->lo[out->ranges] = ph.p_vaddr;
            out->hi[out->ranges++] = ph.p_vaddr + ph.p_memsz;
        }
    }
    *why = "no symbol table (a stripped file?)";
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh, strs;
        section(img, eh, i, &sh);
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        if (sh.sh_link >= eh->e_shnum || !inside(sh.sh_offset, sh.sh_size, size))
            goto bad;
        section(img, eh, sh.sh_link, &strs);
        if (!inside(strs.sh_offset, strs.sh_size, size) || strs.sh_size == 0)
            goto bad;
        const char *str = (const char *)img + strs.sh_offset;
        size_t n = sh.sh_size / sizeof(Elf64_Sym);
        out->syms = calloc(n ? n : 1, sizeof *out->syms);
        if (!out->syms)
            goto bad;
        for (size_t k = 0; k < n; k++) {
            Elf64_Sym sym;
            Elf64_Shdr in;
            memcpy(&sym, img + sh.sh_offset + k * sizeof sym, sizeof sym);
            unsigned type = ELF64_ST_TYPE(sym.st_info);
            /* Functions, and the labels of assembly files (NOTYPE) that
             * lie in code: both are places execution is attributed to. */
            if (type != STT_FUNC && type != STT_NOTYPE)
                continue;
            if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= eh->e_shnum)
                continue;
            section(img, eh, sym.st_shndx, &in);
            if (!(in.sh_flags & SHF_EXECINSTR) || sym.st_name >= strs.sh_size ||
                str[sym.st_name] == '\0')
                continue;
            const char *name = str + sym.st_name;
            if (strnlen(name, strs.sh_size - sym.st_name) == strs.sh_size - sym.st_name)
                continue; /* not terminated inside the table */
            out->syms[out->count].addr = sym.st_value;
            out->syms[out->count].name = strdup(name);
            if (!out->syms[out->count].name)
                goto bad;
            out->count++;
        }
        qsort(out->syms, out->count, sizeof *out->syms, by_addr);
        /* One name per address: the first in name order (an assembly
         * label and a function at one place are one function). */
        size_t w = 0;
        for (size_t r = 0; r < out->count; r++) {
            if (w && out->syms[w - 1].addr == out->syms[r].addr) {
                free(out->syms[r].name);
                continue;
            }
            out->syms[w++] = out->syms[r];
        }
        out->count = w;
        free(img);
        return 0;
    }
bad:
    free(img);
    elfsyms_free(out);
    return -1;
}

int elfsyms_covers(const struct elfsyms *s, uint64_t pc)
{
    for (size_t i = 0; i < s->ranges; i++)
        if (pc >= s->lo[i] && pc < s->hi[i])
            return 1;
    return 0;
}

long elfsyms_find(const struct elfsyms *s, uint64_t pc)
{
    size_t lo = 0, hi = s->count; /* the answer is lo - 1 */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->syms[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

void elfsyms_free(struct elfsyms *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->syms[i].name);
    free(s->syms);
    memset(s, 0, sizeof *s);
}
