/* SPDX-License-Identifier: MIT */
#include "hv_state.h"

#include "abstract.h"

#ifdef HOST_BUILD
#include <string.h>
#else
#include "../../lib/string.h"
#endif

/* Zero-initialised, so it costs nothing in the image (.bss). */
struct hv_state hv;

void hv_state_init(void)
{
    memset(&hv, 0, sizeof hv);
    hv.next_partition_id = HV_PARTITION_ID_ROOT;
    hv.trace_mask = HV_TRACE_DEFAULT_MASK;
    for (uint32_t i = 0; i < PAGES_MAX; i++)
        hv.pages[i] = (struct page_info){PAGE_HYPERVISOR, PAGE_NOBODY, PAGE_NOBODY, 0, 0};
#ifdef PARTITA_TRACE
    /* The check build's running sums describe hv.pages (abstract.h). */
    abstract_pages_reset();
#endif
}
