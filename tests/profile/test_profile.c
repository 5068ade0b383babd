/* SPDX-License-Identifier: MIT */
/*
 * make profile's counter (tests/profile/prof.c, elfsyms.c) on crafted ELF
 * files and a crafted QEMU exec log: symbols found and sorted, host and
 * guest mode told apart at one address, phases split at the markers,
 * instructions QEMU logged but did not run taken back, the call tree
 * guessed from the PCs, the table's per-unit numbers.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsyms.h"
#include "prof.h"
#include "report.h"

struct sym_spec {
    const char *name;
    uint64_t addr;
    int type; /* STT_FUNC, STT_NOTYPE or STT_OBJECT (not code: ignored) */
};

static char dir[64];
static char hv_elf[128], root_elf[128], child_elf[128];

/* An ELF64 file with one executable segment [lo, lo + 0x100) (.text, no
 * bytes), a .data section and these symbols. */
static void write_elf(const char *path, uint64_t lo, const struct sym_spec *s, int n)
{
    char strtab[256] = "";
    size_t strlen_used = 1;
    Elf64_Sym syms[8];
    memset(syms, 0, sizeof syms);
    for (int i = 0; i < n; i++) {
        Elf64_Sym *y = &syms[i + 1];
        y->st_name = (Elf64_Word)strlen_used;
        strcpy(strtab + strlen_used, s[i].name);
        strlen_used += strlen(s[i].name) + 1;
        y->st_info = ELF64_ST_INFO(STB_GLOBAL, s[i].type);
        y->st_shndx = s[i].type == STT_OBJECT ? 2 : 1;
        y->st_value = s[i].addr;
    }
    static const char shstr[] = "\0.text\0.data\0.symtab\0.strtab\0.shstrtab";
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    Elf64_Shdr sh[6];
    memset(&eh, 0, sizeof eh);
    memset(&ph, 0, sizeof ph);
    memset(sh, 0, sizeof sh);
    size_t off_str = sizeof eh + sizeof ph;
    size_t off_sym = off_str + sizeof strtab;
    size_t off_shstr = off_sym + (size_t)(n + 1) * sizeof(Elf64_Sym);
    size_t off_sh = off_shstr + sizeof shstr;
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_phoff = sizeof eh;
    eh.e_phnum = 1;
    eh.e_phentsize = sizeof ph;
    eh.e_shoff = off_sh;
    eh.e_shnum = 6;
    eh.e_shentsize = sizeof sh[0];
    eh.e_shstrndx = 5;
    ph.p_type = PT_LOAD;
    ph.p_flags = PF_R | PF_X;
    ph.p_vaddr = ph.p_paddr = lo;
    ph.p_memsz = 0x100;
    sh[1] = (Elf64_Shdr){.sh_name = 1, .sh_type = SHT_NOBITS,
                         .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = lo, .sh_size = 0x100};
    sh[2] = (Elf64_Shdr){.sh_name = 7, .sh_type = SHT_NOBITS, .sh_flags = SHF_ALLOC | SHF_WRITE,
                         .sh_addr = lo + 0x1000, .sh_size = 0x100};
    sh[3] = (Elf64_Shdr){.sh_name = 13, .sh_type = SHT_SYMTAB, .sh_offset = off_sym,
                         .sh_size = (size_t)(n + 1) * sizeof(Elf64_Sym), .sh_link = 4,
                         .sh_info = 1, .sh_entsize = sizeof(Elf64_Sym)};
    sh[4] = (Elf64_Shdr){.sh_name = 21, .sh_type = SHT_STRTAB, .sh_offset = off_str,
                         .sh_size = sizeof strtab};
    sh[5] = (Elf64_Shdr){.sh_name = 29, .sh_type = SHT_STRTAB, .sh_offset = off_shstr,
                         .sh_size = sizeof shstr};
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(&eh, sizeof eh, 1, f);
    fwrite(&ph, sizeof ph, 1, f);
    fwrite(strtab, sizeof strtab, 1, f);
    fwrite(syms, sizeof(Elf64_Sym), (size_t)n + 1, f);
    fwrite(shstr, sizeof shstr, 1, f);
    fwrite(sh, sizeof sh, 1, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* The hypervisor and the child share 0x1000..0x1100 (as partita.elf and
 * uart.elf share 0x100000); the root lies apart. */
static void setup(void)
{
    strcpy(dir, "/tmp/test_profile.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(hv_elf, sizeof hv_elf, "%s/hv.elf", dir);
    snprintf(root_elf, sizeof root_elf, "%s/root.elf", dir);
    snprintf(child_elf, sizeof child_elf, "%s/child.elf", dir);
    const struct sym_spec hv[] = {{"hv_b", 0x1020, STT_FUNC},
                                  {"hv_main", 0x1000, STT_FUNC},
                                  {"hv_a", 0x1010, STT_FUNC},
                                  {"hv_entry_label", 0x1000, STT_NOTYPE},
                                  {"hv_table", 0x1008, STT_OBJECT}};
    write_elf(hv_elf, 0x1000, hv, 5);
    const struct sym_spec root[] = {{"root_main", 0x8000, STT_FUNC},
                                    {"root_mark", 0x8040, STT_FUNC},
                                    {"root_stop", 0x8080, STT_FUNC}};
    write_elf(root_elf, 0x8000, root, 3);
    const struct sym_spec child[] = {{"child_main", 0x1000, STT_FUNC},
                                     {"child_loop", 0x1040, STT_FUNC}};
    write_elf(child_elf, 0x1000, child, 2);
}

static void teardown(void)
{
    unlink(hv_elf);
    unlink(root_elf);
    unlink(child_elf);
    rmdir(dir);
}

START_TEST(symbols_sorted_code_only)
{
    struct elfsyms s;
    const char *why = NULL;
    ck_assert_int_eq(elfsyms_load(hv_elf, &s, &why), 0);
    ck_assert_uint_eq(s.count, 3); /* hv_table is data; the label shares hv_main's place */
    ck_assert_str_eq(s.syms[0].name, "hv_entry_label"); /* first name at 0x1000 */
    ck_assert_str_eq(s.syms[1].name, "hv_a");
    ck_assert_str_eq(s.syms[2].name, "hv_b");
    ck_assert_int_eq(elfsyms_find(&s, 0x0fff), -1);
    ck_assert_int_eq(elfsyms_find(&s, 0x1000), 0);
    ck_assert_int_eq(elfsyms_find(&s, 0x101f), 1);
    ck_assert_int_eq(elfsyms_find(&s, 0x10ff), 2);
    ck_assert(elfsyms_covers(&s, 0x10ff));
    ck_assert(!elfsyms_covers(&s, 0x1100));
    elfsyms_free(&s);
    ck_assert_int_eq(elfsyms_load("/nonexistent/x.elf", &s, &why), -1);
}
END_TEST

static void trace(struct prof *p, uint64_t pc, int guest)
{
    char line[160];
    snprintf(line, sizeof line, "Trace 0: 0x7f0000000100 [%016llx/%016llx/%08x/ff020201] \n",
             0ull, (unsigned long long)pc, guest ? 0x0030c0b0u : 0x000000b0u);
    prof_line(p, line);
}

static size_t func(const struct prof *p, const char *space, const char *name)
{
    for (size_t k = 0; k < p->nfuncs; k++) {
        int sp;
        const char *n = prof_func_name(p, k, &sp);
        if (strcmp(n, name) == 0 && strcmp(p->spaces[sp].name, space) == 0)
            return k;
    }
    ck_abort_msg("no function %s in %s", name, space);
    return 0;
}

static void ready(struct prof *p)
{
    const char *why = NULL;
    prof_init(p);
    ck_assert_int_eq(prof_add_space(p, "hv", 0, hv_elf, &why), 0);
    ck_assert_int_eq(prof_add_space(p, "root", 1, root_elf, &why), 0);
    ck_assert_int_eq(prof_add_space(p, "child", 1, child_elf, &why), 0);
    ck_assert_int_eq(prof_ready(p, &why), 0);
    ck_assert_int_eq(prof_markers(p, 's', "root:root_main,root:root_mark", &why), 0);
    ck_assert_int_eq(prof_markers(p, 'e', "root:root_stop", &why), 0);
}

/* Boot: the firmware, the hypervisor, root_mark before root_main (not yet
 * the start: the chain is in order), root_main.  Measured: root_mark, two
 * round trips into the hypervisor, the child at the hypervisor's
 * addresses.  Then root_stop and after. */
static void feed(struct prof *p)
{
    trace(p, 0xfffffff0, 0);  /* firmware */
    trace(p, 0x1000, 0);      /* hv_main */
    trace(p, 0x8040, 1);      /* root_mark, out of order: still boot */
    trace(p, 0x8000, 1);      /* root_main */
    trace(p, 0x8004, 1);
    trace(p, 0x8040, 1);      /* root_mark: measured from here */
    trace(p, 0x8044, 1);
    trace(p, 0x1010, 0);      /* hv_a, entered: a call under hv_main */
    trace(p, 0x1014, 0);
    trace(p, 0x1020, 0);      /* hv_b, entered: under hv_a */
    prof_line(p, "Stopped execution of TB chain before 0x7f0000000100 [0000000000001020] \n");
    trace(p, 0x1020, 0);      /* hv_b again: runs this time */
    trace(p, 0x1024, 0);
    trace(p, 0x1018, 0);      /* back in hv_a */
    trace(p, 0x1000, 1);      /* child_main at the same address, guest mode */
    trace(p, 0x1040, 1);      /* child_loop */
    trace(p, 0x1044, 1);
    prof_line(p, "cpu_io_recompile: rewound execution of TB to 0000000000001044\n");
    trace(p, 0x1044, 1);      /* the I/O instruction again */
    trace(p, 0x1040, 1);      /* back to its own entry: a loop, not a call */
    trace(p, 0x8048, 1);      /* the root again */
    prof_line(p, "a line that is not QEMU's\n");
    prof_line(p, "Trace 0: 0x7f0000000100 [garbage]\n");
    trace(p, 0x8080, 1);      /* root_stop: after */
    trace(p, 0x8084, 1);
    prof_end(p);
}

START_TEST(phases_spaces_and_functions)
{
    static struct prof p;
    ready(&p);
    feed(&p);
    ck_assert_int_eq(p.phase, PROF_AFTER);
    ck_assert_uint_eq(p.phase_total[PROF_BOOT], 5);
    ck_assert_uint_eq(p.phase_total[PROF_MEASURED], 12);
    ck_assert_uint_eq(p.phase_total[PROF_AFTER], 2);
    ck_assert_uint_eq(p.cancelled, 2);
    const uint64_t *m = p.count[PROF_MEASURED];
    ck_assert_uint_eq(m[func(&p, "root", "root_mark")], 3);
    ck_assert_uint_eq(m[func(&p, "hv", "hv_a")], 3);
    ck_assert_uint_eq(m[func(&p, "hv", "hv_b")], 2);
    ck_assert_uint_eq(m[func(&p, "child", "child_main")], 1);
    ck_assert_uint_eq(m[func(&p, "child", "child_loop")], 3);
    ck_assert_uint_eq(m[func(&p, "hv", "hv_entry_label")], 0);
    ck_assert_uint_eq(p.count[PROF_BOOT][func(&p, "hv", "hv_entry_label")], 1);
    ck_assert_uint_eq(p.count[PROF_BOOT][func(&p, "firmware", "(no symbol)")], 1);
    prof_free(&p);
}
END_TEST

/* The node of name under parent, in the call tree. */
static int node(const struct prof *p, int parent, const char *space, const char *name)
{
    for (int c = p->nodes[parent].child; c >= 0; c = p->nodes[c].sibling) {
        const struct prof_node *n = &p->nodes[c];
        int sp = n->func < -1 ? (int)(-2 - n->func) : -1;
        const char *nm = n->func >= 0 ? prof_func_name(p, (size_t)n->func, &sp)
                                      : p->spaces[sp].name;
        if (strcmp(nm, name) == 0 && strcmp(p->spaces[sp].name, space) == 0)
            return c;
    }
    ck_abort_msg("no node %s (%s)", name, space);
    return -1;
}

START_TEST(call_tree_from_pcs)
{
    static struct prof p;
    ready(&p);
    feed(&p);
    int hv = node(&p, 0, "hv", "hv");
    int main_ = node(&p, hv, "hv", "hv_entry_label");
    int a = node(&p, main_, "hv", "hv_a");
    int b = node(&p, a, "hv", "hv_b");
    ck_assert_uint_eq(p.nodes[a].self, 3);
    ck_assert_uint_eq(p.nodes[b].self, 2);
    ck_assert_uint_eq(p.nodes[a].total, 5);
    int child = node(&p, 0, "child", "child");
    int loop = node(&p, node(&p, child, "child", "child_main"), "child", "child_loop");
    ck_assert_uint_eq(p.nodes[loop].self, 3); /* no recursion from the loop */
    ck_assert_int_eq(p.nodes[loop].child, -1);
    ck_assert_uint_eq(p.nodes[0].total, 12);
    prof_free(&p);
}
END_TEST

START_TEST(table_per_unit)
{
    static struct prof p;
    ready(&p);
    feed(&p);
    struct report_info ri = {"test", "call", 2};
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    report_table(&p, &ri, f);
    rewind(f);
    char line[256];
    int found = 0, space_line = 0, first = 0, functions = 0;
    while (fgets(line, sizeof line, f)) {
        char name[64], space[32], pct[16];
        unsigned long long n;
        double per;
        if (strncmp(line, "# boot 5, measured 12, after 2", 30) == 0)
            found++;
        if (strncmp(line, "function", 8) == 0)
            functions = 1;
        if (functions && sscanf(line, "%63s %31s %llu %15s %lf", name, space, &n, pct, &per) == 5) {
            if (!first++)
                ck_assert_str_eq(name, "hv_a"); /* 3, tied with later spaces */
            if (strcmp(name, "hv_a") == 0 && n == 3 && per == 1.5)
                found++;
        }
        if (sscanf(line, "child %llu %15s %lf", &n, pct, &per) == 3 && n == 4 && per == 2.0)
            space_line++;
    }
    fclose(f);
    ck_assert_int_eq(found, 2);
    ck_assert_int_eq(space_line, 1);
    f = tmpfile();
    report_svg(&p, &ri, f);
    ck_assert(ftell(f) > 0);
    fclose(f);
    prof_free(&p);
}
END_TEST

START_TEST(bad_markers_refused)
{
    static struct prof p;
    const char *why = NULL;
    prof_init(&p);
    ck_assert_int_eq(prof_add_space(&p, "root", 1, root_elf, &why), 0);
    ck_assert_int_eq(prof_ready(&p, &why), 0);
    ck_assert_int_eq(prof_markers(&p, 's', "root:nosuch", &why), -1);
    ck_assert_int_eq(prof_markers(&p, 's', "nospace:root_main", &why), -1);
    ck_assert_int_eq(prof_markers(&p, 's', "root_main", &why), -1);
    ck_assert_int_eq(prof_markers(&p, 's', "firmware:x", &why), -1);
    ck_assert_int_eq(prof_markers(&p, 's', "root:root_main", &why), 0);
    prof_free(&p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("counter");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, symbols_sorted_code_only);
    tcase_add_test(tc, phases_spaces_and_functions);
    tcase_add_test(tc, call_tree_from_pcs);
    tcase_add_test(tc, table_per_unit);
    tcase_add_test(tc, bad_markers_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
