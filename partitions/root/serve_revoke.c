/* SPDX-License-Identifier: MIT */
/*
 * test=serve-revoke (BUILD=mono): a ring page taken back from the child
 * while the hypervisor serves the channel.  The hypervisor must then stop
 * touching the rings (kernel/services/mono_channels.c, still_valid): the
 * root's QUERY says no service any more.  A hypervisor that kept serving
 * would read and write a page that is no longer shared with that child.
 * The hello child is built and its console channel handed to the
 * hypervisor, but never started: nothing else moves.
 */
#include "serve_revoke.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "channel_offer.h"
#include "child.h"
#include "console_demo.h"
#include "serve_in_hv.h"
#include "vsp_console.h"

static uint32_t query_state(const struct vsp_console *vc, hv_status_t *st)
{
    struct hv_input_serve_channel *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->partition_id = vc->ch.peer;
    in->op = HV_SERVE_QUERY;
    in->port_id = vc->ch.event_port;
    *st = hv_call(HVCALL_PARTITA_SERVE_CHANNEL, hv_input_page, hv_output_page);
    return ((const struct hv_output_serve_channel *)hv_output_page)->state;
}

static const char *state_name(uint32_t s)
{
    return s == HV_SERVE_STATE_NONE   ? "none"
           : s == HV_SERVE_STATE_OPEN ? "open"
                                      : "failed";
}

int serve_revoke_test(const struct partition_boot_info *info)
{
    if (!root_services_in_hv) {
        printf("root: FAIL: test=serve-revoke needs BUILD=mono\n");
        return 1;
    }
    static struct vsp_console vc;
    struct child c;
    if (console_child_build(info, "hello", &c, &vc))
        return 1;
    hv_status_t st;
    uint32_t before = query_state(&vc, &st);
    printf("root: console of %s handed to the hypervisor: %s, state %s\n", c.name,
           hv_status_name(st), state_name(before));
    int ok = st == HV_STATUS_SUCCESS && before == HV_SERVE_STATE_OPEN;
    /* The second ring page (root -> child) taken back from the child. */
    struct hv_input_unmap_gpa_pages *un = (void *)hv_input_page;
    memset(un, 0, sizeof *un);
    un->target_partition_id = c.id;
    un->target_gpa_base = (CHANNEL_CHILD_RING_GPA + CHANNEL_RING_BYTES) >> HV_PAGE_SHIFT;
    hv_status_t ust =
        hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(HVCALL_UNMAP_GPA_PAGES, 0, 1, 0),
                                  (uint64_t)(uintptr_t)hv_input_page, 0));
    uint32_t after = query_state(&vc, &st);
    printf(
        "root: ring page at child GPA 0x%llx taken back: %s; the hypervisor now reports "
        "state %s (expected none)\n",
        (unsigned long long)(CHANNEL_CHILD_RING_GPA + CHANNEL_RING_BYTES),
        hv_status_name(ust), state_name(after));
    ok &= ust == HV_STATUS_SUCCESS && st == HV_STATUS_SUCCESS &&
          after == HV_SERVE_STATE_NONE;
    serve_in_hv_detach(&vc.ch);
    ok &= child_remove(&c) == 0;
    printf("root: a ring page taken back stops the hypervisor's service: %s\n",
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
