/* SPDX-License-Identifier: MIT */
#include "channel.h"

#include "../../lib/format.h"
#include "hypercall.h"
#include "string_util.h"

/* The hypercall pages are shared by every caller of a partition: each
 * function below fills them, calls, and copies the result out at once. */

static void halt(void)
{
    /* The VP sleeps until a message or event arrives, or the next tick. */
    __asm__ volatile("hlt" ::: "memory");
}

int channel_next_message(uint32_t sint, uint32_t *type, struct channel_msg *m, uint32_t *port)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = sint;
    in->reserved = 0;
    if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page))
        return 0;
    const struct hv_message *msg = (const void *)hv_output_page;
    *type = msg->header.message_type;
    *port = msg->header.port_id;
    memset(m, 0, sizeof *m);
    /* A short or foreign payload is not a handshake message: type 0. */
    if (msg->header.payload_size >= sizeof *m)
        memcpy(m, msg->payload, sizeof *m);
    if (m->magic != CHANNEL_MAGIC)
        *type = 0;
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, sint, 0);
    return 1;
}

int channel_post(struct channel *ch, uint32_t type, const struct channel_msg *m)
{
    for (int tries = 0; tries < 1000; tries++) {
        struct hv_input_post_message *in = (void *)hv_input_page;
        memset(in, 0, sizeof *in);
        in->connection_id = ch->msg_connection;
        in->message_type = type;
        in->payload_size = sizeof *m;
        memcpy(in->payload, m, sizeof *m);
        hv_status_t st = hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0);
        if (st != HV_STATUS_INSUFFICIENT_BUFFERS)
            return st == HV_STATUS_SUCCESS ? 0 : -1;
        halt(); /* the peer's queue is full: let it read */
    }
    return -1;
}

void channel_take_events(struct channel *ch)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    in->sint = ch->event_sint;
    in->reserved = 0;
    hv_call(HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS, hv_input_page, hv_output_page);
}

void channel_handle(struct channel *ch, uint32_t type, const struct channel_msg *m)
{
    if (type == CHANNEL_MSG_CLOSE && m->channel_id == ch->id && ch->state != CHANNEL_CLOSED) {
        ch->state = CHANNEL_CLOSED;
        ch->closed_by_peer = 1;
        ch->reason = m->reason <= CHANNEL_CLOSE_PEER_SILENT ? m->reason : CHANNEL_CLOSE_NORMAL;
    }
}

int channel_poll(struct channel *ch)
{
    uint32_t type, port;
    struct channel_msg m;
    int n = 0;
    while (channel_next_message(ch->msg_sint, &type, &m, &port)) {
        n++;
        if (!ch->msg_port || port == ch->msg_port)
            channel_handle(ch, type, &m);
    }
    return n;
}

int channel_write(struct channel *ch, const void *buf, uint32_t n)
{
    const uint8_t *p = buf;
    while (n) {
        if (ch->state != CHANNEL_OPEN)
            return -1;
        uint32_t done = ring_write(&ch->tx, p, n);
        if (ch->tx.error)
            return channel_ring_failed(ch, &ch->tx, "ring to the peer");
        if (done) {
            p += done;
            n -= done;
            channel_signal(ch);
            continue;
        }
        /* Full: ask for a wake-up, look once more (the reader may have
         * read between our write and the flag), then sleep until the
         * reader signals.  A close from the peer ends the wait. */
        ring_set_writer_waiting(&ch->tx);
        if (ring_free(&ch->tx) || ch->tx.error)
            continue;
        ch->waits++;
        halt();
        channel_take_events(ch);
        channel_poll(ch);
    }
    return 0;
}

void (*channel_accept_step)(enum channel_accept_point point);

static void accept_step(enum channel_accept_point point)
{
    if (channel_accept_step)
        channel_accept_step(point);
}

int channel_accept_offer(struct channel *ch, uint32_t service)
{
    uint32_t type, port;
    struct channel_msg m;
    memset(ch, 0, sizeof *ch);
    for (;;) {
        if (!channel_next_message(CHANNEL_CHILD_MSG_SINT, &type, &m, &port)) {
            halt();
            continue;
        }
        if (type == CHANNEL_MSG_OFFER && m.service == service)
            break;
    }
    accept_step(CHANNEL_ACCEPT_OFFERED);
    ch->id = m.channel_id;
    ch->service = service;
    ch->msg_sint = CHANNEL_CHILD_MSG_SINT;
    ch->msg_port = port;
    ch->event_sint = m.event_sint;
    ch->msg_connection = m.msg_connection;
    ch->event_connection = m.event_connection;
    ch->event_flag = m.event_flag;
    ch->state = CHANNEL_OFFERED;
    /* The offer comes from the root, but its numbers are still checked:
     * whole pages, inside the child's GPA space. */
    uint64_t end = m.ring_gpa + 2ull * m.ring_bytes;
    if ((m.ring_gpa & (HV_PAGE_SIZE - 1)) || !m.ring_bytes || (m.ring_bytes & (HV_PAGE_SIZE - 1)) ||
        end > (uint64_t)HV_MAX_CHILD_GPA_PAGES * HV_PAGE_SIZE || m.event_sint >= HV_SYNIC_SINT_COUNT) {
        format_string(ch->report, sizeof ch->report, "bad offer: rings at 0x%llx, %u bytes",
                      (unsigned long long)m.ring_gpa, m.ring_bytes);
        channel_close(ch, CHANNEL_CLOSE_BAD_OFFER);
        return -1;
    }
    uint8_t *rings = (uint8_t *)(uintptr_t)m.ring_gpa;
    /* Child's view: ring 0 (child -> root) is written here, ring 1 read. */
    if (ring_attach(&ch->tx, rings, m.ring_bytes, RING_WRITER))
        return channel_ring_failed(ch, &ch->tx, "ring to the peer");
    if (ring_attach(&ch->rx, rings + m.ring_bytes, m.ring_bytes, RING_READER))
        return channel_ring_failed(ch, &ch->rx, "ring from the peer");
    accept_step(CHANNEL_ACCEPT_ATTACHED);
    struct channel_msg open = channel_control_msg(ch, 0);
    if (channel_post(ch, CHANNEL_MSG_OPEN, &open))
        return -1;
    accept_step(CHANNEL_ACCEPT_OPEN_SENT);
    while (ch->state == CHANNEL_OFFERED) {
        if (!channel_next_message(ch->msg_sint, &type, &m, &port)) {
            halt();
            continue;
        }
        if (port != ch->msg_port || m.channel_id != ch->id)
            continue;
        if (type == CHANNEL_MSG_OPENED)
            ch->state = CHANNEL_OPEN;
        else
            channel_handle(ch, type, &m);
    }
    return ch->state == CHANNEL_OPEN ? 0 : -1;
}
