/* SPDX-License-Identifier: MIT */
/*
 * A misbehaving test guest: it posts full-size messages to the root on its
 * connection 1 as fast as it can, forever, ignoring every refusal.  The
 * root's queue for it fills and stays full; the timer still shares the CPU.
 */
#include "../../lib/hypercall.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"

int partition_main(const struct partition_boot_info *info)
{
    (void)info;
    hv_detect();
    struct hv_input_post_message *m = (void *)hv_input_page;
    memset(m, 0, sizeof *m);
    m->connection_id = 1;
    m->message_type = 1;
    m->payload_size = HV_MESSAGE_PAYLOAD;
    for (;;)
        hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
}
