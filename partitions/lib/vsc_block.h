/* SPDX-License-Identifier: MIT */
/*
 * The block service client (VSC) in a child (docs/architecture/block.md):
 * reads and writes 512-byte sectors of the disk the root owns, through
 * the block channel the root offers.  One request at a time; each call
 * returns the reply's status (block_proto.h).  The root is trusted to
 * serve but not to be well-formed: a malformed reply closes the channel
 * and gives BLOCK_E_REPLY.
 */
#pragma once
#include <stdint.h>

#include "../../services/block_proto.h"
#include "channel.h"

/* Waits for the root's block offer (after the console channel is open:
 * offers arrive one at a time on SINT 0), opens it, asks for the disk's
 * size.  0 or -1. */
int vsc_block_open(void);
uint64_t vsc_block_sectors(void);

/* count (1..BLOCK_MAX_SECTORS) sectors from `sector` into / out of buf. */
uint32_t vsc_block_read(uint64_t sector, uint32_t count, void *buf);
uint32_t vsc_block_write(uint64_t sector, uint32_t count, const void *buf);

/* Sends `len` bytes as they are (tests send malformed requests with it)
 * and returns the status of the reply, which must carry no data. */
uint32_t vsc_block_send_raw(const void *frame, uint32_t len);

void vsc_block_close(void);
struct channel *vsc_block_channel(void);
