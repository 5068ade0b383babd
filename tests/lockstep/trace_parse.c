/* SPDX-License-Identifier: MIT */
/*
 * trace_parse.c — the step trace's text records into struct trace.
 *
 *   T partita-trace 3 probe P+N ram F+N [F+N]... digest D [services hypervisor]
 *   H seq actor vp input in_gpa out_gpa a0..a7 status reps nout o0..o3 digest
 *   F seq actor vp digest
 *   I seq actor vp payload_digest size status digest
 *   E seq result
 *   S seq hex
 *
 * seq, nout, frames and result are decimal, everything else hex.
 */
#include "trace_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 40

static int fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errlen, "trace line %u: ", line);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Splits at single blanks; fields point into buf (which is modified). */
static int split(char *buf, char **f, int max)
{
    int n = 0;
    char *p = buf;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        f[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
    }
    return n;
}

/* A whole field as a number in `base`, no sign, no overflow. */
static int number(const char *s, int base, uint64_t max, uint64_t *v)
{
    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return -1; /* the kernel never writes a prefix */
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, base);
    if (*end || errno || x > max)
        return -1;
    *v = x;
    return 0;
}

struct field_spec {
    const char *name;
    int base;
    uint64_t max;
};

/* "F+N", both hex: a range of pages.  0, or -1 if malformed. */
static int range(const char *text, uint64_t *first, uint64_t *pages)
{
    char buf[64];
    const char *plus = strchr(text, '+');
    if (!plus || (size_t)(plus - text) >= sizeof buf)
        return -1;
    memcpy(buf, text, (size_t)(plus - text));
    buf[plus - text] = 0;
    return number(buf, 16, UINT64_MAX, first) || number(plus + 1, 16, UINT64_MAX, pages)
               ? -1
               : 0;
}

/* Parses f[first..first+n) by spec into v[]. */
static int fields(char **f, int first, const struct field_spec *spec, int n,
                  uint64_t *v, char *err, size_t errlen, unsigned line,
                  char kind)
{
    for (int i = 0; i < n; i++)
        if (number(f[first + i], spec[i].base, spec[i].max, &v[i]))
            return fail(err, errlen, line,
                        "%c record: field %d (%s) should be a %s number%s, "
                        "got '%s'",
                        kind, first + i, spec[i].name,
                        spec[i].base == 10 ? "decimal" : "hex",
                        spec[i].max == UINT64_MAX ? "" : " in range",
                        f[first + i]);
    return 0;
}

#define U64 UINT64_MAX
static const struct field_spec h_spec[] = {
    {"seq", 10, U64},    {"actor", 16, U64},       {"vp", 16, 0xffffffffu},
    {"input", 16, U64},  {"in_gpa", 16, U64},      {"out_gpa", 16, U64},
    {"a0", 16, U64},     {"a1", 16, U64},          {"a2", 16, U64},
    {"a3", 16, U64},     {"a4", 16, U64},          {"a5", 16, U64},
    {"a6", 16, U64},     {"a7", 16, U64},          {"status", 16, 0xffff},
    {"reps", 16, 0xfff}, {"nout", 10, TRACE_OUTS}, {"o0", 16, U64},
    {"o1", 16, U64},     {"o2", 16, U64},          {"o3", 16, U64},
    {"digest", 16, U64},
};
/* seq actor vp input in_gpa out_gpa, the arguments, status reps nout, the
 * outputs, digest */
#define H_FIELDS (6 + TRACE_ARGS + 3 + TRACE_OUTS + 1)
_Static_assert(sizeof h_spec / sizeof h_spec[0] == H_FIELDS, "one spec per H field");

static const struct field_spec f_spec[] = {
    {"seq", 10, U64}, {"actor", 16, U64}, {"vp", 16, 0xffffffffu},
    {"digest", 16, U64},
};

static const struct field_spec m_spec[] = {
    {"seq", 10, U64}, {"id", 16, U64}, {"entries", 16, 0xffffffffu},
    {"sum", 16, U64}, {"unflushed", 16, 0xffffffffu},
};

static const struct field_spec i_spec[] = {
    {"seq", 10, U64},      {"actor", 16, U64},  {"vp", 16, 0xffffffffu},
    {"payload digest", 16, U64}, {"size", 16, 0xffffffffu},
    {"status", 16, 0xffff}, {"digest", 16, U64},
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *p = realloc(*v, nc * size);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_state(struct trace *t, const char *line, size_t len,
                       unsigned ln, char *err, size_t errlen)
{
    /* "S <seq> <hex>": too long to copy and split like the others. */
    if (len < 3 || line[1] != ' ')
        return fail(err, errlen, ln, "S record: expected 'S <seq> <hex>'");
    const char *p = line + 2, *end = line + len;
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    if (!sp)
        return fail(err, errlen, ln, "S record: expected 'S <seq> <hex>'");
    char seqbuf[32];
    if ((size_t)(sp - p) >= sizeof seqbuf)
        return fail(err, errlen, ln, "S record: sequence number too long");
    memcpy(seqbuf, p, (size_t)(sp - p));
    seqbuf[sp - p] = 0;
    uint64_t seq;
    if (number(seqbuf, 10, U64, &seq))
        return fail(err, errlen, ln,
                    "S record: sequence number should be decimal, got '%s'",
                    seqbuf);
    const char *hex = sp + 1;
    size_t hn = (size_t)(end - hex);
    if (hn == 0 || hn % 2)
        return fail(err, errlen, ln,
                    "S record: the encoding should be an even number of hex "
                    "digits, got %zu", hn);
    uint8_t *bytes = malloc(hn / 2);
    if (!bytes)
        return fail(err, errlen, ln, "out of memory");
    for (size_t i = 0; i < hn / 2; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(bytes);
            return fail(err, errlen, ln,
                        "S record: non-hex character at offset %zu", 2 * i);
        }
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    if (grow((void **)&t->states, &t->cap_states, t->nstates,
             sizeof *t->states)) {
        free(bytes);
        return fail(err, errlen, ln, "out of memory");
    }
    t->states[t->nstates++] = (struct trace_state){seq, bytes, hn / 2};
    return 0;
}

int trace_parse_line(struct trace *t, const char *line, size_t len,
                     unsigned ln, char *err, size_t errlen)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    if (len == 0)
        return 0;
    if (memchr(line, 0, len))
        return fail(err, errlen, ln, "NUL byte inside a record");
    if (line[0] == 'S')
        return parse_state(t, line, len, ln, err, errlen);
    char buf[512];
    if (len >= sizeof buf)
        return fail(err, errlen, ln, "record too long (%zu characters)", len);
    memcpy(buf, line, len);
    buf[len] = 0;
    char *f[MAX_FIELDS + 1];
    int n = split(buf, f, MAX_FIELDS);
    if (strlen(f[0]) != 1)
        return fail(err, errlen, ln,
                    "unknown record '%s' (expected T, H, F, I, E, S or M)", f[0]);
    char kind = f[0][0];
    if (kind != 'T' && !t->have_header)
        return fail(err, errlen, ln,
                    "%c record before the 'T partita-trace' header", kind);
    uint64_t v[H_FIELDS];
    switch (kind) {
    case 'T': {
        if (t->have_header)
            return fail(err, errlen, ln, "second T header");
        /* The fixed fields, then the ranges between "ram" and "digest". */
        int mono =
            n >= 2 && !strcmp(f[n - 2], "services") && !strcmp(f[n - 1], "hypervisor");
        int end = mono ? n - 2 : n; /* one past "digest D" */
        if (n < 9 || strcmp(f[1], "partita-trace") || strcmp(f[3], "probe") ||
            strcmp(f[5], "ram") || end < 9 || strcmp(f[end - 2], "digest"))
            return fail(err, errlen, ln,
                        "expected 'T partita-trace 3 probe P+N ram F+N... digest D "
                        "[services hypervisor]' (%d fields)",
                        n);
        if (strcmp(f[2], TRACE_FORMAT_VERSION))
            return fail(err, errlen, ln, "trace format version %s, this checker reads %s",
                        f[2], TRACE_FORMAT_VERSION);
        static const struct field_spec digest = {"digest", 16, U64};
        if (range(f[4], &t->probe_page, &t->probe_pages) ||
            fields(f, end - 1, &digest, 1, &t->digest, err, errlen, ln, 'T'))
            return fail(err, errlen, ln,
                        "T record: probe P+N and digest D are hex numbers");
        t->ram_ranges = 0;
        for (int i = 6; i < end - 2; i++) {
            if (t->ram_ranges == TRACE_MAX_RAM_RANGES)
                return fail(err, errlen, ln, "T record: more than %d RAM ranges",
                            TRACE_MAX_RAM_RANGES);
            uint64_t *r = t->ram[t->ram_ranges++];
            if (range(f[i], &r[0], &r[1]))
                return fail(err, errlen, ln, "T record: RAM range '%s' is not F+N (hex)",
                            f[i]);
        }
        t->have_header = 1;
        t->services_in_hypervisor = mono;
        return 0;
    }
    case 'M': {
        if (n != 6)
            return fail(err, errlen, ln, "M record: expected 'M <seq> <id> <entries> "
                        "<sum> <unflushed>'");
        if (fields(f, 1, m_spec, 5, v, err, errlen, ln, 'M'))
            return -1;
        if (t->pending_tables && t->pending_seq != v[0])
            return fail(err, errlen, ln, "M record for seq %llu after M records for "
                        "seq %llu without their step's record",
                        (unsigned long long)v[0], (unsigned long long)t->pending_seq);
        if (t->pending_tables == TRACE_MAX_TABLES)
            return fail(err, errlen, ln, "more than %d M records for one step",
                        TRACE_MAX_TABLES);
        t->pending_seq = v[0];
        t->pending[t->pending_tables++] =
            (struct trace_table){v[1], v[3], (uint32_t)v[2], (uint32_t)v[4]};
        return 0;
    }
    case 'H':
    case 'F':
    case 'I': {
        const struct field_spec *spec = kind == 'H' ? h_spec : kind == 'F' ? f_spec : i_spec;
        int want = kind == 'H' ? H_FIELDS : kind == 'F' ? 4 : 7;
        if (n != want + 1)
            return fail(err, errlen, ln, "%c record: expected %d fields after "
                        "'%c', got %d", kind, want, kind, n - 1);
        if (t->have_end)
            return fail(err, errlen, ln, "%c record after the E record", kind);
        if (fields(f, 1, spec, want, v, err, errlen, ln, kind))
            return -1;
        if (grow((void **)&t->rec, &t->cap, t->n, sizeof *t->rec))
            return fail(err, errlen, ln, "out of memory");
        struct trace_record *r = &t->rec[t->n];
        memset(r, 0, sizeof *r);
        r->kind = kind;
        r->line = ln;
        r->seq = v[0];
        r->actor = v[1];
        r->vp = (uint32_t)v[2];
        if (kind == 'F') {
            r->digest = v[3];
        } else if (kind == 'I') {
            /* The model event's arguments: payload digest, size. */
            r->arg[0] = v[3];
            r->arg[1] = v[4];
            r->status = (uint16_t)v[5];
            r->digest = v[6];
        } else {
            r->input = v[3];
            r->in_gpa = v[4];
            r->out_gpa = v[5];
            const uint64_t *after = v + 6 + TRACE_ARGS; /* status, reps, nout, outs */
            for (int i = 0; i < TRACE_ARGS; i++)
                r->arg[i] = v[6 + i];
            r->status = (uint16_t)after[0];
            r->reps = (uint32_t)after[1];
            r->nout = (uint32_t)after[2];
            for (int i = 0; i < TRACE_OUTS; i++)
                r->out[i] = after[3 + i];
            r->digest = after[3 + TRACE_OUTS];
        }
        uint64_t want_seq = t->n ? t->rec[t->n - 1].seq + 1 : t->dropped;
        if (r->seq != want_seq)
            return fail(err, errlen, ln,
                        "%c record has seq %llu, expected %llu (a record was "
                        "lost or repeated)", kind, (unsigned long long)r->seq,
                        (unsigned long long)want_seq);
        if (t->pending_tables && t->pending_seq != r->seq)
            return fail(err, errlen, ln, "M records for seq %llu before the %c record "
                        "of seq %llu", (unsigned long long)t->pending_seq, kind,
                        (unsigned long long)r->seq);
        r->tables = t->pending_tables;
        memcpy(r->table, t->pending, sizeof r->table);
        t->pending_tables = 0;
        t->n++;
        return 0;
    }
    case 'E': {
        if (n != 3)
            return fail(err, errlen, ln, "E record: expected 'E <seq> <result>'");
        if (t->have_end)
            return fail(err, errlen, ln, "second E record");
        uint64_t seq;
        if (number(f[1], 10, U64, &seq))
            return fail(err, errlen, ln, "E record: bad seq '%s'", f[1]);
        char *end;
        errno = 0;
        long long res = strtoll(f[2], &end, 10);
        if (*end || errno || !*f[2])
            return fail(err, errlen, ln, "E record: bad result '%s'", f[2]);
        t->have_end = 1;
        t->end_seq = seq;
        t->end_result = res;
        return 0;
    }
    default:
        return fail(err, errlen, ln,
                    "unknown record '%c' (expected T, H, F, I, E or S)", kind);
    }
}

int trace_parse_text(struct trace *t, const char *text, size_t len, char *err,
                     size_t errlen)
{
    unsigned ln = 0;
    size_t pos = 0;
    while (pos < len) {
        ln++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        if (trace_parse_line(t, text + pos, n, ln, err, errlen)) {
            if (!nl) {
                /* The run was cut off while writing: keep what came before. */
                t->truncated_line = ln;
                return 0;
            }
            return -1;
        }
        pos += n + (nl != NULL);
    }
    if (!t->have_header)
        return snprintf(err, errlen, "trace is empty: no 'T partita-trace' "
                        "header"), -1;
    return 0;
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        errno = bad ? EIO : ENOMEM;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

int trace_read_file(struct trace *t, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text)
        return snprintf(err, errlen, "%s: cannot read: %s", path,
                        strerror(errno)), -1;
    int rc = trace_parse_text(t, text, len, err, errlen);
    free(text);
    return rc;
}

void trace_free(struct trace *t)
{
    for (size_t i = 0; i < t->nstates; i++)
        free(t->states[i].bytes);
    free(t->states);
    free(t->rec);
    memset(t, 0, sizeof *t);
}

const struct trace_state *trace_state_at(const struct trace *t, uint64_t seq)
{
    for (size_t i = 0; i < t->nstates; i++)
        if (t->states[i].seq == seq)
            return &t->states[i];
    return NULL;
}
