/* SPDX-License-Identifier: MIT */
/*
 * make bench's one-way receiver (test=bench-message, test=bench-event;
 * partitions/root/bench.c): it sleeps in HLT, and each time the root's
 * message or event wakes it, takes what arrived — ReadSintMessage and
 * end-of-message for every message in SINT 0, or GetAndClearEventFlags on
 * SINT 0 — counts it on the shared parameter page
 * (partitions/lib/bench_params.h), and sleeps again.  It never answers:
 * the root sees the count on the page.
 */
#include "../../lib/bench_params.h"
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info;
    struct bench_params *p = (void *)(uintptr_t)BENCH_PARAMS_GPA;
    uint32_t mode = p->magic == BENCH_PARAMS_MAGIC ? p->oneway : 0;
    hv_detect();
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = 0;
    in->reserved = 0;
    const struct hv_message *m = (const void *)hv_output_page;
    const struct hv_output_event_flags *ev = (const void *)hv_output_page;
    uint32_t got = 0;
    p->ready = 1;
    for (;;) {
        if (mode == BENCH_ONEWAY_MESSAGE) {
            while (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, in, hv_output_page) ==
                   HV_STATUS_SUCCESS) {
                p->bytes += m->header.payload_size;
                hv_call(HVCALL_PARTITA_SINT_EOM, in, 0);
                p->received = ++got;
            }
        } else if (mode == BENCH_ONEWAY_EVENT) {
            while (hv_call(HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, in, hv_output_page) ==
                       HV_STATUS_SUCCESS &&
                   (ev->flags & 1))
                p->received = ++got;
        }
        __asm__ volatile("hlt");
    }
}
