/* SPDX-License-Identifier: MIT */
/*
 * partita-profile: instructions per function from QEMU's exec log.
 *
 *   partita-profile --space NAME:host|guest:ELF ... --start CHAIN [--stop CHAIN]
 *                   --units N --unit TEXT --title TEXT
 *                   --table FILE --svg FILE  LOG
 *
 * LOG is the file (or FIFO) QEMU writes with -d exec,nochain -singlestep;
 * "-" reads stdin.  CHAIN: SPACE:SYMBOL[,SPACE:SYMBOL...] (prof.h).
 * ci/profile.sh drives it (make profile); docs/architecture/profile.md.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof.h"
#include "report.h"

static int usage(const char *why)
{
    fprintf(stderr, "partita-profile: %s\n"
                    "usage: partita-profile --space NAME:host|guest:ELF ... --start CHAIN "
                    "[--stop CHAIN] --units N --unit TEXT --title TEXT --table FILE "
                    "--svg FILE LOG\n",
            why);
    return 2;
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "partita-profile: cannot write %s\n", path);
    return f;
}

int main(int argc, char **argv)
{
    static struct prof p;
    const char *start = NULL, *stop = NULL, *table = NULL, *svg = NULL, *log = NULL;
    struct report_info ri = {"profile", "unit", 1.0};
    const char *why;
    prof_init(&p);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            log = a;
            continue;
        }
        if (i + 1 >= argc)
            return usage("an option without its value");
        const char *v = argv[++i];
        if (strcmp(a, "--space") == 0) {
            char name[32], mode[8];
            int at = 0;
            if (sscanf(v, "%31[^:]:%7[^:]:%n", name, mode, &at) != 2 || at == 0 ||
                (strcmp(mode, "host") != 0 && strcmp(mode, "guest") != 0))
                return usage("--space is NAME:host|guest:ELF");
            if (prof_add_space(&p, name, strcmp(mode, "guest") == 0, v + at, &why)) {
                fprintf(stderr, "partita-profile: %s: %s\n", v + at, why);
                return 1;
            }
        } else if (strcmp(a, "--start") == 0) {
            start = v;
        } else if (strcmp(a, "--stop") == 0) {
            stop = v;
        } else if (strcmp(a, "--units") == 0) {
            ri.units = strtod(v, NULL);
        } else if (strcmp(a, "--unit") == 0) {
            ri.unit = v;
        } else if (strcmp(a, "--title") == 0) {
            ri.title = v;
        } else if (strcmp(a, "--table") == 0) {
            table = v;
        } else if (strcmp(a, "--svg") == 0) {
            svg = v;
        } else {
            return usage("unknown option");
        }
    }
    if (!log || !start || !table || !svg || !(ri.units > 0))
        return usage("LOG, --start, --table, --svg and --units > 0 are needed");
    if (prof_ready(&p, &why) || prof_markers(&p, 's', start, &why) ||
        (stop && prof_markers(&p, 'e', stop, &why))) {
        fprintf(stderr, "partita-profile: %s\n", why);
        return 1;
    }
    FILE *in = strcmp(log, "-") == 0 ? stdin : fopen(log, "r");
    if (!in) {
        fprintf(stderr, "partita-profile: cannot read %s\n", log);
        return 1;
    }
    /* QEMU writes its log a line at a time: a big pipe and a big buffer
     * let the two sides wake each other less often (a FIFO only; an error
     * here just leaves the defaults). */
    fcntl(fileno(in), F_SETPIPE_SZ, 1 << 20);
    static char inbuf[1 << 20];
    setvbuf(in, inbuf, _IOFBF, sizeof inbuf);
    static char line[4096];
    while (fgets(line, sizeof line, in))
        prof_line(&p, line);
    if (in != stdin)
        fclose(in);
    prof_end(&p);
    FILE *t = open_out(table), *s = open_out(svg);
    if (!t || !s)
        return 1;
    report_table(&p, &ri, t);
    report_svg(&p, &ri, s);
    int bad = fclose(t) | fclose(s);
    int rc = bad ? 1 : 0;
    if (p.phase == PROF_BOOT) {
        fprintf(stderr, "partita-profile: the start marker %s was never reached\n", start);
        rc = 1;
    } else if (stop && p.phase != PROF_AFTER) {
        fprintf(stderr, "partita-profile: the stop marker %s was never reached\n", stop);
        rc = 1;
    }
    prof_free(&p);
    return rc;
}
