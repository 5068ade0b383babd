/* SPDX-License-Identifier: MIT */
/*
 * report-check: are the numbers of a lab report the numbers the bench
 * reproduces, bit for bit?  (Lab 8, labs/08-micro-mono/README.md.)
 *
 *   report-check REPORT.md BENCH.md
 *
 * Both files hold Markdown tables ("| a | b |" rows under a header row and
 * a "| --- |" row).  A column headed "workload", "build" or "emulator" is
 * a key; every other column holds a number.  BENCH.md is what
 * labs/tools/lab8-bench.sh printed on this tree; for each of its rows the
 * report must have a row with the same keys (in a table with the same
 * header), and each number there must be the same text: "12.59" is not
 * "12.6", "484,585" is not "484585".  Every difference is printed, naming
 * the row and the column; the exit status is 0 when there is none, 1 when
 * there is one, 2 when a file cannot be read.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELLS_MAX 16
#define ROWS_MAX 64
#define CELL_LEN 64

struct row {
    int table; /* index of its header in the file */
    int cells;
    char cell[CELLS_MAX][CELL_LEN];
};

struct doc {
    const char *path;
    struct row header[ROWS_MAX]; /* one per table */
    int tables;
    struct row rows[ROWS_MAX];
    int nrows;
};

/* Splits "| a | b |" into trimmed cells; 0 if the line is no table row. */
static int split(const char *line, struct row *r)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line != '|')
        return 0;
    r->cells = 0;
    const char *p = line + 1;
    while (*p && *p != '\n' && r->cells < CELLS_MAX) {
        const char *end = strchr(p, '|');
        if (!end)
            break; /* text after the last '|' is no cell */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *q = end;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        size_t n = (size_t)(q - p) < CELL_LEN - 1 ? (size_t)(q - p) : CELL_LEN - 1;
        memcpy(r->cell[r->cells], p, n);
        r->cell[r->cells][n] = 0;
        r->cells++;
        p = end + 1;
    }
    return 1;
}

static int is_rule(const struct row *r) /* | --- | :---: | */
{
    for (int i = 0; i < r->cells; i++)
        if (strspn(r->cell[i], "-: ") != strlen(r->cell[i]) || !strchr(r->cell[i], '-'))
            return 0;
    return r->cells > 0;
}

static int is_key(const char *header_cell)
{
    return strcmp(header_cell, "workload") == 0 || strcmp(header_cell, "build") == 0 ||
           strcmp(header_cell, "emulator") == 0;
}

static int load(const char *path, struct doc *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        perror(path);
        return -1;
    }
    memset(d, 0, sizeof *d);
    d->path = path;
    char line[1024];
    struct row prev, r;
    int have_prev = 0, in_table = 0;
    while (fgets(line, sizeof line, fp)) {
        if (!split(line, &r)) {
            have_prev = in_table = 0;
            continue;
        }
        if (is_rule(&r)) {
            if (have_prev && d->tables < ROWS_MAX) {
                d->header[d->tables++] = prev;
                in_table = 1;
            }
            have_prev = 0;
            continue;
        }
        if (in_table && d->nrows < ROWS_MAX) {
            r.table = d->tables - 1;
            d->rows[d->nrows++] = r;
        } else {
            prev = r;
            have_prev = 1;
        }
    }
    fclose(fp);
    return 0;
}

static int same_header(const struct row *a, const struct row *b)
{
    if (a->cells != b->cells)
        return 0;
    for (int i = 0; i < a->cells; i++)
        if (strcmp(a->cell[i], b->cell[i]) != 0)
            return 0;
    return 1;
}

/* "uart mono qemu-icount": the key cells of r. */
static void key_of(const struct row *h, const struct row *r, char *out, size_t size)
{
    out[0] = 0;
    for (int i = 0; i < h->cells && i < r->cells; i++)
        if (is_key(h->cell[i])) {
            if (out[0])
                strncat(out, " ", size - strlen(out) - 1);
            strncat(out, r->cell[i], size - strlen(out) - 1);
        }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: report-check REPORT.md BENCH.md\n");
        return 2;
    }
    static struct doc rep, ref;
    if (load(argv[1], &rep) || load(argv[2], &ref))
        return 2;
    if (ref.nrows == 0) {
        fprintf(stderr, "report-check: %s holds no table rows: no bench output\n",
                argv[2]);
        return 2;
    }
    int numbers = 0, wrong = 0;
    for (int i = 0; i < ref.nrows; i++) {
        const struct row *h = &ref.header[ref.rows[i].table], *want = &ref.rows[i];
        char key[256];
        key_of(h, want, key, sizeof key);
        const struct row *got = 0;
        for (int j = 0; j < rep.nrows && !got; j++) {
            char k[256];
            const struct row *rh = &rep.header[rep.rows[j].table];
            key_of(rh, &rep.rows[j], k, sizeof k);
            if (same_header(rh, h) && strcmp(k, key) == 0)
                got = &rep.rows[j];
        }
        if (!got)
            printf("%s: no row '%s' in a table headed '| %s | ...' (the bench has one)\n",
                   rep.path, key, h->cell[0]);
        for (int c = 0; c < h->cells; c++) {
            if (is_key(h->cell[c]))
                continue;
            numbers++;
            const char *w = c < want->cells ? want->cell[c] : "";
            if (!got) {
                wrong++;
                continue;
            }
            const char *g = c < got->cells ? got->cell[c] : "";
            if (strcmp(g, w) == 0)
                continue;
            wrong++;
            if (!*g)
                printf("%s: %s, %s: blank; the bench reproduces %s\n", rep.path, key,
                       h->cell[c], w);
            else
                printf("%s: %s, %s: the report says %s, the bench reproduces %s\n",
                       rep.path, key, h->cell[c], g, w);
        }
    }
    if (wrong) {
        printf("report-check: %d of the %d numbers differ from the bench's\n", wrong,
               numbers);
        return 1;
    }
    printf("report-check: all %d numbers of %s equal the bench's, bit for bit\n", numbers,
           rep.path);
    return 0;
}
