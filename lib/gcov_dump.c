/* SPDX-License-Identifier: MIT */
/*
 * Coverage counters out on COM4 (coverage builds only; see gcov_dump.h).
 *
 * Objects compiled with -fprofile-arcs -fprofile-info-section get no
 * constructors: gcc puts a pointer to each object's struct gcov_info in the
 * .gcov_info section, which the linker scripts keep between
 * __gcov_info_start and __gcov_info_end.  libgcov's __gcov_info_to_gcda
 * turns one gcov_info into the bytes of its .gcda file, in small chunks;
 * this file frames those bytes as text lines:
 *
 *   GCOV-STREAM 1 image=NAME          one per image (hypervisor, partition)
 *   GCOV-FILE /abs/path/object.gcda   one record per object file
 *   D <base64, at most 64 characters> its bytes
 *   GCOV-END <bytes> <crc32 hex>      length and CRC-32 of those bytes
 *   GCOV-STREAM-END image=NAME files=N
 *
 * Text, so stray bytes cannot be mistaken for data and the log stays
 * readable; length and CRC per record, so the host rejects a stream that
 * was cut short (a panic, a timeout) or garbled instead of merging it.
 */
#include "gcov_dump.h"

#ifdef PARTITA_COVERAGE

#include <stddef.h>
#include <stdint.h>

struct gcov_info;
/* From gcc's own gcov.h (libgcov.a), usable freestanding. */
extern void __gcov_info_to_gcda(const struct gcov_info *info,
                                void (*filename_fn)(const char *, void *),
                                void (*dump_fn)(const void *, unsigned, void *),
                                void *(*allocate_fn)(unsigned, void *), void *arg);

/* Set by the linker scripts around KEEP(*(.gcov_info)). */
extern const struct gcov_info *const __gcov_info_start[];
extern const struct gcov_info *const __gcov_info_end[];

/* ------------------------------------------------------------ output */

#ifdef HOST_BUILD
static void out_bytes(const char *s, unsigned long n)
{
    gcov_dump_host_write(s, n);
}
#else
#include "portio.h"

/*
 * Polls the UART directly rather than using the hypervisor's serial.c, so
 * the partitions' copy needs nothing but the instruction wrappers
 * (portio.h).  Bounded wait, like serial.c:
 * a missing UART must not hang the shutdown (the host then reports the
 * stream as corrupt instead).
 */
static void out_bytes(const char *s, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        for (int spin = 0; spin < 100000 && !(inb(GCOV_DUMP_PORT + 5) & 0x20); spin++)
            ;
        outb(GCOV_DUMP_PORT, (uint8_t)s[i]);
    }
}
#endif

static void out_str(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    out_bytes(s, n);
}

static void out_hex(uint32_t v, int digits)
{
    char buf[8];
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 0xf];
    out_bytes(buf, (unsigned long)digits);
}

static void out_dec(uint32_t v)
{
    char buf[10];
    int n = 0;
    do
        buf[sizeof buf - 1 - n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < (int)sizeof buf);
    out_bytes(buf + sizeof buf - n, (unsigned long)n);
}

/* ------------------------------------------------------------ one record */

struct record {
    uint32_t crc;       /* running CRC-32 (IEEE), pre-inverted */
    uint32_t length;    /* bytes of .gcda data so far */
    uint8_t pending[3]; /* bytes not yet in a base64 quantum */
    unsigned npending;
    char line[2 + 64 + 1]; /* "D " + 64 characters + '\n' */
    unsigned used;
};

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void line_flush(struct record *r)
{
    if (r->used > 2) {
        r->line[r->used++] = '\n';
        out_bytes(r->line, r->used);
    }
    r->used = 2;
}

/* Three bytes (or fewer at the end, without '=' padding) as base64. */
static void quantum(struct record *r, const uint8_t *b, unsigned n)
{
    uint32_t v = (uint32_t)b[0] << 16 | (n > 1 ? (uint32_t)b[1] << 8 : 0) | (n > 2 ? b[2] : 0);
    for (unsigned i = 0; i < n + 1; i++)
        r->line[r->used++] = b64[(v >> (18 - 6 * i)) & 0x3f];
    if (r->used >= sizeof r->line - 1)
        line_flush(r);
}

static void on_filename(const char *name, void *arg)
{
    struct record *r = arg;
    out_str("GCOV-FILE ");
    out_str(name ? name : "(unnamed)");
    out_str("\n");
    r->crc = 0xffffffffu;
    r->length = 0;
    r->npending = 0;
    r->used = 2;
}

static void on_data(const void *data, unsigned n, void *arg)
{
    struct record *r = arg;
    const uint8_t *p = data;
    for (unsigned i = 0; i < n; i++) {
        r->crc ^= p[i];
        for (int k = 0; k < 8; k++)
            r->crc = (r->crc >> 1) ^ (0xedb88320u & -(r->crc & 1));
        r->pending[r->npending++] = p[i];
        if (r->npending == 3) {
            quantum(r, r->pending, 3);
            r->npending = 0;
        }
    }
    r->length += n;
}

/*
 * libgcov asks for memory only for value-profile lists, which
 * -fprofile-arcs alone never produces; a small arena keeps it honest.
 */
static void *on_allocate(unsigned size, void *arg)
{
    (void)arg;
    static uint64_t arena[512];
    static unsigned used; /* in uint64_t units */
    unsigned words = (size + 7) / 8;
    if (words > sizeof arena / sizeof arena[0] - used)
        return 0;
    used += words;
    return &arena[used - words];
}

void gcov_dump(const char *image)
{
    static int started;
    if (started)
        return;
    started = 1;

    struct record r = {.line = {'D', ' '}, .used = 2};
    uint32_t files = 0;
    out_str("GCOV-STREAM 1 image=");
    out_str(image);
    out_str("\n");
    for (const struct gcov_info *const *gi = __gcov_info_start; gi < __gcov_info_end; gi++) {
        if (!*gi)
            continue;
        __gcov_info_to_gcda(*gi, on_filename, on_data, on_allocate, &r);
        if (r.npending)
            quantum(&r, r.pending, r.npending);
        line_flush(&r);
        out_str("GCOV-END ");
        out_dec(r.length);
        out_str(" ");
        out_hex(r.crc ^ 0xffffffffu, 8);
        out_str("\n");
        files++;
    }
    out_str("GCOV-STREAM-END image=");
    out_str(image);
    out_str(" files=");
    out_dec(files);
    out_str("\n");
}

#ifndef HOST_BUILD
/*
 * What libgcov.a's __gcov_info_to_gcda needs from its environment.  The
 * merge function is only referenced (each gcov_info names it), never
 * called: defining it here keeps libgcov's file-merging code, which wants
 * a C library, out of the image.
 */
void __gcov_merge_add(void *counters, unsigned n);
void __gcov_merge_add(void *counters, unsigned n)
{
    (void)counters;
    (void)n;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)
{
    (void)addr, (void)length, (void)prot, (void)flags, (void)fd, (void)offset;
    return (void *)-1; /* MAP_FAILED: libgcov copes */
}

/* Only on a libgcov internal error: stop here; the stream shows a cut record. */
__attribute__((noreturn)) void abort(void);
__attribute__((noreturn)) void abort(void)
{
    out_str("\nGCOV-ABORT\n");
    for (;;)
        __asm__ volatile("hlt");
}
#endif /* !HOST_BUILD */

#endif /* PARTITA_COVERAGE */
