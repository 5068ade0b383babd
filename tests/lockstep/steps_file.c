/* SPDX-License-Identifier: MIT */
/* steps_file.c — compiled scenario files: header, then fixed-size steps. */
#include "steps_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_parse.h"

struct scenario_step *steps_push(struct steps_list *l)
{
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 256;
        struct scenario_step *v = realloc(l->v, nc * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = nc;
    }
    struct scenario_step *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    return s;
}

void steps_list_free(struct steps_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

int steps_write(const char *path, const struct steps_list *l, char *err,
                size_t errlen)
{
    struct scenario_steps_header h;
    memset(&h, 0, sizeof h);
    h.magic = SCENARIO_STEPS_MAGIC;
    h.version = SCENARIO_STEPS_VERSION;
    h.step_count = l->n;
    h.step_size = sizeof(struct scenario_step);
    snprintf(h.name, sizeof h.name, "%s", l->name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(&h, sizeof h, 1, f) == 1 &&
             (l->n == 0 || fwrite(l->v, sizeof *l->v, l->n, f) == l->n);
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int steps_parse(const uint8_t *buf, size_t len, struct steps_list *l,
                char *err, size_t errlen)
{
    struct scenario_steps_header h;
    memset(l, 0, sizeof *l);
    if (len < sizeof h) {
        snprintf(err, errlen, "too short for a steps header (%zu bytes)", len);
        return -1;
    }
    memcpy(&h, buf, sizeof h);
    if (h.magic != SCENARIO_STEPS_MAGIC || h.version != SCENARIO_STEPS_VERSION ||
        h.step_size != sizeof(struct scenario_step)) {
        snprintf(err, errlen,
                 "not a compiled scenario: magic 0x%08x version %u step size "
                 "%u (expected 0x%08x, %u, %zu)", h.magic, h.version,
                 h.step_size, SCENARIO_STEPS_MAGIC, SCENARIO_STEPS_VERSION,
                 sizeof(struct scenario_step));
        return -1;
    }
    if ((len - sizeof h) / sizeof(struct scenario_step) != h.step_count ||
        (len - sizeof h) % sizeof(struct scenario_step)) {
        snprintf(err, errlen, "header says %u steps, the file holds %zu bytes "
                 "of steps", h.step_count, len - sizeof h);
        return -1;
    }
    memcpy(l->name, h.name, sizeof l->name - 1);
    l->name[sizeof l->name - 1] = 0;
    for (uint32_t i = 0; i < h.step_count; i++) {
        struct scenario_step *s = steps_push(l);
        if (!s) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(s, buf + sizeof h + (size_t)i * sizeof *s, sizeof *s);
        if (s->block_len > SCENARIO_BLOCK_MAX ||
            (uint32_t)s->reloc_offset + 8u * s->reloc_count > SCENARIO_BLOCK_MAX ||
            s->kind > SCENARIO_STEP_FAULT) {
            snprintf(err, errlen, "step %u: bad kind %u, block length %u or "
                     "relocation %u+8*%u", i, s->kind, s->block_len,
                     s->reloc_offset, s->reloc_count);
            return -1;
        }
    }
    return 0;
}

int steps_read(const char *path, struct steps_list *l, char *err, size_t errlen)
{
    size_t len;
    char *buf = read_whole_file(path, &len);
    if (!buf) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char why[256];
    int rc = steps_parse((const uint8_t *)buf, len, l, why, sizeof why);
    if (rc)
        snprintf(err, errlen, "%s: %s", path, why);
    free(buf);
    return rc;
}
