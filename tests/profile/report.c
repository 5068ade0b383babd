/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const struct prof *sort_p; /* qsort has no context argument in C11 */

static int by_count(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    uint64_t cx = sort_p->count[PROF_MEASURED][x], cy = sort_p->count[PROF_MEASURED][y];
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return x < y ? -1 : x > y; /* function order: space, then address */
}

static double share(uint64_t n, uint64_t all)
{
    return all ? 100.0 * (double)n / (double)all : 0.0;
}

void report_table(const struct prof *p, const struct report_info *ri, FILE *f)
{
    uint64_t all = p->phase_total[PROF_MEASURED];
    fprintf(f, "# make profile: %s\n", ri->title);
    fprintf(f, "# instructions executed (QEMU TCG, -icount shift=0, one instruction per block)\n");
    fprintf(f, "# measured phase: from the first instruction of");
    for (int i = 0; i < p->nstart; i++)
        fprintf(f, "%s %s", i ? " then" : "", p->start[i].name);
    fprintf(f, "\n#   to the first instruction of");
    for (int i = 0; i < p->nstop; i++)
        fprintf(f, "%s %s", i ? " then" : "", p->stop[i].name);
    fprintf(f, "%s\n", p->nstop ? "" : " (none: the end of the run)");
    fprintf(f, "# boot %llu, measured %llu, after %llu instructions\n",
            (unsigned long long)p->phase_total[PROF_BOOT], (unsigned long long)all,
            (unsigned long long)p->phase_total[PROF_AFTER]);
    fprintf(f, "# units: %.0f %s; %.1f instructions per unit\n", ri->units, ri->unit,
            (double)all / ri->units);
    if (p->phase == PROF_BOOT)
        fprintf(f, "# WARNING: the start marker was never reached\n");
    fprintf(f, "\n%-12s %14s %8s %12s\n", "space", "instructions", "share", "per unit");
    for (int i = 0; i < p->nspaces; i++) {
        const struct prof_space *s = &p->spaces[i];
        uint64_t n = 0;
        for (size_t k = 0; k <= s->syms.count; k++)
            n += p->count[PROF_MEASURED][s->first_func + k];
        fprintf(f, "%-12s %14llu %7.2f%% %12.1f\n", s->name, (unsigned long long)n,
                share(n, all), (double)n / ri->units);
    }
    size_t *order = malloc((p->nfuncs ? p->nfuncs : 1) * sizeof *order);
    size_t n = 0;
    if (!order)
        abort();
    for (size_t k = 0; k < p->nfuncs; k++)
        if (p->count[PROF_MEASURED][k])
            order[n++] = k;
    sort_p = p;
    qsort(order, n, sizeof *order, by_count);
    fprintf(f, "\n%-40s %-12s %14s %8s %12s\n", "function", "space", "instructions", "share",
            "per unit");
    for (size_t i = 0; i < n; i++) {
        int sp;
        const char *name = prof_func_name(p, order[i], &sp);
        uint64_t c = p->count[PROF_MEASURED][order[i]];
        fprintf(f, "%-40s %-12s %14llu %7.2f%% %12.1f\n", name, p->spaces[sp].name,
                (unsigned long long)c, share(c, all), (double)c / ri->units);
    }
    free(order);
}

/* ------------------------------------------------------------------ SVG */

#define SVG_WIDTH 1200.0
#define SVG_ROW 17
#define SVG_TOP 40

static void escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

static const char *node_name(const struct prof *p, const struct prof_node *n, int *space)
{
    *space = -1;
    if (n->func == -1)
        return "all";
    if (n->func < -1) {
        *space = (int)(-2 - n->func);
        return p->spaces[*space].name;
    }
    return prof_func_name(p, (size_t)n->func, space);
}

static int by_total(const void *a, const void *b)
{
    const struct prof_node *x = &sort_p->nodes[*(const int *)a];
    const struct prof_node *y = &sort_p->nodes[*(const int *)b];
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->func < y->func ? -1 : x->func > y->func;
}

/* A colour per space (hue), varied per name so neighbours differ. */
static void colour(FILE *f, const struct prof *p, int space, const char *name)
{
    static const int hues[] = {8, 215, 120, 280, 45, 175};
    unsigned h = 2166136261u;
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    if (space < 0 || p->spaces[space].catch_all) {
        fprintf(f, "hsl(0,0%%,%u%%)", 70 + h % 15);
        return;
    }
    fprintf(f, "hsl(%d,%u%%,%u%%)", hues[space % 6], 55 + h % 30, 55 + (h >> 8) % 20);
}

static void draw(FILE *f, const struct prof *p, const struct report_info *ri, int node,
                 double x, double scale)
{
    const struct prof_node *n = &p->nodes[node];
    double w = (double)n->total * scale;
    if (n->total == 0 || w < 0.05)
        return;
    int space;
    const char *name = node_name(p, n, &space);
    double y = SVG_TOP + (double)n->depth * SVG_ROW;
    fputs("<g><title>", f);
    escaped(f, name);
    if (space >= 0 && n->func >= 0)
        fprintf(f, " (%s)", p->spaces[space].name);
    fprintf(f, ": %llu instructions, %.2f%%, %.1f per unit; self %llu</title>\n",
            (unsigned long long)n->total, share(n->total, p->nodes[0].total),
            (double)n->total / ri->units, (unsigned long long)n->self);
    fprintf(f, "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"", x, y, w,
            SVG_ROW - 1);
    colour(f, p, space, name);
    fputs("\"/>", f);
    size_t fits = (size_t)((w - 4) / 7);
    if (fits >= 3) {
        char label[128];
        snprintf(label, sizeof label, "%s", name);
        if (strlen(label) > fits)
            strcpy(label + (fits > 2 ? fits - 2 : 0), "..");
        fprintf(f, "<text x=\"%.2f\" y=\"%.0f\">", x + 3, y + SVG_ROW - 5);
        escaped(f, label);
        fputs("</text>", f);
    }
    fputs("</g>\n", f);
    int nk = 0;
    for (int c = n->child; c >= 0; c = p->nodes[c].sibling)
        nk++;
    int *kids = malloc((size_t)(nk ? nk : 1) * sizeof *kids);
    if (!kids)
        abort();
    nk = 0;
    for (int c = n->child; c >= 0; c = p->nodes[c].sibling)
        kids[nk++] = c;
    sort_p = p;
    qsort(kids, (size_t)nk, sizeof kids[0], by_total);
    double cx = x + (double)n->self * scale; /* its own instructions first */
    for (int i = 0; i < nk; i++) {
        draw(f, p, ri, kids[i], cx, scale);
        cx += (double)p->nodes[kids[i]].total * scale;
    }
    free(kids);
}

void report_svg(const struct prof *p, const struct report_info *ri, FILE *f)
{
    int depth = 0;
    for (int i = 0; i < p->nnodes; i++)
        if (p->nodes[i].total && p->nodes[i].depth > depth)
            depth = p->nodes[i].depth;
    int height = SVG_TOP + (depth + 1) * SVG_ROW + 10;
    fprintf(f, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
               "<svg version=\"1.1\" width=\"%.0f\" height=\"%d\" "
               "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"monospace\" "
               "font-size=\"11\">\n",
            SVG_WIDTH, height);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fputs("<text x=\"6\" y=\"16\" font-size=\"14\">", f);
    escaped(f, ri->title);
    fprintf(f, ": %llu instructions measured, %.1f per %s</text>\n",
            (unsigned long long)p->nodes[0].total, (double)p->nodes[0].total / ri->units,
            ri->unit);
    fputs("<text x=\"6\" y=\"32\" fill=\"#555\">icicle graph: callers above callees, "
          "width = instructions (call tree guessed from the PCs; hover for counts)</text>\n",
          f);
    if (p->nodes[0].total)
        draw(f, p, ri, 0, 0.0, SVG_WIDTH / (double)p->nodes[0].total);
    fputs("</svg>\n", f);
}
