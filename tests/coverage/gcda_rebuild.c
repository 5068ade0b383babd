/* SPDX-License-Identifier: MIT */
/*
 * gcda_rebuild: turns the coverage stream an image wrote on COM4
 * (lib/gcov_dump.c) back into .gcda files for gcov and lcov.
 *
 *   gcda_rebuild [--under DIR] [--map OLD=NEW] [--quiet] STREAM...
 *
 * The stream is trusted no more than any log: every record must be whole
 * (its GCOV-END line present), its length and CRC-32 must match, its bytes
 * must start like a .gcda file, and every image's stream must end with its
 * GCOV-STREAM-END line and the right record count.  Anything else is
 * reported as a truncated or corrupted stream, naming the file and line,
 * and the exit status is 1.  A record is written to a temporary file and
 * renamed into place only once it has been checked, so a .gcda is either
 * absent or complete; records that were complete before the error are
 * kept.  --under DIR refuses to write outside DIR (the paths come from the
 * guest); --map rewrites a path prefix (a checkout that moved).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_RECORD (64u << 20) /* far above any real object's counters */
#define GCDA_MAGIC 0x67636461u /* "gcda", as gcc writes it: a native word */

struct options {
    const char *under;
    const char *map_old, *map_new;
    int quiet;
};

struct record {
    char path[MAX_LINE];
    unsigned long line; /* of its GCOV-FILE line */
    uint8_t *data;
    size_t length, capacity;
    int partial_seen; /* a data line that ended mid-quantum: must be the last */
};

static const char *prog = "gcda_rebuild";
static const char *cur_file;
static unsigned long cur_line;

/* Every complaint names the input and line so a bad run can be found. */
static int fail(const char *kind, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: %s:%lu: %s: ", prog, cur_file, cur_line, kind);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
    }
    return crc ^ 0xffffffffu;
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int record_append(struct record *r, uint8_t b)
{
    if (r->length == r->capacity) {
        size_t cap = r->capacity ? r->capacity * 2 : 4096;
        if (cap > MAX_RECORD)
            return fail("corrupted stream", "record %s is larger than %u bytes", r->path,
                        MAX_RECORD);
        uint8_t *d = realloc(r->data, cap);
        if (!d) {
            fprintf(stderr, "%s: out of memory\n", prog);
            exit(2);
        }
        r->data = d;
        r->capacity = cap;
    }
    r->data[r->length++] = b;
    return 0;
}

/* One "D <base64>" line; unpadded, so only a record's last line may end mid-quantum. */
static int decode_line(struct record *r, const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return fail("corrupted stream", "data line of %zu characters in record %s (1..64 expected)",
                    n, r->path);
    if (r->partial_seen)
        return fail("corrupted stream", "data line after a record's last line in record %s",
                    r->path);
    if (n % 4 == 1)
        return fail("corrupted stream", "data line of impossible length %zu in record %s", n,
                    r->path);
    for (size_t i = 0; i < n; i += 4) {
        size_t q = n - i < 4 ? n - i : 4;
        uint32_t v = 0;
        for (size_t k = 0; k < 4; k++) {
            int d = 0;
            if (k < q) {
                d = b64_value((unsigned char)s[i + k]);
                if (d < 0)
                    return fail("corrupted stream",
                                "byte 0x%02x is not base64 (column %zu) in record %s",
                                (unsigned char)s[i + k], i + k + 3, r->path);
            }
            v = v << 6 | (uint32_t)d;
        }
        for (size_t k = 0; k + 1 < q; k++)
            if (record_append(r, (uint8_t)(v >> (16 - 8 * k))))
                return -1;
    }
    if (n % 4)
        r->partial_seen = 1;
    return 0;
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0777);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return 0;
}

/* The output path: the record's path, re-rooted by --map, and kept inside --under. */
static int target_path(const struct options *o, const struct record *r, char *out, size_t size)
{
    const char *p = r->path;
    const char *rest = p;
    const char *prefix = "";
    if (o->map_old && strncmp(p, o->map_old, strlen(o->map_old)) == 0) {
        prefix = o->map_new;
        rest = p + strlen(o->map_old);
    }
    if ((size_t)snprintf(out, size, "%s%s", prefix, rest) >= size)
        return fail("corrupted stream", "path too long in record %s", p);
    size_t n = strlen(out);
    if (n < 6 || strcmp(out + n - 5, ".gcda") != 0)
        return fail("corrupted stream", "record path %s does not name a .gcda file", p);
    /* ".." anywhere could climb out of --under: refuse it outright. */
    for (const char *s = out; (s = strstr(s, "..")); s += 2)
        if ((s == out || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
            return fail("corrupted stream", "record path %s contains '..'", p);
    if (o->under) {
        size_t u = strlen(o->under);
        while (u > 1 && o->under[u - 1] == '/')
            u--;
        if (strncmp(out, o->under, u) != 0 || out[u] != '/')
            return fail("refused", "record path %s is outside %s (use --map if the checkout moved)",
                        out, o->under);
    }
    return 0;
}

static int write_record(const struct options *o, const struct record *r)
{
    char path[MAX_LINE + 256], tmp[MAX_LINE + 300];
    if (target_path(o, r, path, sizeof path))
        return -1;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (mkdirs(path))
        return fail("cannot write", "cannot create the directory of %s: %s", path,
                    strerror(errno));
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return fail("cannot write", "%s: %s", tmp, strerror(errno));
    size_t put = fwrite(r->data, 1, r->length, f);
    int bad = put != r->length || fflush(f) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return fail("cannot write", "%s: %s", path, strerror(e));
    }
    if (!o->quiet)
        printf("  %s (%zu bytes)\n", path, r->length);
    return 0;
}

/* Checks a finished record against its GCOV-END line, then writes it. */
static int end_record(const struct options *o, struct record *r, const char *args)
{
    unsigned long length;
    unsigned int crc;
    char extra;
    if (sscanf(args, "%lu %8x %c", &length, &crc, &extra) != 2)
        return fail("corrupted stream", "malformed GCOV-END line for record %s", r->path);
    if (length != r->length)
        return fail("corrupted stream", "record %s (from line %lu) has %zu bytes, its end line says %lu",
                    r->path, r->line, r->length, length);
    uint32_t got = crc32_ieee(r->data, r->length);
    if (got != crc)
        return fail("corrupted stream",
                    "record %s (from line %lu): CRC-32 of its bytes is %08x, its end line says %08x",
                    r->path, r->line, got, crc);
    uint32_t magic = 0;
    if (r->length >= 12)
        memcpy(&magic, r->data, 4);
    if (magic != GCDA_MAGIC)
        return fail("corrupted stream", "record %s does not start with the gcda magic", r->path);
    return write_record(o, r);
}

struct seen {
    char **paths;
    size_t count, cap;
};

static int remember(struct seen *s, const char *path)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->paths[i], path) == 0)
            return 1;
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->paths = realloc(s->paths, s->cap * sizeof *s->paths);
        if (!s->paths) {
            fprintf(stderr, "%s: out of memory\n", prog);
            exit(2);
        }
    }
    s->paths[s->count] = strdup(path);
    if (!s->paths[s->count]) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(2);
    }
    s->count++;
    return 0;
}

static int starts(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0)
        return 0;
    *rest = s + n;
    return 1;
}

enum state { OUTSIDE, IN_STREAM, IN_RECORD };

static struct record r; /* its buffer is reused from record to record */

static int rebuild(const struct options *o, const char *name, struct seen *seen)
{
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
    cur_file = name;
    cur_line = 0;
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    char image[256] = "";
    unsigned long files = 0, streams = 0, stream_line = 0;
    enum state st = OUTSIDE;
    int rc = 0;
    const char *rest;

    while (rc == 0 && (got = getline(&line, &line_cap, f)) >= 0) {
        cur_line++;
        size_t n = (size_t)got;
        if (n > MAX_LINE) {
            rc = fail("corrupted stream", "line longer than %d characters", MAX_LINE);
            break;
        }
        if (memchr(line, '\0', n) != NULL) {
            rc = fail("corrupted stream", "NUL byte in a line");
            break;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';

        if (st == IN_RECORD && starts(line, "D ", &rest)) {
            rc = decode_line(&r, rest);
        } else if (st == IN_RECORD && starts(line, "GCOV-END ", &rest)) {
            rc = end_record(o, &r, rest);
            files++;
            st = IN_STREAM;
        } else if (st == IN_RECORD) {
            rc = fail(starts(line, "GCOV-", &rest) ? "truncated stream" : "corrupted stream",
                      "record %s (image '%s', from line %lu) ends without its GCOV-END line",
                      r.path, image, r.line);
        } else if (starts(line, "GCOV-STREAM 1 image=", &rest)) {
            if (st != OUTSIDE)
                rc = fail("truncated stream",
                          "image '%s' (from line %lu) ends without its GCOV-STREAM-END line",
                          image, stream_line);
            snprintf(image, sizeof image, "%s", rest);
            files = 0;
            stream_line = cur_line;
            st = IN_STREAM;
            streams++;
            if (!o->quiet)
                printf("image %s (%s:%lu)\n", image, name, cur_line);
        } else if (st == IN_STREAM && starts(line, "GCOV-FILE ", &rest)) {
            if (strlen(rest) == 0 || strlen(rest) >= sizeof r.path)
                rc = fail("corrupted stream", "bad record path");
            else if (remember(seen, rest))
                rc = fail("corrupted stream", "record %s appears twice", rest);
            else {
                snprintf(r.path, sizeof r.path, "%s", rest);
                r.line = cur_line;
                r.length = 0;
                r.partial_seen = 0;
                st = IN_RECORD;
            }
        } else if (st == IN_STREAM && starts(line, "GCOV-STREAM-END image=", &rest)) {
            char end_image[256];
            unsigned long count;
            if (sscanf(rest, "%255s files=%lu", end_image, &count) != 2)
                rc = fail("corrupted stream", "malformed GCOV-STREAM-END line");
            else if (strcmp(end_image, image) != 0)
                rc = fail("corrupted stream", "image '%s' ended as '%s'", image, end_image);
            else if (count != files)
                rc = fail("corrupted stream", "image '%s' has %lu records, its end line says %lu",
                          image, files, count);
            st = OUTSIDE;
        } else if (st == OUTSIDE && n == 0) {
            continue; /* blank lines between streams are harmless */
        } else {
            rc = fail("corrupted stream", "unexpected line \"%.40s\"%s", line,
                      strlen(line) > 40 ? "..." : "");
        }
    }
    if (rc == 0 && ferror(f))
        rc = fail("cannot read", "%s", strerror(errno));
    if (rc == 0 && st == IN_RECORD)
        rc = fail("truncated stream",
                  "the input ends inside record %s (image '%s', from line %lu) after %zu bytes",
                  r.path, image, r.line, r.length);
    if (rc == 0 && st == IN_STREAM)
        rc = fail("truncated stream",
                  "the input ends inside image '%s' (from line %lu) without its GCOV-STREAM-END "
                  "line, after %lu records",
                  image, stream_line, files);
    if (rc == 0 && streams == 0)
        rc = fail("no coverage", "no GCOV-STREAM line in the input (not a coverage build?)");
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct seen seen = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--under") == 0 && i + 1 < argc) {
            o.under = argv[++i];
        } else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc) {
            char *eq = strchr(argv[++i], '=');
            if (!eq) {
                fprintf(stderr, "%s: --map wants OLD=NEW\n", prog);
                return 2;
            }
            *eq = '\0';
            o.map_old = argv[i];
            o.map_new = eq + 1;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            o.quiet = 1;
        } else {
            fprintf(stderr, "usage: %s [--under DIR] [--map OLD=NEW] [--quiet] STREAM...\n", prog);
            return 2;
        }
    }
    if (i == argc) {
        fprintf(stderr, "usage: %s [--under DIR] [--map OLD=NEW] [--quiet] STREAM...\n", prog);
        return 2;
    }
    int bad = 0;
    for (; i < argc; i++)
        if (rebuild(&o, argv[i], &seen))
            bad = 1;
    for (size_t k = 0; k < seen.count; k++)
        free(seen.paths[k]);
    free(seen.paths);
    free(r.data);
    return bad;
}
