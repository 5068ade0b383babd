/* SPDX-License-Identifier: MIT */
#include "channel_offer.h"

#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "ports.h"

static int share_pages(uint64_t child, uint64_t gpa, const uint8_t *pages, uint32_t count)
{
    struct hv_input_map_gpa_pages *in = (void *)hv_input_page;
    in->target_partition_id = child;
    in->target_gpa_base = gpa >> HV_PAGE_SHIFT;
    in->map_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_PARTITA_SHARED;
    in->reserved = 0;
    for (uint32_t i = 0; i < count; i++)
        in->source_gpa_page_list[i] = ((uint64_t)(uintptr_t)pages >> HV_PAGE_SHIFT) + i;
    return hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(HVCALL_MAP_GPA_PAGES, 0, count, 0),
                                     (uint64_t)(uintptr_t)hv_input_page, 0));
}

/*
 * Numbering (ports are per receiving partition, connections per sender),
 * with the default layout:
 *   child port 1, SINT 0: messages from the root (the fixed convention)
 *   child port 2, SINT 1: the root's signals
 *   root port 0x100+slot, SINT 2: messages from the child
 *   root port 0x200+slot, SINT 3: the child's signals, flag = slot
 *   root connections 0x100+slot / 0x200+slot lead to the child's two ports,
 *   child connections carry the numbers of its own ports and lead to root
 *   ports 0x100+slot / 0x200+slot.
 */
uint32_t channel_ring_bytes = CHANNEL_RING_BYTES;

const struct channel_layout channel_default_layout = {
    .child_msg_port = 1,
    .child_event_port = 2,
    .child_event_sint = CHANNEL_CHILD_EVENT_SINT,
    .child_ring_gpa = CHANNEL_CHILD_RING_GPA,
    .root_msg_sint = CHANNEL_ROOT_MSG_SINT,
    .root_event_sint = CHANNEL_ROOT_EVENT_SINT,
};

int channel_offer(struct channel *ch, const struct child *c, uint32_t service, uint32_t slot,
                  void *pages)
{
    return channel_offer_at(ch, c, service, slot, pages, &channel_default_layout);
}

int channel_offer_at(struct channel *ch, const struct child *c, uint32_t service,
                     uint32_t slot, void *pages, const struct channel_layout *l)
{
    const uint64_t root = HV_PARTITION_ID_ROOT;
    const uint32_t root_msg = 0x100 + slot, root_ev = 0x200 + slot;
    int st;
    if (!pages)
        return HV_STATUS_INSUFFICIENT_MEMORY; /* channel_ring_pages found none */
    if ((st = root_create_port(c->id, l->child_msg_port, root, HV_PORT_TYPE_MESSAGE,
                          CHANNEL_CHILD_MSG_SINT)) ||
        (st = root_create_port(c->id, l->child_event_port, root, HV_PORT_TYPE_EVENT,
                          l->child_event_sint)) ||
        (st = root_create_port(root, root_msg, c->id, HV_PORT_TYPE_MESSAGE, l->root_msg_sint)) ||
        (st = root_create_port(root, root_ev, c->id, HV_PORT_TYPE_EVENT, l->root_event_sint)) ||
        (st = root_connect(root, root_msg, c->id, l->child_msg_port)) ||
        (st = root_connect(root, root_ev, c->id, l->child_event_port)) ||
        (st = root_connect(c->id, l->child_msg_port, root, root_msg)) ||
        (st = root_connect(c->id, l->child_event_port, root, root_ev)))
        return st;
    /* Formatted before the child can see them: it attaches to sane rings. */
    uint8_t *p = pages;
    ring_format(p, channel_ring_bytes);
    ring_format(p + channel_ring_bytes, channel_ring_bytes);
    if ((st = share_pages(c->id, l->child_ring_gpa, p, 2 * channel_ring_bytes / HV_PAGE_SIZE)))
        return st;
    memset(ch, 0, sizeof *ch);
    ch->id = slot;
    ch->service = service;
    ch->msg_sint = l->root_msg_sint;
    ch->msg_port = root_msg;
    ch->event_sint = l->root_event_sint;
    ch->event_port = root_ev;
    ch->peer = c->id;
    ch->msg_connection = root_msg;
    ch->event_connection = root_ev;
    ch->event_flag = 0;
    /* The root's view: ring 0 (child -> root) is read here, ring 1 written. */
    if (ring_attach(&ch->rx, p, channel_ring_bytes, RING_READER) ||
        ring_attach(&ch->tx, p + channel_ring_bytes, channel_ring_bytes, RING_WRITER))
        return HV_STATUS_INVALID_PARAMETER;
    struct channel_msg m;
    memset(&m, 0, sizeof m);
    m.magic = CHANNEL_MAGIC;
    m.channel_id = slot;
    m.service = service;
    m.ring_gpa = l->child_ring_gpa;
    m.ring_bytes = channel_ring_bytes;
    m.msg_connection = l->child_msg_port;
    m.event_connection = l->child_event_port;
    m.event_flag = (uint16_t)slot;
    m.event_sint = l->child_event_sint;
    ch->state = CHANNEL_OFFERED;
    if (channel_post(ch, CHANNEL_MSG_OFFER, &m))
        return HV_STATUS_INSUFFICIENT_BUFFERS;
    return 0;
}

void channel_root_handle(struct channel *ch, uint32_t type, const struct channel_msg *m)
{
    if (type == CHANNEL_MSG_OPEN && m->channel_id == ch->id && ch->state == CHANNEL_OFFERED) {
        struct channel_msg ok;
        memset(&ok, 0, sizeof ok);
        ok.magic = CHANNEL_MAGIC;
        ok.channel_id = ch->id;
        ch->state = CHANNEL_OPEN;
        channel_post(ch, CHANNEL_MSG_OPENED, &ok);
        return;
    }
    channel_handle(ch, type, m);
}

int channel_root_messages(struct channel *ch)
{
    uint32_t type, port;
    struct channel_msg m;
    int n = 0;
    while (channel_next_message(ch->msg_sint, &type, &m, &port)) {
        n++;
        if (port == ch->msg_port)
            channel_root_handle(ch, type, &m);
    }
    return n;
}
