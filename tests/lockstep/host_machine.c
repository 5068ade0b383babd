/* SPDX-License-Identifier: MIT */
/*
 * host_machine.c — boot the hypervisor core on the fake machine and play
 * compiled steps into it (see host_machine.h).
 */
#include "host_machine.h"

#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "fake_arch.h"
#include "kernel/arch/arch.h"
#include "kernel/core/abstract.h"
#include "kernel/core/exits.h"
#include "kernel/core/frame_alloc.h"
#include "kernel/core/hv_state.h"
#include "kernel/core/hypercall.h"
#include "kernel/core/memory.h"
#include "kernel/core/pages.h"
#include "kernel/core/partition.h"
#include "kernel/core/trace.h"
#include "trace_parse.h"

/*
 * The fake memory map: one RAM region from 1 MiB holding a one-page
 * "image", the hypervisor's pool, then root RAM up to the end of the
 * pages the steps' pages 8-511 land on (kernel/abi/scenario_steps.h).
 */
#define RAM_BASE 0x100000ull
#define IMAGE_PAGES 1
#define ROOT_PAGES                                                                       \
    (SCENARIO_BASE_PAGE + SCENARIO_FRAMES - (RAM_BASE >> 12) - IMAGE_PAGES -             \
     HV_POOL_PAGES)
#define RAM_PAGES (IMAGE_PAGES + HV_POOL_PAGES + ROOT_PAGES)
#define PHYS_BYTES (RAM_BASE + RAM_PAGES * FRAME_SIZE)
#define FRAMES (PHYS_BYTES / FRAME_SIZE)

static uint8_t frames_used[FRAMES / 8 + 1], frames_reserved[FRAMES / 8 + 1];
static struct frame_alloc frames;

int host_machine_boot(char *err, size_t errlen)
{
    static struct boot_info bi;
    memset(&bi, 0, sizeof bi);
    bi.protocol = 1;
    bi.region_count = 1;
    bi.regions[0] = (struct boot_region){RAM_BASE, RAM_PAGES * FRAME_SIZE, BOOT_REGION_RAM};
    fake_memory_init(PHYS_BYTES);
    frame_alloc_init(&frames, frames_used, frames_reserved, FRAMES);
    frame_alloc_setup(&frames, &bi, RAM_BASE, RAM_BASE + IMAGE_PAGES * FRAME_SIZE);

    hv_virt = &fake_backend;
    hv_state_init();
    if (memory_pool_init(&frames)) {
        snprintf(err, errlen, "no room for the hypervisor's pool");
        return -1;
    }
    struct partition *root = partition_create_root();
    if (!root) {
        snprintf(err, errlen, "cannot create the root partition");
        return -1;
    }
    /* root_setup.c: every frame nobody else holds is the root's,
     * identity-mapped. */
    for (uint64_t f = 0; f < FRAMES; f++) {
        if (frame_alloc_take(&frames, f * FRAME_SIZE) != FRAME_OK)
            continue;
        *page_at(f) = (struct page_info){PAGE_OWNED, 0, PAGE_NOBODY, 0, 0};
        if (hv_virt->slat_map(&root->slat, f * FRAME_SIZE, f * FRAME_SIZE, SLAT_RWX)) {
            snprintf(err, errlen, "cannot map root page 0x%llx", (unsigned long long)f);
            return -1;
        }
    }
    struct vcpu_setup setup = {.mode = VCPU_MODE_LONG64, .rflags = 0x2};
    if (vp_start(&root->vps[0], &setup)) {
        snprintf(err, errlen, "cannot start the root's VP");
        return -1;
    }
    /* The core's lookups end where their tables do: the bytes past the
     * last entry belong to something else, and no bounds check of the
     * compiler's sees a pointer to them (docs/architecture/mutants.md). */
    if (!page_at(PAGES_MAX - 1) || page_at(PAGES_MAX) ||
        !partition_at_slot(HV_MAX_PARTITIONS - 1) || partition_at_slot(HV_MAX_PARTITIONS)) {
        snprintf(err, errlen, "page_at or partition_at_slot answers past the end of its "
                 "table (or not at its last entry)");
        return -1;
    }
    for (uint64_t f = SCENARIO_HV_FRAMES; f < SCENARIO_FRAMES; f++)
        if (!page_root_exclusive(scenario_frame_page(f))) {
            snprintf(err, errlen, "the steps' page %llu (page 0x%llx) is not root RAM",
                     (unsigned long long)f, (unsigned long long)scenario_frame_page(f));
            return -1;
        }
    trace_begin();
    return 0;
}

/* The partition's own view of its page at `gpa`, if it may write there
 * and `len` bytes fit in the page; else NULL. */
static uint8_t *writable_view(struct partition *p, uint64_t gpa, uint32_t len)
{
    uint32_t rights;
    uint64_t hpa = hv_virt->slat_lookup(&p->slat, gpa, &rights);
    if (!(rights & SLAT_WRITE) || (gpa & 0xfff) + len > HV_PAGE_SIZE)
        return NULL;
    return arch_phys_to_virt(hpa);
}

/* The partition writes its input block: through its own mapping of the
 * page (a guest can only write what it maps). */
static int write_block(struct partition *p, const struct scenario_step *st,
                       uint64_t gpa, char *err, size_t errlen)
{
    uint8_t block[SCENARIO_BLOCK_MAX];
    memcpy(block, st->block, st->block_len);
    for (uint32_t i = 0; i < st->reloc_count; i++) {
        uint64_t v;
        uint32_t off = st->reloc_offset + 8 * i;
        if (off + 8 > st->block_len)
            break;
        memcpy(&v, block + off, 8);
        if (p->id == HV_PARTITION_ID_ROOT)
            v = scenario_frame_page(v);
        memcpy(block + off, &v, 8);
    }
    uint8_t *view = writable_view(p, gpa, st->block_len);
    if (!view) {
        snprintf(err, errlen, "line %u: partition %llu cannot write its input "
                 "block at GPA 0x%llx (%u bytes): not mapped writable", st->line,
                 (unsigned long long)p->id, (unsigned long long)gpa, st->block_len);
        return -1;
    }
    memcpy(view, block, st->block_len);
    return 0;
}

/*
 * What a partition sees that the trace does not carry, checked against an
 * expectation of its own (docs/architecture/trace-format.md, "What the
 * partitions observe").  StartVp: the context the VP starts from.
 * PartitaGetExitStats: the partition fills the block and the bytes after
 * it with a pattern first, as a guest may (not where its input block is);
 * after SUCCESS every count was written, they add up to the total, and
 * nothing after the block was written.  0, or -1 with the reason.
 */
#define OBSERVE_PATTERN 0xa5
#define OBSERVE_SIZE (sizeof(struct hv_output_exit_stats) + 64)
static int observe_before(struct partition *p, uint16_t code, uint64_t in, uint32_t in_len,
                          uint64_t out)
{
    uint8_t *o = writable_view(p, out, OBSERVE_SIZE);
    if (code != HVCALL_PARTITA_GET_EXIT_STATS || !o ||
        (out < in + in_len && in < out + OBSERVE_SIZE))
        return 0;
    memset(o, OBSERVE_PATTERN, OBSERVE_SIZE);
    return 1;
}

/* StartVp: the VP starts in 64-bit mode from the context the root wrote
 * (the model checks only that it is valid), with IF set as every VP runs
 * (hypercalls.md, HvStartVp). */
static int observe_start_vp(const struct scenario_step *st, char *err, size_t errlen)
{
    struct hv_input_start_vp in;
    if (!(st->flags & SCENARIO_STEP_WRITE_BLOCK) || st->block_len < sizeof in)
        return 0;
    memcpy(&in, st->block, sizeof in);
    struct partition *c = partition_by_id(in.partition_id);
    if (!c || in.vp_index >= HV_MAX_VPS_PER_PARTITION || !c->vps[in.vp_index].arch)
        return 0;
    const struct vcpu_setup *v = fake_vcpu_setup(c->vps[in.vp_index].arch);
    if (v->mode == VCPU_MODE_LONG64 && v->rip == in.context.rip &&
        v->rsp == in.context.rsp && v->rflags == (in.context.rflags | 0x200) &&
        v->cr3 == in.context.cr3)
        return 0;
    snprintf(err, errlen, "line %u: observation: StartVp's VP starts at RIP 0x%llx RSP "
             "0x%llx RFLAGS 0x%llx CR3 0x%llx (mode %d); expected 0x%llx 0x%llx 0x%llx "
             "(the root's, IF set) 0x%llx (mode %d)", st->line, (unsigned long long)v->rip,
             (unsigned long long)v->rsp, (unsigned long long)v->rflags,
             (unsigned long long)v->cr3, (int)v->mode, (unsigned long long)in.context.rip,
             (unsigned long long)in.context.rsp,
             (unsigned long long)(in.context.rflags | 0x200),
             (unsigned long long)in.context.cr3, (int)VCPU_MODE_LONG64);
    return -1;
}

static int observe_after(struct partition *p, const struct vp *vp, uint16_t code,
                         uint64_t out, int filled, const struct scenario_step *st,
                         char *err, size_t errlen)
{
    if ((uint16_t)vp->gprs.rax != HV_STATUS_SUCCESS)
        return 0;
    if (code == HVCALL_START_VP)
        return observe_start_vp(st, err, errlen);
    if (!filled)
        return 0;
    const uint8_t *o = writable_view(p, out, OBSERVE_SIZE);
    if (!o)
        return 0;
    for (size_t i = sizeof(struct hv_output_exit_stats); i < OBSERVE_SIZE; i++)
        if (o[i] != OBSERVE_PATTERN) {
            snprintf(err, errlen, "line %u: observation: PartitaGetExitStats wrote "
                     "byte %zu of its output block, which has %zu", st->line, i,
                     sizeof(struct hv_output_exit_stats));
            return -1;
        }
    struct hv_output_exit_stats s;
    memcpy(&s, o, sizeof s);
    uint64_t sum = 0;
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        sum += s.count[r];
    if (sum == s.total)
        return 0;
    snprintf(err, errlen, "line %u: observation: PartitaGetExitStats says total %llu "
             "but its counts add up to %llu (a count not written?)", st->line,
             (unsigned long long)s.total, (unsigned long long)sum);
    return -1;
}

static int play_step(const struct scenario_step *st, uint32_t index, char *err,
                     size_t errlen)
{
    struct partition *p = partition_by_id(st->actor);
    if (!p || st->vp >= HV_MAX_VPS_PER_PARTITION ||
        p->vps[st->vp].state != HV_VP_STATE_RUNNING) {
        snprintf(err, errlen, "step %u (line %u): partition %llu has no running "
                 "VP %u in the hypervisor: the step cannot be issued", index + 1,
                 st->line, (unsigned long long)st->actor, st->vp);
        return -1;
    }
    struct vp *vp = &p->vps[st->vp];
    if (st->kind == SCENARIO_STEP_FAULT) {
        exit_fault(vp, "triple fault on purpose (compiled step)");
        return 0;
    }
    uint64_t in = st->in_gpa, out = st->out_gpa;
    if ((st->flags & SCENARIO_STEP_ROOT_GPAS) && p->id == HV_PARTITION_ID_ROOT) {
        in = scenario_frame_page(in >> HV_PAGE_SHIFT) << HV_PAGE_SHIFT | (in & 0xfff);
        out = scenario_frame_page(out >> HV_PAGE_SHIFT) << HV_PAGE_SHIFT | (out & 0xfff);
    }
    if ((st->flags & SCENARIO_STEP_WRITE_BLOCK) && write_block(p, st, in, err, errlen))
        return -1;
    uint16_t code = (uint16_t)st->input;
    int fast = (st->input & HV_HYPERCALL_FAST_BIT) != 0;
    int filled = !fast && observe_before(p, code, in, st->block_len, out);
    vp->gprs.rcx = st->input;
    vp->gprs.rdx = in;
    vp->gprs.r8 = out;
    /* RIP stays on the instruction while the hypervisor continues a rep
     * call: the guest simply executes it again. */
    for (unsigned n = 0; !hypercall_dispatch(vp); n++)
        if (n > 4096) {
            snprintf(err, errlen, "line %u: the rep call never completes",
                     st->line);
            return -1;
        }
    if (!fast && observe_after(p, vp, code, out, filled, st, err, errlen))
        return -2;
    return 0;
}

/* A root page of the scenario machine no set-up step uses: a direct root
 * call's input block at its start, the output block 2 KiB in. */
#define CALL_PAGE 200u
#define CALL_OUT_OFFSET 2048u

uint16_t host_machine_root_call(uint64_t input, const void *in, size_t in_len, void *out,
                                size_t out_len)
{
    struct vp *vp = &partition_at_slot(0)->vps[0];
    uint64_t gpa = scenario_frame_page(CALL_PAGE) << HV_PAGE_SHIFT;
    uint8_t *page = arch_phys_to_virt(gpa); /* the root's GPA is the host's */
    memset(page, 0, HV_PAGE_SIZE);
    memcpy(page, in, in_len);
    vp->gprs.rcx = input;
    vp->gprs.rdx = gpa;
    vp->gprs.r8 = gpa + CALL_OUT_OFFSET;
    for (unsigned n = 0; !hypercall_dispatch(vp) && n < 4096; n++)
        ;
    if (out)
        memcpy(out, page + CALL_OUT_OFFSET, out_len);
    return (uint16_t)vp->gprs.rax;
}

int host_machine_play_setup(const struct steps_list *setup, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < setup->n; i++) {
        const struct scenario_step *st = &setup->v[i];
        if (st->kind == SCENARIO_STEP_HYPERCALL &&
            (uint16_t)st->input == HVCALL_PARTITA_SHUTDOWN)
            break;
        char why[400];
        if (host_machine_play_step(st, i, why, sizeof why)) {
            snprintf(err, errlen, "set-up step %u: %s", i + 1, why);
            return -1;
        }
    }
    return 0;
}

int host_machine_play(const struct steps_list *steps, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < steps->n && !hv.shutdown_requested; i++) {
        int r = play_step(&steps->v[i], i, err, errlen);
        if (r)
            return r;
    }
    host_machine_end();
    return 0;
}

int host_machine_play_step(const struct scenario_step *st, uint32_t index, char *err,
                           size_t errlen)
{
    if (hv.shutdown_requested)
        return 1;
    return play_step(st, index, err, errlen);
}

void host_machine_end(void)
{
    /* main.c: the run's result. */
    trace_end(hv.shutdown_requested ? (int)hv.shutdown_code : 4);
}

void host_expect(struct host_run *r, const char *what, uint64_t got, uint64_t want)
{
    if (got == want)
        return;
    fprintf(r->out, "  FAIL %s: 0x%llx, expected 0x%llx\n", what, (unsigned long long)got,
            (unsigned long long)want);
    r->failed = 1;
}

void host_expect_call(struct host_run *r, const char *what, uint64_t input, const void *in,
                      size_t in_len)
{
    host_expect(r, what, host_machine_root_call(input, in, in_len, NULL, 0),
                HV_STATUS_SUCCESS);
}

int host_run_verdict(struct host_run *r, const char *name, const char *passed)
{
    host_machine_end();
    size_t len;
    const char *text = fake_trace_text(&len);
    static struct trace t;
    char err[512];
    memset(&t, 0, sizeof t);
    if (trace_parse_text(&t, text, len, err, sizeof err)) {
        fprintf(r->out, "FAIL %s: the trace does not parse: %s\n", name, err);
        return 1;
    }
    struct lockstep_options opt = {r->out, NULL, NULL, name, 1};
    struct lockstep_result res;
    int bad = lockstep_check_free(&t, &opt, &res);
    trace_free(&t);
    if (r->failed || bad) {
        fprintf(r->out, "FAIL %s: %s\n", name,
                r->failed ? "an observation differs" : "the model disagrees");
        return 1;
    }
    fprintf(r->out, "PASS %s: %s, %llu records checked against the model\n", name, passed,
            (unsigned long long)res.records);
    return 0;
}

void host_machine_teardown(void)
{
    for (struct partition *p = partition_next(0); p; p = partition_next(p)) {
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
            if (p->vps[i].arch)
                hv_virt->vcpu_destroy(p->vps[i].arch);
        hv_virt->slat_destroy(&p->slat);
    }
}
