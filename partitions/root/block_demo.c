/* SPDX-License-Identifier: MIT */
/*
 * Root self-test test=block (docs/architecture/block.md): the blockrw
 * child (module blockrw.elf) reads and writes sectors of the ATA disk the
 * root drives, through a block channel, and prints through a console
 * channel.  The root passes if the child's summary agrees with what the
 * block VSP counted, nothing mismatched, every bad request got the
 * expected error, and the root's own driver reads back the last sector
 * the child wrote with the same contents.
 *
 * Order of service: the root serves the block channel to its end first
 * (the child prints less than a ring's worth meanwhile), then drains the
 * console.
 */
#include "block_demo.h"

#include "../../lib/fnv.h"
#include "../../services/ata.h"
#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "root.h"
#include "text.h"
#include "vsp_block.h"
#include "vsp_console.h"

#define IDLE_HALTS 5000 /* timer ticks without a sign of life: the child is gone */

/* The child's summary line, parsed by the console's line hook. */
struct claim {
    int seen;
    uint64_t written, read, mismatched, refused, unexpected;
};

static void on_line(struct vsp_console *vc, const char *line, size_t len)
{
    struct claim *c = vc->ctx;
    static const char tag[] = "blockrw: wrote ";
    if (len < sizeof tag - 1 || memcmp(line, tag, sizeof tag - 1) != 0)
        return;
    c->seen = number_after(line, len, "wrote ", &c->written) &&
              number_after(line, len, "read ", &c->read) &&
              number_after(line, len, "back, ", &c->mismatched) &&
              number_after(line, len, "mismatched; ", &c->refused) &&
              number_after(line, len, "expected, ", &c->unexpected);
}

int block_await_console_open(struct vsp_console *vc)
{
    for (unsigned idle = 0; idle <= IDLE_HALTS; idle++) {
        uint32_t type, port;
        struct channel_msg m;
        while (channel_next_message(vc->ch.msg_sint, &type, &m, &port))
            if (port == vc->ch.msg_port)
                channel_root_handle(&vc->ch, type, &m);
        if (vc->ch.state != CHANNEL_OFFERED)
            return vc->ch.state == CHANNEL_OPEN ? 0 : -1;
        __asm__ volatile("hlt" ::: "memory");
    }
    return -1;
}

static int start_child(const struct partition_boot_info *info, struct child *c,
                       struct vsp_console *vc, struct vsp_block *vb, const struct ata_disk *disk)
{
    const struct partition_module *m = root_find_module(info, "blockrw.elf");
    if (!m) {
        printf("root: FAIL: no blockrw.elf module\n");
        return 1;
    }
    child_memory_init(info);
    const char *step = "build";
    int st = child_create_elf(c, "blockrw", (const void *)(uintptr_t)m->base, m->size);
    if (!st && (step = "offer the console to"))
        st = vsp_console_offer(vc, c, 1, channel_ring_pages(c));
    if (!st && (step = "start"))
        st = child_start(c);
    if (st) {
        printf("root: FAIL: cannot %s blockrw: %s\n", step, hv_status_name((hv_status_t)st));
        return 1;
    }
    if (block_await_console_open(vc)) {
        printf("root: FAIL: blockrw did not open its console channel\n");
        return 1;
    }
    if ((st = vsp_block_offer(vb, c, channel_ring_pages(c), disk))) {
        printf("root: FAIL: cannot offer the block channel: %s\n", hv_status_name((hv_status_t)st));
        return 1;
    }
    printf("root: child %llu (blockrw) started; console channel open, block channel offered "
           "(rings at child GPA 0x%llx)\n",
           (unsigned long long)c->id, (unsigned long long)BLOCK_CHILD_RING_GPA);
    return 0;
}

/* The root's own look at the disk: the last sector the child wrote. */
static int read_back(const struct vsp_block *vb, const struct ata_disk *disk)
{
    static uint8_t sector[ATA_SECTOR_SIZE] __attribute__((aligned(16)));
    if (!vb->stats.wrote) {
        printf("root: FAIL: the child wrote nothing\n");
        return 0;
    }
    uint32_t lba = (uint32_t)vb->stats.last_written_sector;
    enum ata_result r = ata_read(disk, lba, 1, sector);
    uint32_t h = fnv1a(FNV1A_INIT, sector, sizeof sector);
    int ok = r == ATA_OK && h == vb->stats.last_written_fnv;
    printf("root: own driver reads sector %u: %s, fnv1a 0x%08x, the child wrote fnv1a 0x%08x: %s\n",
           lba, ata_result_name(r), h, vb->stats.last_written_fnv, ok ? "ok" : "FAIL");
    return ok;
}

int block_demo(const struct partition_boot_info *info)
{
    static struct vsp_console vc;
    static struct vsp_block vb;
    static struct ata_disk disk;
    struct child c;
    struct claim claim;
    memset(&claim, 0, sizeof claim);

    enum ata_result r = ata_probe(&disk);
    if (r != ATA_OK) {
        printf("root: FAIL: ata: %s on the primary channel\n", ata_result_name(r));
        return 1;
    }
    printf("root: ata: primary %s \"%s\", %u sectors (%u KiB), LBA28 PIO\n",
           disk.slave ? "slave" : "master", disk.model, disk.sectors, disk.sectors / 2);

    vc.on_line = on_line;
    vc.ctx = &claim;
    if (start_child(info, &c, &vc, &vb, &disk))
        return 1;
    uint64_t t0 = rdtsc_now();
    int served = vsp_block_serve(&vb, IDLE_HALTS);
    uint64_t cycles = rdtsc_now() - t0;
    int console = vsp_console_serve(&vc, IDLE_HALTS);

    const struct vsp_block_stats *s = &vb.stats;
    printf("root: block summary: %llu requests, %llu sectors written, %llu read, %llu errors "
           "replied (E_RANGE %llu, E_COUNT %llu, E_OP %llu, E_MAGIC %llu, E_LENGTH %llu, "
           "E_FRAME %llu, E_IO %llu), %llu TSC cycles\n",
           (unsigned long long)s->requests, (unsigned long long)s->sectors_written,
           (unsigned long long)s->sectors_read, (unsigned long long)s->errors,
           (unsigned long long)s->by_status[BLOCK_E_RANGE],
           (unsigned long long)s->by_status[BLOCK_E_COUNT],
           (unsigned long long)s->by_status[BLOCK_E_OP],
           (unsigned long long)s->by_status[BLOCK_E_MAGIC],
           (unsigned long long)s->by_status[BLOCK_E_LENGTH],
           (unsigned long long)s->by_status[BLOCK_E_FRAME],
           (unsigned long long)s->by_status[BLOCK_E_IO], (unsigned long long)cycles);
    /* The child's last request was an unfollowable frame: the block
     * channel must have ended there, closed by the root. */
    int ok = served == 1 && vb.frame_lost && console == 0;
    if (!claim.seen) {
        printf("root: FAIL: no summary line from the child\n");
        ok = 0;
    } else {
        int agree = claim.written == s->sectors_written && claim.read == s->sectors_read &&
                    claim.refused == s->errors;
        printf("root: the child counted %llu written, %llu read, %llu refused; the VSP %llu, "
               "%llu, %llu: %s\n",
               (unsigned long long)claim.written, (unsigned long long)claim.read,
               (unsigned long long)claim.refused, (unsigned long long)s->sectors_written,
               (unsigned long long)s->sectors_read, (unsigned long long)s->errors,
               agree ? "agree" : "FAIL");
        ok &= agree && claim.mismatched == 0 && claim.unexpected == 0 && claim.written > 0 &&
              s->by_status[BLOCK_E_IO] == 0;
    }
    ok &= read_back(&vb, &disk);
    ok &= child_remove(&c) == 0;
    printf("root: block service: reads after writes return what was written, bad requests "
           "refused: %s\n",
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
