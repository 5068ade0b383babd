/* SPDX-License-Identifier: MIT */
/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <string.h>

#include "model/alphabet.h"
#include "model/calls.h"
#include "model/encode.h"
#include "model/invariants.h"

struct model_config cfg;
struct model_state st;

void fx_setup(void)
{
    cfg = model_config_default();
    model_init(&cfg, &st);
}

struct model_result step_event(const struct model_event *e)
{
    static uint8_t before[MODEL_ENCODING_MAX], after[MODEL_ENCODING_MAX];
    static struct model_state next;
    struct model_result r;
    size_t nb = model_encode(&cfg, &st, before, sizeof before);
    model_step(&cfg, &st, e, &next, &r);
    size_t na = model_encode(&cfg, &next, after, sizeof after);
    if (r.possible && r.status != HV_STATUS_SUCCESS)
        ck_assert_msg(nb == na && memcmp(before, after, na) == 0,
                      "a refused step (status %u) changed the state",
                      r.status);
    model_state_copy(&cfg, &st, &next); /* a state is megabytes: what cfg uses */
    char why[256];
    enum model_invariant inv = model_check_invariants(&cfg, &st, why,
                                                      sizeof why);
    ck_assert_msg(inv == MODEL_INV_OK, "invariant %s: %s",
                  model_invariant_name(inv), why);
    return r;
}

struct model_result hc_args(uint64_t actor, uint16_t code,
                            const uint64_t *args, size_t n)
{
    const struct model_call_desc *d = model_call_by_code(code);
    int rep = d && (d->flags & MODEL_CALL_REP);
    struct model_event e = {
        .kind = MODEL_EV_HYPERCALL,
        .actor = actor,
        .input = model_input(code, 0, rep ? 1 : 0, 0),
    };
    e.in_gpa = model_default_in_gpa(&cfg, &st, actor);
    e.out_gpa = e.in_gpa + HV_PAGE_SIZE / 2;
    for (size_t i = 0; i < n && i < MODEL_ARGS; i++)
        e.arg[i] = args[i];
    struct model_result r = step_event(&e);
    ck_assert_msg(r.possible, "step impossible");
    return r;
}

uint64_t free_root_frame(void)
{
    for (uint64_t f = model_ram_end(&cfg); f-- > 0;)
        if (model_page_is_ram(&cfg, f) && !model_frame_find(&st, f))
            return f;
    ck_abort_msg("the root has no free frame");
    return 0;
}

struct model_frame frame_at(uint64_t page)
{
    const struct model_frame *f = model_frame_find(&st, page);
    struct model_frame r = {.page = page};
    if (f)
        return *f;
    if (model_page_is_ram(&cfg, page)) {
        r.kind = MODEL_FRAME_OWNED;
        r.owner = ROOT;
    }
    return r;
}

struct model_frame *frame_edit(uint64_t page)
{
    const struct model_frame *f = model_frame_find(&st, page);
    if (f)
        return (struct model_frame *)f;
    uint32_t i = 0;
    while (i < st.frames_listed && st.frame[i].page < page)
        i++;
    memmove(&st.frame[i + 1], &st.frame[i], (st.frames_listed - i) * sizeof st.frame[0]);
    st.frames_listed++;
    memset(&st.frame[i], 0, sizeof st.frame[i]);
    st.frame[i].page = page;
    st.frame[i].kind = MODEL_FRAME_OWNED;
    st.frame[i].owner = ROOT;
    return &st.frame[i];
}

void frames_resum(void)
{
    st.frames_sum = 0;
    for (uint32_t i = 0; i < st.frames_listed; i++)
        st.frames_sum += model_frame_hash(&st.frame[i]);
}

uint64_t new_child(void)
{
    struct model_result r = HC(ROOT, HVCALL_CREATE_PARTITION, 0);
    ck_assert_uint_eq(r.status, HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_INITIALIZE_PARTITION, r.out[0]),
                      HV_STATUS_SUCCESS);
    return r.out[0];
}

uint64_t running_child(void)
{
    uint64_t c = new_child();
    ck_assert_uint_eq(S(ROOT, HVCALL_DEPOSIT_MEMORY, c, free_root_frame()),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_VP, c, 0, 0), HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_START_VP, c, 0, 0x1000, 0x8000, 2, 0),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_MAP_GPA_PAGES, c, 0, RW,
                        free_root_frame()),
                      HV_STATUS_SUCCESS);
    return c;
}

static void channel(uint64_t receiver, uint32_t port_id, uint64_t sender,
                    uint32_t conn, uint32_t sint, uint32_t type)
{
    ck_assert_uint_eq(S(ROOT, HVCALL_CREATE_PORT, receiver, port_id, sender,
                        type, sint, 0),
                      HV_STATUS_SUCCESS);
    ck_assert_uint_eq(S(ROOT, HVCALL_CONNECT_PORT, sender, conn, receiver,
                        port_id),
                      HV_STATUS_SUCCESS);
}

void message_channel(uint64_t receiver, uint32_t port_id, uint64_t sender,
                     uint32_t conn, uint32_t sint)
{
    channel(receiver, port_id, sender, conn, sint, HV_PORT_TYPE_MESSAGE);
}

void event_channel(uint64_t receiver, uint32_t port_id, uint64_t sender,
                   uint32_t conn, uint32_t sint)
{
    channel(receiver, port_id, sender, conn, sint, HV_PORT_TYPE_EVENT);
}
