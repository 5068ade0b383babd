/* SPDX-License-Identifier: MIT */
#ifdef PARTITA_TRACE
#include "trace.h"

#include "../../lib/format.h"
#include "../arch/arch.h"
#include "abstract.h"
#include "hypercall.h"
#include "memory.h"

static uint64_t seq;
static int with_states;

static void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void trace_with_states(int on)
{
    with_states = on;
}

static void hex_bytes(const uint8_t *bytes, size_t n, void *ctx)
{
    static const char digits[] = "0123456789abcdef";
    char buf[64];
    size_t used = 0;
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        buf[used++] = digits[bytes[i] >> 4];
        buf[used++] = digits[bytes[i] & 15];
        if (used == sizeof buf) {
            arch_trace_write(buf, used);
            used = 0;
        }
    }
    arch_trace_write(buf, used);
}

/* The whole abstract state after step `n`, for the checker's diff. */
static void state_record(uint64_t n)
{
    if (!with_states)
        return;
    record("S %llu ", (unsigned long long)n);
    abstract_encode(hex_bytes, 0);
    arch_trace_write("\n", 1);
}

static void record(const char *fmt, ...)
{
    char line[400];
    va_list ap;
    va_start(ap, fmt);
    int n = format_buffer(line, sizeof line, fmt, ap);
    va_end(ap);
    arch_trace_write(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void ram_range(uint64_t first, uint64_t pages)
{
    record(" %llx+%llx", (unsigned long long)first, (unsigned long long)pages);
}

/* The header says what the model needs to know of this machine: the
 * probe range PartitaGetHvInfo names, the root's RAM at boot (the
 * model's frames, by root page) and the boot state's digest. */
void trace_begin(void)
{
#ifdef PARTITA_MONO
    const char *services = " services hypervisor"; /* HvPartitaServeChannel exists */
#else
    const char *services = "";
#endif
    seq = 0; /* a new machine (the host fuzz target boots many) */
    record("T partita-trace 3 probe %llx+%x ram", (unsigned long long)memory_probe_page(),
           HV_PROBE_PAGES);
    abstract_ram_ranges(ram_range);
    record(" digest %016llx%s\n", (unsigned long long)abstract_digest(), services);
}

void trace_hypercall(const struct hypercall *hc, hv_status_t st, uint32_t reps)
{
    uint64_t a[HC_ARGS];
    const uint64_t *o = hc->outs;
    _Static_assert(HC_ARGS == 8, "the H record below has eight arguments");
    hypercall_trace_args(hc, a);
    record("H %llu %llx %x %llx %llx %llx "           /* seq .. out_gpa */
           "%llx %llx %llx %llx %llx %llx %llx %llx " /* a0..a7 */
           "%x %x %u %llx %llx %llx %llx %016llx\n",  /* status .. digest */
           (unsigned long long)seq++, (unsigned long long)hc->caller->id, hc->vp->index,
           (unsigned long long)hc->input, (unsigned long long)hc->in_gpa,
           (unsigned long long)hc->out_gpa, (unsigned long long)a[0],
           (unsigned long long)a[1], (unsigned long long)a[2], (unsigned long long)a[3],
           (unsigned long long)a[4], (unsigned long long)a[5], (unsigned long long)a[6],
           (unsigned long long)a[7], st, reps, hc->out_count, (unsigned long long)o[0],
           (unsigned long long)o[1], (unsigned long long)o[2], (unsigned long long)o[3],
           (unsigned long long)abstract_digest());
    state_record(seq - 1);
}

void trace_fault(const struct vp *vp)
{
    record("F %llu %llx %x %016llx\n", (unsigned long long)seq++,
           (unsigned long long)vp->partition->id, vp->index,
           (unsigned long long)abstract_digest());
    state_record(seq - 1);
}

void trace_intercept(const struct vp *vp, uint64_t payload_digest, uint32_t size,
                     hv_status_t st)
{
    record("I %llu %llx %x %llx %x %x %016llx\n", (unsigned long long)seq++,
           (unsigned long long)vp->partition->id, vp->index,
           (unsigned long long)payload_digest, size, st,
           (unsigned long long)abstract_digest());
    state_record(seq - 1);
}

void trace_end(int result)
{
    record("E %llu %d\n", (unsigned long long)seq, result);
}
#else
/* Release builds: no trace code at all (ISO C wants something here). */
typedef int trace_disabled;
#endif
