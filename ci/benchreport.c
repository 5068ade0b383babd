/* SPDX-License-Identifier: MIT */
/*
 * benchreport: make bench's numbers as data (ci/bench.sh).  A host tool.
 *
 *   benchreport RUNS OUTDIR    read the runs, write OUTDIR/results.json,
 *                              OUTDIR/report.md, and for every sweep the
 *                              gnuplot inputs OUTDIR/sweep-ROW-EMU.dat and
 *                              OUTDIR/sweep-ROW-EMU.gp; print the fits
 *   benchreport --check-json FILE
 *                              exit 0 if FILE is one well-formed JSON value
 *
 * RUNS has one line per run of a configuration, tab-separated ('#' lines
 * and blank lines are skipped):
 *   row build emulator x units unit compare run metrics
 *     row       uart, console, ...; a sweep's rows (console-sweep, ...)
 *     build     micro | mono
 *     x         the sweep's parameter (a line's bytes, ...), "-" if none
 *     units     how many units of work the run did (counts are divided)
 *     unit      what a unit is, in words
 *     compare   the metrics that must be the same in every run ("all", or
 *               names joined by ','): the reproducibility check
 *     run       1, 2, ...
 *     metrics   name=value ..., separated by spaces; values are counts
 * A configuration is (row, build, emulator, x).  For each, results.json
 * has the raw counts of every run and per metric the mean, min and max, of
 * the counts and per unit (in the spirit of sel4bench's JSON), and whether
 * the runs were identical in the compared metrics, and floor_multiple: the
 * ticks per unit divided by the ticks per unit of the row "floor" (the bare
 * VM exit round trip) in the same emulator, null without one.
 *
 * A sweep (a row with x) gets, per build, emulator and metric, the least
 * squares line through its points (x, mean per unit): per unit = intercept
 * + slope * x, and where the micro and mono lines cross, if they do; and
 * the measured points' own crossing: the first pair of neighbouring
 * points between which micro - mono changes sign, interpolated linearly.
 * For the ticks also: the slope between neighbouring points, and two
 * lines instead of one (the split of the points that fits best) with the
 * knee where the slope changes, if it does between them.
 *
 * Its test: tests/bench/test_benchreport.sh (crafted runs, known answers).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONFIGS 512
#define MAX_RUNS 4
#define MAX_METRICS 24
#define NAME 40
#define TEXT 160

struct metric {
    char name[NAME];
    unsigned long long v[MAX_RUNS];
};

struct config {
    char row[NAME], build[NAME], emu[NAME], unit[TEXT], compare[TEXT];
    int has_x;
    double x;
    unsigned long long units;
    int runs;
    int nmetrics;
    struct metric m[MAX_METRICS];
};

static struct config configs[MAX_CONFIGS];
static int nconfigs;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("benchreport: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void copy(char *dst, size_t size, const char *src, const char *what, int lineno)
{
    if (strlen(src) >= size)
        die("line %d: %s too long: %s", lineno, what, src);
    strcpy(dst, src);
}

static int parse_count(const char *s, unsigned long long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static struct config *find_config(const char *row, const char *build, const char *emu,
                                  int has_x, double x)
{
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        if (!strcmp(c->row, row) && !strcmp(c->build, build) && !strcmp(c->emu, emu) &&
            c->has_x == has_x && (!has_x || c->x == x))
            return c;
    }
    return NULL;
}

static struct metric *find_metric(struct config *c, const char *name)
{
    for (int i = 0; i < c->nmetrics; i++)
        if (!strcmp(c->m[i].name, name))
            return &c->m[i];
    return NULL;
}

static void read_runs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        if (!len || line[0] == '#')
            continue;
        char *field[9];
        int n = 0;
        for (char *p = line; n < 9;) {
            field[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (n != 9)
            die("%s:%d: %d fields, want 9 (row build emulator x units unit compare run "
                "metrics)", path, lineno, n);
        int has_x = strcmp(field[3], "-") != 0;
        double x = 0;
        if (has_x) {
            char *end;
            x = strtod(field[3], &end);
            if (*end || end == field[3])
                die("%s:%d: x is not a number: %s", path, lineno, field[3]);
        }
        unsigned long long units, run;
        if (parse_count(field[4], &units) || !units)
            die("%s:%d: units must be a count above 0: %s", path, lineno, field[4]);
        if (parse_count(field[7], &run) || run < 1 || run > MAX_RUNS)
            die("%s:%d: run must be 1 to %d: %s", path, lineno, MAX_RUNS, field[7]);
        struct config *c = find_config(field[0], field[1], field[2], has_x, x);
        if (!c) {
            if (nconfigs == MAX_CONFIGS)
                die("more than %d configurations", MAX_CONFIGS);
            c = &configs[nconfigs++];
            memset(c, 0, sizeof *c);
            copy(c->row, sizeof c->row, field[0], "row", lineno);
            copy(c->build, sizeof c->build, field[1], "build", lineno);
            copy(c->emu, sizeof c->emu, field[2], "emulator", lineno);
            copy(c->unit, sizeof c->unit, field[5], "unit", lineno);
            copy(c->compare, sizeof c->compare, field[6], "compare", lineno);
            c->has_x = has_x;
            c->x = x;
            c->units = units;
        } else if (c->units != units || strcmp(c->unit, field[5]) ||
                   strcmp(c->compare, field[6])) {
            die("%s:%d: units, unit or compare differ from the configuration's first run",
                path, lineno);
        }
        if ((int)run != c->runs + 1)
            die("%s:%d: run %llu of %s %s %s after run %d", path, lineno, run, c->row, c->build,
                c->emu, c->runs);
        int idx = c->runs++;
        int seen = 0;
        for (char *tok = strtok(field[8], " "); tok; tok = strtok(NULL, " ")) {
            char *eq = strchr(tok, '=');
            unsigned long long v;
            if (!eq || eq == tok || parse_count(eq + 1, &v))
                die("%s:%d: not name=count: %s", path, lineno, tok);
            *eq = 0;
            struct metric *m = find_metric(c, tok);
            if (!m) {
                if (idx)
                    die("%s:%d: metric %s not in run 1", path, lineno, tok);
                if (c->nmetrics == MAX_METRICS)
                    die("%s:%d: more than %d metrics", path, lineno, MAX_METRICS);
                m = &c->m[c->nmetrics++];
                copy(m->name, sizeof m->name, tok, "metric name", lineno);
            }
            m->v[idx] = v;
            seen++;
        }
        if (!seen || seen != c->nmetrics)
            die("%s:%d: %d metrics, want %d as in run 1", path, lineno, seen, c->nmetrics);
    }
    fclose(f);
    if (!nconfigs)
        die("%s: no runs", path);
}

/* ------------------------------------------------------------ statistics */

struct stats {
    double mean, min, max;
};

static struct stats stats_of(const struct metric *m, int runs, double div)
{
    struct stats s = {0, 0, 0};
    for (int i = 0; i < runs; i++) {
        double v = (double)m->v[i] / div;
        s.mean += v;
        if (!i || v < s.min)
            s.min = v;
        if (!i || v > s.max)
            s.max = v;
    }
    s.mean /= runs;
    return s;
}

static int compared(const struct config *c, const char *name)
{
    if (!strcmp(c->compare, "all"))
        return 1;
    size_t n = strlen(name);
    for (const char *p = c->compare; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

/* The runs agree in every compared metric (and there are at least two). */
static int identical(const struct config *c)
{
    if (c->runs < 2)
        return 0;
    for (int i = 0; i < c->nmetrics; i++)
        if (compared(c, c->m[i].name))
            for (int r = 1; r < c->runs; r++)
                if (c->m[i].v[r] != c->m[i].v[0])
                    return 0;
    return 1;
}

struct fit {
    int points;
    double intercept, slope, r2, sse;
};

/* Whether c is a point of the sweep row (lo <= x <= hi) with the metric;
 * *y its mean per unit. */
static int sweep_point(const struct config *c, const char *row, const char *build,
                       const char *emu, const char *metric, double lo, double hi, double *y)
{
    if (!c->has_x || strcmp(c->row, row) || strcmp(c->build, build) || strcmp(c->emu, emu) ||
        c->x < lo || c->x > hi)
        return 0;
    struct metric *m = find_metric((struct config *)c, metric);
    if (!m)
        return 0;
    *y = stats_of(m, c->runs, (double)c->units).mean;
    return 1;
}

/* Least squares through (x, mean per unit) of the sweep row's points with
 * lo <= x <= hi. */
static struct fit fit_range(const char *row, const char *build, const char *emu,
                            const char *metric, double lo, double hi)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    struct fit f = {0, 0, 0, 0, 0};
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        double y;
        if (!sweep_point(c, row, build, emu, metric, lo, hi, &y))
            continue;
        sx += c->x;
        sy += y;
        sxx += c->x * c->x;
        sxy += c->x * y;
        syy += y * y;
        f.points++;
    }
    double n = f.points, d = n * sxx - sx * sx;
    if (f.points < 2 || d == 0)
        return f;
    f.slope = (n * sxy - sx * sy) / d;
    f.intercept = (sy - f.slope * sx) / n;
    double ss_tot = syy - sy * sy / n;
    double ss_res = 0;
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        double y;
        if (!sweep_point(c, row, build, emu, metric, lo, hi, &y))
            continue;
        double e = y - f.intercept - f.slope * c->x;
        ss_res += e * e;
    }
    f.sse = ss_res;
    f.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
    return f;
}

static struct fit fit_of(const char *row, const char *build, const char *emu, const char *metric)
{
    return fit_range(row, build, emu, metric, -INFINITY, INFINITY);
}

/* ------------------------------------------------------------ sweeps */

struct sweep {
    char row[NAME], emu[NAME];
};
static struct sweep sweeps[64];
static int nsweeps;

static void find_sweeps(void)
{
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        if (!c->has_x)
            continue;
        int seen = 0;
        for (int s = 0; s < nsweeps; s++)
            seen |= !strcmp(sweeps[s].row, c->row) && !strcmp(sweeps[s].emu, c->emu);
        if (seen)
            continue;
        if (nsweeps == (int)(sizeof sweeps / sizeof sweeps[0]))
            die("too many sweeps");
        strcpy(sweeps[nsweeps].row, c->row);
        strcpy(sweeps[nsweeps].emu, c->emu);
        nsweeps++;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The sweep's x values, ascending, where both builds have a point. */
static int sweep_xs(const struct sweep *s, double *xs, int max)
{
    int n = 0;
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        if (!c->has_x || strcmp(c->row, s->row) || strcmp(c->emu, s->emu) ||
            strcmp(c->build, "micro"))
            continue;
        if (find_config(c->row, "mono", c->emu, 1, c->x) && n < max)
            xs[n++] = c->x;
    }
    qsort(xs, (size_t)n, sizeof xs[0], cmp_double);
    return n;
}

static double per_unit_mean(const struct config *c, const char *metric, int *ok)
{
    struct metric *m = find_metric((struct config *)c, metric);
    *ok = m != NULL;
    return m ? stats_of(m, c->runs, (double)c->units).mean : 0;
}

/* Ticks per unit as a multiple of the floor: the floor row's ticks per
 * exit in the same emulator (ci/bench-floor.sh).  0 if either is missing. */
static double floor_multiple(const struct config *c)
{
    int ok, fok;
    double v = per_unit_mean(c, "ticks", &ok);
    for (int i = 0; ok && i < nconfigs; i++)
        if (!configs[i].has_x && !strcmp(configs[i].row, "floor") &&
            !strcmp(configs[i].emu, c->emu)) {
            double fl = per_unit_mean(&configs[i], "ticks", &fok);
            return fok && fl > 0 ? v / fl : 0;
        }
    return 0;
}

/* Slopes equal up to rounding (of fits through the same kind of counts). */
static int same_slope(double a, double b)
{
    return fabs(a - b) <= 1e-6 * (fabs(a) + fabs(b)) + 1e-12;
}

/* The slope of `metric` per unit between the sweep's points i-1 and i. */
static double marginal(const struct sweep *s, const char *build, const char *metric,
                       const double *xs, int i)
{
    int ok1, ok2;
    double a = per_unit_mean(find_config(s->row, build, s->emu, 1, xs[i - 1]), metric, &ok1);
    double b = per_unit_mean(find_config(s->row, build, s->emu, 1, xs[i]), metric, &ok2);
    return ok1 && ok2 ? (b - a) / (xs[i] - xs[i - 1]) : NAN;
}

struct crossing {
    int fitted;      /* the lines cross (different slopes) */
    double fitted_x; /* where */
    int measured;    /* the measured curves change order between two points */
    double lo, hi, measured_x;
    int below;       /* no crossing measured: -1 micro below mono everywhere, 1 above, 0 mixed/equal */
};

static struct crossing crossing_of(const struct sweep *s, const char *metric)
{
    struct crossing k;
    memset(&k, 0, sizeof k);
    struct fit a = fit_of(s->row, "micro", s->emu, metric);
    struct fit b = fit_of(s->row, "mono", s->emu, metric);
    if (a.points >= 2 && b.points >= 2 && !same_slope(a.slope, b.slope)) {
        k.fitted = 1;
        k.fitted_x = (b.intercept - a.intercept) / (a.slope - b.slope);
    }
    double xs[MAX_CONFIGS];
    int n = sweep_xs(s, xs, MAX_CONFIGS);
    double prev_d = 0, prev_x = 0;
    int neg = 0, pos = 0;
    for (int i = 0; i < n; i++) {
        int ok1, ok2;
        double d = per_unit_mean(find_config(s->row, "micro", s->emu, 1, xs[i]), metric, &ok1) -
                   per_unit_mean(find_config(s->row, "mono", s->emu, 1, xs[i]), metric, &ok2);
        if (!ok1 || !ok2)
            continue;
        neg += d < 0;
        pos += d > 0;
        if (i && !k.measured && ((prev_d < 0 && d >= 0) || (prev_d > 0 && d <= 0))) {
            k.measured = 1;
            k.lo = prev_x;
            k.hi = xs[i];
            k.measured_x = prev_x + (xs[i] - prev_x) * prev_d / (prev_d - d);
        }
        prev_d = d;
        prev_x = xs[i];
    }
    k.below = neg && !pos ? -1 : pos && !neg ? 1 : 0;
    return k;
}

/* Two lines instead of one: the split of the sweep's points (at least two
 * on each side) whose two least squares lines leave the smallest sum of
 * squared residuals (the first such split on a tie), and the knee, where
 * the two lines meet.  For a cost that changes its slope at some x. */
struct segments {
    int ok;
    struct fit left, right;
    double left_lo, left_hi, right_lo, right_hi;
    int has_knee;
    double knee;
};

static struct segments segments_of(const struct sweep *s, const char *build, const char *metric)
{
    struct segments g;
    memset(&g, 0, sizeof g);
    double xs[MAX_CONFIGS];
    int n = sweep_xs(s, xs, MAX_CONFIGS);
    double best = INFINITY;
    for (int k = 2; k + 2 <= n; k++) {
        struct fit l = fit_range(s->row, build, s->emu, metric, xs[0], xs[k - 1]);
        struct fit r = fit_range(s->row, build, s->emu, metric, xs[k], xs[n - 1]);
        if (l.points < 2 || r.points < 2)
            continue;
        /* Rounding noise must not pick a later split on a tie. */
        double sse = l.sse + r.sse;
        if (!g.ok || sse < best - 1e-9 * (1 + fabs(best))) {
            best = sse;
            g.ok = 1;
            g.left = l;
            g.right = r;
            g.left_lo = xs[0];
            g.left_hi = xs[k - 1];
            g.right_lo = xs[k];
            g.right_hi = xs[n - 1];
        }
    }
    /* A knee is where the slope changes: between the last point of the
     * left line and the first of the right.  Lines that meet elsewhere (or
     * nowhere) say one line fits. */
    if (g.ok && !same_slope(g.left.slope, g.right.slope)) {
        double k = (g.right.intercept - g.left.intercept) / (g.left.slope - g.right.slope);
        if (k >= g.left_hi && k <= g.right_lo) {
            g.has_knee = 1;
            g.knee = k;
        }
    }
    return g;
}

/* ------------------------------------------------------------ output */

static FILE *open_out(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* Rounding noise of a fit (5.6e-17 for 0) is 0. */
static double clean(double v)
{
    return fabs(v) < 1e-9 ? 0 : v;
}

/* A number JSON takes: no inf or nan (none arise from counts), %.10g. */
static void json_number(FILE *f, double v)
{
    v = clean(v);
    if (!isfinite(v))
        fputs("null", f);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.10g", v);
}

static void json_stats(FILE *f, struct stats s)
{
    fputs("{\"mean\": ", f);
    json_number(f, s.mean);
    fputs(", \"min\": ", f);
    json_number(f, s.min);
    fputs(", \"max\": ", f);
    json_number(f, s.max);
    fputc('}', f);
}

static void json_segment(FILE *f, const char *name, const struct fit *ft, double lo, double hi)
{
    fprintf(f, "\"%s\": {\"from\": ", name);
    json_number(f, lo);
    fputs(", \"to\": ", f);
    json_number(f, hi);
    fprintf(f, ", \"points\": %d, \"intercept\": ", ft->points);
    json_number(f, ft->intercept);
    fputs(", \"slope\": ", f);
    json_number(f, ft->slope);
    fputs(", \"r2\": ", f);
    json_number(f, ft->r2);
    fputc('}', f);
}

/* Where the right-hand segments of micro and mono cross, if they do. */
static int segments_cross(const struct segments *a, const struct segments *b, double *x)
{
    if (!a->ok || !b->ok || same_slope(a->right.slope, b->right.slope))
        return 0;
    *x = (b->right.intercept - a->right.intercept) / (a->right.slope - b->right.slope);
    return 1;
}

/* The metrics every sweep fits, if its runs have them. */
static const char *const fit_metrics[] = {"ticks", "exits", "exits_root", "exits_child"};
#define NFIT (sizeof fit_metrics / sizeof fit_metrics[0])

static void write_json(const char *dir)
{
    FILE *f = open_out(dir, "results.json");
    fputs("{\n  \"schema\": \"partita-bench-1\",\n  \"configurations\": [", f);
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        fprintf(f, "%s\n    {\"row\": ", i ? "," : "");
        json_string(f, c->row);
        fputs(", \"build\": ", f);
        json_string(f, c->build);
        fputs(", \"emulator\": ", f);
        json_string(f, c->emu);
        fputs(", \"x\": ", f);
        if (c->has_x)
            json_number(f, c->x);
        else
            fputs("null", f);
        fprintf(f, ",\n     \"units\": %llu, \"unit\": ", c->units);
        json_string(f, c->unit);
        fprintf(f, ",\n     \"runs\": %d, \"identical\": %s, \"compared\": [", c->runs,
                identical(c) ? "true" : "false");
        int first = 1;
        for (int m = 0; m < c->nmetrics; m++)
            if (compared(c, c->m[m].name)) {
                fprintf(f, "%s", first ? "" : ", ");
                json_string(f, c->m[m].name);
                first = 0;
            }
        fputs("],\n     \"metrics\": {", f);
        for (int m = 0; m < c->nmetrics; m++) {
            struct metric *mt = &c->m[m];
            fprintf(f, "%s\n       ", m ? "," : "");
            json_string(f, mt->name);
            fputs(": {\"raw\": [", f);
            for (int r = 0; r < c->runs; r++)
                fprintf(f, "%s%llu", r ? ", " : "", mt->v[r]);
            fputs("], \"count\": ", f);
            json_stats(f, stats_of(mt, c->runs, 1));
            fputs(", \"per_unit\": ", f);
            json_stats(f, stats_of(mt, c->runs, (double)c->units));
            fputc('}', f);
        }
        fputs("},\n     \"floor_multiple\": ", f);
        double fm = floor_multiple(c);
        if (fm > 0)
            json_number(f, fm);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"sweeps\": [", f);
    for (int s = 0; s < nsweeps; s++) {
        fprintf(f, "%s\n    {\"row\": ", s ? "," : "");
        json_string(f, sweeps[s].row);
        fputs(", \"emulator\": ", f);
        json_string(f, sweeps[s].emu);
        fputs(", \"fits\": [", f);
        int first = 1;
        for (size_t m = 0; m < NFIT; m++)
            for (int b = 0; b < 2; b++) {
                const char *build = b ? "mono" : "micro";
                struct fit ft = fit_of(sweeps[s].row, build, sweeps[s].emu, fit_metrics[m]);
                if (ft.points < 2)
                    continue;
                fprintf(f, "%s\n      {\"metric\": ", first ? "" : ",");
                first = 0;
                json_string(f, fit_metrics[m]);
                fputs(", \"build\": ", f);
                json_string(f, build);
                fprintf(f, ", \"points\": %d, \"intercept\": ", ft.points);
                json_number(f, ft.intercept);
                fputs(", \"slope\": ", f);
                json_number(f, ft.slope);
                fputs(", \"r2\": ", f);
                json_number(f, ft.r2);
                fputc('}', f);
            }
        fputs("],\n     \"crossings\": [", f);
        first = 1;
        for (size_t m = 0; m < NFIT; m++) {
            struct fit a = fit_of(sweeps[s].row, "micro", sweeps[s].emu, fit_metrics[m]);
            struct fit b = fit_of(sweeps[s].row, "mono", sweeps[s].emu, fit_metrics[m]);
            if (a.points < 2 || b.points < 2)
                continue;
            struct crossing k = crossing_of(&sweeps[s], fit_metrics[m]);
            fprintf(f, "%s\n      {\"metric\": ", first ? "" : ",");
            first = 0;
            json_string(f, fit_metrics[m]);
            fputs(", \"fitted_x\": ", f);
            if (k.fitted)
                json_number(f, k.fitted_x);
            else
                fputs("null", f);
            fputs(", \"measured_x\": ", f);
            if (k.measured)
                json_number(f, k.measured_x);
            else
                fputs("null", f);
            fprintf(f, ", \"micro_vs_mono\": \"%s\"}",
                    k.measured  ? "cross"
                    : k.below < 0 ? "micro below"
                    : k.below > 0 ? "micro above"
                                  : "equal or mixed");
        }
        /* The ticks as two lines, and the knee between them. */
        fputs("],\n     \"segments\": [", f);
        struct segments sg[2];
        for (int b = 0; b < 2; b++) {
            sg[b] = segments_of(&sweeps[s], b ? "mono" : "micro", "ticks");
            fprintf(f, "%s\n      {\"metric\": \"ticks\", \"build\": \"%s\", ", b ? "," : "",
                    b ? "mono" : "micro");
            if (sg[b].ok) {
                json_segment(f, "left", &sg[b].left, sg[b].left_lo, sg[b].left_hi);
                fputs(", ", f);
                json_segment(f, "right", &sg[b].right, sg[b].right_lo, sg[b].right_hi);
                fputs(", ", f);
            }
            fputs("\"knee_x\": ", f);
            if (sg[b].has_knee)
                json_number(f, sg[b].knee);
            else
                fputs("null", f);
            fputc('}', f);
        }
        double cx;
        fputs("],\n     \"right_segments_cross_x\": ", f);
        if (segments_cross(&sg[0], &sg[1], &cx))
            json_number(f, cx);
        else
            fputs("null", f);
        /* The slope of the ticks between neighbouring points: where the
         * cost per x changes, a single line hides it. */
        fputs(",\n     \"marginal_ticks\": [", f);
        double xs[MAX_CONFIGS];
        int n = sweep_xs(&sweeps[s], xs, MAX_CONFIGS);
        for (int i = 1; i < n; i++) {
            fprintf(f, "%s\n      {\"from\": ", i > 1 ? "," : "");
            json_number(f, xs[i - 1]);
            fputs(", \"to\": ", f);
            json_number(f, xs[i]);
            fputs(", \"micro\": ", f);
            json_number(f, marginal(&sweeps[s], "micro", "ticks", xs, i));
            fputs(", \"mono\": ", f);
            json_number(f, marginal(&sweeps[s], "mono", "ticks", xs, i));
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("\n  ]\n}\n", f);
    fclose(f);
}

/* For gnuplot: per sweep, the points (x, then per build micro, mono: the
 * fitted metrics per unit, "NaN" where missing) and the fitted lines. */
static void write_gnuplot(const char *dir)
{
    for (int s = 0; s < nsweeps; s++) {
        char name[256];
        snprintf(name, sizeof name, "sweep-%s-%s.dat", sweeps[s].row, sweeps[s].emu);
        FILE *f = open_out(dir, name);
        fputs("# x", f);
        for (int b = 0; b < 2; b++)
            for (size_t m = 0; m < NFIT; m++)
                fprintf(f, " %s_%s", b ? "mono" : "micro", fit_metrics[m]);
        fputc('\n', f);
        double xs[MAX_CONFIGS];
        int n = sweep_xs(&sweeps[s], xs, MAX_CONFIGS);
        for (int i = 0; i < n; i++) {
            fprintf(f, "%.10g", xs[i]);
            for (int b = 0; b < 2; b++)
                for (size_t m = 0; m < NFIT; m++) {
                    int ok;
                    double v = per_unit_mean(
                        find_config(sweeps[s].row, b ? "mono" : "micro", sweeps[s].emu, 1, xs[i]),
                        fit_metrics[m], &ok);
                    if (ok)
                        fprintf(f, " %.10g", v);
                    else
                        fputs(" NaN", f);
                }
            fputc('\n', f);
        }
        fclose(f);
        snprintf(name, sizeof name, "sweep-%s-%s.gp", sweeps[s].row, sweeps[s].emu);
        f = open_out(dir, name);
        for (int b = 0; b < 2; b++)
            for (size_t m = 0; m < NFIT; m++) {
                struct fit ft = fit_of(sweeps[s].row, b ? "mono" : "micro", sweeps[s].emu,
                                       fit_metrics[m]);
                fprintf(f, "a_%s_%s = %.10g; b_%s_%s = %.10g\n", b ? "mono" : "micro",
                        fit_metrics[m], ft.intercept, b ? "mono" : "micro", fit_metrics[m],
                        ft.slope);
            }
        fclose(f);
    }
}

static int compared(const struct config *c, const char *name);

/* A metric the runs need not reproduce (not compared) is marked "~". */
static void md_per_unit(FILE *f, const struct config *c, const char *metric, int decimals)
{
    int ok;
    double v = per_unit_mean(c, metric, &ok);
    if (ok)
        fprintf(f, " %s%.*f |", compared(c, metric) ? "" : "~", decimals, v);
    else
        fputs(" |", f);
}

/* What the summary says about one sweep and metric: its lines and crossing. */
static void describe(FILE *f, const struct sweep *s, const char *metric, const char *prefix)
{
    struct fit a = fit_of(s->row, "micro", s->emu, metric);
    struct fit b = fit_of(s->row, "mono", s->emu, metric);
    if (a.points < 2 || b.points < 2)
        return;
    struct crossing k = crossing_of(s, metric);
    fprintf(f, "%s%s %s %s per unit: micro %.6g + %.4g*x (R2 %.4f), mono %.6g + %.4g*x (R2 %.4f); ",
            prefix, s->row, s->emu, metric, clean(a.intercept), clean(a.slope), a.r2,
            clean(b.intercept), clean(b.slope), b.r2);
    if (k.fitted)
        fprintf(f, "the lines cross at x=%.1f; ", k.fitted_x);
    else
        fputs("the lines are parallel; ", f);
    if (k.measured)
        fprintf(f, "measured: cross between x=%g and x=%g (at about %.1f)\n", k.lo, k.hi,
                k.measured_x);
    else
        fprintf(f, "measured: %s at every point\n",
                k.below < 0   ? "micro below mono"
                : k.below > 0 ? "micro above mono"
                              : "no change of order");
}

static void describe_segments(FILE *f, const struct sweep *s, const char *prefix)
{
    struct segments g[2];
    for (int b = 0; b < 2; b++) {
        g[b] = segments_of(s, b ? "mono" : "micro", "ticks");
        if (!g[b].ok)
            return;
    }
    fprintf(f, "%s%s %s ticks per unit in two lines:", prefix, s->row, s->emu);
    for (int b = 0; b < 2; b++) {
        fprintf(f, " %s %.6g + %.4g*x (x %g-%g), %.6g + %.4g*x (x %g-%g), ", b ? "mono" : "micro",
                g[b].left.intercept, g[b].left.slope, g[b].left_lo, g[b].left_hi,
                g[b].right.intercept, g[b].right.slope, g[b].right_lo, g[b].right_hi);
        if (g[b].has_knee)
            fprintf(f, "knee at x=%.1f;", g[b].knee);
        else
            fputs("no knee (one line fits);", f);
    }
    double cx;
    if (segments_cross(&g[0], &g[1], &cx))
        fprintf(f, " the right-hand lines cross at x=%.1f\n", cx);
    else
        fputs(" the right-hand lines do not cross\n", f);
}

/* The kvm row beside Partita's (docs/architecture/kvm-peer.md): every
 * kvm-* configuration's instructions per round trip, and from the rows that
 * measure the same kinds of round trip in Partita under QEMU -icount: the
 * null row's ticks per call (micro and mono), the pio row's ticks per
 * access (ci/bench-pio.sh: 2N minus N OUTs, over N), and the uart row's
 * ticks per child exit (its
 * child's exits are its port accesses; the whole run's ticks, so the
 * child's and the root's other work is in it too: an upper bound). */
static void write_kvm_section(FILE *f)
{
    int any = 0;
    for (int i = 0; i < nconfigs; i++)
        any |= !configs[i].has_x && !strncmp(configs[i].row, "kvm-", 4);
    if (!any)
        return;
    fputs("## KVM beside Partita\n\n"
          "Instructions of the whole emulated machine (QEMU -icount ticks) per round trip. "
          "kvm: Debian's Linux 6.1 with kvm_amd in QEMU, a one-vCPU real-mode guest and a "
          "minimal user-space VMM (ci/bench-kvm.sh); Partita: the null, pio and uart rows "
          "above, under QEMU -icount.  Partita has no HLT round trip to set beside KVM's: a "
          "Partita HLT blocks the VP in the hypervisor until an event and never goes to the "
          "root.\n\n"
          "| system | round trip | build | per round trip | two runs |\n"
          "|---|---|---|---|---|\n",
          f);
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        if (c->has_x || strncmp(c->row, "kvm-", 4))
            continue;
        fprintf(f, "| KVM | %s (%s) | %s |", c->unit, c->row, c->build);
        md_per_unit(f, c, "instructions", 2);
        fprintf(f, " %s |\n", identical(c) ? "identical" : "DIFFER");
    }
    for (int i = 0; i < nconfigs; i++) {
        struct config *c = &configs[i];
        if (c->has_x || strcmp(c->emu, "qemu-icount"))
            continue;
        int ok1, ok2;
        if (!strcmp(c->row, "null")) {
            fprintf(f, "| Partita | null hypercall of the root (null) | %s |", c->build);
            md_per_unit(f, c, "ticks", 2);
            fprintf(f, " %s |\n", identical(c) ? "identical" : "DIFFER");
        } else if (!strcmp(c->row, "pio")) {
            fprintf(f, "| Partita | port I/O of an unenlightened child, an OUT to the emulated "
                       "UART's scratch register (pio) | %s |", c->build);
            md_per_unit(f, c, "ticks", 2);
            fprintf(f, " %s |\n", identical(c) ? "identical" : "DIFFER");
        } else if (!strcmp(c->row, "uart")) {
            double t = per_unit_mean(c, "ticks", &ok1);
            double e = per_unit_mean(c, "exits_child", &ok2);
            if (!ok1 || !ok2 || e <= 0)
                continue;
            fprintf(f, "| Partita | port I/O of an unenlightened child to the emulated UART, "
                       "per child exit, whole run (uart) | %s | %s%.2f | %s |\n",
                    c->build, compared(c, "ticks") ? "" : "~", t / e,
                    identical(c) ? "identical" : "DIFFER");
        }
    }
    fputc('\n', f);
}

static void write_report(const char *dir)
{
    FILE *f = open_out(dir, "report.md");
    fputs("# make bench report\n\n"
          "Written by `make bench` (ci/bench.sh, ci/benchreport.c) from `runs.tsv`; the same "
          "numbers as data in `results.json`.  Every run is in deterministic emulated time "
          "and is done twice; \"two runs\" says whether the compared counts were identical.  "
          "Counts are per unit of work, for the whole run; ticks are TSC ticks (under QEMU "
          "-icount, instructions of the whole machine).  \"~\": a mean of counts that need not "
          "reproduce and were not compared (the block row's ticks in QEMU: its IDE disk "
          "completes reads on host time).  \"x floor\": the ticks per unit divided by the "
          "floor row's ticks per exit in the same emulator (the bare VM exit round trip, "
          "`floor=N`).\n\n",
          f);
    /* The rows (no x). */
    int any = 0;
    for (int i = 0; i < nconfigs; i++)
        any |= !configs[i].has_x;
    if (any) {
        fputs("## Rows\n\n| row | build | emulator | unit | units | exits | root exits | "
              "child exits | ticks | x floor | instructions | two runs |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|\n",
              f);
        for (int i = 0; i < nconfigs; i++) {
            struct config *c = &configs[i];
            if (c->has_x)
                continue;
            fprintf(f, "| %s | %s | %s | %s | %llu |", c->row, c->build, c->emu, c->unit,
                    c->units);
            md_per_unit(f, c, "exits", 2);
            md_per_unit(f, c, "exits_root", 2);
            md_per_unit(f, c, "exits_child", 2);
            md_per_unit(f, c, "ticks", 0);
            double fm = floor_multiple(c);
            if (fm > 0)
                fprintf(f, " %s%.2f |", compared(c, "ticks") ? "" : "~", fm);
            else
                fputs(" |", f);
            md_per_unit(f, c, "instructions", 0);
            if (strcmp(c->compare, "all"))
                fprintf(f, " %s (compared: %s) |\n", identical(c) ? "identical" : "DIFFER",
                        c->compare);
            else
                fprintf(f, " %s |\n", identical(c) ? "identical" : "DIFFER");
        }
        fputc('\n', f);
    }
    write_kvm_section(f);
    for (int s = 0; s < nsweeps; s++) {
        const struct sweep *sw = &sweeps[s];
        const struct config *c0 = NULL;
        for (int i = 0; !c0 && i < nconfigs; i++)
            if (configs[i].has_x && !strcmp(configs[i].row, sw->row) &&
                !strcmp(configs[i].emu, sw->emu))
                c0 = &configs[i];
        fprintf(f, "## Sweep %s (%s)\n\nUnit: %s; x: the sweep's parameter.\n\n"
                   "![ticks per unit](sweep-%s-%s.svg)\n\n"
                   "(PNG: [sweep-%s-%s.png](sweep-%s-%s.png))\n\n"
                   "Per unit; \"ticks/x\": the slope of the ticks from the point before.\n\n"
                   "| x | micro ticks | mono ticks | micro - mono | micro ticks/x | mono ticks/x | "
                   "micro exits | mono exits | micro root/child exits | mono root/child exits | "
                   "two runs |\n"
                   "|---|---|---|---|---|---|---|---|---|---|---|\n",
                sw->row, sw->emu, c0 ? c0->unit : "?", sw->row, sw->emu, sw->row, sw->emu,
                sw->row, sw->emu);
        double xs[MAX_CONFIGS];
        int n = sweep_xs(sw, xs, MAX_CONFIGS);
        for (int i = 0; i < n; i++) {
            const struct config *mi = find_config(sw->row, "micro", sw->emu, 1, xs[i]);
            const struct config *mo = find_config(sw->row, "mono", sw->emu, 1, xs[i]);
            fprintf(f, "| %g |", xs[i]);
            md_per_unit(f, mi, "ticks", 0);
            md_per_unit(f, mo, "ticks", 0);
            int ok1, ok2;
            double d = per_unit_mean(mi, "ticks", &ok1) - per_unit_mean(mo, "ticks", &ok2);
            fprintf(f, " %+.0f |", d);
            if (i)
                fprintf(f, " %.2f | %.2f |", marginal(sw, "micro", "ticks", xs, i),
                        marginal(sw, "mono", "ticks", xs, i));
            else
                fputs(" | |", f);
            md_per_unit(f, mi, "exits", 3);
            md_per_unit(f, mo, "exits", 3);
            fprintf(f, " %.3f / %.3f |", per_unit_mean(mi, "exits_root", &ok1),
                    per_unit_mean(mi, "exits_child", &ok2));
            fprintf(f, " %.3f / %.3f |", per_unit_mean(mo, "exits_root", &ok1),
                    per_unit_mean(mo, "exits_child", &ok2));
            fprintf(f, " %s |\n", identical(mi) && identical(mo) ? "identical" : "DIFFER");
        }
        fputs("\nLeast-squares lines through the points (per unit = intercept + slope * x):\n\n"
              "| metric | build | intercept | slope | R2 |\n|---|---|---|---|---|\n",
              f);
        for (size_t m = 0; m < NFIT; m++)
            for (int b = 0; b < 2; b++) {
                struct fit ft = fit_of(sw->row, b ? "mono" : "micro", sw->emu, fit_metrics[m]);
                if (ft.points >= 2)
                    fprintf(f, "| %s | %s | %.6g | %.6g | %.4f |\n", fit_metrics[m],
                            b ? "mono" : "micro", clean(ft.intercept), clean(ft.slope), ft.r2);
            }
        fputs("\nThe ticks as two lines (the split of the points that fits best) and the knee "
              "where they meet:\n\n| build | points | intercept | slope | R2 | points | "
              "intercept | slope | R2 | knee x |\n|---|---|---|---|---|---|---|---|---|---|\n",
              f);
        for (int b = 0; b < 2; b++) {
            struct segments g = segments_of(sw, b ? "mono" : "micro", "ticks");
            if (!g.ok)
                continue;
            fprintf(f, "| %s | %g-%g | %.6g | %.6g | %.4f | %g-%g | %.6g | %.6g | %.4f |",
                    b ? "mono" : "micro", g.left_lo, g.left_hi, g.left.intercept, g.left.slope,
                    g.left.r2, g.right_lo, g.right_hi, g.right.intercept, g.right.slope,
                    g.right.r2);
            if (g.has_knee)
                fprintf(f, " %.1f |\n", g.knee);
            else
                fputs(" none |\n", f);
        }
        fputc('\n', f);
        for (size_t m = 0; m < NFIT; m++)
            describe(f, sw, fit_metrics[m], "- ");
        describe_segments(f, sw, "- ");
        fputc('\n', f);
    }
    fclose(f);
}

/* ------------------------------------------------------------ JSON check */

struct json {
    const char *p;
    int depth;
};

static void ws(struct json *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static int value(struct json *j);

static int string(struct json *j)
{
    if (*j->p != '"')
        return -1;
    for (j->p++; *j->p != '"'; j->p++) {
        unsigned char ch = (unsigned char)*j->p;
        if (ch < 0x20)
            return -1;
        if (ch == '\\') {
            j->p++;
            if (*j->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
                        return -1;
                j->p += 4;
            } else if (!*j->p || !strchr("\"\\/bfnrt", *j->p)) {
                return -1;
            }
        }
    }
    j->p++;
    return 0;
}

static int digits(struct json *j)
{
    if (*j->p < '0' || *j->p > '9')
        return -1;
    while (*j->p >= '0' && *j->p <= '9')
        j->p++;
    return 0;
}

static int number(struct json *j)
{
    if (*j->p == '-')
        j->p++;
    if (*j->p == '0')
        j->p++;
    else if (digits(j))
        return -1;
    if (*j->p == '.') {
        j->p++;
        if (digits(j))
            return -1;
    }
    if (*j->p == 'e' || *j->p == 'E') {
        j->p++;
        if (*j->p == '+' || *j->p == '-')
            j->p++;
        if (digits(j))
            return -1;
    }
    return 0;
}

static int value(struct json *j)
{
    ws(j);
    if (++j->depth > 64)
        return -1;
    int r = 0;
    if (*j->p == '{' || *j->p == '[') {
        char close = *j->p == '{' ? '}' : ']';
        int object = close == '}';
        j->p++;
        ws(j);
        if (*j->p == close) {
            j->p++;
        } else {
            for (;;) {
                if (object) {
                    ws(j);
                    if (string(j))
                        return -1;
                    ws(j);
                    if (*j->p++ != ':')
                        return -1;
                }
                if (value(j))
                    return -1;
                ws(j);
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p++ != close)
                    return -1;
                break;
            }
        }
    } else if (*j->p == '"') {
        r = string(j);
    } else if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "null", 4)) {
        j->p += 4;
    } else if (!strncmp(j->p, "false", 5)) {
        j->p += 5;
    } else {
        r = number(j);
    }
    j->depth--;
    return r;
}

static int check_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        die("out of memory");
    buf[len] = 0;
    if (strlen(buf) != len) {
        fprintf(stderr, "benchreport: %s: a NUL byte\n", path);
        free(buf);
        return 1;
    }
    struct json j = {buf, 0};
    int r = value(&j);
    if (!r) {
        ws(&j);
        r = *j.p ? -1 : 0;
    }
    if (r)
        fprintf(stderr, "benchreport: %s: not JSON at byte %ld\n", path, (long)(j.p - buf));
    free(buf);
    return r ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--check-json"))
        return check_json(argv[2]);
    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: benchreport RUNS OUTDIR | benchreport --check-json FILE\n");
        return 2;
    }
    read_runs(argv[1]);
    find_sweeps();
    write_json(argv[2]);
    write_gnuplot(argv[2]);
    write_report(argv[2]);
    for (int s = 0; s < nsweeps; s++) {
        for (size_t m = 0; m < NFIT; m++)
            describe(stdout, &sweeps[s], fit_metrics[m], "");
        describe_segments(stdout, &sweeps[s], "");
    }
    int bad = 0;
    for (int i = 0; i < nconfigs; i++)
        bad += !identical(&configs[i]);
    printf("%d configurations, %d with runs not identical; %s/results.json, %s/report.md\n",
           nconfigs, bad, argv[2], argv[2]);
    return 0;
}
