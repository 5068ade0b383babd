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

#include "kernel/arch/arch.h"
#include "kernel/core/abstract.h"

/* ---- physical memory --------------------------------------------------- */

static uint8_t *phys;
static uint64_t phys_bytes;

void fake_memory_init(uint64_t bytes)
{
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

struct text {
    char *buf;
    size_t len, cap;
};

static struct text trace, log_text;
static uint64_t states_seq = UINT64_MAX;

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

void arch_trace_write(const char *s, size_t n)
{
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

struct fake_slat {
    uint64_t *gpa, *hpa;
    uint32_t *rights;
    uint32_t n, cap;
};

static struct fake_slat *table(struct slat *s)
{
    return (struct fake_slat *)(uintptr_t)s->root;
}

static int slat_init(struct slat *s)
{
    struct fake_slat *t = calloc(1, sizeof *t);
    s->root = (uint64_t)(uintptr_t)t;
    return t ? 0 : -1;
}

static int find(const struct fake_slat *t, uint64_t gpa)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->gpa[i] == gpa)
            return (int)i;
    return -1;
}

static int slat_map(struct slat *s, uint64_t gpa, uint64_t hpa, uint32_t rights)
{
    struct fake_slat *t = table(s);
    gpa &= ~0xfffull;
    int i = find(t, gpa);
    if (i < 0) {
        if (t->n == t->cap) {
            uint32_t nc = t->cap ? t->cap * 2 : 64;
            uint64_t *g = realloc(t->gpa, nc * sizeof *g);
            if (g)
                t->gpa = g;
            uint64_t *h = realloc(t->hpa, nc * sizeof *h);
            if (h)
                t->hpa = h;
            uint32_t *r = realloc(t->rights, nc * sizeof *r);
            if (r)
                t->rights = r;
            if (!g || !h || !r)
                return -1;
            t->cap = nc;
        }
        i = (int)t->n++;
        t->gpa[i] = gpa;
    }
    t->hpa[i] = hpa & ~0xfffull;
    t->rights[i] = rights;
    return 0;
}

static int slat_unmap(struct slat *s, uint64_t gpa)
{
    struct fake_slat *t = table(s);
    int i = find(t, gpa & ~0xfffull);
    if (i >= 0) {
        t->n--;
        t->gpa[i] = t->gpa[t->n];
        t->hpa[i] = t->hpa[t->n];
        t->rights[i] = t->rights[t->n];
    }
    return 0;
}

static uint64_t slat_lookup(struct slat *s, uint64_t gpa, uint32_t *rights)
{
    struct fake_slat *t = table(s);
    int i = find(t, gpa & ~0xfffull);
    *rights = i < 0 ? 0 : t->rights[i];
    return i < 0 ? 0 : t->hpa[i] | (gpa & 0xfff);
}

static void slat_flush(struct slat *s, uint16_t tag)
{
    (void)s;
    (void)tag;
}

static void slat_destroy(struct slat *s)
{
    struct fake_slat *t = table(s);
    if (t) {
        free(t->gpa);
        free(t->hpa);
        free(t->rights);
        free(t);
    }
    s->root = 0;
}

/* ---- vCPUs that are never entered -------------------------------------- */

struct arch_vcpu {
    struct vcpu_setup setup;
};

static struct arch_vcpu *vcpu_create(const struct vcpu_partition_info *p,
                                     const struct vcpu_setup *setup)
{
    (void)p;
    struct arch_vcpu *v = calloc(1, sizeof *v);
    if (v)
        v->setup = *setup;
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

static void vcpu_skip(struct arch_vcpu *v, const struct vm_exit *e)
{
    (void)v;
    (void)e;
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
    free(v);
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
