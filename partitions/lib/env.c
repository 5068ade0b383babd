/* SPDX-License-Identifier: MIT */
/*
 * services/env.h for every partition program: the root, which runs the
 * device services in BUILD=micro, and the children, whose end of a
 * channel uses the same data path (services/channel.c).  The hypervisor's
 * implementation, for BUILD=mono, is kernel/services/mono_env.c.
 */
#include "../../services/env.h"

#include "channel.h"
#include "console.h"
#include "hypercall.h"
#include "string_util.h"

/* The partition's console: COM1 itself for the root (console.c). */
void env_console_write(const char *s, size_t n)
{
    console_write(s, n);
}

void env_channel_signal(struct channel *ch)
{
    struct hv_input_signal_event ev = {.connection_id = ch->event_connection,
                                       .flag_number = ch->event_flag};
    uint64_t fast;
    memcpy(&fast, &ev, sizeof fast);
    hv_call_fast(HVCALL_SIGNAL_EVENT, fast, 0);
}

void env_channel_closed(struct channel *ch)
{
    struct channel_msg m = channel_control_msg(ch, ch->reason);
    channel_post(ch, CHANNEL_MSG_CLOSE, &m);
}
