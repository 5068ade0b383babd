/* SPDX-License-Identifier: MIT */
/*
 * BUILD=mono: the console and block services run inside the hypervisor
 * (docs/architecture/placement.md).  The root still sets every channel up
 * (ports, shared ring pages, the offer/open handshake) and then hands its
 * data path over with HvPartitaServeChannel; from then on a child's
 * SignalEvent on that channel runs the service here, after the child's
 * hypercall, and the request never leaves the hypervisor.
 *
 * The services are the root's own code (services/: console_service.c,
 * block_service.c, ata.c, channel.c, ring.c); they reach the world only
 * through services/env.h, which mono_env.c implements for the hypervisor.
 * This file is the glue the core calls (core/services.h): which root port
 * is served for which child, when to run the services, what to report.
 *
 * Calls go one way: the core's exit path runs the services
 * (services_run, services_root_quiet), the services call the environment,
 * and the environment calls the dispatcher (hypercall_fast_for) for the
 * root's SignalEvent; the dispatcher only marks a served port as
 * signalled (services_signalled) and never runs a service.
 */
#include "../../lib/string.h"
#include "../../services/block_service.h"
#include "../../services/console_service.h"
#include "../arch/arch.h"
#include "../core/pages.h"
#include "../core/services.h"
#include "mono_env.h"

struct served {
    int used;
    uint64_t child;   /* partition id at the other end */
    uint32_t port_id; /* the root's event port the child signals */
    uint32_t service; /* HV_SERVICE_* */
    uint64_t ring_page;
    uint32_t ring_pages;
    int pending;  /* signalled since the last look */
    int failed;   /* the ring or the stream went bad: nothing more is read */
    struct vsp_console console; /* HV_SERVICE_CONSOLE */
    char last_line[160];        /* its last complete line, for the root */
    uint32_t last_len;
    struct vsp_console_stats before_last;
};

/* One per root port at most; the block workspaces are the big part. */
static struct served table[HV_MAX_PORTS];
static struct vsp_block blocks[HV_MAX_PORTS];
static struct ata_disk disk;
static int disk_probed;
static int work; /* some served port was signalled since services_run */
/* A console was left pending for want of room in the buffer since
 * pump_stalled last looked (pending is set only here and by a doorbell). */
static int stalled;

/* ------------------------------------------------------------- serving */

static struct served *served_at(uint32_t port_id)
{
    for (unsigned i = 0; i < HV_MAX_PORTS; i++)
        if (table[i].used && table[i].port_id == port_id)
            return &table[i];
    return 0;
}

/* Still what HvPartitaServeChannel checked: the port served, the child
 * alive, every ring page shared with it (the root may have taken one
 * back: then the hypervisor must not touch it). */
static int still_valid(struct served *s)
{
    /* LAB 8.2 BEGIN: may the hypervisor still touch this channel's rings? */
    struct port *p = port_find(HV_PARTITION_ID_ROOT, s->port_id);
    struct partition *c = partition_child_by_id(s->child);
    if (!p || p->served != s->service || !c || p->conn_partition != c->id)
        return 0;
    for (uint32_t i = 0; i < s->ring_pages; i++)
        if (!page_shared_with(s->ring_page + i, c))
            return 0;
    return 1;
    /* LAB 8.2 END */
}

static void remember_line(struct vsp_console *vc, const char *line, size_t len)
{
    struct served *s = vc->ctx;
    s->last_len = len < sizeof s->last_line ? (uint32_t)len : sizeof s->last_line;
    memcpy(s->last_line, line, s->last_len);
    s->before_last = vc->before_line;
}

static struct channel *channel_of(struct served *s)
{
    return s->service == HV_SERVICE_CONSOLE ? &s->console.ch : &blocks[s - table].ch;
}

static void pump(struct served *s)
{
    if (!still_valid(s)) {
        s->used = 0;
        return;
    }
    if (s->failed)
        return;
    if (s->service == HV_SERVICE_CONSOLE) {
        /* Only what surely fits in the console buffer (a held line, then
         * the worst per byte): the rest waits in the ring (the child
         * waits, nothing is dropped). */
        uint32_t free = mono_console_room();
        uint32_t room = free > VSP_CONSOLE_LINE_MAX
                            ? (free - VSP_CONSOLE_LINE_MAX) / VSP_CONSOLE_WORST_PER_BYTE : 0;
        s->failed = room && vsp_console_drain(&s->console, room) < 0;
        s->pending = !s->failed && ring_used(&s->console.ch.rx) != 0;
        stalled |= s->pending;
    } else {
        s->failed = vsp_block_pump(&blocks[s - table]) < 0;
    }
}

void services_attach(const struct port *p, const struct partition *child, uint64_t ring_page,
                     uint32_t ring_bytes, uint32_t signal_connection, uint32_t flag,
                     const char name[16])
{
    struct served *s = served_at(p->port_id);
    /* An entry whose port or child is gone is free.  Each live one holds a
     * served root port, p is served already and there are HV_MAX_PORTS
     * ports: a free entry is always found. */
    for (unsigned i = 0; !s && i < HV_MAX_PORTS; i++)
        if (!table[i].used || !still_valid(&table[i]))
            s = &table[i];
    memset(s, 0, sizeof *s);
    s->used = 1;
    s->child = child->id;
    s->port_id = p->port_id;
    s->service = p->served;
    s->ring_page = ring_page;
    s->ring_pages = 2 * ring_bytes / HV_PAGE_SIZE;
    struct channel *ch;
    if (s->service == HV_SERVICE_CONSOLE) {
        s->console.on_line = remember_line;
        s->console.ctx = s;
        char n[17];
        memcpy(n, name, 16);
        n[16] = '\0';
        vsp_console_reset(&s->console, n);
        ch = &s->console.ch;
    } else {
        struct vsp_block *vb = &blocks[s - table];
        if (!disk_probed) {
            ata_probe(&disk);
            disk_probed = 1;
        }
        memset(vb, 0, sizeof *vb);
        vb->disk = &disk;
        ch = &vb->ch;
    }
    /* LAB 8.3 BEGIN: the channel in the hypervisor: its rings, the root's view */
    uint8_t *rings = arch_phys_to_virt(ring_page << HV_PAGE_SHIFT);
    ch->state = CHANNEL_OPEN;
    ch->event_connection = signal_connection;
    ch->event_flag = (uint16_t)flag;
    /* The root's view: ring 0 (child -> root) is read, ring 1 written. */
    if (ring_attach(&ch->rx, rings, ring_bytes, RING_READER))
        s->failed = channel_ring_failed(ch, &ch->rx, "ring from the peer") < 0;
    else if (ring_attach(&ch->tx, rings + ring_bytes, ring_bytes, RING_WRITER))
        s->failed = channel_ring_failed(ch, &ch->tx, "ring to the peer") < 0;
    /* LAB 8.3 END */
}

void services_signalled(const struct port *p)
{
    /* LAB 8.4 BEGIN: the doorbell: mark the port now, serve it after the call */
    struct served *s = served_at(p->port_id);
    if (s) {
        s->pending = 1;
        work = 1;
    }
    /* LAB 8.4 END */
}

/* Pumps the consoles that wait for room in the buffer, starting each time
 * with the next one: no console always comes first. */
static void pump_stalled(void)
{
    /* Most of the root's exits: nothing waits (a port a doorbell marked
     * has work set too), so the 16 ports are not walked. */
    if (!stalled && !work)
        return;
    stalled = 0;
    static unsigned first;
    first = (first + 1) % HV_MAX_PORTS;
    for (unsigned k = 0; k < HV_MAX_PORTS; k++) {
        struct served *s = &table[(first + k) % HV_MAX_PORTS];
        if (s->used && s->pending && s->service == HV_SERVICE_CONSOLE) {
            s->pending = 0;
            pump(s);
        }
    }
}

/* A root halted in HLT is between two of its instructions: quiet. */
static int root_halted(void)
{
    return partition_at_slot(0)->vps[0].blocked;
}

void services_run(void)
{
    if (!work) /* after most calls: no served port was signalled */
        return;
    /* LAB 8.4 BEGIN: the doorbell: mark the port now, serve it after the call */
    work = 0;
    for (unsigned i = 0; i < HV_MAX_PORTS; i++)
        if (table[i].used && table[i].pending) {
            table[i].pending = 0;
            pump(&table[i]);
        }
    /* While the root sleeps its console is free: out with the lines now,
     * and on with whoever waited for room, rather than at its next exit. */
    while (mono_console_held() && root_halted()) {
        mono_console_flush();
        pump_stalled();
    }
    /* LAB 8.4 END */
}

void services_root_quiet(void)
{
    if (mono_console_held())
        mono_console_flush();
    pump_stalled();
}

void services_exit_of(const struct partition *p)
{
    if (partition_is_root(p))
        services_root_quiet();
}

void services_report(const struct port *p, const struct partition *child,
                     struct hv_output_serve_channel *out)
{
    memset(out, 0, sizeof *out);
    struct served *s = served_at(p->port_id);
    if (!s || s->child != child->id || !still_valid(s))
        return;
    /* Whatever the child wrote before asking is accounted for. */
    pump(s);
    if (s->failed && s->service == HV_SERVICE_CONSOLE)
        vsp_console_end_line(&s->console); /* before the root's report */
    services_root_quiet();
    struct channel *ch = channel_of(s);
    out->state = s->failed ? HV_SERVE_STATE_FAILED : HV_SERVE_STATE_OPEN;
    const struct ring *bad = ch->rx.error ? &ch->rx : &ch->tx;
    out->ring_error = bad->error;
    out->bad_value = bad->bad_value;
    out->ring_size = ch->rx.size;
    out->which_ring = ch->rx.error ? 0 : 1;
    const char *text = s->failed ? ch->report : s->last_line;
    uint32_t len = s->failed ? (uint32_t)strlen(ch->report) : s->last_len;
    out->text_len = len < sizeof out->text ? len : sizeof out->text;
    memcpy(out->text, text, out->text_len);
    if (s->service == HV_SERVICE_CONSOLE) {
        const struct vsp_console *vc = &s->console;
        out->counters[0] = vc->stats.lines;
        out->counters[1] = vc->stats.bytes;
        out->counters[2] = vc->stats.fnv;
        out->counters[3] = s->before_last.lines;
        out->counters[4] = s->before_last.bytes;
        out->counters[5] = s->before_last.fnv;
        out->counters[6] = vc->ch.wakeups;
        return;
    }
    const struct vsp_block_stats *b = &blocks[s - table].stats;
    out->counters[0] = b->requests;
    out->counters[1] = b->sectors_read;
    out->counters[2] = b->sectors_written;
    out->counters[3] = b->errors;
    out->counters[4] = b->last_written_sector;
    out->counters[5] = b->last_written_fnv;
    out->counters[6] = (uint64_t)b->wrote;
    for (unsigned k = 0; k <= BLOCK_E_NO_DISK; k++)
        out->counters[7 + k] = b->by_status[k];
}
