/* SPDX-License-Identifier: MIT */
/*
 * ATA PIO driver (docs/architecture/block.md) of whoever runs the block
 * service: the root in BUILD=micro (the primary ATA channel, ports
 * 0x1f0-0x1f7 and control 0x3f6, is passed through to it), the hypervisor
 * in BUILD=mono.  It drives the disk by polling,
 * with interrupts off (nIEN): the hypervisor owns the interrupt
 * controller.  LBA28, READ SECTORS / WRITE SECTORS, a cache flush after
 * every write.  Every wait is bounded: a silent or broken drive gives
 * ATA_TIMEOUT, never a hang.
 */
#pragma once
#include <stdint.h>

enum ata_result {
    ATA_OK = 0,
    ATA_NO_DEVICE,    /* nothing answered, or only ATAPI (a CD-ROM) */
    ATA_TIMEOUT,      /* BSY never cleared or DRQ never came */
    ATA_DEVICE_ERROR, /* the drive set ERR or DF */
    ATA_RANGE,        /* sectors outside the disk or beyond LBA28 */
};

struct ata_disk {
    int present;
    int slave;           /* 0 master, 1 slave on the primary channel */
    uint32_t sectors;    /* LBA28 capacity (IDENTIFY words 60-61) */
    char model[41];      /* IDENTIFY words 27-46, trailing blanks cut */
};

#define ATA_SECTOR_SIZE 512u
#define ATA_MAX_COUNT 255u /* sectors per command (0 would mean 256: never used) */

/* Finds the first ATA disk on the primary channel, master before slave. */
enum ata_result ata_probe(struct ata_disk *d);

/* Reads / writes `count` (1..ATA_MAX_COUNT) sectors from `lba`.  A write
 * returns only after the drive flushed its cache. */
enum ata_result ata_read(const struct ata_disk *d, uint32_t lba, uint32_t count, void *buf);
enum ata_result ata_write(const struct ata_disk *d, uint32_t lba, uint32_t count,
                          const void *buf);

const char *ata_result_name(enum ata_result r);
