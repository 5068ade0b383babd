/* SPDX-License-Identifier: MIT */
/* block_layout.c — input blocks in the layout of hvabi.h's structures. */
#include "block_layout.h"

#include <string.h>

#include "model/encode.h"

struct w {
    uint8_t *b;
    uint32_t cap, len;
    int truncated, overflow;
};

/* Little-endian field of `size` bytes at off; records truncation. */
static void put(struct w *w, uint32_t off, uint64_t v, unsigned size)
{
    if ((uint64_t)off + size > w->cap) {
        w->overflow = 1;
        return;
    }
    if (size < 8 && (v >> (8 * size)))
        w->truncated = 1;
    for (unsigned i = 0; i < size; i++)
        w->b[off + i] = (uint8_t)(v >> (8 * i));
    if (off + size > w->len)
        w->len = off + size;
}

#define OFF(t, f) ((uint32_t)offsetof(struct t, f))
#define SZ(t, f) ((unsigned)sizeof(((struct t *)0)->f))
#define PUT(w, t, f, v) put((w), OFF(t, f), (v), SZ(t, f))

int block_encode(uint16_t code, const uint64_t (*elem)[MODEL_ARGS],
                 uint32_t elements, const void *payload, size_t payload_len,
                 uint8_t *block, uint32_t cap, struct block_out *out,
                 int *truncated)
{
    struct w w = {block, cap, 0, 0, 0};
    const uint64_t *a = elem[0];
    memset(block, 0, cap);
    memset(out, 0, sizeof *out);
    switch (code) {
    case HVCALL_CREATE_PARTITION:
        PUT(&w, hv_input_create_partition, flags, a[0]);
        break;
    case HVCALL_INITIALIZE_PARTITION:
    case HVCALL_FINALIZE_PARTITION:
    case HVCALL_DELETE_PARTITION:
        PUT(&w, hv_input_partition_op, partition_id, a[0]);
        break;
    case HVCALL_DEPOSIT_MEMORY:
        PUT(&w, hv_input_deposit_memory, partition_id, a[0]);
        for (uint32_t i = 0; i < elements; i++)
            put(&w, (uint32_t)sizeof(struct hv_input_deposit_memory) + 8 * i,
                elem[i][1], 8);
        out->reloc_offset = sizeof(struct hv_input_deposit_memory);
        out->reloc_count = (uint16_t)elements;
        break;
    case HVCALL_WITHDRAW_MEMORY:
        PUT(&w, hv_input_withdraw_memory, partition_id, a[0]);
        PUT(&w, hv_input_withdraw_memory, proximity_domain_info, a[1]);
        break;
    case HVCALL_MAP_GPA_PAGES:
        PUT(&w, hv_input_map_gpa_pages, target_partition_id, a[0]);
        PUT(&w, hv_input_map_gpa_pages, target_gpa_base, a[1]);
        PUT(&w, hv_input_map_gpa_pages, map_flags, a[2]);
        for (uint32_t i = 0; i < elements; i++)
            put(&w, (uint32_t)sizeof(struct hv_input_map_gpa_pages) + 8 * i,
                elem[i][3], 8);
        out->reloc_offset = sizeof(struct hv_input_map_gpa_pages);
        out->reloc_count = (uint16_t)elements;
        break;
    case HVCALL_UNMAP_GPA_PAGES:
        PUT(&w, hv_input_unmap_gpa_pages, target_partition_id, a[0]);
        PUT(&w, hv_input_unmap_gpa_pages, target_gpa_base, a[1]);
        PUT(&w, hv_input_unmap_gpa_pages, unmap_flags, a[2]);
        break;
    case HVCALL_CREATE_VP:
        PUT(&w, hv_input_create_vp, partition_id, a[0]);
        PUT(&w, hv_input_create_vp, vp_index, a[1]);
        PUT(&w, hv_input_create_vp, flags, a[2]);
        break;
    case HVCALL_GET_VP_REGISTERS:
        PUT(&w, hv_input_get_vp_registers, partition_id, a[0]);
        PUT(&w, hv_input_get_vp_registers, vp_index, a[1]);
        for (uint32_t i = 0; i < elements; i++)
            put(&w, (uint32_t)sizeof(struct hv_input_get_vp_registers) + 4 * i,
                elem[i][2], 4);
        break;
    case HVCALL_SET_VP_REGISTERS:
        PUT(&w, hv_input_set_vp_registers, partition_id, a[0]);
        PUT(&w, hv_input_set_vp_registers, vp_index, a[1]);
        for (uint32_t i = 0; i < elements; i++) {
            uint32_t e = (uint32_t)sizeof(struct hv_input_set_vp_registers) +
                         (uint32_t)sizeof(struct hv_register_assoc) * i;
            put(&w, e + OFF(hv_register_assoc, name), elem[i][2], 4);
            put(&w, e + OFF(hv_register_assoc, value), elem[i][3], 8);
            put(&w, e + OFF(hv_register_assoc, value) + 8, 0, 8);
        }
        break;
    case HVCALL_START_VP:
        PUT(&w, hv_input_start_vp, partition_id, a[0]);
        PUT(&w, hv_input_start_vp, vp_index, a[1]);
        PUT(&w, hv_input_start_vp, context.rip, a[2]);
        PUT(&w, hv_input_start_vp, context.rsp, a[3]);
        PUT(&w, hv_input_start_vp, context.rflags, a[4]);
        PUT(&w, hv_input_start_vp, context.cr3, a[5]);
        break;
    case HVCALL_CREATE_PORT:
        PUT(&w, hv_input_create_port, port_partition_id, a[0]);
        PUT(&w, hv_input_create_port, port_id, a[1]);
        PUT(&w, hv_input_create_port, connection_partition_id, a[2]);
        PUT(&w, hv_input_create_port, port_info.port_type, a[3]);
        PUT(&w, hv_input_create_port, port_info.target_sint, a[4]);
        PUT(&w, hv_input_create_port, port_info.target_vp, a[5]);
        PUT(&w, hv_input_create_port, port_info.reserved, 0);
        break;
    case HVCALL_DELETE_PORT:
        PUT(&w, hv_input_delete_port, port_partition_id, a[0]);
        PUT(&w, hv_input_delete_port, port_id, a[1]);
        PUT(&w, hv_input_delete_port, reserved, 0);
        break;
    case HVCALL_CONNECT_PORT:
        PUT(&w, hv_input_connect_port, connection_partition_id, a[0]);
        PUT(&w, hv_input_connect_port, connection_id, a[1]);
        PUT(&w, hv_input_connect_port, port_partition_id, a[2]);
        PUT(&w, hv_input_connect_port, port_id, a[3]);
        PUT(&w, hv_input_connect_port, reserved2, 0);
        break;
    case HVCALL_DISCONNECT_PORT:
        PUT(&w, hv_input_disconnect_port, connection_partition_id, a[0]);
        PUT(&w, hv_input_disconnect_port, connection_id, a[1]);
        PUT(&w, hv_input_disconnect_port, reserved, 0);
        break;
    case HVCALL_POST_MESSAGE: {
        PUT(&w, hv_input_post_message, connection_id, a[0]);
        PUT(&w, hv_input_post_message, message_type, a[1]);
        PUT(&w, hv_input_post_message, payload_size, a[2]);
        /* The payload field is always there (the block is 256 bytes). */
        uint32_t p = OFF(hv_input_post_message, payload);
        size_t n = payload_len < HV_MESSAGE_PAYLOAD ? payload_len : HV_MESSAGE_PAYLOAD;
        if (p + HV_MESSAGE_PAYLOAD > cap) {
            w.overflow = 1;
            break;
        }
        if (n)
            memcpy(block + p, payload, n);
        w.len = (uint32_t)sizeof(struct hv_input_post_message);
        break;
    }
    case HVCALL_SIGNAL_EVENT:
        PUT(&w, hv_input_signal_event, connection_id, a[0]);
        PUT(&w, hv_input_signal_event, flag_number, a[1]);
        PUT(&w, hv_input_signal_event, reserved, 0);
        break;
    case HVCALL_PARTITA_GET_EXIT_STATS:
        PUT(&w, hv_input_get_exit_stats, partition_id, a[0]);
        break;
    case HVCALL_PARTITA_TRACE_CONTROL:
        PUT(&w, hv_input_trace_control, mask, a[0]);
        break;
    case HVCALL_PARTITA_SHUTDOWN:
        PUT(&w, hv_input_shutdown, result_code, a[0]);
        break;
    case HVCALL_PARTITA_SINT_EOM:
    case HVCALL_PARTITA_READ_SINT_MESSAGE:
    case HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS:
        PUT(&w, hv_input_sint, sint, a[0]);
        PUT(&w, hv_input_sint, reserved, 0);
        break;
    case HVCALL_PARTITA_COMPLETE_IO:
        PUT(&w, hv_input_complete_io, partition_id, a[0]);
        PUT(&w, hv_input_complete_io, vp_index, a[1]);
        PUT(&w, hv_input_complete_io, reserved, 0);
        PUT(&w, hv_input_complete_io, read_value, a[2]);
        break;
    case HVCALL_PARTITA_SERVE_CHANNEL:
        PUT(&w, hv_input_serve_channel, partition_id, a[0]);
        PUT(&w, hv_input_serve_channel, op, a[1]);
        PUT(&w, hv_input_serve_channel, service, a[2]);
        PUT(&w, hv_input_serve_channel, port_id, a[3]);
        PUT(&w, hv_input_serve_channel, ring_bytes, a[4]);
        PUT(&w, hv_input_serve_channel, ring_page, a[5]);
        out->reloc_offset = OFF(hv_input_serve_channel, ring_page);
        out->reloc_count = 1;
        PUT(&w, hv_input_serve_channel, signal_connection_id, a[6]);
        PUT(&w, hv_input_serve_channel, signal_flag, a[7]);
        break;
    default: /* no input block (GetPartitionId, Null, GetHvInfo, unknown) */
        break;
    }
    out->len = w.len;
    if (truncated)
        *truncated = w.truncated;
    return w.overflow ? -1 : 0;
}

struct r {
    const uint8_t *b;
    uint32_t len;
};

static uint64_t get(const struct r *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        if (off + i < r->len)
            v |= (uint64_t)r->b[off + i] << (8 * i);
    return v;
}

#define GET(r, t, f) get((r), OFF(t, f), SZ(t, f))

int block_decode(uint16_t code, const uint8_t *block, uint32_t len,
                 uint32_t index, uint64_t a[MODEL_ARGS])
{
    struct r r = {block, len};
    memset(a, 0, sizeof(uint64_t) * MODEL_ARGS);
    switch (code) {
    case HVCALL_CREATE_PARTITION:
        a[0] = GET(&r, hv_input_create_partition, flags);
        return 1;
    case HVCALL_INITIALIZE_PARTITION:
    case HVCALL_FINALIZE_PARTITION:
    case HVCALL_DELETE_PARTITION:
        a[0] = GET(&r, hv_input_partition_op, partition_id);
        return 1;
    case HVCALL_DEPOSIT_MEMORY:
        a[0] = GET(&r, hv_input_deposit_memory, partition_id);
        a[1] = get(&r, sizeof(struct hv_input_deposit_memory) + 8ull * index, 8);
        return 1;
    case HVCALL_WITHDRAW_MEMORY:
        a[0] = GET(&r, hv_input_withdraw_memory, partition_id);
        a[1] = GET(&r, hv_input_withdraw_memory, proximity_domain_info);
        return 1;
    case HVCALL_MAP_GPA_PAGES:
        a[0] = GET(&r, hv_input_map_gpa_pages, target_partition_id);
        a[1] = GET(&r, hv_input_map_gpa_pages, target_gpa_base);
        a[2] = GET(&r, hv_input_map_gpa_pages, map_flags);
        a[3] = get(&r, sizeof(struct hv_input_map_gpa_pages) + 8ull * index, 8);
        return 1;
    case HVCALL_UNMAP_GPA_PAGES:
        a[0] = GET(&r, hv_input_unmap_gpa_pages, target_partition_id);
        a[1] = GET(&r, hv_input_unmap_gpa_pages, target_gpa_base);
        a[2] = GET(&r, hv_input_unmap_gpa_pages, unmap_flags);
        return 1;
    case HVCALL_CREATE_VP:
        a[0] = GET(&r, hv_input_create_vp, partition_id);
        a[1] = GET(&r, hv_input_create_vp, vp_index);
        a[2] = GET(&r, hv_input_create_vp, flags);
        return 1;
    case HVCALL_GET_VP_REGISTERS:
        a[0] = GET(&r, hv_input_get_vp_registers, partition_id);
        a[1] = GET(&r, hv_input_get_vp_registers, vp_index);
        a[2] = get(&r, sizeof(struct hv_input_get_vp_registers) + 4ull * index, 4);
        return 1;
    case HVCALL_SET_VP_REGISTERS: {
        uint64_t e = sizeof(struct hv_input_set_vp_registers) +
                     sizeof(struct hv_register_assoc) * (uint64_t)index;
        a[0] = GET(&r, hv_input_set_vp_registers, partition_id);
        a[1] = GET(&r, hv_input_set_vp_registers, vp_index);
        a[2] = get(&r, e + OFF(hv_register_assoc, name), 4);
        a[3] = get(&r, e + OFF(hv_register_assoc, value), 8);
        return 1;
    }
    case HVCALL_START_VP:
        a[0] = GET(&r, hv_input_start_vp, partition_id);
        a[1] = GET(&r, hv_input_start_vp, vp_index);
        a[2] = GET(&r, hv_input_start_vp, context.rip);
        a[3] = GET(&r, hv_input_start_vp, context.rsp);
        a[4] = GET(&r, hv_input_start_vp, context.rflags);
        a[5] = GET(&r, hv_input_start_vp, context.cr3);
        return 1;
    case HVCALL_CREATE_PORT:
        a[0] = GET(&r, hv_input_create_port, port_partition_id);
        a[1] = GET(&r, hv_input_create_port, port_id);
        a[2] = GET(&r, hv_input_create_port, connection_partition_id);
        a[3] = GET(&r, hv_input_create_port, port_info.port_type);
        a[4] = GET(&r, hv_input_create_port, port_info.target_sint);
        a[5] = GET(&r, hv_input_create_port, port_info.target_vp);
        return 1;
    case HVCALL_DELETE_PORT:
        a[0] = GET(&r, hv_input_delete_port, port_partition_id);
        a[1] = GET(&r, hv_input_delete_port, port_id);
        return 1;
    case HVCALL_CONNECT_PORT:
        a[0] = GET(&r, hv_input_connect_port, connection_partition_id);
        a[1] = GET(&r, hv_input_connect_port, connection_id);
        a[2] = GET(&r, hv_input_connect_port, port_partition_id);
        a[3] = GET(&r, hv_input_connect_port, port_id);
        return 1;
    case HVCALL_DISCONNECT_PORT:
        a[0] = GET(&r, hv_input_disconnect_port, connection_partition_id);
        a[1] = GET(&r, hv_input_disconnect_port, connection_id);
        return 1;
    case HVCALL_POST_MESSAGE: {
        a[0] = GET(&r, hv_input_post_message, connection_id);
        a[1] = GET(&r, hv_input_post_message, message_type);
        a[2] = GET(&r, hv_input_post_message, payload_size);
        uint8_t bytes[HV_MESSAGE_PAYLOAD];
        if (a[2] <= HV_MESSAGE_PAYLOAD) {
            for (uint32_t i = 0; i < a[2]; i++)
                bytes[i] = (uint8_t)get(&r, OFF(hv_input_post_message, payload) + i, 1);
            a[3] = model_fnv1a64(bytes, (size_t)a[2]);
        }
        return 1;
    }
    case HVCALL_SIGNAL_EVENT:
        a[0] = GET(&r, hv_input_signal_event, connection_id);
        a[1] = GET(&r, hv_input_signal_event, flag_number);
        return 1;
    case HVCALL_PARTITA_GET_EXIT_STATS:
        a[0] = GET(&r, hv_input_get_exit_stats, partition_id);
        return 1;
    case HVCALL_PARTITA_TRACE_CONTROL:
        a[0] = GET(&r, hv_input_trace_control, mask);
        return 1;
    case HVCALL_PARTITA_SHUTDOWN:
        a[0] = GET(&r, hv_input_shutdown, result_code);
        return 1;
    case HVCALL_PARTITA_SINT_EOM:
    case HVCALL_PARTITA_READ_SINT_MESSAGE:
    case HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS:
        a[0] = GET(&r, hv_input_sint, sint);
        return 1;
    case HVCALL_PARTITA_COMPLETE_IO:
        a[0] = GET(&r, hv_input_complete_io, partition_id);
        a[1] = GET(&r, hv_input_complete_io, vp_index);
        a[2] = GET(&r, hv_input_complete_io, read_value);
        return 1;
    case HVCALL_PARTITA_SERVE_CHANNEL:
        a[0] = GET(&r, hv_input_serve_channel, partition_id);
        a[1] = GET(&r, hv_input_serve_channel, op);
        a[2] = GET(&r, hv_input_serve_channel, service);
        a[3] = GET(&r, hv_input_serve_channel, port_id);
        a[4] = GET(&r, hv_input_serve_channel, ring_bytes);
        a[5] = GET(&r, hv_input_serve_channel, ring_page);
        a[6] = GET(&r, hv_input_serve_channel, signal_connection_id);
        a[7] = GET(&r, hv_input_serve_channel, signal_flag);
        return 1;
    default:
        return 0;
    }
}
