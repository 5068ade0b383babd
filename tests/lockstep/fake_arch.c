/* SPDX-License-Identifier: MIT */
/*
 * fake_arch.c — kernel/arch/arch.h and a struct virt_backend for the
 * hypervisor core compiled on the host (see fake_arch.h).  Guests never
 * run: the host test drives hypercall_dispatch and exit_fault directly,
 * with the registers a partition would have set.
 */
#include "fake_arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/arch/arch.h"
#include "kernel/core/abstract.h"
#include "kernel/core/partition.h"
#include "tables.h"

/* ---- physical memory --------------------------------------------------- */

static uint8_t *phys;
static uint64_t phys_bytes;

struct text {
    char *buf;
    size_t len, cap;
};

static struct text trace, log_text;
static int trace_fd = -1; /* fake_trace_stream */
static uint64_t states_seq = UINT64_MAX;

void fake_memory_init(uint64_t bytes)
{
    /* A new machine (the fuzz target boots one per input): the old
     * memory, trace and log go. */
    free(phys);
    trace.len = log_text.len = 0;
    fake_inject_off();
    phys = calloc(1, bytes);
    if (!phys) {
        fprintf(stderr, "fake machine: cannot allocate %llu bytes of memory\n",
                (unsigned long long)bytes);
        abort();
    }
    phys_bytes = bytes;
}

void *arch_phys_to_virt(uint64_t pa)
{
    if (pa >= phys_bytes) {
        fprintf(stderr, "fake machine: the hypervisor touched physical address "
                "0x%llx, beyond the %llu bytes of memory\n",
                (unsigned long long)pa, (unsigned long long)phys_bytes);
        abort();
    }
    return phys + pa;
}

/* ---- trace and log ----------------------------------------------------- */

static void append(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t nc = t->cap ? t->cap : 1 << 16;
        while (t->len + n + 1 > nc)
            nc *= 2;
        char *b = realloc(t->buf, nc);
        if (!b) {
            fprintf(stderr, "fake machine: out of memory for the trace\n");
            abort();
        }
        t->buf = b;
        t->cap = nc;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = 0;
}

void fake_trace_states_at(uint64_t seq)
{
    states_seq = seq;
}

static void hex_bytes(const uint8_t *bytes, size_t n, void *ctx)
{
    static const char digits[] = "0123456789abcdef";
    char buf[2];
    for (size_t i = 0; i < n; i++) {
        buf[0] = digits[bytes[i] >> 4];
        buf[1] = digits[bytes[i] & 15];
        append(ctx, buf, 2);
    }
}

static void tables_records(uint64_t seq);

void arch_trace_write(const char *s, size_t n)
{
    if (trace_fd >= 0 && trace.len > (1u << 20) && fake_trace_flush()) {
        fprintf(stderr, "fake machine: the trace cannot be written\n");
        abort();
    }
    /* What the second-level tables hold after this step, ahead of its
     * record (a streaming reader then always has them with the record). */
    if (n > 2 && (s[0] == 'H' || s[0] == 'F' || s[0] == 'I') && s[1] == ' ')
        tables_records(strtoull(s + 2, NULL, 10));
    append(&trace, s, n);
    /* The state after this step, for the checker's side-by-side report. */
    if (states_seq != UINT64_MAX && n > 2 && (s[0] == 'H' || s[0] == 'F' || s[0] == 'I') &&
        strtoull(s + 2, NULL, 10) == states_seq) {
        char head[32];
        int k = snprintf(head, sizeof head, "S %llu ", (unsigned long long)states_seq);
        append(&trace, head, (size_t)k);
        abstract_encode(hex_bytes, &trace);
        append(&trace, "\n", 1);
    }
}

void fake_trace_stream(int fd)
{
    trace_fd = fd;
}

int fake_trace_flush(void)
{
    const char *p = trace.buf;
    size_t n = trace.len;
    while (trace_fd >= 0 && n) {
        ssize_t w = write(trace_fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    if (trace_fd >= 0)
        trace.len = 0;
    return 0;
}

const char *fake_trace_text(size_t *len)
{
    *len = trace.len;
    return trace.buf ? trace.buf : "";
}

void arch_log_write(const char *s, size_t n)
{
    if (log_text.len > (1u << 20)) /* keep the tail of a long run */
        log_text.len = 0;
    append(&log_text, s, n);
}

const char *fake_log_text(size_t *len)
{
    *len = log_text.len;
    return log_text.buf ? log_text.buf : "";
}

void arch_log_leave_console(void)
{
}

void arch_shutdown(int result)
{
    size_t n;
    const char *log = fake_log_text(&n);
    fprintf(stderr, "fake machine: the hypervisor called arch_shutdown(%d), "
            "which the host test never expects (a panic?); its log ends:\n%s\n",
            result, n > 2000 ? log + n - 2000 : log);
    abort();
}

void arch_timer_start(void)
{
}

/* No device model programs a virtual timer on the host: the clock only
 * has to move forward. */
uint64_t arch_tsc(void)
{
    static uint64_t t;
    return ++t;
}

uint64_t arch_tsc_khz(void)
{
    return 0;
}

void arch_wait_until(uint64_t tsc)
{
    (void)tsc;
}

void arch_wait_interrupt(void)
{
}

void arch_service_interrupts(void)
{
}

void arch_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    (void)leaf;
    (void)subleaf;
    out[0] = out[1] = out[2] = out[3] = 0;
}

uint64_t arch_xcr0_offered(void)
{
    return 0; /* the fake processor has no XSAVE */
}

void arch_describe_cpu(void (*line)(const char *text))
{
    line("cpu: host test (fake machine)");
}

/* No guest ever runs on the fake machine, so no boot tables are written;
 * the setup says where they would be, as the x86 one does. */
void arch_boot_area_build(uint64_t area, uint64_t entry, uint64_t stack_top,
                          struct vcpu_setup *setup)
{
    *setup = (struct vcpu_setup){
        .mode = VCPU_MODE_LONG64,
        .rip = entry,
        .rsp = stack_top,
        .rflags = 0x2,
        .cr3 = area,
        .gdt_base = area + ARCH_BOOT_TABLES_SIZE - 0x1000,
        .gdt_limit = 3 * 8 - 1,
    };
}

/* ---- second-level tables: a map from guest page to host page ----------- */

/* Open addressing with linear probing: a scenario's root maps tens of
 * thousands of pages at boot, so a list searched linearly made the boot
 * quadratic.  A slot is empty while key == 0; a key is the GPA + 1. */
struct fake_slat_entry {
    uint64_t key, hpa;
    uint32_t rights;
};

struct fake_slat {
    struct fake_slat_entry *e;
    uint32_t n, cap; /* cap: a power of two, kept at least twice n */
    /* The observation (tables.h): the sum of tables_entry_hash over the
     * entries; entries removed or changed since the last flush of this
     * table's tag (a stale translation a vCPU could still use); the tag
     * its vCPUs were created with (0: none yet); its live vCPUs. */
    uint64_t sum;
    uint32_t unflushed;
    uint16_t tag;
    uint32_t vcpus;
};

static uint64_t entry_hash(const struct fake_slat_entry *e)
{
    return tables_entry_hash((e->key - 1) >> 12, e->hpa >> 12, e->rights);
}

static struct fake_slat *table(struct slat *s)
{
    return (struct fake_slat *)(uintptr_t)s->root;
}

static int64_t maps_left = -1; /* fake_inject_pool_exhaustion, below */

/* With the pool exhausted there is no page for the top-level table
 * either (CreatePartition). */
static int slat_init(struct slat *s)
{
    if (maps_left == 0) {
        s->root = 0;
        return -1;
    }
    struct fake_slat *t = calloc(1, sizeof *t);
    s->root = (uint64_t)(uintptr_t)t;
    return t ? 0 : -1;
}

static uint32_t home(const struct fake_slat *t, uint64_t key)
{
    return (uint32_t)((key >> 12) * 0x9e3779b97f4a7c15ull >> 32) & (t->cap - 1);
}

/* The slot holding gpa, or the empty slot where it would go. */
static uint32_t slot_of(const struct fake_slat *t, uint64_t gpa)
{
    uint32_t i = home(t, gpa + 1);
    while (t->e[i].key && t->e[i].key != gpa + 1)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int grow(struct fake_slat *t)
{
    struct fake_slat old = *t;
    t->cap = old.cap ? old.cap * 2 : 1024;
    t->e = calloc(t->cap, sizeof *t->e);
    if (!t->e) {
        *t = old;
        return -1;
    }
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.e[i].key)
            t->e[slot_of(t, old.e[i].key - 1)] = old.e[i];
    free(old.e);
    return 0;
}

/* fake_inject_pool_exhaustion: new entries left before maps fail (-1:
 * no limit), and whether vCPU creation fails. */
static int vcpus_fail;

void fake_inject_pool_exhaustion(uint32_t maps, int vcpus)
{
    maps_left = maps;
    vcpus_fail = vcpus;
}

void fake_inject_off(void)
{
    maps_left = -1;
    vcpus_fail = 0;
}

static int slat_map(struct slat *s, uint64_t gpa, uint64_t hpa, uint32_t rights)
{
    struct fake_slat *t = table(s);
    gpa &= ~0xfffull;
    if (2 * (t->n + 1) > t->cap && grow(t))
        return -1;
    struct fake_slat_entry *e = &t->e[slot_of(t, gpa)];
    if (!e->key && maps_left == 0)
        return -1; /* injected: no page for a table */
    if (!e->key && maps_left > 0)
        maps_left--;
    if (!e->key) {
        e->key = gpa + 1;
        t->n++;
    } else {
        if (e->hpa != (hpa & ~0xfffull) || (e->rights & ~rights))
            t->unflushed++; /* a translation changed under a vCPU */
        t->sum -= entry_hash(e);
    }
    e->hpa = hpa & ~0xfffull;
    e->rights = rights;
    t->sum += entry_hash(e);
    return 0;
}

static int slat_unmap(struct slat *s, uint64_t gpa)
{
    struct fake_slat *t = table(s);
    if (!t->cap)
        return 0;
    uint32_t i = slot_of(t, gpa & ~0xfffull);
    if (!t->e[i].key)
        return 0;
    t->sum -= entry_hash(&t->e[i]);
    t->unflushed++;
    /* Backward-shift deletion: move up every later entry of the probe run
     * that may sit at or before the freed slot, so no search stops early. */
    for (uint32_t j = (i + 1) & (t->cap - 1); t->e[j].key; j = (j + 1) & (t->cap - 1)) {
        uint32_t h = home(t, t->e[j].key);
        if (((j - h) & (t->cap - 1)) >= ((j - i) & (t->cap - 1))) {
            t->e[i] = t->e[j];
            i = j;
        }
    }
    t->e[i] = (struct fake_slat_entry){0, 0, 0};
    t->n--;
    return 0;
}

static uint64_t slat_lookup(struct slat *s, uint64_t gpa, uint32_t *rights)
{
    struct fake_slat *t = table(s);
    const struct fake_slat_entry *e = t->cap ? &t->e[slot_of(t, gpa & ~0xfffull)] : 0;
    if (!e || !e->key) {
        *rights = 0;
        return 0;
    }
    *rights = e->rights;
    return e->hpa | (gpa & 0xfff);
}

/* A flush under another tag than the table's vCPUs run with forgets
 * nothing they cached. */
static void slat_flush(struct slat *s, uint16_t tag)
{
    struct fake_slat *t = table(s);
    if (!t->tag || t->tag == tag)
        t->unflushed = 0;
}

static void slat_destroy(struct slat *s)
{
    struct fake_slat *t = table(s);
    if (t && t->vcpus) {
        /* partition_delete destroys every vCPU first: one left is a leak
         * (and would run on freed tables). */
        fprintf(stderr, "fake machine: a partition's second-level tables were "
                "destroyed with %u of its vCPUs never destroyed\n", t->vcpus);
        abort();
    }
    if (t) {
        free(t->e);
        free(t);
    }
    s->root = 0;
}

/* ---- vCPUs that are never entered -------------------------------------- */

struct arch_vcpu {
    struct vcpu_setup setup;
    struct fake_slat *table; /* its partition's */
};

const struct vcpu_setup *fake_vcpu_setup(const struct arch_vcpu *v)
{
    return &v->setup;
}

static struct arch_vcpu *vcpu_create(const struct vcpu_partition_info *p,
                                     const struct vcpu_setup *setup)
{
    if (vcpus_fail)
        return NULL; /* injected: no page for the VMCB/VMCS */
    struct arch_vcpu *v = calloc(1, sizeof *v);
    if (v) {
        v->setup = *setup;
        v->table = table(p->slat);
        v->table->vcpus++;
        v->table->tag = p->tag;
    }
    return v;
}

static void vcpu_run(struct arch_vcpu *v, struct guest_gprs *g, struct vm_exit *e)
{
    (void)v;
    (void)g;
    (void)e;
    fprintf(stderr, "fake machine: vcpu_run called; the host test never "
            "enters a guest\n");
    abort();
}

static uint64_t vcpu_get(struct arch_vcpu *v, enum vcpu_reg reg)
{
    return reg == VCPU_RIP ? v->setup.rip : reg == VCPU_RSP ? v->setup.rsp : 0;
}

static void vcpu_set(struct arch_vcpu *v, enum vcpu_reg reg, uint64_t value)
{
    (void)v;
    (void)reg;
    (void)value;
}

/* Past the exiting instruction, as the backends do (host_intercepts.c
 * checks that an answered access moves RIP exactly once). */
static void vcpu_skip(struct arch_vcpu *v, const struct vm_exit *e)
{
    v->setup.rip += e->insn_len;
}

static void vcpu_inject_exception(struct arch_vcpu *v, uint8_t vector, int has_error,
                                  uint32_t error_code)
{
    (void)v;
    (void)vector;
    (void)has_error;
    (void)error_code;
}

static void vcpu_inject_interrupt(struct arch_vcpu *v, uint8_t vector)
{
    (void)v;
    (void)vector;
}

static int vcpu_event_queued(struct arch_vcpu *v)
{
    (void)v;
    return 0; /* never entered, so nothing is ever delivered or re-queued */
}

static void vcpu_destroy(struct arch_vcpu *v)
{
    v->table->vcpus--;
    free(v);
}

/* After each step (arch_trace_write): one M record per live partition,
 * "M <seq> <id> <entries> <sum> <unflushed>" (trace-format.md). */
static void tables_records(uint64_t seq)
{
    for (struct partition *p = partition_next(0); p; p = partition_next(p)) {
        const struct fake_slat *t = table(&p->slat);
        char line[160];
        int k = snprintf(line, sizeof line, "M %llu %llx %x %llx %x\n",
                         (unsigned long long)seq, (unsigned long long)p->id,
                         t ? t->n : 0, (unsigned long long)(t ? t->sum : 0),
                         t ? t->unflushed : 0);
        append(&trace, line, (size_t)k);
    }
}

static int enable(const char **why)
{
    (void)why;
    return 0;
}

const struct virt_backend fake_backend = {
    .name = "fake",
    .kind = HV_BACKEND_UNKNOWN,
    .hypercall_insn = "call",
    .enable = enable,
    .slat_init = slat_init,
    .slat_map = slat_map,
    .slat_unmap = slat_unmap,
    .slat_lookup = slat_lookup,
    .slat_flush = slat_flush,
    .slat_destroy = slat_destroy,
    .vcpu_create = vcpu_create,
    .vcpu_run = vcpu_run,
    .vcpu_get = vcpu_get,
    .vcpu_set = vcpu_set,
    .vcpu_skip = vcpu_skip,
    .vcpu_inject_exception = vcpu_inject_exception,
    .vcpu_inject_interrupt = vcpu_inject_interrupt,
    .vcpu_event_queued = vcpu_event_queued,
    .vcpu_destroy = vcpu_destroy,
};
