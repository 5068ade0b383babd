/* SPDX-License-Identifier: MIT */
#include "cmdline.h"

static size_t word_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ')
        n++;
    return n;
}

static size_t key_len(const char *s, size_t wlen)
{
    size_t n = 0;
    while (n < wlen && s[n] != '=')
        n++;
    return n;
}

static int same(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen; i++)
        if (!b[i] || a[i] != b[i])
            return 0;
    return b[i] == '\0';
}

/* Finds the word whose key is KEY; returns its start or NULL. */
static const char *find_key(const char *cmdline, const char *key, size_t *wlen)
{
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = word_len(p);
        if (n && same(p, key_len(p, n), key)) {
            *wlen = n;
            return p;
        }
        p += n;
    }
    return 0;
}

int cmdline_has(const char *cmdline, const char *word)
{
    size_t n;
    return find_key(cmdline, word, &n) != 0;
}

int cmdline_value(const char *cmdline, const char *key, char *out, size_t size)
{
    size_t n;
    const char *w = find_key(cmdline, key, &n);
    if (!w || size == 0)
        return 0;
    size_t k = key_len(w, n);
    if (k == n)
        return 0; /* present without a value */
    size_t i = 0;
    for (const char *v = w + k + 1; v < w + n && i + 1 < size; v++)
        out[i++] = *v;
    out[i] = '\0';
    return 1;
}
