/* SPDX-License-Identifier: MIT */
#include "fleet.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "ports.h"
#include "root.h"
#include "root_pages.h"
#include "uart_emul.h"
#include "vsp_console.h"

#define IDLE_HALTS 5000   /* console: timer ticks without a sign of life: gone */
#define ANSWER_HALTS 3000 /* pinger, sintirq: ticks to wait for the message */
#define ROOT_MSG_SINT 0u  /* where pinger and sintirq post (their connection 1) */
#define ROOT_PORT(slot) (0x300u + (slot)) /* apart from the channels' 0x100/0x200 */

enum kind_id { KIND_CONSOLE, KIND_PINGER, KIND_SINTIRQ, KIND_UART };

struct fleet_kind {
    const char *name;
    const char *module;
    enum kind_id id;
};

static const struct fleet_kind kinds[] = {
    {"hello", "hello.elf", KIND_CONSOLE},
    {"pinger", "pinger.elf", KIND_PINGER},
    {"sintirq", "sintirq.elf", KIND_SINTIRQ},
    {"badring", "badring.elf", KIND_CONSOLE},
    {"uart", "uart.elf", KIND_UART},
    {"conflood", "conflood.elf", KIND_CONSOLE},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static const struct partition_boot_info *boot;
static struct fleet_child fleet[FLEET_MAX];
/* One console per entry; its ring pages come from channel_ring_pages. */
static struct vsp_console consoles[FLEET_MAX];
/* One emulated 16550 per entry, for unenlightened children. */
static struct uart16550 uarts[FLEET_MAX];
#define UART_ACCESSES 71 /* what partitions/guests/uart does */

void fleet_init(const struct partition_boot_info *info)
{
    boot = info;
    child_memory_init(info); /* the pages the root lends (root_pages.h), once per run */
}

static const struct fleet_kind *kind_of(const char *name)
{
    for (unsigned i = 0; i < KIND_COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return 0;
}

int fleet_known(const char *name)
{
    return kind_of(name) != 0;
}

const char *fleet_names(void)
{
    static char names[64];
    size_t used = 0;
    for (unsigned i = 0; i < KIND_COUNT; i++) {
        size_t n = strlen(kinds[i].name);
        if (used + n + 2 > sizeof names)
            break;
        if (used)
            names[used++] = ' ';
        memcpy(names + used, kinds[i].name, n);
        used += n;
    }
    names[used] = '\0';
    return names;
}

int fleet_has_module(const char *name)
{
    const struct fleet_kind *k = kind_of(name);
    return k && root_find_module(boot, k->module);
}

const char *fleet_state_name(enum fleet_state s)
{
    switch (s) {
    case FLEET_RUNNING: return "running";
    case FLEET_DONE: return "done";
    case FLEET_FAULTED: return "faulted";
    case FLEET_FAILED: return "failed";
    default: return "-";
    }
}

/* pinger and sintirq post on their connection 1 to a root port on SINT 0;
 * sintirq also hears the root on its port 1 (SINT 0). */
static int give_ports(struct fleet_child *fc)
{
    const uint64_t root = HV_PARTITION_ID_ROOT, id = fc->c.id;
    int st;
    if ((st = root_create_port(root, ROOT_PORT(fc->slot), id, HV_PORT_TYPE_MESSAGE, 0)) ||
        (st = root_connect(id, 1, root, ROOT_PORT(fc->slot))))
        return st;
    if (fc->kind->id == KIND_SINTIRQ &&
        ((st = root_create_port(id, 1, root, HV_PORT_TYPE_MESSAGE, 0)) ||
         (st = root_connect(root, ROOT_PORT(fc->slot), id, 1))))
        return st;
    return 0;
}

struct fleet_child *fleet_launch(const char *name)
{
    const struct fleet_kind *k = kind_of(name);
    if (!k) {
        printf("root: no child called '%s'; known: %s\n", name, fleet_names());
        return 0;
    }
    const struct partition_module *m = root_find_module(boot, k->module);
    if (!m) {
        printf("root: %s: no module %s was given at boot; skipped\n", name, k->module);
        return 0;
    }
    struct fleet_child *fc = 0;
    for (unsigned i = 0; i < FLEET_MAX && !fc; i++)
        if (fleet[i].state == FLEET_FREE)
            fc = &fleet[i];
    if (!fc) {
        printf("root: %s: already %u children, the most the hypervisor holds; stop one first\n",
               name, FLEET_MAX);
        return 0;
    }
    memset(fc, 0, sizeof *fc);
    fc->kind = k;
    fc->slot = (uint32_t)(fc - fleet) + 1;
    int st = child_create_elf(&fc->c, name, (const void *)(uintptr_t)m->base, m->size);
    if (!st && k->id == KIND_CONSOLE) {
        struct vsp_console *vc = &consoles[fc->slot - 1];
        memset(vc, 0, sizeof *vc);
        st = vsp_console_offer(vc, &fc->c, fc->slot, channel_ring_pages(&fc->c));
        if (!st)
            fc->msgs_in++; /* the OFFER */
    } else if (!st && k->id == KIND_UART) {
        uart_emul_init(&uarts[fc->slot - 1], name);
    } else if (!st) {
        st = give_ports(fc);
    }
    if (!st)
        st = child_start(&fc->c);
    if (st) {
        printf("root: %s: cannot start it: %s\n", name, hv_status_name((hv_status_t)st));
        /* Whatever was built goes back; the id is never reused. */
        if (fc->c.id) {
            hv_call_fast(HVCALL_FINALIZE_PARTITION, fc->c.id, 0);
            if (hv_call_fast(HVCALL_DELETE_PARTITION, fc->c.id, 0) == 0)
                root_pages_release(fc->c.id);
        }
        fc->state = FLEET_FREE;
        return 0;
    }
    fc->state = FLEET_RUNNING;
    printf("root: started child %llu (%s) from module %s (%llu bytes)%s\n",
           (unsigned long long)fc->c.id, name, k->module, (unsigned long long)m->size,
           k->id == KIND_CONSOLE ? ", with a console channel" : "");
    return fc;
}

struct fleet_child *fleet_find(uint64_t id)
{
    for (unsigned i = 0; i < FLEET_MAX; i++)
        if (fleet[i].state != FLEET_FREE && fleet[i].c.id == id)
            return &fleet[i];
    return 0;
}

/* A message on SINT 0: the port says which child sent it.  0 if the
 * slot was empty (then so is the queue behind it). */
static int take_message(void)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = ROOT_MSG_SINT;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page))
        return 0;
    struct hv_message msg;
    memcpy(&msg, hv_output_page, sizeof msg);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, ROOT_MSG_SINT, 0);
    for (unsigned i = 0; i < FLEET_MAX; i++) {
        struct fleet_child *fc = &fleet[i];
        if (fc->state == FLEET_FREE || fc->kind->id == KIND_CONSOLE ||
            msg.header.port_id != ROOT_PORT(fc->slot))
            continue;
        char text[16] = {0};
        uint32_t n = msg.header.payload_size < 15 ? msg.header.payload_size : 15;
        memcpy(text, msg.payload, n);
        fc->msgs_out++;
        fc->answered = 1;
        int good = fc->kind->id == KIND_PINGER ? strcmp(text, "ready") == 0
                                               : memcmp(text, "irq=", 4) == 0 && text[5] == '+';
        char shown[4 * sizeof text]; /* the child's bytes, escaped for COM1 */
        format_escape(shown, sizeof shown, text, n);
        printf("root: message from child %llu (%s): \"%s\"%s\n", (unsigned long long)fc->c.id,
               fc->c.name, shown,
               fc->kind->id == KIND_SINTIRQ && good ? " - it was woken by a virtual interrupt" : "");
        if (fc->state == FLEET_RUNNING)
            fc->state = good ? FLEET_DONE : FLEET_FAILED;
        return 1;
    }
    return 1;
}

/* News: the hypervisor flags a child (bit id mod 64) whose VP it stopped. */
static void take_news(void)
{
    uint64_t flags = child_news();
    for (unsigned i = 0; i < FLEET_MAX && flags; i++) {
        struct fleet_child *fc = &fleet[i];
        if (fc->state == FLEET_FREE || fc->state == FLEET_FAULTED ||
            !(flags & (1ull << (fc->c.id % HV_EVENT_FLAGS_PER_SINT))))
            continue;
        struct hv_output_exit_stats s;
        if (!root_exit_stats(fc->c.id, &s) && s.count[HV_EXIT_TRIPLE_FAULT]) {
            fc->state = FLEET_FAULTED;
            printf("root: child %llu (%s) faulted: the hypervisor stopped it (triple fault)\n",
                   (unsigned long long)fc->c.id, fc->c.name);
        }
    }
}

void fleet_poll(void)
{
    take_news();
    /* Each read takes one message; a few more may wait behind it.  An
     * empty slot ends it: an idle shell calls this every timer tick. */
    for (int i = 0; i <= HV_MESSAGE_QUEUE_DEPTH && take_message(); i++)
        ;
}

/* The end of a console child's channel: counts and one report line. */
static void console_over(struct fleet_child *fc, enum vsp_step r)
{
    struct vsp_console *vc = &consoles[fc->slot - 1];
    struct channel *ch = &vc->ch;
    /* The handshake is fixed (OFFER, OPEN, OPENED, CLOSE), so its messages
     * are counted from how far it got; the VSP keeps no count of them. */
    int opened = vc->stats.bytes > 0 ||
                 (ch->closed_by_peer && ch->reason != CHANNEL_CLOSE_BAD_OFFER);
    fc->msgs_in += (uint64_t)opened + (uint64_t)!ch->closed_by_peer; /* OPENED, root's CLOSE */
    fc->msgs_out += (uint64_t)opened + (uint64_t)ch->closed_by_peer; /* OPEN, child's CLOSE */
    fc->bytes_out = vc->stats.bytes;
    if (fc->state == FLEET_RUNNING)
        fc->state = r == VSP_DONE ? FLEET_DONE : FLEET_FAILED;
    printf("root: console of child %llu (%s) closed: %llu lines, %llu bytes through the channel%s\n",
           (unsigned long long)fc->c.id, fc->c.name, (unsigned long long)vc->stats.lines,
           (unsigned long long)vc->stats.bytes, r == VSP_DONE ? "" : " (closed on an error, above)");
}

/* The consoles share the root's channel SINTs: each message goes to the
 * console whose port it came through. */
static int route_console_messages(void)
{
    uint32_t type, port;
    struct channel_msg m;
    int n = 0;
    while (channel_next_message(CHANNEL_ROOT_MSG_SINT, &type, &m, &port)) {
        n++;
        for (unsigned i = 0; i < FLEET_MAX; i++)
            if (fleet[i].state == FLEET_RUNNING && fleet[i].kind->id == KIND_CONSOLE &&
                consoles[i].ch.msg_port == port)
                channel_root_handle(&consoles[i].ch, type, &m);
    }
    return n;
}

uint64_t fleet_console_bytes(struct fleet_child *fc)
{
    struct vsp_console *vc = &consoles[fc->slot - 1];
    if (fc->state == FLEET_RUNNING && vsp_console_step(vc, 0) == VSP_PROGRESS)
        fc->bytes_out = vc->stats.bytes; /* BUILD=mono: the hypervisor's count now */
    return fc->bytes_out;
}

void fleet_serve_consoles(const struct fleet_child *until)
{
    unsigned idle[FLEET_MAX] = {0};
    for (;;) {
        /* Clear the flags first, then look: a signal after this point
         * wakes the halt below. */
        struct hv_input_sint *in = (void *)hv_input_page;
        in->sint = CHANNEL_ROOT_EVENT_SINT;
        in->reserved = 0;
        hv_call(HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, hv_input_page, hv_output_page);
        int progress = route_console_messages(), running = 0;
        fleet_poll();
        for (unsigned i = 0; i < FLEET_MAX; i++) {
            struct fleet_child *fc = &fleet[i];
            if (fc->state != FLEET_RUNNING || fc->kind->id != KIND_CONSOLE)
                continue;
            /* A turn: at most FLEET_CONSOLE_TURN bytes, so a child that floods
             * its channel gets no more of the root than any other. */
            uint64_t before = consoles[i].stats.bytes;
            enum vsp_step r = vsp_console_step(&consoles[i], FLEET_CONSOLE_TURN);
            if (r == VSP_DONE || r == VSP_FAILED) {
                console_over(fc, r);
                progress = 1;
                continue;
            }
            running++;
            if (r == VSP_PROGRESS) {
                idle[i] = 0;
                progress = 1;
                fc->bytes_out = consoles[i].stats.bytes;
                if (fc->bytes_out - before > fc->turn_max)
                    fc->turn_max = fc->bytes_out - before;
            }
        }
        if (until ? until->state != FLEET_RUNNING : running == 0)
            return;
        if (progress)
            continue;
        for (unsigned i = 0; i < FLEET_MAX; i++) {
            struct fleet_child *fc = &fleet[i];
            if (fc->state == FLEET_RUNNING && fc->kind->id == KIND_CONSOLE &&
                ++idle[i] > IDLE_HALTS) {
                vsp_console_give_up(&consoles[i], IDLE_HALTS);
                console_over(fc, VSP_FAILED);
            }
        }
        __asm__ volatile("hlt" ::: "memory");
    }
}

static void post_ping(struct fleet_child *fc)
{
    /* Let it program its SINT and fall asleep first, so the message
     * really wakes it (a SINT unmasked later would fire at once anyway). */
    for (int i = 0; i < 3; i++)
        __asm__ volatile("hlt");
    struct hv_input_post_message *m = (void *)hv_input_page;
    hv_status_t st;
    for (int tries = 0; tries < 100; tries++) {
        memset(m, 0, sizeof *m);
        m->connection_id = ROOT_PORT(fc->slot);
        m->message_type = 1;
        m->payload_size = 4;
        memcpy(m->payload, "ping", 4);
        st = hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
        if (st != HV_STATUS_INSUFFICIENT_BUFFERS)
            break;
        __asm__ volatile("hlt");
    }
    if (st == HV_STATUS_SUCCESS)
        fc->msgs_in++;
    printf("root: posted \"ping\" to the sleeping child %llu (%s): %s\n",
           (unsigned long long)fc->c.id, fc->c.name, hv_status_name(st));
}

/* An unenlightened child: its port accesses arrive as intercept messages
 * on the intercept SINT and the root's UART emulation answers each.  In
 * BUILD=mono the hypervisor serves them and the root only waits. */
static void serve_uart(struct fleet_child *fc)
{
    struct uart16550 *u = &uarts[fc->slot - 1];
    for (int halts = 0; halts < IDLE_HALTS;) {
        struct hv_output_exit_stats s;
        if (boot->services_in_hypervisor) {
            if (!root_exit_stats(fc->c.id, &s) && s.count[HV_EXIT_IO] >= UART_ACCESSES) {
                fc->state = FLEET_DONE;
                printf("root: %llu port accesses of child %llu (%s) were served inside the "
                       "hypervisor (BUILD=mono); its line is in the hypervisor log\n",
                       (unsigned long long)s.count[HV_EXIT_IO], (unsigned long long)fc->c.id,
                       fc->c.name);
                return;
            }
            __asm__ volatile("hlt");
            halts++;
            continue;
        }
        struct hv_x64_io_intercept_message io;
        int r = uart_emul_next(&io);
        if (r < 0) {
            __asm__ volatile("hlt");
            halts++;
            continue;
        }
        if (r == 0)
            continue; /* not an intercept: uart_emul_next reported it */
        struct fleet_child *owner = fleet_find(io.partition_id);
        if (!owner || owner->kind->id != KIND_UART) {
            /* No UART of ours behind it: answer, or the child waits for ever. */
            uart_emul_refuse(&io, "the root emulates no device for this child");
            continue;
        }
        struct uart16550 *ou = &uarts[owner->slot - 1];
        uint64_t before = ou->bytes_out;
        uart_emul_access(ou, &io);
        owner->msgs_out++;
        owner->bytes_out += ou->bytes_out - before;
        if (ou->accesses >= UART_ACCESSES && owner->state == FLEET_RUNNING)
            owner->state = ou->lines == 1 ? FLEET_DONE : FLEET_FAILED;
        if (fc->state != FLEET_RUNNING) {
            printf("root: emulated UART of child %llu (%s): %llu accesses, %llu bytes\n",
                   (unsigned long long)fc->c.id, fc->c.name, (unsigned long long)u->accesses,
                   (unsigned long long)u->bytes_out);
            return;
        }
    }
    fc->state = FLEET_FAILED;
    printf("root: child %llu (%s) went quiet before its line was out\n",
           (unsigned long long)fc->c.id, fc->c.name);
}

void fleet_serve(struct fleet_child *fc)
{
    if (fc->state != FLEET_RUNNING)
        return;
    if (fc->kind->id == KIND_UART) {
        serve_uart(fc);
        return;
    }
    if (fc->kind->id == KIND_CONSOLE) {
        fleet_serve_consoles(fc);
        return;
    }
    if (fc->kind->id == KIND_SINTIRQ && !fc->answered)
        post_ping(fc);
    for (int halts = 0; halts < ANSWER_HALTS; halts++) {
        fleet_poll();
        if (fc->state != FLEET_RUNNING)
            return;
        __asm__ volatile("hlt");
    }
    fc->state = FLEET_FAILED;
    printf("root: child %llu (%s) did not answer within %d timer ticks\n",
           (unsigned long long)fc->c.id, fc->c.name, ANSWER_HALTS);
}

struct fleet_child *fleet_start(const char *name)
{
    struct fleet_child *fc = fleet_launch(name);
    if (fc)
        fleet_serve(fc);
    return fc;
}

int fleet_stop(struct fleet_child *fc)
{
    uint64_t id = fc->c.id;
    int st = hv_call_fast(HVCALL_FINALIZE_PARTITION, id, 0);
    if (!st)
        st = hv_call_fast(HVCALL_DELETE_PARTITION, id, 0);
    printf("root: child %llu (%s) finalized and deleted: %s\n", (unsigned long long)id,
           fc->c.name, hv_status_name((hv_status_t)st));
    if (!st)
        root_pages_release(id); /* DeletePartition gave the child's pages back */
    if (!st)
        fc->state = FLEET_FREE;
    return st;
}

void fleet_stop_all(void)
{
    for (unsigned i = 0; i < FLEET_MAX; i++)
        if (fleet[i].state != FLEET_FREE)
            fleet_stop(&fleet[i]);
}

unsigned fleet_count(unsigned *not_done)
{
    unsigned n = 0, bad = 0;
    for (unsigned i = 0; i < FLEET_MAX; i++) {
        if (fleet[i].state == FLEET_FREE)
            continue;
        n++;
        bad += fleet[i].state != FLEET_DONE;
    }
    if (not_done)
        *not_done = bad;
    return n;
}

void fleet_list(void)
{
    printf("  id  name      state\n");
    printf("%4llu  %-8s  %s\n", (unsigned long long)boot->partition_id, "root", "running");
    for (unsigned i = 0; i < FLEET_MAX; i++)
        if (fleet[i].state != FLEET_FREE)
            printf("%4llu  %-8s  %s\n", (unsigned long long)fleet[i].c.id, fleet[i].c.name,
                   fleet_state_name(fleet[i].state));
}

static void row(uint64_t id, const char *name, const char *state, const struct fleet_child *fc)
{
    struct hv_output_exit_stats s;
    if (root_exit_stats(id, &s)) {
        printf("%4llu  %-8s  %-8s  (no statistics)\n", (unsigned long long)id, name, state);
        return;
    }
    printf("%4llu  %-8s  %-8s %7llu", (unsigned long long)id, name, state,
           (unsigned long long)s.total);
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        printf(" %6llu", (unsigned long long)s.count[r]);
    if (fc)
        printf("  %5llu/%-5llu %7llu/%-7llu\n", (unsigned long long)fc->msgs_in,
               (unsigned long long)fc->msgs_out, (unsigned long long)fc->bytes_in,
               (unsigned long long)fc->bytes_out);
    else
        printf("  %5s/%-5s %7s/%-7s\n", "-", "-", "-", "-");
}

int fleet_table(uint64_t id)
{
    if (id && id != boot->partition_id && !fleet_find(id))
        return -1;
    printf("%4s  %-8s  %-8s %7s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %11s %15s\n", "id",
           "name", "state", "exits", "hcall", "cpuid", "hlt", "io", "msr", "npf", "exc", "fatal",
           "intr", "other", "msgs in/out", "bytes in/out");
    if (!id || id == boot->partition_id)
        row(boot->partition_id, "root", "running", 0);
    for (unsigned i = 0; i < FLEET_MAX; i++)
        if (fleet[i].state != FLEET_FREE && (!id || fleet[i].c.id == id))
            row(fleet[i].c.id, fleet[i].c.name, fleet_state_name(fleet[i].state), &fleet[i]);
    return 0;
}
