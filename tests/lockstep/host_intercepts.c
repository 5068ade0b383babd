/* SPDX-License-Identifier: MIT */
/*
 * host_intercepts.c — the intercepted port access, end to end, on the fake
 * machine (host_intercepts.h).
 *
 * A scenario cannot say "the child executes IN" (the host machine runs no
 * guest code), so this plays a scenario's set-up and then drives the core
 * the way an exit would: exit_handle() with an I/O exit of the child's VP.
 * The root answers with its own hypercalls.  Two kinds of check:
 *   - the trace, free-running, against the model: the I records, the
 *     root's PartitaReadSintMessage and PartitaCompleteIo statuses;
 *   - what the partitions observe, against expectations written here and
 *     not taken from the core: the message the root reads (port, size,
 *     direction, the value an OUT wrote), the child's RAX after its IN (x86:
 *     an 8- or 16-bit IN keeps the rest of RAX, a 32-bit IN zero-extends),
 *     its RIP moved past the instruction once, and nothing else changed.
 */
#define _POSIX_C_SOURCE 200809L /* strndup, strtok_r */
#include "host_intercepts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"
#include "host_machine.h"
#include "kernel/abi/scenario_steps.h"
#include "kernel/arch/arch.h"
#include "kernel/core/exits.h"
#include "kernel/core/hv_state.h"
#include "kernel/core/hypercall.h"
#include "kernel/core/partition.h"

static uint16_t complete_io(uint64_t child, uint32_t vp_index, uint64_t value)
{
    struct hv_input_complete_io in;
    memset(&in, 0, sizeof in);
    in.partition_id = child;
    in.vp_index = vp_index;
    in.read_value = value;
    return host_machine_root_call(HVCALL_PARTITA_COMPLETE_IO, &in, sizeof in, NULL, 0);
}

/* The exits this test drives, by partition id and reason: what the exit
 * statistics report must say at the end (exit_stats_report). */
#define MAX_ID 16
static uint64_t driven[MAX_ID][HV_EXIT_REASON_COUNT];

static enum exit_action drive_exit(struct vp *vp, const struct vm_exit *e)
{
    if (vp->partition->id < MAX_ID && e->reason < HV_EXIT_REASON_COUNT)
        driven[vp->partition->id][e->reason]++;
    return exit_handle(vp, e);
}

/* The child's VP executes IN or OUT (insn_len bytes) on `port`. */
static enum exit_action port_access(struct vp *vp, uint16_t port, uint8_t size, int in,
                                    uint32_t insn_len)
{
    struct vm_exit e;
    memset(&e, 0, sizeof e);
    e.reason = HV_EXIT_IO;
    e.port = port;
    e.io_size = size;
    e.io_in = (uint8_t)in;
    e.insn_len = insn_len;
    return drive_exit(vp, &e);
}

static uint64_t width_mask(uint8_t size)
{
    return size == 1 ? 0xffull : size == 2 ? 0xffffull : 0xffffffffull;
}

/* The root reads the intercept message in its slot and frees the slot. */
static void read_intercept(struct host_run *r, struct hv_x64_io_intercept_message *im)
{
    struct hv_input_sint sint = {HV_SINT_INTERCEPTS, 0};
    struct hv_message m;
    uint16_t st = host_machine_root_call(HVCALL_PARTITA_READ_SINT_MESSAGE, &sint, sizeof sint, &m,
                            sizeof m);
    host_expect(r, "PartitaReadSintMessage's status", st, HV_STATUS_SUCCESS);
    host_expect(r, "the message type", m.header.message_type, HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT);
    host_expect(r, "the message's payload size", m.header.payload_size,
           sizeof(struct hv_x64_io_intercept_message));
    memcpy(im, m.payload, sizeof *im);
    st = host_machine_root_call(HVCALL_PARTITA_SINT_EOM, &sint, sizeof sint, NULL, 0);
    host_expect(r, "PartitaSintEom's status (the slot is free again)", st, HV_STATUS_SUCCESS);
}

/* One access and its answer, every observation checked. */
static void round_trip(struct host_run *r, struct vp *vp, uint16_t port, uint8_t size, int in,
                       uint64_t rax, uint64_t answer)
{
    char what[96];
    uint64_t child = vp->partition->id;
    uint64_t rip = hv_virt->vcpu_get(vp->arch, VCPU_RIP);
    uint32_t insn_len = in ? 1 : 2; /* as the exit reports it; two lengths, so a skip by the wrong one shows */
    vp->gprs.rax = rax;
    fprintf(r->out, "  %s port 0x%x, %u byte%s, RAX 0x%llx\n", in ? "IN " : "OUT", port,
            size, size > 1 ? "s" : "", (unsigned long long)rax);

    enum exit_action a = port_access(vp, port, size, in, insn_len);
    host_expect(r, "the exit's action (YIELD: the VP waits)", a, EXIT_YIELD);
    host_expect(r, "the VP's state after the access", vp->state, HV_VP_STATE_WAITING_IO);
    host_expect(r, "RIP while the access waits", hv_virt->vcpu_get(vp->arch, VCPU_RIP), rip);
    /* Nothing is pending: an entry would take no vector, and asking
     * changes nothing of the VP (the access it waits on included). */
    static struct vp before;
    memcpy(&before, vp, sizeof before);
    host_expect(r, "the vector taken while nothing is pending", synic_take_pending(&vp->synic), 0);
    host_expect(r, "the VP unchanged by taking no vector", memcmp(&before, vp, sizeof before) != 0,
                0);

    struct hv_x64_io_intercept_message im;
    read_intercept(r, &im);
    host_expect(r, "the message's partition", im.partition_id, child);
    host_expect(r, "the message's VP", im.vp_index, vp->index);
    host_expect(r, "the message's port", im.port, port);
    host_expect(r, "the message's access size", im.access_size, size);
    host_expect(r, "the message's direction (1 = OUT)", im.is_write, !in);
    host_expect(r, "the value the message carries", im.value, in ? 0 : rax & width_mask(size));

    /* The root answers; an OUT ignores the value. */
    uint16_t st = complete_io(child, vp->index, answer);
    host_expect(r, "PartitaCompleteIo's status", st, HV_STATUS_SUCCESS);
    uint64_t want = rax;
    if (in)
        want = size == 4 ? answer & 0xffffffffull : (rax & ~width_mask(size)) | (answer & width_mask(size));
    snprintf(what, sizeof what, "the child's RAX after its %s", in ? "IN" : "OUT");
    host_expect(r, what, vp->gprs.rax, want);
    host_expect(r, "RIP after the answer (past the instruction, once)",
           hv_virt->vcpu_get(vp->arch, VCPU_RIP), rip + insn_len);
    host_expect(r, "the VP's state after the answer", vp->state, HV_VP_STATE_RUNNING);

    /* Answered already: nothing waits. */
    st = complete_io(child, vp->index, answer);
    host_expect(r, "a second PartitaCompleteIo's status", st, HV_STATUS_INVALID_VP_STATE);
    host_expect(r, "RIP after the refused second answer", hv_virt->vcpu_get(vp->arch, VCPU_RIP),
           rip + insn_len);
}

/*
 * Six VPs access a port at once: the root's intercept SINT holds five (its
 * slot and a queue of HV_MESSAGE_QUEUE_DEPTH), so the sixth is refused for
 * now — it stays running on the same instruction, and its access goes
 * through once the root has taken one.  Messages arrive in order, each
 * exactly once.
 */
static void queue_full(struct host_run *r, struct vp **vps, uint32_t n)
{
    fprintf(r->out, "  %u VPs access port 0x70 at once\n", n);
    uint64_t rip[8];
    for (uint32_t i = 0; i < n; i++) {
        rip[i] = hv_virt->vcpu_get(vps[i]->arch, VCPU_RIP);
        vps[i]->gprs.rax = i;
        port_access(vps[i], 0x70, 1, 0, 1);
        host_expect(r, "the VP's state (waiting; the last one refused for now)", vps[i]->state,
               i + 1 < n ? HV_VP_STATE_WAITING_IO : HV_VP_STATE_RUNNING);
    }
    host_expect(r, "RIP of the refused access", hv_virt->vcpu_get(vps[n - 1]->arch, VCPU_RIP),
           rip[n - 1]);
    struct hv_x64_io_intercept_message im;
    for (uint32_t i = 0; i < n; i++) {
        if (i == 1) { /* room again: the refused VP executes the OUT once more */
            port_access(vps[n - 1], 0x70, 1, 0, 1);
            host_expect(r, "the retried VP's state", vps[n - 1]->state, HV_VP_STATE_WAITING_IO);
        }
        read_intercept(r, &im);
        host_expect(r, "the message's order (the value each VP wrote)", im.value, i);
        host_expect(r, "the message's partition", im.partition_id, vps[i]->partition->id);
        host_expect(r, "the message's VP", im.vp_index, vps[i]->index);
        host_expect(r, "PartitaCompleteIo's status",
               complete_io(im.partition_id, im.vp_index, 0), HV_STATUS_SUCCESS);
        host_expect(r, "RIP after the answer", hv_virt->vcpu_get(vps[i]->arch, VCPU_RIP),
               rip[i] + 1);
    }
    struct hv_input_sint sint = {HV_SINT_INTERCEPTS, 0};
    host_expect(r, "PartitaReadSintMessage on the drained SINT",
           host_machine_root_call(HVCALL_PARTITA_READ_SINT_MESSAGE, &sint, sizeof sint, NULL, 0),
           HV_STATUS_NO_DATA);
}

/* The child's VP writes a SINT MSR (WRMSR through an MSR exit). */
static void write_sint_msr(struct host_run *r, struct vp *vp, uint32_t sint, uint64_t value)
{
    struct vm_exit e;
    memset(&e, 0, sizeof e);
    e.reason = HV_EXIT_MSR;
    e.msr = HV_X64_MSR_SINT0 + sint;
    e.msr_write = 1;
    e.insn_len = 2;
    vp->gprs.rax = (uint32_t)value;
    vp->gprs.rdx = value >> 32;
    uint64_t rip = hv_virt->vcpu_get(vp->arch, VCPU_RIP);
    drive_exit(vp, &e);
    host_expect(r, "RIP after WRMSR to a SINT", hv_virt->vcpu_get(vp->arch, VCPU_RIP), rip + 2);
}

/* What an entry into the VP would inject, one vector at a time, until
 * nothing is pending; the vectors in the order taken. */
static uint32_t take_all(struct vp *vp, uint8_t *v, uint32_t max)
{
    uint32_t n = 0;
    while (synic_any_pending(&vp->synic) && n < max)
        v[n++] = synic_take_pending(&vp->synic);
    return n;
}

static void expect_taken(struct host_run *r, struct vp *vp, const char *when, uint32_t count,
                         uint8_t first)
{
    uint8_t v[8];
    char what[128];
    uint32_t n = take_all(vp, v, 8);
    snprintf(what, sizeof what, "interrupts taken %s", when);
    host_expect(r, what, n, count);
    if (n && count) {
        snprintf(what, sizeof what, "the vector taken %s", when);
        host_expect(r, what, v[0], first);
    }
    snprintf(what, sizeof what, "a further vector %s (none left)", when);
    host_expect(r, what, synic_take_pending(&vp->synic), 0);
}

/*
 * SynIC interrupts as an entry sees them: the child's VP programs SINT
 * vectors by WRMSR, the root posts and signals, and the VP's pending
 * vectors are taken as the next entry would inject them.  Expected: one
 * interrupt per message that lands in an empty slot and per new event
 * flag, none for a queued message or a masked SINT, one when a SINT
 * holding something is unmasked; vectors in every 64-vector word.
 */
static void interrupts(struct host_run *r, struct vp *vp)
{
    uint64_t child = vp->partition->id;
    fprintf(r->out, "  SynIC interrupts of partition %llu's VP %u\n",
            (unsigned long long)child, vp->index);
    expect_taken(r, vp, "before anything", 0, 0);
    write_sint_msr(r, vp, 2, 0x20);   /* word 0 */
    write_sint_msr(r, vp, 3, 0xfe);   /* word 3 */
    write_sint_msr(r, vp, 4, HV_X64_MSR_SINT_MASKED | 0x50);
    write_sint_msr(r, vp, 5, 0x90);   /* word 2 */
    static const struct {
        uint32_t port, sint, type;
    } ports[] = {{0x31, 2, HV_PORT_TYPE_MESSAGE},
                 {0x32, 3, HV_PORT_TYPE_EVENT},
                 {0x33, 4, HV_PORT_TYPE_EVENT},
                 {0x34, 5, HV_PORT_TYPE_EVENT}};
    for (unsigned i = 0; i < 4; i++) {
        struct hv_input_create_port cp;
        memset(&cp, 0, sizeof cp);
        cp.port_partition_id = child;
        cp.port_id = ports[i].port;
        cp.connection_partition_id = HV_PARTITION_ID_ROOT;
        cp.port_info.port_type = ports[i].type;
        cp.port_info.target_sint = ports[i].sint;
        cp.port_info.target_vp = vp->index;
        host_expect_call(r, "CreatePort's status", HVCALL_CREATE_PORT, &cp, sizeof cp);
        struct hv_input_connect_port cn;
        memset(&cn, 0, sizeof cn);
        cn.connection_partition_id = HV_PARTITION_ID_ROOT;
        cn.connection_id = ports[i].port;
        cn.port_partition_id = child;
        cn.port_id = ports[i].port;
        host_expect_call(r, "ConnectPort's status", HVCALL_CONNECT_PORT, &cn, sizeof cn);
    }
    struct hv_input_post_message pm;
    memset(&pm, 0, sizeof pm);
    pm.connection_id = 0x31;
    pm.message_type = 1;
    pm.payload_size = 8;
    host_expect_call(r, "PostMessage's status", HVCALL_POST_MESSAGE, &pm, sizeof pm);
    expect_taken(r, vp, "after a message into an empty slot", 1, 0x20);
    host_expect_call(r, "PostMessage's status", HVCALL_POST_MESSAGE, &pm, sizeof pm);
    expect_taken(r, vp, "after a message queued behind a full slot", 0, 0);
    write_sint_msr(r, vp, 2, 0x20);
    expect_taken(r, vp, "after unmasking a SINT that holds a message", 1, 0x20);

    struct hv_input_signal_event se = {0x32, 5, 0};
    host_expect_call(r, "SignalEvent's status", HVCALL_SIGNAL_EVENT, &se, sizeof se);
    expect_taken(r, vp, "after a new event flag", 1, 0xfe);
    host_expect_call(r, "SignalEvent's status", HVCALL_SIGNAL_EVENT, &se, sizeof se);
    expect_taken(r, vp, "after the same flag again", 0, 0);
    se.connection_id = 0x33;
    host_expect_call(r, "SignalEvent's status", HVCALL_SIGNAL_EVENT, &se, sizeof se);
    expect_taken(r, vp, "after a flag on a masked SINT", 0, 0);
    write_sint_msr(r, vp, 4, 0x50);
    expect_taken(r, vp, "after unmasking the SINT with the flag", 1, 0x50);
    se.connection_id = 0x34;
    host_expect_call(r, "SignalEvent's status", HVCALL_SIGNAL_EVENT, &se, sizeof se);
    expect_taken(r, vp, "after a flag on a SINT with a vector in 128-191", 1, 0x90);
}

/*
 * The I/O pass-through map a vCPU is created with (partition_allow_io, as
 * root_setup.c gives the root its devices): exactly the ports of the
 * ranges allowed, a range at the top of the port space included and one
 * running past it cut at port 0xffff.  The child had none before.
 */
static void io_pass_through(struct host_run *r, struct partition *p)
{
    static const struct {
        uint32_t first, count;
    } ranges[] = {{0x3f8, 8}, {0x1f0, 8}, {0x3f6, 1}, {0xfff8, 4}, {0xfffe, 4}};
    enum { RANGES = sizeof ranges / sizeof ranges[0] };
    fprintf(r->out, "  I/O pass-through map of partition %llu\n", (unsigned long long)p->id);
    uint32_t set = 0;
    for (uint32_t port = 0; port < 65536; port++)
        set += (p->io_allow[port / 8] >> (port % 8)) & 1;
    host_expect(r, "ports passed through to a new child", set, 0);
    for (unsigned i = 0; i < RANGES; i++)
        partition_allow_io(p, (uint16_t)ranges[i].first, (uint16_t)ranges[i].count);
    for (uint32_t port = 0; port < 65536; port++) {
        int want = 0;
        for (unsigned i = 0; i < RANGES; i++)
            want |= port >= ranges[i].first && port < ranges[i].first + ranges[i].count;
        if (((p->io_allow[port / 8] >> (port % 8)) & 1) != want) {
            char what[64];
            snprintf(what, sizeof what, "port 0x%x passed through", port);
            host_expect(r, what, !want, want);
            break;
        }
    }
}

/*
 * The exit statistics report the hypervisor prints at shutdown
 * (stats_print_all, main.c), read back from its log: a header naming the
 * ten reasons in the ABI's order, then one line per live partition in slot
 * order — id, name, total, a count per reason — with the exits this test
 * drove (the root's hypercalls here are direct calls, not exits).
 */
static void exit_stats_report(struct host_run *r)
{
    static const char *const names[HV_EXIT_REASON_COUNT] = {
        "hypercall", "cpuid", "hlt", "io", "msr", "npf", "exception", "triple", "interrupt",
        "other"};
    size_t start, len;
    fake_log_text(&start);
    stats_print_all();
    const char *log = fake_log_text(&len);
    char *text = strndup(log + start, len - start);
    if (!text)
        abort();
    fprintf(r->out, "  the exit statistics report\n");
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    host_expect(r, "the report's first line is 'exit statistics:'",
                line && !strcmp(line, "exit statistics:"), 1);
    line = strtok_r(NULL, "\n", &save);
    char want[256] = "id partition total", got[256] = "";
    for (int i = 0; i < HV_EXIT_REASON_COUNT; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), " %s", names[i]);
    char *ws = NULL;
    for (char *w = line ? strtok_r(line, " ", &ws) : NULL; w; w = strtok_r(NULL, " ", &ws))
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", *got ? " " : "", w);
    if (strcmp(got, want)) {
        fprintf(r->out, "  FAIL the report's header: '%s', expected '%s'\n", got, want);
        r->failed = 1;
    }
    uint32_t lines = 0;
    for (struct partition *p = partition_next(0); p; p = partition_next(p), lines++) {
        line = strtok_r(NULL, "\n", &save);
        uint64_t v[3 + HV_EXIT_REASON_COUNT];
        char name[32] = "", extra[2];
        int n = line ? sscanf(line, " %" SCNu64 " %31s %" SCNu64 " %" SCNu64 " %" SCNu64
                              " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
                              " %" SCNu64 " %" SCNu64 " %" SCNu64 " %1s",
                              &v[0], name, &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
                              &v[9], &v[10], &v[11], &v[12], extra)
                         : 0;
        char what[96];
        snprintf(what, sizeof what, "fields on the report's line %u", lines + 1);
        host_expect(r, what, (uint64_t)n, 3 + HV_EXIT_REASON_COUNT);
        if (n != 3 + HV_EXIT_REASON_COUNT)
            break;
        uint64_t id = v[0], total = 0;
        host_expect(r, "the partition on the line (slot order)", id, p->id);
        snprintf(what, sizeof what, "partition %llu's name is %s", (unsigned long long)id,
                 id == HV_PARTITION_ID_ROOT ? "root" : "child");
        host_expect(r, what, !strcmp(name, id == HV_PARTITION_ID_ROOT ? "root" : "child"), 1);
        for (int i = 0; i < HV_EXIT_REASON_COUNT; i++) {
            uint64_t exp = id < MAX_ID ? driven[id][i] : 0;
            total += exp;
            snprintf(what, sizeof what, "partition %llu's %s exits in the report",
                     (unsigned long long)id, names[i]);
            host_expect(r, what, v[3 + i], exp);
        }
        snprintf(what, sizeof what, "partition %llu's total in the report",
                 (unsigned long long)id);
        host_expect(r, what, v[2], total);
    }
    host_expect(r, "lines after the partitions'", strtok_r(NULL, "\n", &save) != NULL, 0);
    free(text);
}

int host_intercepts_check(const struct steps_list *setup, FILE *out)
{
    struct host_run r = {out, 0};
    char err[512];
    if (host_machine_boot(err, sizeof err)) {
        fprintf(out, "boot: %s\n", err);
        return 1;
    }
    if (host_machine_play_setup(setup, err, sizeof err)) {
        fprintf(out, "%s: %s\n", setup->name, err);
        return 1;
    }
    struct vp *vps[8];
    uint32_t n = 0;
    for (struct partition *p = partition_next(0); p; p = partition_next(p))
        for (uint32_t i = 0; i < HV_MAX_VPS_PER_PARTITION && n < 8; i++)
            if (!partition_is_root(p) && p->vps[i].state == HV_VP_STATE_RUNNING)
                vps[n++] = &p->vps[i];
    if (n != HV_MESSAGE_QUEUE_DEPTH + 2) {
        fprintf(out, "%s: the set-up leaves %u child VPs running, not %u\n", setup->name, n,
                HV_MESSAGE_QUEUE_DEPTH + 2);
        return 1;
    }
    struct vp *vp = vps[0];
    round_trip(&r, vp, 0x60, 1, 1, 0x1122334455667788ull, 0xaabbccddeeull);
    round_trip(&r, vp, 0x1f0, 2, 1, 0x1122334455667788ull, 0xaabbccddeeull);
    round_trip(&r, vp, 0xcfc, 4, 1, 0x1122334455667788ull, 0xaabbccddeeull);
    round_trip(&r, vp, 0x3f8, 1, 0, 0x1122334455667788ull, 0x99);
    round_trip(&r, vp, 0x1f0, 2, 0, 0xffffffffffffbeefull, 0x99);
    round_trip(&r, vp, 0xcf8, 4, 0, 0x8000000080000010ull, 0x99);
    queue_full(&r, vps, n);
    interrupts(&r, vps[0]);
    io_pass_through(&r, vps[0]->partition);
    exit_stats_report(&r);
    return host_run_verdict(&r, "intercept round trips",
                            "6 accesses, then 6 VPs at once, then SynIC interrupts, the I/O "
                            "pass-through map and the exit statistics report, every "
                            "observation as expected");
}
