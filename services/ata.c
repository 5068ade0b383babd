/* SPDX-License-Identifier: MIT */
#include "ata.h"

#include "../lib/portio.h"
#include "../lib/string.h"

#define ATA_IO 0x1f0   /* data, error, count, lba0-2, drive/head, status/command */
#define ATA_CTL 0x3f6  /* alternate status (read) / device control (write) */

#define REG_DATA 0
#define REG_ERROR 1
#define REG_COUNT 2
#define REG_LBA0 3
#define REG_LBA1 4
#define REG_LBA2 5
#define REG_DRIVE 6
#define REG_STATUS 7
#define REG_COMMAND 7

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80

#define CMD_READ_SECTORS 0x20
#define CMD_WRITE_SECTORS 0x30
#define CMD_FLUSH_CACHE 0xe7
#define CMD_IDENTIFY 0xec

#define CTL_NIEN 0x02 /* no interrupts: the root polls */

/* Status reads before giving up.  Each read is a port access the
 * emulator services at once; this bound is far beyond any real command
 * under QEMU or Bochs and still ends in well under a second. */
#define WAIT_SPINS 2000000u

/* The 400 ns a drive needs before its status is valid after a command
 * or a drive select: four reads of the alternate status. */
static void settle(void)
{
    for (int i = 0; i < 4; i++)
        (void)inb(ATA_CTL);
}

static enum ata_result wait_not_busy(uint8_t *status)
{
    for (uint32_t i = 0; i < WAIT_SPINS; i++) {
        uint8_t s = inb(ATA_IO + REG_STATUS);
        if (!(s & ST_BSY)) {
            *status = s;
            return ATA_OK;
        }
    }
    return ATA_TIMEOUT;
}

/* Waits until the drive is ready to move a sector (DRQ) or reports an
 * error. */
static enum ata_result wait_data(void)
{
    for (uint32_t i = 0; i < WAIT_SPINS; i++) {
        uint8_t s = inb(ATA_IO + REG_STATUS);
        if (s & ST_BSY)
            continue;
        if (s & (ST_ERR | ST_DF))
            return ATA_DEVICE_ERROR;
        if (s & ST_DRQ)
            return ATA_OK;
    }
    return ATA_TIMEOUT;
}

static void select_drive(int slave, uint8_t lba_top)
{
    outb(ATA_IO + REG_DRIVE, (uint8_t)(0xe0 | (slave << 4) | (lba_top & 0x0f)));
    settle();
}

/* IDENTIFY one drive; ATA_OK only for an ATA disk (ATAPI aborts with its
 * signature in LBA1/LBA2 and is skipped). */
static enum ata_result identify(int slave, uint16_t words[256])
{
    uint8_t s;
    outb(ATA_CTL, CTL_NIEN);
    select_drive(slave, 0);
    /* 0xff: no drive pulls the bus down, nothing is attached. */
    if (inb(ATA_IO + REG_STATUS) == 0xff)
        return ATA_NO_DEVICE;
    if (wait_not_busy(&s))
        return ATA_TIMEOUT;
    outb(ATA_IO + REG_COUNT, 0);
    outb(ATA_IO + REG_LBA0, 0);
    outb(ATA_IO + REG_LBA1, 0);
    outb(ATA_IO + REG_LBA2, 0);
    outb(ATA_IO + REG_COMMAND, CMD_IDENTIFY);
    settle();
    if (inb(ATA_IO + REG_STATUS) == 0)
        return ATA_NO_DEVICE;
    if (wait_not_busy(&s))
        return ATA_TIMEOUT;
    if (inb(ATA_IO + REG_LBA1) || inb(ATA_IO + REG_LBA2))
        return ATA_NO_DEVICE; /* ATAPI or SATA signature: not our disk */
    enum ata_result r = wait_data();
    if (r)
        return r == ATA_DEVICE_ERROR ? ATA_NO_DEVICE : r;
    for (int i = 0; i < 256; i++)
        words[i] = inw(ATA_IO + REG_DATA);
    return ATA_OK;
}

enum ata_result ata_probe(struct ata_disk *d)
{
    static uint16_t words[256];
    memset(d, 0, sizeof *d);
    for (int slave = 0; slave <= 1; slave++) {
        if (identify(slave, words) != ATA_OK)
            continue;
        d->present = 1;
        d->slave = slave;
        d->sectors = (uint32_t)words[60] | (uint32_t)words[61] << 16;
        /* The model string is stored as big-endian 16-bit words. */
        for (int i = 0; i < 20; i++) {
            d->model[2 * i] = (char)(words[27 + i] >> 8);
            d->model[2 * i + 1] = (char)words[27 + i];
        }
        int n = 40;
        while (n > 0 && (d->model[n - 1] == ' ' || d->model[n - 1] == '\0'))
            n--;
        d->model[n] = '\0';
        return ATA_OK;
    }
    return ATA_NO_DEVICE;
}

/* Selects the drive, loads an LBA28 address and count, issues `cmd`. */
static enum ata_result start(const struct ata_disk *d, uint32_t lba, uint32_t count, uint8_t cmd)
{
    uint8_t s;
    if (!d->present)
        return ATA_NO_DEVICE;
    if (!count || count > ATA_MAX_COUNT || lba >= d->sectors || count > d->sectors - lba ||
        (uint64_t)lba + count > (1ull << 28))
        return ATA_RANGE;
    if (wait_not_busy(&s))
        return ATA_TIMEOUT;
    select_drive(d->slave, (uint8_t)(lba >> 24));
    if (wait_not_busy(&s))
        return ATA_TIMEOUT;
    outb(ATA_IO + REG_COUNT, (uint8_t)count);
    outb(ATA_IO + REG_LBA0, (uint8_t)lba);
    outb(ATA_IO + REG_LBA1, (uint8_t)(lba >> 8));
    outb(ATA_IO + REG_LBA2, (uint8_t)(lba >> 16));
    outb(ATA_IO + REG_COMMAND, cmd);
    settle();
    return ATA_OK;
}

enum ata_result ata_read(const struct ata_disk *d, uint32_t lba, uint32_t count, void *buf)
{
    enum ata_result r = start(d, lba, count, CMD_READ_SECTORS);
    uint16_t *w = buf;
    for (uint32_t n = 0; !r && n < count; n++) {
        if ((r = wait_data()))
            break;
        for (int i = 0; i < 256; i++)
            *w++ = inw(ATA_IO + REG_DATA);
        settle();
    }
    return r;
}

/* FLUSH CACHE: the write is on the medium (the image file) when it ends. */
static enum ata_result flush(const struct ata_disk *d)
{
    uint8_t s;
    select_drive(d->slave, 0);
    outb(ATA_IO + REG_COMMAND, CMD_FLUSH_CACHE);
    settle();
    if (wait_not_busy(&s))
        return ATA_TIMEOUT;
    return s & (ST_ERR | ST_DF) ? ATA_DEVICE_ERROR : ATA_OK;
}

enum ata_result ata_write(const struct ata_disk *d, uint32_t lba, uint32_t count,
                          const void *buf)
{
    enum ata_result r = start(d, lba, count, CMD_WRITE_SECTORS);
    const uint16_t *w = buf;
    for (uint32_t n = 0; !r && n < count; n++) {
        if ((r = wait_data()))
            break;
        for (int i = 0; i < 256; i++)
            outw(ATA_IO + REG_DATA, *w++);
        settle();
    }
    uint8_t s;
    if (!r && (r = wait_not_busy(&s)) == ATA_OK && (s & (ST_ERR | ST_DF)))
        r = ATA_DEVICE_ERROR;
    if (!r)
        r = flush(d);
    return r;
}

const char *ata_result_name(enum ata_result r)
{
    switch (r) {
    case ATA_OK: return "ok";
    case ATA_NO_DEVICE: return "no ATA disk";
    case ATA_TIMEOUT: return "timeout";
    case ATA_DEVICE_ERROR: return "device error";
    case ATA_RANGE: return "out of range";
    }
    return "unknown";
}
