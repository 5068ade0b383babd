/* SPDX-License-Identifier: MIT */
/*
 * Intercepted port accesses of children (intercept.h): the message to the
 * root, the root's answer and the cancellation, with the VP state each
 * implies.  The access itself is kept in vp->io_exit while the VP waits,
 * because completing it needs the instruction's length and operand size.
 */
#include "intercept.h"

#include "abstract.h"
#include "io_access.h"
#include "trace.h"
#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

int intercept_send(struct vp *vp, const struct vm_exit *e)
{
    struct vp *root_vp = &partition_at_slot(0)->vps[0];
    struct hv_x64_io_intercept_message im = {
        .partition_id = vp->partition->id,
        .vp_index = vp->index,
        .port = e->port,
        .access_size = e->io_size,
        .is_write = (uint8_t)!e->io_in,
        .value = e->io_in ? 0 : vp->gprs.rax & io_width_mask(e->io_size),
    };
    struct synic_message m;
    memset(&m, 0, sizeof m);
    m.sender = 0; /* the hypervisor; the header's port_id stays 0 */
    m.msg.header.message_type = HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT;
    m.msg.header.payload_size = sizeof im;
    memcpy(m.msg.payload, &im, sizeof im);
    /* The model sees the payload as its digest and size (the I record). */
    uint64_t digest = fnv1a64(&im, sizeof im);
    if (!vp_deliver_message(root_vp, HV_SINT_INTERCEPTS, &m)) {
        trace_intercept(vp, digest, sizeof im, HV_STATUS_INSUFFICIENT_BUFFERS);
        return 0;
    }
    vp->io_exit = *e;
    vp->state = HV_VP_STATE_WAITING_IO;
    trace_intercept(vp, digest, sizeof im, HV_STATUS_SUCCESS);
    return 1;
}

int intercept_waiting(const struct vp *vp)
{
    return vp->state == HV_VP_STATE_WAITING_IO;
}

void intercept_complete(struct vp *vp, uint64_t value)
{
    const struct vm_exit *e = &vp->io_exit;
    if (e->io_in)
        vp->gprs.rax = io_merge_in(vp->gprs.rax, e->io_size, value);
    hv_virt->vcpu_skip(vp->arch, e);
    memset(&vp->io_exit, 0, sizeof vp->io_exit);
    vp->state = HV_VP_STATE_RUNNING;
    vp->blocked = 0;
}

void intercept_cancel(struct vp *vp)
{
    if (!intercept_waiting(vp))
        return;
    memset(&vp->io_exit, 0, sizeof vp->io_exit);
    vp->state = HV_VP_STATE_STOPPED;
}
