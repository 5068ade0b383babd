/* SPDX-License-Identifier: MIT */
/*
 * block_layout.h — a call's input block laid out exactly as the input
 * structures of kernel/abi/hvabi.h (TLFS layout), from the model's event
 * arguments, and read back.
 *
 * The compilers write blocks with block_encode; the checker reads them
 * back with block_decode to see that the hypervisor decoded the bytes the
 * partition wrote to the same arguments (its own decoders are separate
 * code: a check of the kernel against itself would prove nothing).
 */
#ifndef PARTITA_LOCKSTEP_BLOCK_LAYOUT_H
#define PARTITA_LOCKSTEP_BLOCK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct block_out {
    uint32_t len;          /* bytes of block (header + every element) */
    uint16_t reloc_offset; /* root page list (DepositMemory, MapGpaPages) */
    uint16_t reloc_count;  /* 0: no page list */
};

/*
 * Lays out the block of call `code` for `elements` rep elements:
 * header fields from elem[0], element fields from elem[i].  For
 * PostMessage the payload bytes are `payload` (payload_len of them) and
 * the rest up to `size` is zero.  Fields wider than the structure's are
 * truncated; *truncated (if given) says so.  Returns -1 if cap is short.
 */
int block_encode(uint16_t code, const uint64_t (*elem)[MODEL_ARGS],
                 uint32_t elements, const void *payload, size_t payload_len,
                 uint8_t *block, uint32_t cap, struct block_out *out,
                 int *truncated);

/* The event arguments element `index` of the block carries, as the model
 * defines them (PostMessage: FNV-1a 64 of the payload bytes, 0 when the
 * size is over 240).  Bytes beyond len read as 0.  Returns 0 if the call
 * has no input block or is unknown (args all 0). */
int block_decode(uint16_t code, const uint8_t *block, uint32_t len,
                 uint32_t index, uint64_t args[MODEL_ARGS]);

#endif
