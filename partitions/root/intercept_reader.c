/* SPDX-License-Identifier: MIT */
#include "intercept_reader.h"

#include "../../lib/format.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

/* Only the hypervisor sends intercepts: PostMessage refuses its message
 * types to partitions, and its messages come through no port (port 0). */
static int is_intercept(const struct hv_message *m)
{
    return m->header.message_type == HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT &&
           m->header.payload_size == sizeof(struct hv_x64_io_intercept_message) &&
           m->header.port_id == 0;
}

int intercept_describe(char *buf, size_t size, const struct hv_message *m)
{
    /* A message names no sender partition (TLFS: the header carries the
     * port); port 0 is the hypervisor, any other port admits exactly one
     * partition, which the root chose when it created the port. */
    if (m->header.port_id == 0)
        return format_string(
            buf, size,
            "root: SINT %u: message type 0x%x (%u bytes) from the hypervisor "
            "is not an intercept: acknowledged, not served",
            HV_SINT_INTERCEPTS, m->header.message_type, m->header.payload_size);
    return format_string(
        buf, size,
        "root: SINT %u: message type 0x%x (%u bytes) from the partition of "
        "root port %u is not an intercept: acknowledged, not served",
        HV_SINT_INTERCEPTS, m->header.message_type, m->header.payload_size,
        m->header.port_id);
}

int intercept_take(const struct intercept_sint *s, struct hv_x64_io_intercept_message *io)
{
    const struct hv_message *m = s->read(s->ctx);
    if (!m)
        return -1;
    int intercept = is_intercept(m);
    if (intercept) {
        memcpy(io, m->payload, sizeof *io);
    } else {
        char line[160];
        intercept_describe(line, sizeof line, m);
        s->report(s->ctx, line);
    }
    /* Either way the slot is done with: the next message moves in. */
    s->eom(s->ctx);
    return intercept;
}
