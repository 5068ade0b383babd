/* SPDX-License-Identifier: MIT */
/*
 * mutgen — small defects for the mutation score (make mutants,
 * tests/mutants/README.md).
 *   mutgen list FILE...            one line per mutant: N FILE:LINE KIND: old -> new
 *   mutgen apply N ROOT FILE...    writes mutant N's file into ROOT/FILE
 * Mutants are numbered over the files in the order given, so the same
 * sources give the same numbers.  Operators, on code lines only (not
 * comments, not preprocessor lines, not declarations at file level):
 *   rel     a relational operator moved by one: < <=, > >=, == !=
 *   logic   && for || and back
 *   guard   an early return that follows an if: the return removed
 *   status  an HV_STATUS_ name swapped for another
 *   const   a decimal constant in a comparison nudged by one
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 8192

struct mutant {
    const char *file;
    int line;          /* 1-based */
    const char *kind;
    char text[512];    /* the replacement line */
};

static int count;
static int wanted = -1;
static struct mutant found;

static void emit(const char *file, int line, const char *kind, const char *old,
                 const char *new_line)
{
    if (wanted < 0) {
        const char *o = old, *n = new_line;
        while (isspace((unsigned char)*o))
            o++;
        while (isspace((unsigned char)*n))
            n++;
        printf("%d %s:%d %s: %s -> %s\n", count, file, line, kind, o, n);
    } else if (count == wanted) {
        found.file = file;
        found.line = line;
        found.kind = kind;
        snprintf(found.text, sizeof found.text, "%s", new_line);
    }
    count++;
}

/* Replaces len bytes at off of line with rep. */
static void splice(char *out, size_t cap, const char *line, size_t off, size_t len,
                   const char *rep)
{
    snprintf(out, cap, "%.*s%s%s", (int)off, line, rep, line + off + len);
}

static const char *const statuses[] = {
    "HV_STATUS_SUCCESS",
    "HV_STATUS_INVALID_PARAMETER",
    "HV_STATUS_INVALID_PARTITION_ID",
    "HV_STATUS_INVALID_VP_INDEX",
    "HV_STATUS_ACCESS_DENIED",
    "HV_STATUS_INVALID_PARTITION_STATE",
    "HV_STATUS_INSUFFICIENT_MEMORY",
    "HV_STATUS_INVALID_PORT_ID",
    "HV_STATUS_INVALID_CONNECTION_ID",
    "HV_STATUS_INSUFFICIENT_BUFFERS",
    "HV_STATUS_INVALID_VP_STATE",
    "HV_STATUS_INVALID_ALIGNMENT",
    "HV_STATUS_INVALID_HYPERCALL_INPUT",
};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static int is_code_line(const char *l, int in_comment)
{
    const char *p = l;
    while (isspace((unsigned char)*p))
        p++;
    if (in_comment || *p == 0 || *p == '#' || (p[0] == '/' && (p[1] == '*' || p[1] == '/')) ||
        *p == '*')
        return 0;
    return isspace((unsigned char)l[0]); /* inside a function body (indented) */
}

static void mutate_line(const char *file, int no, const char *l, const char *prev)
{
    char out[512];
    size_t n = strlen(l);
    int has_rel = 0;
    /* rel and logic */
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        size_t len = 1;
        char c = l[i], d = i + 1 < n ? l[i + 1] : 0, b = i ? l[i - 1] : 0;
        if (c == '<' && d == '=' && b != '<')
            rep = "<", len = 2;
        else if (c == '>' && d == '=' && b != '>')
            rep = ">", len = 2;
        else if (c == '=' && d == '=')
            rep = "!=", len = 2;
        else if (c == '!' && d == '=')
            rep = "==", len = 2;
        else if (c == '<' && d != '<' && d != '=' && b != '<' && b != '-')
            rep = "<=";
        else if (c == '>' && d != '>' && d != '=' && b != '>' && b != '-')
            rep = ">=";
        else if (c == '&' && d == '&')
            rep = "||", len = 2;
        else if (c == '|' && d == '|')
            rep = "&&", len = 2;
        if (!rep)
            continue;
        if (c == '<' || c == '>' || c == '=' || c == '!')
            has_rel = 1;
        splice(out, sizeof out, l, i, len, rep);
        emit(file, no, c == '&' || c == '|' ? "logic" : "rel", l, out);
        i += len - 1;
    }
    /* guard: "return X;" right after a line that is an if */
    const char *p = l, *q = prev;
    while (isspace((unsigned char)*p))
        p++;
    while (q && isspace((unsigned char)*q))
        q++;
    if (q && strncmp(q, "if (", 4) == 0 && strncmp(p, "return", 6) == 0 &&
        l[strlen(l) - 1] == ';') {
        snprintf(out, sizeof out, "%.*s; /* guard removed */", (int)(p - l), l);
        emit(file, no, "guard", l, out);
    }
    /* status */
    for (size_t s = 0; s < NSTATUS; s++) {
        const char *at = strstr(l, statuses[s]);
        size_t len = strlen(statuses[s]);
        if (!at || isalnum((unsigned char)at[len]) || at[len] == '_')
            continue;
        splice(out, sizeof out, l, (size_t)(at - l), len, statuses[(s + 1) % NSTATUS]);
        emit(file, no, "status", l, out);
    }
    /* const: decimal literals on lines that compare */
    if (has_rel)
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)l[i]) || (i && (isalnum((unsigned char)l[i - 1]) ||
                                                      l[i - 1] == '_')))
                continue;
            size_t j = i;
            while (j < n && isalnum((unsigned char)l[j]))
                j++;
            if (l[i] == '0' && j - i > 1) { /* hex or octal: leave */
                i = j;
                continue;
            }
            char num[64];
            snprintf(num, sizeof num, "(%.*s + 1)", (int)(j - i), l + i);
            splice(out, sizeof out, l, i, j - i, num);
            emit(file, no, "const", l, out);
            i = j;
        }
}

static char *lines[MAX_LINES];

static int read_lines(const char *path, int *nlines)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    int n = 0;
    while ((got = getline(&buf, &cap, f)) >= 0 && n < MAX_LINES) {
        while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
            buf[--got] = 0;
        lines[n++] = strdup(buf);
    }
    free(buf);
    fclose(f);
    *nlines = n;
    return 0;
}

static int scan(const char *path)
{
    int n;
    if (read_lines(path, &n))
        return -1;
    int in_comment = 0;
    for (int i = 0; i < n; i++) {
        const char *l = lines[i];
        int code = is_code_line(l, in_comment);
        if (strstr(l, "/*") && !strstr(l, "*/"))
            in_comment = 1;
        else if (in_comment && strstr(l, "*/"))
            in_comment = 0, code = 0;
        if (code && !strstr(l, "LAB_TODO"))
            mutate_line(path, i + 1, l, i ? lines[i - 1] : NULL);
    }
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return 0;
}

int main(int argc, char **argv)
{
    int first = 2;
    const char *root = NULL;
    if (argc >= 3 && strcmp(argv[1], "list") == 0) {
        first = 2;
    } else if (argc >= 5 && strcmp(argv[1], "apply") == 0) {
        wanted = atoi(argv[2]);
        root = argv[3];
        first = 4;
    } else {
        fprintf(stderr, "usage: mutgen list FILE... | mutgen apply N ROOT FILE...\n");
        return 2;
    }
    for (int i = first; i < argc; i++)
        if (scan(argv[i]))
            return 2;
    if (wanted < 0)
        return 0;
    if (!found.file) {
        fprintf(stderr, "mutgen: there is no mutant %d (%d in all)\n", wanted, count);
        return 2;
    }
    int n;
    if (read_lines(found.file, &n))
        return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, found.file);
    FILE *out = fopen(path, "w");
    if (!out) {
        perror(path);
        return 2;
    }
    for (int i = 0; i < n; i++)
        fprintf(out, "%s\n", i + 1 == found.line ? found.text : lines[i]);
    fclose(out);
    printf("%s:%d %s\n", found.file, found.line, found.kind);
    return 0;
}
