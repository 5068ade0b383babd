/* SPDX-License-Identifier: MIT */
/*
 * A single-producer, single-consumer byte ring in memory shared by two
 * ends that do not trust each other (docs/architecture/channels.md): two
 * partitions, or a child and the hypervisor serving it in BUILD=mono.
 * The layout below is the contract between the ends; it is not part of
 * the hypervisor's ABI (kernel/abi/), which never looks inside a ring.
 *
 * Pure C, no hypercalls, no environment: the channel data path (channel.c)
 * adds notification, partitions/lib/channel.c the handshake and waiting;
 * the host unit test (tests/unit/test_ring.c) drives this file directly.
 *
 * Layout of one ring, at the start of its shared pages:
 *   0   magic        RING_MAGIC, written once by the creator
 *   4   size         data bytes, written once by the creator
 *   8   read_index   owned by the reader: next byte to read, < size
 *   12  write_index  owned by the writer: next byte to write, < size
 *   16  writer_waiting  set by a writer that found the ring full; the
 *                   reader clears it and signals after freeing space
 *   20  reserved (0) up to RING_HEADER_SIZE
 *   64  data[size]
 * read_index == write_index means empty; one byte always stays free so a
 * full ring (write_index + 1 == read_index, modulo size) looks different.
 *
 * Trust: each side keeps its own copy of the agreed size and of the index
 * it owns, reads the other side's index once per call (no double fetch)
 * and checks it before using it.  Any inconsistency sets a sticky error:
 * the ring refuses every later call and touches nothing outside
 * [data, data + size).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define RING_MAGIC 0x474e4952u /* "RING" */
#define RING_HEADER_SIZE 64u

struct ring_shared {
    uint32_t magic;
    uint32_t size;
    uint32_t read_index;
    uint32_t write_index;
    uint32_t writer_waiting;
    uint32_t reserved[11];
    uint8_t data[];
};
_Static_assert(sizeof(struct ring_shared) == RING_HEADER_SIZE, "ring header");

enum ring_role { RING_READER = 1, RING_WRITER = 2 };

enum ring_error {
    RING_OK = 0,
    RING_BAD_MAGIC,           /* the header's magic was overwritten */
    RING_BAD_SIZE,            /* the header's size differs from the agreed one */
    RING_BAD_READ_INDEX,      /* read index >= size */
    RING_BAD_WRITE_INDEX,     /* write index >= size */
    RING_READ_INDEX_MOVED,    /* the writer changed the reader's index */
    RING_WRITE_INDEX_MOVED,   /* the reader changed the writer's index */
    RING_NOT_ATTACHED,        /* no memory, too small, or wrong role */
};

struct ring {
    volatile struct ring_shared *shared;
    uint32_t size;  /* agreed data size: never re-read from shared memory */
    uint32_t mine;  /* private copy of the index this side owns */
    enum ring_role role;
    enum ring_error error;  /* sticky: once set, the ring is dead */
    uint32_t bad_value;     /* the offending value, for the report */
};

/* Data bytes of a ring laid out in `bytes` of memory. */
uint32_t ring_data_size(uint32_t bytes);

/* The creator (the root) formats the memory: empty ring, indices 0. */
void ring_format(void *mem, uint32_t bytes);

/* Either side attaches with the size it agreed to (from its own
 * knowledge, never from the header).  Returns RING_OK or the error. */
enum ring_error ring_attach(struct ring *r, void *mem, uint32_t bytes, enum ring_role role);

/* Checks the header and the other side's index; returns the error (also
 * stored, sticky).  *peer gets the checked index of the other side. */
enum ring_error ring_check(struct ring *r, uint32_t *peer);

/* Bytes the writer may write now / the reader may read now; 0 on error. */
uint32_t ring_free(struct ring *r);
uint32_t ring_used(struct ring *r);

/* Copies up to n bytes in / out; returns the count (0 if full / empty or
 * on error: look at r->error). */
uint32_t ring_write(struct ring *r, const void *buf, uint32_t n);
uint32_t ring_read(struct ring *r, void *buf, uint32_t n);

/* Flow-control hint (never trusted for safety): the writer raises it
 * before waiting; the reader takes it (reads and clears) after reading. */
void ring_set_writer_waiting(struct ring *r);
int ring_take_writer_waiting(struct ring *r);

const char *ring_error_name(enum ring_error e);
