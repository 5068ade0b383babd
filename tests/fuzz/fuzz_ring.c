/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the channel ring (services/ring.c) read and written by an
 * end that does not trust its peer.  The input is a sequence of actions;
 * between them the hostile peer overwrites header words.  Oracle: the
 * sanitizers (nothing touched outside the ring's memory) and the ring's
 * own promises: used + free < size, a call never moves more than it was
 * asked for or than there was, and an error is sticky.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "services/ring.h"

#define RING_BYTES 4096u

static void must(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly the ring's bytes, so ASan sees any access past them. */
    uint8_t *mem = malloc(RING_BYTES);
    ring_format(mem, RING_BYTES);
    struct ring reader, writer;
    must(ring_attach(&reader, mem, RING_BYTES, RING_READER) == RING_OK);
    must(ring_attach(&writer, mem, RING_BYTES, RING_WRITER) == RING_OK);
    const uint32_t dsize = ring_data_size(RING_BYTES);
    uint8_t buf[RING_BYTES];
    memset(buf, 0xa5, sizeof buf);

    for (size_t i = 0; i + 3 <= size; i += 3) {
        uint8_t op = data[i];
        uint32_t n = (uint32_t)data[i + 1] << 4 | data[i + 2] >> 4;
        int was_dead_r = reader.error != RING_OK, was_dead_w = writer.error != RING_OK;
        switch (op % 6) {
        case 0: { /* the local writer writes n bytes */
            uint32_t room = ring_free(&writer);
            uint32_t w = ring_write(&writer, buf, n);
            must(w <= n && w <= room + 0u);
            break;
        }
        case 1: { /* the local reader reads up to n bytes */
            uint32_t have = ring_used(&reader);
            uint32_t r = ring_read(&reader, buf, n);
            must(r <= n && r <= have);
            break;
        }
        case 2: /* the peer scribbles on a header word */
            ((volatile uint32_t *)mem)[data[i + 1] % 5] =
                (uint32_t)data[i + 2] * 0x01010101u ^ n;
            break;
        case 3: /* the peer scribbles one data byte */
            mem[RING_HEADER_SIZE + n % dsize] = data[i + 2];
            break;
        case 4:
            ring_set_writer_waiting(&writer);
            (void)ring_take_writer_waiting(&reader);
            break;
        default: {
            uint32_t peer;
            (void)ring_check(&reader, &peer);
            if (reader.error == RING_OK)
                must(peer < dsize);
        }
        }
        if (reader.error == RING_OK)
            must(ring_used(&reader) < dsize);
        if (writer.error == RING_OK)
            must(ring_free(&writer) < dsize);
        /* Sticky: a dead ring stays dead and moves nothing. */
        if (was_dead_r)
            must(reader.error != RING_OK && ring_read(&reader, buf, 1) == 0);
        if (was_dead_w)
            must(writer.error != RING_OK && ring_write(&writer, buf, 1) == 0);
    }
    free(mem);
    return 0;
}
