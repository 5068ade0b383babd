/* SPDX-License-Identifier: MIT */
/*
 * A test guest: makes 100 null hypercalls, then tells the root it is ready
 * with a message on its connection 1, then halts for good.  The root
 * loads it from a boot module (test=child-module).
 */
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information */
    hv_detect();
    for (int i = 0; i < 100; i++)
        hv_call_fast(HVCALL_PARTITA_NULL, 0, 0);
    struct hv_input_post_message *m = (void *)hv_input_page;
    memset(m, 0, sizeof *m);
    m->connection_id = 1;
    m->message_type = 1;
    m->payload_size = 5;
    memcpy(m->payload, "ready", 5);
    hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
    for (;;)
        __asm__ volatile("hlt");
}
