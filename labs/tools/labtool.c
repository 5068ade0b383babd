/* SPDX-License-Identifier: MIT */
/*
 * labtool: the lab regions of the source tree (labs/README.md).
 *
 * A lab region is a part of the real code that a lab's student writes
 * back.  It is marked by two comment lines:
 *
 *     C:          / * LAB 4.3 BEGIN: decode the rep input * /   ...   / * LAB 4.3 END * /
 *     scripts:    # LAB 1.2 BEGIN: scenarios that kill mutants  ...   # LAB 1.2 END
 *     Markdown:   <!-- LAB 8.5 BEGIN: the measured numbers -->  ...  <!-- LAB 8.5 END -->
 *
 * (without the spaces inside the comment delimiters).  4.3 is lab 4,
 * exercise 3.  Regions do not nest; one exercise may have several
 * regions, in one file or several.
 *
 *   labtool check FILE...                 every marker well-formed (make check)
 *   labtool starter LAB OUT FILE...       copy FILEs to OUT/FILE, lab LAB's regions
 * stubbed labtool files LAB FILE...             the FILEs that hold a region of lab LAB
 *   labtool merge LAB PRISTINE STUDENT OUT   PRISTINE with lab LAB's region bodies from
 * STUDENT labtool audit LAB FILE...             lab LAB's regions use nothing that could
 * forge a result labtool mutate MUTANT ROOT            apply a model mutant (lab 1) to
 * the copy of the tree in ROOT
 *
 * A stubbed C region keeps its two markers and holds LAB_TODO(n, m)
 * (lib/lab_todo.h, which the starter includes), which stops the
 * hypervisor, the partition or the host program with "lab n, exercise m:
 * not written yet".  A stubbed script region holds one comment line.  A
 * stubbed Markdown region (a report the student fills in, lab 8) keeps
 * its lines with every table cell that starts with a digit blanked: the
 * student gets the table to fill, not the numbers.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define LAB_MAX 8

struct line {
    char *text; /* without the newline */
};

struct file {
    const char *path;
    struct line *lines;
    size_t n;
    int c_style; /* STYLE_*: which comments hold markers; -1 none */
    mode_t mode;
};

enum { STYLE_HASH = 0, STYLE_C = 1, STYLE_HTML = 2 };

enum marker_kind { NOT_MARKER, BEGIN, END, MALFORMED };

struct marker {
    enum marker_kind kind;
    int lab, ex;
    const char *why; /* MALFORMED */
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "labtool: out of memory\n");
        exit(2);
    }
    return p;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Files whose comments can hold markers; others are copied as they are. */
static int marker_file(const char *path, int *c_style)
{
    static const char *c_ext[] = {".c", ".h", ".S", ".ld"};
    static const char *hash_ext[] = {".scn", ".sh", ".mk", ".list", "GNUmakefile"};
    for (size_t i = 0; i < sizeof c_ext / sizeof c_ext[0]; i++)
        if (has_suffix(path, c_ext[i]))
            return *c_style = STYLE_C, 1;
    for (size_t i = 0; i < sizeof hash_ext / sizeof hash_ext[0]; i++)
        if (has_suffix(path, hash_ext[i]))
            return *c_style = STYLE_HASH, 1;
    if (has_suffix(path, ".md"))
        return *c_style = STYLE_HTML, 1;
    return 0;
}

static int read_file(const char *path, struct file *f)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "labtool: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    f->mode = fstat(fileno(fp), &st) == 0 ? st.st_mode & 07777 : 0644;
    f->path = path;
    f->lines = 0;
    f->n = 0;
    size_t cap = 0;
    char *buf = 0;
    size_t bufcap = 0;
    ssize_t len;
    while ((len = getline(&buf, &bufcap, fp)) >= 0) {
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = 0;
        if (f->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct line *grown = realloc(f->lines, cap * sizeof *grown);
            if (!grown) {
                fprintf(stderr, "labtool: out of memory\n");
                exit(2);
            }
            f->lines = grown;
        }
        f->lines[f->n].text = xmalloc((size_t)len + 1);
        memcpy(f->lines[f->n].text, buf, (size_t)len + 1);
        f->n++;
    }
    free(buf);
    fclose(fp);
    if (!marker_file(path, &f->c_style))
        f->c_style = -1;
    return 0;
}

static int parse_num(const char **p)
{
    if (!isdigit((unsigned char)**p))
        return -1;
    int v = 0;
    while (isdigit((unsigned char)**p) && v < 1000)
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

/* Is this line a marker?  A line whose comment starts with "LAB " and a
 * digit claims to be one: it must then be exactly right. */
static struct marker parse_marker(const struct file *f, const char *text)
{
    struct marker m = {NOT_MARKER, 0, 0, 0};
    if (f->c_style < 0)
        return m; /* a file whose comments hold no markers */
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    static const char *const opens[] = {"# ", "/* ", "<!-- "};
    static const char *const closes[] = {"", " */", " -->"};
    static const char *const begin_form[] = {
        "expected '# LAB n.m BEGIN: what to write'",
        "expected '/* LAB n.m BEGIN: what to write */'",
        "expected '<!-- LAB n.m BEGIN: what to write -->'"};
    static const char *const either_form[] = {
        "expected '# LAB n.m BEGIN: title' or '# LAB n.m END'",
        "expected '/* LAB n.m BEGIN: title */' or '/* LAB n.m END */'",
        "expected '<!-- LAB n.m BEGIN: title -->' or '<!-- LAB n.m END -->'"};
    const char *open = opens[f->c_style];
    if (strncmp(p, open, strlen(open)) != 0)
        return m;
    p += strlen(open);
    if (strncmp(p, "LAB ", 4) != 0 || !isdigit((unsigned char)p[4]))
        return m;
    p += 4;
    m.kind = MALFORMED;
    m.lab = parse_num(&p);
    if (*p != '.') {
        m.why = "expected LAB n.m (lab n, exercise m)";
        return m;
    }
    p++;
    m.ex = parse_num(&p);
    if (m.ex < 1) {
        m.why = "expected an exercise number after the dot";
        return m;
    }
    if (m.lab < 1 || m.lab > LAB_MAX) {
        m.why = "unknown lab (labs are numbered 1 to 8)";
        return m;
    }
    const char *close = closes[f->c_style];
    if (strncmp(p, " BEGIN: ", 8) == 0) {
        const char *title = p + 8;
        size_t tl = strlen(title), cl = strlen(close);
        if (tl <= cl || strcmp(title + tl - cl, close) != 0 ||
            !isgraph((unsigned char)*title)) {
            m.why = begin_form[f->c_style];
            return m;
        }
        m.kind = BEGIN;
    } else if (strncmp(p, " END", 4) == 0 && strcmp(p + 4, close) == 0) {
        m.kind = END;
    } else {
        m.why = either_form[f->c_style];
    }
    return m;
}

/* Checks every marker of f; returns the number of errors (printed). */
static int check_file(const struct file *f)
{
    if (f->c_style < 0)
        return 0;
    int errors = 0, open = 0, open_lab = 0, open_ex = 0;
    size_t open_line = 0;
    for (size_t i = 0; i < f->n; i++) {
        struct marker m = parse_marker(f, f->lines[i].text);
        switch (m.kind) {
        case NOT_MARKER: break;
        case MALFORMED:
            fprintf(stderr, "%s:%zu: bad lab marker: %s\n", f->path, i + 1, m.why);
            errors++;
            break;
        case BEGIN:
            if (open) {
                fprintf(stderr,
                        "%s:%zu: LAB %d.%d BEGIN inside LAB %d.%d (opened at line %zu)\n",
                        f->path, i + 1, m.lab, m.ex, open_lab, open_ex, open_line);
                errors++;
            }
            open = 1, open_lab = m.lab, open_ex = m.ex, open_line = i + 1;
            break;
        case END:
            if (!open) {
                fprintf(stderr, "%s:%zu: LAB %d.%d END without a BEGIN\n", f->path, i + 1,
                        m.lab, m.ex);
                errors++;
            } else if (m.lab != open_lab || m.ex != open_ex) {
                fprintf(stderr,
                        "%s:%zu: LAB %d.%d END closes LAB %d.%d (opened at line %zu)\n",
                        f->path, i + 1, m.lab, m.ex, open_lab, open_ex, open_line);
                errors++;
            }
            open = 0;
            break;
        }
    }
    if (open) {
        fprintf(stderr, "%s:%zu: LAB %d.%d BEGIN never ends\n", f->path, open_line,
                open_lab, open_ex);
        errors++;
    }
    return errors;
}

static int has_lab(const struct file *f, int lab)
{
    if (f->c_style < 0)
        return 0;
    for (size_t i = 0; i < f->n; i++) {
        struct marker m = parse_marker(f, f->lines[i].text);
        if (m.kind == BEGIN && m.lab == lab)
            return 1;
    }
    return 0;
}

static int mkdirs(char *path) /* every directory of path, not its last part */
{
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        int rc = mkdir(path, 0755);
        *s = '/';
        if (rc != 0 && errno != EEXIST) {
            fprintf(stderr, "labtool: mkdir %s: %s\n", path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static FILE *create(const char *path, mode_t mode)
{
    char *copy = xmalloc(strlen(path) + 1);
    strcpy(copy, path);
    int rc = mkdirs(copy);
    free(copy);
    if (rc)
        return 0;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        fprintf(stderr, "labtool: %s: %s\n", path, strerror(errno));
    else
        chmod(path, mode);
    return fp;
}

/* "../../" for a path two directories deep. */
static void up_path(const char *path, char *out, size_t size)
{
    out[0] = 0;
    for (const char *s = path; *s; s++)
        if (*s == '/' && strlen(out) + 4 < size)
            strcat(out, "../");
}

static size_t indent_of(const char *text)
{
    size_t n = 0;
    while (text[n] == ' ' || text[n] == '\t')
        n++;
    return n;
}

/* A line of a Markdown region in the starter: a table row ("| a | 1 |")
 * with every cell that starts with a digit emptied, any other line as it
 * is.  The student gets the table to fill in, not the numbers. */
static void write_blanked(FILE *out, const char *text)
{
    size_t ind = indent_of(text);
    if (text[ind] != '|') {
        fprintf(out, "%s\n", text);
        return;
    }
    fprintf(out, "%.*s|", (int)ind, text);
    const char *cell = text + ind + 1;
    while (*cell) {
        const char *end = strchr(cell, '|');
        size_t len = end ? (size_t)(end - cell) : strlen(cell);
        size_t lead = 0;
        while (lead < len && cell[lead] == ' ')
            lead++;
        if (lead < len && isdigit((unsigned char)cell[lead]))
            fputs("  ", out);
        else
            fprintf(out, "%.*s", (int)len, cell);
        if (!end)
            break;
        fputc('|', out);
        cell = end + 1;
    }
    fputc('\n', out);
}

/* Writes f to out with lab's region bodies stubbed. */
static int write_starter(const struct file *f, int lab, FILE *out)
{
    int stubbing = has_lab(f, lab);
    int include_done = !stubbing || f->c_style != STYLE_C;
    int in_region = 0;
    for (size_t i = 0; i < f->n; i++) {
        const char *text = f->lines[i].text;
        if (!include_done && (strncmp(text, "#include", 8) == 0 || i + 1 == f->n)) {
            char up[256];
            up_path(f->path, up, sizeof up);
            fprintf(out, "#include \"%slib/lab_todo.h\" /* lab %d starter */\n", up, lab);
            include_done = 1;
        }
        struct marker m = parse_marker(f, text);
        if (m.kind == BEGIN && m.lab == lab) {
            fprintf(out, "%s\n", text);
            int ind = (int)indent_of(text);
            in_region = 1;
            if (f->c_style == STYLE_C)
                fprintf(out, "%.*sLAB_TODO(%d, %d);\n", ind, text, m.lab, m.ex);
            else if (f->c_style == STYLE_HTML)
                in_region = 2; /* its lines follow, blanked */
            else
                fprintf(out, "%.*s# lab %d, exercise %d: not written yet\n", ind, text,
                        m.lab, m.ex);
            continue;
        }
        if (m.kind == END && in_region) {
            in_region = 0;
            fprintf(out, "%s\n", text);
            continue;
        }
        if (in_region == 2)
            write_blanked(out, text);
        else if (!in_region)
            fprintf(out, "%s\n", text);
    }
    return 0;
}

static int lab_number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == 0 || *end || v < 1 || v > LAB_MAX) {
        fprintf(stderr, "labtool: LAB must be a number from 1 to %d, not '%s'\n", LAB_MAX,
                s);
        exit(2);
    }
    return (int)v;
}

static int cmd_check(int argc, char **argv)
{
    int errors = 0, regions = 0;
    for (int i = 0; i < argc; i++) {
        struct file f;
        if (read_file(argv[i], &f))
            return 2;
        errors += check_file(&f);
        for (size_t k = 0; f.c_style >= 0 && k < f.n; k++)
            regions += parse_marker(&f, f.lines[k].text).kind == BEGIN;
    }
    if (errors) {
        fprintf(stderr, "labtool: %d bad lab marker%s\n", errors, errors == 1 ? "" : "s");
        return 1;
    }
    printf("labtool: %d lab regions in %d files, every marker well-formed\n", regions,
           argc);
    return 0;
}

static int cmd_starter(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: labtool starter LAB OUT FILE...\n");
        return 2;
    }
    int lab = lab_number(argv[0]);
    const char *outdir = argv[1];
    int stubbed = 0, copied = 0;
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "labs/staff/", 11) == 0)
            continue; /* the staff's hidden tests never reach a student */
        copied++;
        struct file f;
        if (read_file(argv[i], &f))
            return 2;
        if (check_file(&f))
            return 1;
        char *path = xmalloc(strlen(outdir) + strlen(argv[i]) + 2);
        sprintf(path, "%s/%s", outdir, argv[i]);
        FILE *out = create(path, f.mode);
        free(path);
        if (!out)
            return 2;
        stubbed += has_lab(&f, lab);
        write_starter(&f, lab, out);
        if (fclose(out)) {
            fprintf(stderr, "labtool: writing %s failed\n", argv[i]);
            return 2;
        }
    }
    printf("labtool: lab %d starter in %s: %d files, %d with lab %d's regions cut out\n",
           lab, outdir, copied, stubbed, lab);
    return stubbed ? 0 : 1;
}

static int cmd_files(int argc, char **argv)
{
    if (argc < 1)
        return 2;
    int lab = lab_number(argv[0]);
    for (int i = 1; i < argc; i++) {
        struct file f;
        if (read_file(argv[i], &f))
            return 2;
        if (has_lab(&f, lab))
            printf("%s\n", argv[i]);
    }
    return 0;
}

/* The body of the k-th region of lab in f: [*first, *last). */
static int nth_region(const struct file *f, int lab, int k, size_t *first, size_t *last,
                      struct marker *which)
{
    int seen = 0;
    for (size_t i = 0; i < f->n; i++) {
        struct marker m = parse_marker(f, f->lines[i].text);
        if (m.kind != BEGIN || m.lab != lab)
            continue;
        if (seen++ != k)
            continue;
        size_t j = i + 1;
        while (j < f->n && parse_marker(f, f->lines[j].text).kind != END)
            j++;
        *first = i + 1, *last = j, *which = m;
        return j < f->n;
    }
    return 0;
}

static int cmd_merge(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: labtool merge LAB PRISTINE STUDENT OUT\n");
        return 2;
    }
    int lab = lab_number(argv[0]);
    struct file p, s;
    if (read_file(argv[1], &p) || read_file(argv[2], &s))
        return 2;
    if (check_file(&p))
        return 1;
    if (check_file(&s)) {
        fprintf(stderr, "labtool: %s: keep the lab markers as they were given\n",
                argv[2]);
        return 1;
    }
    FILE *out = create(argv[3], p.mode);
    if (!out)
        return 2;
    size_t at = 0;
    for (int k = 0;; k++) {
        size_t pf, pl, sf, sl;
        struct marker pm, sm;
        if (!nth_region(&p, lab, k, &pf, &pl, &pm)) {
            if (nth_region(&s, lab, k, &sf, &sl, &sm)) {
                fprintf(stderr, "labtool: %s has more lab %d regions than the handout\n",
                        argv[2], lab);
                fclose(out);
                return 1;
            }
            break;
        }
        if (!nth_region(&s, lab, k, &sf, &sl, &sm) || sm.ex != pm.ex) {
            fprintf(
                stderr,
                "labtool: %s: region %d of lab %d (LAB %d.%d) is missing: keep the lab "
                "markers as they were given\n",
                argv[2], k + 1, lab, pm.lab, pm.ex);
            fclose(out);
            return 1;
        }
        for (; at < pf; at++)
            fprintf(out, "%s\n", p.lines[at].text);
        for (size_t i = sf; i < sl; i++)
            fprintf(out, "%s\n", s.lines[i].text);
        at = pl;
    }
    for (; at < p.n; at++)
        fprintf(out, "%s\n", p.lines[at].text);
    return fclose(out) ? 2 : 0;
}

/* Identifiers a lab region has no business using: output channels,
 * ways to end the program, inline assembly.  A result that could be
 * printed or cut short by the student's own code would prove nothing. */
static const char *const forbidden[] = {"asm",
                                        "__asm__",
                                        "__asm",
                                        "outb",
                                        "outw",
                                        "outl",
                                        "inb",
                                        "inw",
                                        "inl",
                                        "kprintf",
                                        "printf",
                                        "fprintf",
                                        "puts",
                                        "putchar",
                                        "log_write",
                                        "log_vprintf",
                                        "panic",
                                        "panic_at",
                                        "exit",
                                        "_exit",
                                        "abort",
                                        "arch_shutdown",
                                        "partition_exit",
                                        "setjmp",
                                        "longjmp",
                                        "system",
                                        "popen",
                                        "fopen",
                                        "write",
                                        "trace_record",
                                        "trace_emit",
                                        "serial_write",
                                        "serial_putc",
                                        "say",
                                        "env_console_write",
                                        0};

static int cmd_audit(int argc, char **argv)
{
    if (argc < 1)
        return 2;
    int lab = lab_number(argv[0]), bad = 0;
    for (int i = 1; i < argc; i++) {
        struct file f;
        if (read_file(argv[i], &f))
            return 2;
        if (check_file(&f)) {
            bad++;
            continue;
        }
        int in = 0, in_comment = 0;
        for (size_t l = 0; l < f.n; l++) {
            const char *t = f.lines[l].text;
            struct marker m = parse_marker(&f, t);
            if (m.kind == BEGIN && m.lab == lab) {
                in = 1;
                continue;
            }
            if (m.kind == END)
                in = 0;
            if (!in || f.c_style != STYLE_C)
                continue;
            if (t[indent_of(t)] == '#') {
                fprintf(stderr, "%s:%zu: no preprocessor lines in a lab region\n",
                        argv[i], l + 1);
                bad++;
                continue;
            }
            for (const char *s = t; *s;) {
                if (in_comment) {
                    const char *e = strstr(s, "*/");
                    if (!e)
                        break;
                    s = e + 2, in_comment = 0;
                } else if (s[0] == '/' && s[1] == '*') {
                    s += 2, in_comment = 1;
                } else if (s[0] == '/' && s[1] == '/') {
                    break;
                } else if (*s == '"' || *s == '\'') {
                    char q = *s++;
                    while (*s && *s != q)
                        s += (*s == '\\' && s[1]) ? 2 : 1;
                    if (*s)
                        s++;
                } else if (isalpha((unsigned char)*s) || *s == '_') {
                    const char *b = s;
                    while (isalnum((unsigned char)*s) || *s == '_')
                        s++;
                    /* A call (NAME followed by '(') or any mention of asm;
                     * a member (x.write, e->exit) or a variable is fine. */
                    const char *after = s, *before = b;
                    while (*after == ' ' || *after == '\t')
                        after++;
                    while (before > t && (before[-1] == ' ' || before[-1] == '\t'))
                        before--;
                    int member = before > t && (before[-1] == '.' || before[-1] == '>');
                    int is_asm = strncmp(b, "asm", 3) == 0 || strncmp(b, "__asm", 5) == 0;
                    if (member || (*after != '(' && !is_asm))
                        continue;
                    for (int k = 0; forbidden[k]; k++)
                        if ((size_t)(s - b) == strlen(forbidden[k]) &&
                            strncmp(b, forbidden[k], (size_t)(s - b)) == 0) {
                            fprintf(
                                stderr,
                                "%s:%zu: '%s' is not allowed in a lab region (the grader "
                                "must not depend on what the graded code prints or how "
                                "it "
                                "ends)\n",
                                argv[i], l + 1, forbidden[k]);
                            bad++;
                        }
                } else {
                    s++;
                }
            }
        }
    }
    if (bad)
        return 1;
    printf("labtool: lab %d regions use no output channel, no exit, no assembly\n", lab);
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* A mutant (labs/01-spec-first/mutants/NAME.mut): '#' lines say what it
 * breaks, "file PATH" names the file, "- LINE" the one line (compared
 * without its indentation) that "+ LINE" replaces.  The file in ROOT is
 * rewritten; a line that is not there exactly once is an error (a stale
 * mutant), never a silently unmutated model. */
static int cmd_mutate(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: labtool mutate MUTANT ROOT\n");
        return 2;
    }
    struct file m;
    if (read_file(argv[0], &m))
        return 2;
    char *target = 0, *old = 0, *new = 0;
    for (size_t i = 0; i < m.n; i++) {
        char *t = m.lines[i].text;
        if (strncmp(t, "file ", 5) == 0)
            target = trim(t + 5);
        else if (strncmp(t, "- ", 2) == 0)
            old = trim(t + 2);
        else if (strncmp(t, "+ ", 2) == 0)
            new = trim(t + 2);
        else if (t[0] != '#' && *trim(t)) {
            fprintf(stderr,
                    "%s:%zu: expected '# ...', 'file PATH', '- LINE' or '+ LINE'\n",
                    argv[0], i + 1);
            return 2;
        }
    }
    if (!target || !old || !new) {
        fprintf(stderr, "%s: a mutant needs 'file', '-' and '+' lines\n", argv[0]);
        return 2;
    }
    char *path = xmalloc(strlen(argv[1]) + strlen(target) + 2);
    sprintf(path, "%s/%s", argv[1], target);
    struct file f;
    if (read_file(path, &f))
        return 2;
    size_t hit = 0;
    int hits = 0;
    for (size_t i = 0; i < f.n; i++) {
        char *copy = xmalloc(strlen(f.lines[i].text) + 1);
        strcpy(copy, f.lines[i].text);
        if (strcmp(trim(copy), old) == 0)
            hit = i, hits++;
        free(copy);
    }
    if (hits != 1) {
        fprintf(stderr, "%s: the line '%s' is in %s %d times, not once: a stale mutant\n",
                argv[0], old, target, hits);
        return 2;
    }
    FILE *out = fopen(path, "wb");
    if (!out) {
        fprintf(stderr, "labtool: %s: %s\n", path, strerror(errno));
        return 2;
    }
    for (size_t i = 0; i < f.n; i++) {
        if (i == hit)
            fprintf(out, "%.*s%s\n", (int)indent_of(f.lines[i].text), f.lines[i].text,
                    new);
        else
            fprintf(out, "%s\n", f.lines[i].text);
    }
    free(path);
    return fclose(out) ? 2 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: labtool check|starter|files|merge|audit|mutate ...\n");
        return 2;
    }
    const char *cmd = argv[1];
    argc -= 2, argv += 2;
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc, argv);
    if (strcmp(cmd, "starter") == 0)
        return cmd_starter(argc, argv);
    if (strcmp(cmd, "files") == 0)
        return cmd_files(argc, argv);
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc, argv);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(argc, argv);
    if (strcmp(cmd, "mutate") == 0)
        return cmd_mutate(argc, argv);
    fprintf(stderr, "labtool: unknown command %s\n", cmd);
    return 2;
}
