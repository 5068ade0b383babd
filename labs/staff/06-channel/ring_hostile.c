/* SPDX-License-Identifier: MIT */
/*
 * Lab 6, hidden (staff only, never in a student's tree): a hostile peer
 * and the smallest ring.  Runs the student's services/ring.c on the host;
 * exits 0 only if every check holds, else names the first that did not.
 */
#include <stdio.h>
#include <string.h>

#include "services/ring.h"

static unsigned char mem_w[RING_HEADER_SIZE + 2] __attribute__((aligned(8)));
static unsigned char mem[RING_HEADER_SIZE + 64] __attribute__((aligned(8)));
static int failures;

#define CHECK(cond, what)                                                                \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            printf("FAIL: %s (%s)\n", what, #cond);                                      \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

int main(void)
{
    struct ring w, r;
    uint8_t buf[64];

    /* A ring of 2 data bytes holds one byte at a time. */
    ring_format(mem_w, sizeof mem_w);
    CHECK(ring_attach(&w, mem_w, sizeof mem_w, RING_WRITER) == RING_OK,
          "attach tiny writer");
    CHECK(ring_attach(&r, mem_w, sizeof mem_w, RING_READER) == RING_OK,
          "attach tiny reader");
    for (int i = 0; i < 5; i++) {
        uint8_t b = (uint8_t)(0xa0 + i);
        CHECK(ring_write(&w, "xy", 2) == 1, "a 2-byte ring takes one byte");
        CHECK(ring_free(&w) == 0, "then it is full");
        CHECK(ring_read(&r, buf, 2) == 1, "and the reader gets one byte");
        (void)b;
    }

    /* A peer that moves its index past the end, then back: sticky error,
     * nothing read, no byte outside the data touched. */
    ring_format(mem, sizeof mem);
    CHECK(ring_attach(&w, mem, sizeof mem, RING_WRITER) == RING_OK, "attach writer");
    CHECK(ring_attach(&r, mem, sizeof mem, RING_READER) == RING_OK, "attach reader");
    CHECK(ring_write(&w, "hello", 5) == 5, "write 5");
    struct ring_shared *s = (struct ring_shared *)mem;
    s->write_index = 0xffffffffu;
    CHECK(ring_read(&r, buf, sizeof buf) == 0, "bad write index: nothing read");
    CHECK(r.error == RING_BAD_WRITE_INDEX && r.bad_value == 0xffffffffu,
          "bad write index reported with its value");
    s->write_index = 5;
    CHECK(ring_read(&r, buf, sizeof buf) == 0, "the error is sticky");
    CHECK(ring_used(&r) == 0, "a dead ring reports nothing used");

    /* The flag: set by the writer, taken once by the reader. */
    ring_format(mem, sizeof mem);
    CHECK(ring_attach(&w, mem, sizeof mem, RING_WRITER) == RING_OK,
          "attach writer again");
    CHECK(ring_attach(&r, mem, sizeof mem, RING_READER) == RING_OK,
          "attach reader again");
    ring_set_writer_waiting(&w);
    CHECK(ring_take_writer_waiting(&r) == 1, "the reader sees the writer waiting");
    CHECK(ring_take_writer_waiting(&r) == 0, "and only once");

    if (failures)
        return 1;
    printf("ok: tiny ring, hostile indexes, the writer-waiting flag\n");
    return 0;
}
