/* SPDX-License-Identifier: MIT */
/*
 * calls.c — the dispatch table (see calls.h).  Sizes come from the
 * structures in hvabi.h so the model checks the same page bounds the
 * hypervisor does.
 */
#include "calls.h"

#include <string.h>

#define REP MODEL_CALL_REP
#define FAST MODEL_CALL_FAST_OK

static const struct model_call_desc calls[] = {
    /* partitions */
    {"CreatePartition", HVCALL_CREATE_PARTITION, 0,
     sizeof(struct hv_input_create_partition), 0,
     sizeof(struct hv_output_create_partition), 0,
     {"flags"}, {"partition_id"}, hc_create_partition},
    {"InitializePartition", HVCALL_INITIALIZE_PARTITION, FAST,
     sizeof(struct hv_input_partition_op), 0, 0, 0,
     {"partition"}, {0}, hc_initialize_partition},
    {"FinalizePartition", HVCALL_FINALIZE_PARTITION, FAST,
     sizeof(struct hv_input_partition_op), 0, 0, 0,
     {"partition"}, {0}, hc_finalize_partition},
    {"DeletePartition", HVCALL_DELETE_PARTITION, FAST,
     sizeof(struct hv_input_partition_op), 0, 0, 0,
     {"partition"}, {0}, hc_delete_partition},
    {"GetPartitionId", HVCALL_GET_PARTITION_ID, 0, 0, 0,
     sizeof(struct hv_output_get_partition_id), 0,
     {0}, {"partition_id"}, hc_get_partition_id},
    /* memory */
    {"DepositMemory", HVCALL_DEPOSIT_MEMORY, REP,
     sizeof(struct hv_input_deposit_memory), sizeof(uint64_t), 0, 0,
     {"partition", "page"}, {0}, hc_deposit_memory},
    {"WithdrawMemory", HVCALL_WITHDRAW_MEMORY, REP,
     sizeof(struct hv_input_withdraw_memory), 0, 0, sizeof(uint64_t),
     {"partition", "proximity"}, {"page"}, hc_withdraw_memory},
    {"MapGpaPages", HVCALL_MAP_GPA_PAGES, REP,
     sizeof(struct hv_input_map_gpa_pages), sizeof(uint64_t), 0, 0,
     {"partition", "gpa", "flags", "page"}, {0}, hc_map_gpa_pages},
    {"UnmapGpaPages", HVCALL_UNMAP_GPA_PAGES, REP,
     sizeof(struct hv_input_unmap_gpa_pages), 0, 0, 0,
     {"partition", "gpa", "flags"}, {0}, hc_unmap_gpa_pages},
    /* virtual processors */
    {"CreateVp", HVCALL_CREATE_VP, 0, sizeof(struct hv_input_create_vp), 0,
     0, 0, {"partition", "vp", "flags"}, {0}, hc_create_vp},
    {"GetVpRegisters", HVCALL_GET_VP_REGISTERS, REP,
     sizeof(struct hv_input_get_vp_registers), sizeof(uint32_t), 0,
     sizeof(struct hv_register_value),
     {"partition", "vp", "name"}, {"value"}, hc_get_vp_registers},
    {"SetVpRegisters", HVCALL_SET_VP_REGISTERS, REP,
     sizeof(struct hv_input_set_vp_registers),
     sizeof(struct hv_register_assoc), 0, 0,
     {"partition", "vp", "name", "value"}, {0}, hc_set_vp_registers},
    {"StartVp", HVCALL_START_VP, 0, sizeof(struct hv_input_start_vp), 0, 0,
     0, {"partition", "vp", "rip", "rsp", "rflags", "cr3"}, {0},
     hc_start_vp},
    /* ports, connections, messages, events */
    {"CreatePort", HVCALL_CREATE_PORT, 0, sizeof(struct hv_input_create_port),
     0, 0, 0,
     {"partition", "port", "conn_partition", "type", "sint", "target_vp"},
     {0}, hc_create_port},
    {"DeletePort", HVCALL_DELETE_PORT, FAST,
     sizeof(struct hv_input_delete_port), 0, 0, 0,
     {"partition", "port"}, {0}, hc_delete_port},
    {"ConnectPort", HVCALL_CONNECT_PORT, 0,
     sizeof(struct hv_input_connect_port), 0, 0, 0,
     {"conn_partition", "connection", "partition", "port"}, {0},
     hc_connect_port},
    {"DisconnectPort", HVCALL_DISCONNECT_PORT, FAST,
     sizeof(struct hv_input_disconnect_port), 0, 0, 0,
     {"conn_partition", "connection"}, {0}, hc_disconnect_port},
    {"PostMessage", HVCALL_POST_MESSAGE, 0,
     sizeof(struct hv_input_post_message), 0, 0, 0,
     {"connection", "type", "size", "payload"}, {0}, hc_post_message},
    {"SignalEvent", HVCALL_SIGNAL_EVENT, FAST,
     sizeof(struct hv_input_signal_event), 0, 0, 0,
     {"connection", "flag"}, {0}, hc_signal_event},
    /* Partita's own */
    {"PartitaNull", HVCALL_PARTITA_NULL, FAST, 0, 0, 0, 0, {0}, {0},
     hc_partita_null},
    {"PartitaGetExitStats", HVCALL_PARTITA_GET_EXIT_STATS, 0,
     sizeof(struct hv_input_get_exit_stats), 0,
     sizeof(struct hv_output_exit_stats), 0, {"partition"},
     {"partition_id"}, hc_get_exit_stats},
    {"PartitaGetHvInfo", HVCALL_PARTITA_GET_HV_INFO, 0, 0, 0,
     sizeof(struct hv_output_hv_info), 0, {0},
     {"version", "hv_base", "hv_pages", "queue_depth"}, hc_get_hv_info},
    {"PartitaTraceControl", HVCALL_PARTITA_TRACE_CONTROL, FAST,
     sizeof(struct hv_input_trace_control), 0, 0, 0, {"mask"}, {0},
     hc_trace_control},
    {"PartitaShutdown", HVCALL_PARTITA_SHUTDOWN, FAST,
     sizeof(struct hv_input_shutdown), 0, 0, 0, {"code"}, {0}, hc_shutdown},
    {"PartitaSintEom", HVCALL_PARTITA_SINT_EOM, FAST,
     sizeof(struct hv_input_sint), 0, 0, 0, {"sint"}, {0}, hc_sint_eom},
    {"PartitaReadSintMessage", HVCALL_PARTITA_READ_SINT_MESSAGE, 0,
     sizeof(struct hv_input_sint), 0, sizeof(struct hv_message), 0,
     {"sint"}, {"type", "size", "port", "payload"}, hc_read_sint_message},
    {"PartitaGetAndClearEventFlags", HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS,
     0, sizeof(struct hv_input_sint), 0,
     sizeof(struct hv_output_event_flags), 0, {"sint"}, {"flags"},
     hc_get_and_clear_event_flags},
    {"PartitaCompleteIo", HVCALL_PARTITA_COMPLETE_IO, 0,
     sizeof(struct hv_input_complete_io), 0, 0, 0, {"partition", "vp", "value"}, {0},
     hc_complete_io},
    {"PartitaServeChannel", HVCALL_PARTITA_SERVE_CHANNEL, MODEL_CALL_MONO,
     sizeof(struct hv_input_serve_channel), 0, sizeof(struct hv_output_serve_channel), 0,
     {"partition", "op", "service", "port", "ring_bytes", "ring_page", "connection",
      "flag"},
     {0}, hc_serve_channel},
};

size_t model_call_count(void) { return sizeof calls / sizeof calls[0]; }

const struct model_call_desc *model_call_at(size_t i)
{
    return i < model_call_count() ? &calls[i] : NULL;
}

const struct model_call_desc *model_call_by_code(uint16_t code)
{
    for (size_t i = 0; i < model_call_count(); i++)
        if (calls[i].code == code)
            return &calls[i];
    return NULL;
}

const struct model_call_desc *model_call_by_name(const char *name)
{
    /* Accept the TLFS spelling with or without the "Hv" prefix. */
    if (name[0] == 'H' && name[1] == 'v')
        name += 2;
    for (size_t i = 0; i < model_call_count(); i++)
        if (strcmp(calls[i].name, name) == 0)
            return &calls[i];
    return NULL;
}

static int index_of(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int model_call_arg_index(const struct model_call_desc *d, const char *name)
{
    return index_of(d->args, MODEL_ARGS, name);
}

int model_call_out_index(const struct model_call_desc *d, const char *name)
{
    return index_of(d->outs, MODEL_OUTS, name);
}
