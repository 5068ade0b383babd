/* SPDX-License-Identifier: MIT */
/*
 * hvabi.h — the Partita hypercall ABI.
 *
 * The one file shared by the hypervisor (freestanding), the partitions
 * (freestanding) and the reference model (host).  It therefore includes
 * nothing but <stdint.h> and <stddef.h>, uses fixed-width types only and
 * declares no functions.
 *
 * Names and numbers follow the Hyper-V Top-Level Functional Specification
 * (TLFS) wherever TLFS defines the thing, so the TLFS can be read beside
 * this header.  Partita's own calls live in 0x8000-0x80FF.
 *
 * The prose ABI — inputs, outputs, who may call, every status in check
 * order — is docs/architecture/hypercalls.md.  Keep the two in step.
 */
#ifndef PARTITA_HVABI_H
#define PARTITA_HVABI_H

#include <stddef.h>
#include <stdint.h>

#define HV_ABI_INTERFACE_VERSION 0x00010000u /* major 1, minor 0 */
#define HV_PAGE_SIZE 4096u
#define HV_PAGE_SHIFT 12u

/* ------------------------------------------------------------------ */
/* Hypercall input value (RCX) and result value (RAX)                  */
/* ------------------------------------------------------------------ */

#define HV_HYPERCALL_CODE_MASK 0x000000000000FFFFull /* bits 15:0 */
#define HV_HYPERCALL_FAST_BIT 0x0000000000010000ull  /* bit 16 */
#define HV_HYPERCALL_REP_COUNT_SHIFT 32u             /* bits 43:32 */
#define HV_HYPERCALL_REP_COUNT_MASK 0x00000FFF00000000ull
#define HV_HYPERCALL_REP_START_SHIFT 48u /* bits 59:48 */
#define HV_HYPERCALL_REP_START_MASK 0x0FFF000000000000ull
/* Every other bit (17-31 incl. the TLFS variable-header size, 44-47,
 * 60-63) is reserved-zero in Partita: a set bit gives
 * HV_STATUS_INVALID_HYPERCALL_INPUT. */
#define HV_HYPERCALL_RESERVED_MASK                                          \
    (~(HV_HYPERCALL_CODE_MASK | HV_HYPERCALL_FAST_BIT |                     \
       HV_HYPERCALL_REP_COUNT_MASK | HV_HYPERCALL_REP_START_MASK))

#define HV_HYPERCALL_INPUT(code, fast, rep_count, rep_start)                \
    (((uint64_t)(code) & HV_HYPERCALL_CODE_MASK) |                          \
     ((fast) ? HV_HYPERCALL_FAST_BIT : 0) |                                 \
     (((uint64_t)(rep_count) << HV_HYPERCALL_REP_COUNT_SHIFT) &             \
      HV_HYPERCALL_REP_COUNT_MASK) |                                        \
     (((uint64_t)(rep_start) << HV_HYPERCALL_REP_START_SHIFT) &             \
      HV_HYPERCALL_REP_START_MASK))

#define HV_HYPERCALL_RESULT_STATUS_MASK 0x000000000000FFFFull /* 15:0 */
#define HV_HYPERCALL_RESULT_REPS_SHIFT 32u                    /* 43:32 */
#define HV_HYPERCALL_RESULT_REPS_MASK 0x00000FFF00000000ull
#define HV_HYPERCALL_RESULT(status, reps)                                   \
    ((uint64_t)(uint16_t)(status) |                                         \
     (((uint64_t)(reps) << HV_HYPERCALL_RESULT_REPS_SHIFT) &                \
      HV_HYPERCALL_RESULT_REPS_MASK))

/* ------------------------------------------------------------------ */
/* Call codes                                                          */
/* ------------------------------------------------------------------ */

/* TLFS calls (TLFS numbers). */
#define HVCALL_CREATE_PARTITION 0x0040
#define HVCALL_INITIALIZE_PARTITION 0x0041
#define HVCALL_FINALIZE_PARTITION 0x0042
#define HVCALL_DELETE_PARTITION 0x0043
#define HVCALL_GET_PARTITION_ID 0x0046
#define HVCALL_DEPOSIT_MEMORY 0x0048  /* rep */
#define HVCALL_WITHDRAW_MEMORY 0x0049 /* rep */
#define HVCALL_MAP_GPA_PAGES 0x004b   /* rep */
#define HVCALL_UNMAP_GPA_PAGES 0x004c /* rep */
#define HVCALL_CREATE_VP 0x004e
#define HVCALL_GET_VP_REGISTERS 0x0050 /* rep */
#define HVCALL_SET_VP_REGISTERS 0x0051 /* rep */
#define HVCALL_DELETE_PORT 0x0058
#define HVCALL_DISCONNECT_PORT 0x005b
#define HVCALL_POST_MESSAGE 0x005c
#define HVCALL_SIGNAL_EVENT 0x005d
#define HVCALL_CREATE_PORT 0x0095
#define HVCALL_CONNECT_PORT 0x0096
#define HVCALL_START_VP 0x0099

/* Partita's own calls: 0x8000-0x80FF. */
#define HVCALL_PARTITA_FIRST 0x8000
#define HVCALL_PARTITA_NULL 0x8000           /* round-trip probe */
#define HVCALL_PARTITA_GET_EXIT_STATS 0x8001 /* per-partition exit counts */
#define HVCALL_PARTITA_GET_HV_INFO 0x8002    /* version, backend, limits */
#define HVCALL_PARTITA_TRACE_CONTROL 0x8003  /* set the trace mask */
#define HVCALL_PARTITA_SHUTDOWN 0x8004       /* root ends the run */
/* End-of-message for one SINT.  TLFS does this with a write to the
 * HV_X64_MSR_EOM MSR (0x40000084), which re-delivers pending messages on
 * every SINT of the VP; Partita names the SINT so the step is explicit. */
#define HVCALL_PARTITA_SINT_EOM 0x8005
/* Copy the SINT's message slot to the output page.  TLFS guests read the
 * SIMP page directly; Partita keeps the slot inside the hypervisor so the
 * model sees every read. */
#define HVCALL_PARTITA_READ_SINT_MESSAGE 0x8006
/* Atomically read and clear a SINT's event flags (TLFS guests do this on
 * the SIEF page with a locked exchange). */
#define HVCALL_PARTITA_GET_AND_CLEAR_EVENT_FLAGS 0x8007
/* The root completes a child's intercepted port access (the unenlightened
 * path): TLFS roots do this through register writes and a resume. */
#define HVCALL_PARTITA_COMPLETE_IO 0x8008
/* BUILD=mono only: the root hands the data path of a channel it set up to
 * the service inside the hypervisor (docs/architecture/placement.md). */
#define HVCALL_PARTITA_SERVE_CHANNEL 0x8009
#define HVCALL_PARTITA_LAST 0x80FF

/* ------------------------------------------------------------------ */
/* Status codes (TLFS numbers)                                         */
/* ------------------------------------------------------------------ */

typedef uint16_t hv_status_t;

#define HV_STATUS_SUCCESS 0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE 0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x0003
#define HV_STATUS_INVALID_ALIGNMENT 0x0004
#define HV_STATUS_INVALID_PARAMETER 0x0005
#define HV_STATUS_ACCESS_DENIED 0x0006
#define HV_STATUS_INVALID_PARTITION_STATE 0x0007
#define HV_STATUS_OPERATION_DENIED 0x0008
#define HV_STATUS_INSUFFICIENT_MEMORY 0x000B
#define HV_STATUS_INVALID_PARTITION_ID 0x000D
#define HV_STATUS_INVALID_VP_INDEX 0x000E
#define HV_STATUS_INVALID_PORT_ID 0x0011
#define HV_STATUS_INVALID_CONNECTION_ID 0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS 0x0013
#define HV_STATUS_INVALID_VP_STATE 0x0015
#define HV_STATUS_NO_DATA 0x001B
#define HV_STATUS_INVALID_REGISTER_VALUE 0x0050

/* ------------------------------------------------------------------ */
/* Fixed limits of the hypervisor (the model's default configuration)  */
/* ------------------------------------------------------------------ */

#define HV_MAX_PARTITIONS 8        /* including the root */
#define HV_MAX_VPS_PER_PARTITION 2
#define HV_MAX_PORTS 16            /* system-wide */
#define HV_MAX_CONNECTIONS 16      /* system-wide */
#define HV_MESSAGE_QUEUE_DEPTH 4   /* per SINT, behind the message slot */
#define HV_MESSAGE_SIZE 256
#define HV_MESSAGE_PAYLOAD 240     /* bytes: HV_MESSAGE_SIZE - header */
#define HV_SYNIC_SINT_COUNT 16
#define HV_EVENT_FLAGS_PER_SINT 64 /* TLFS has 2048; Partita one u64 */
/* The hypervisor tells the root about its children on the root's last SINT
 * (VP 0): when a child's VP faults, event flag (child id % 64) is set there.
 * Only flags: no message of the hypervisor's goes there. */
#define HV_SINT_PARTITION_NEWS (HV_SYNIC_SINT_COUNT - 1)
/* The one before (VP 0) carries the hypervisor's intercept messages
 * (HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT): a SINT of their own, so a full
 * queue of them never hides news and the root's device emulation reads
 * nothing else there. */
#define HV_SINT_INTERCEPTS (HV_SYNIC_SINT_COUNT - 2)
#define HV_MAX_CHILD_GPA_PAGES 131072 /* child GPA space: pages [0, this), 512 MiB */
#define HV_PORT_ID_MAX 0x00FFFFFFu  /* valid port ids: 1..HV_PORT_ID_MAX */
#define HV_CONNECTION_ID_MAX 0x00FFFFFFu

/* ------------------------------------------------------------------ */
/* Identifiers                                                         */
/* ------------------------------------------------------------------ */

typedef uint64_t hv_partition_id_t;
#define HV_PARTITION_ID_INVALID 0ull
#define HV_PARTITION_ID_ROOT 1ull /* the root is always partition 1 */
#define HV_PARTITION_ID_SELF 0xFFFFFFFFFFFFFFFFull

/* Partition states (as reported in traces and model dumps). */
#define HV_PARTITION_STATE_CREATED 1
#define HV_PARTITION_STATE_INITIALIZED 2
#define HV_PARTITION_STATE_FINALIZED 3

/* VP states. */
#define HV_VP_STATE_NONE 0
#define HV_VP_STATE_CREATED 1 /* exists, never run: registers accessible */
#define HV_VP_STATE_RUNNING 2
#define HV_VP_STATE_STOPPED 3 /* finalized or faulted; never runs again */
#define HV_VP_STATE_WAITING_IO 4 /* in an intercepted I/O instruction, until the
                                    root completes it (PartitaCompleteIo) */

/* Partition privilege bits (TLFS HV_PARTITION_PRIVILEGE_MASK has its own
 * layout; Partita needs one bit: the root's right to manage others). */
#define HV_PRIVILEGE_MANAGE_PARTITIONS (1ull << 0)
#define HV_PRIVILEGE_ROOT HV_PRIVILEGE_MANAGE_PARTITIONS

/* ------------------------------------------------------------------ */
/* Input and output blocks, one per call.  Reserved fields must be 0.   */
/* Structures are naturally aligned; sizes are pinned below.           */
/* ------------------------------------------------------------------ */

/* HvCreatePartition 0x40 */
struct hv_input_create_partition {
    uint64_t flags; /* no flags defined: must be 0 */
};
struct hv_output_create_partition {
    uint64_t partition_id;
};

/* HvInitializePartition 0x41, HvFinalizePartition 0x42,
 * HvDeletePartition 0x43 (fast-capable: RDX = partition_id) */
struct hv_input_partition_op {
    uint64_t partition_id;
};

/* HvGetPartitionId 0x46: no input. */
struct hv_output_get_partition_id {
    uint64_t partition_id;
};

/* HvDepositMemory 0x48, rep: one element = one root GPA page number. */
struct hv_input_deposit_memory {
    uint64_t partition_id;
    uint64_t gpa_page_list[]; /* [rep count] */
};

/* HvWithdrawMemory 0x49, rep: each element returns one page. */
struct hv_input_withdraw_memory {
    uint64_t partition_id;
    uint64_t proximity_domain_info; /* must be 0 */
};
struct hv_output_withdraw_memory {
    uint64_t gpa_page_list[1]; /* [rep count]: root GPA page numbers */
};

/* HvMapGpaPages 0x4b, rep: element i maps source_gpa_page_list[i] at
 * target_gpa_base + i. */
#define HV_MAP_GPA_READABLE 0x00000001u
#define HV_MAP_GPA_WRITABLE 0x00000002u
#define HV_MAP_GPA_EXECUTABLE 0x00000004u
/* Partita: keep the root's access, making the page a channel page
 * shared by the root and the target child. */
#define HV_MAP_GPA_PARTITA_SHARED 0x80000000u
#define HV_MAP_GPA_VALID_MASK                                               \
    (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE |    \
     HV_MAP_GPA_PARTITA_SHARED)
struct hv_input_map_gpa_pages {
    uint64_t target_partition_id;
    uint64_t target_gpa_base; /* page number in the target's GPA space */
    uint32_t map_flags;
    uint32_t reserved;
    uint64_t source_gpa_page_list[]; /* [rep count]: root GPA pages */
};

/* HvUnmapGpaPages 0x4c, rep: element i unmaps target_gpa_base + i. */
struct hv_input_unmap_gpa_pages {
    uint64_t target_partition_id;
    uint64_t target_gpa_base;
    uint32_t unmap_flags; /* must be 0 */
    uint32_t reserved;
};

/* HvCreateVp 0x4e */
struct hv_input_create_vp {
    uint64_t partition_id;
    uint32_t vp_index;
    uint32_t reserved;
    uint64_t flags; /* must be 0 */
};

/* Register names of the documented subset (TLFS HV_REGISTER_NAME values).
 * Get/SetVpRegisters accept exactly these. */
#define HV_X64_REGISTER_RAX 0x00020000u
#define HV_X64_REGISTER_RSP 0x00020004u
#define HV_X64_REGISTER_RIP 0x00020010u
#define HV_X64_REGISTER_RFLAGS 0x00020011u
#define HV_X64_REGISTER_CR0 0x00040000u
#define HV_X64_REGISTER_CR3 0x00040002u
#define HV_X64_REGISTER_CR4 0x00040003u
#define HV_X64_REGISTER_EFER 0x00080001u
#define HV_VP_REGISTER_SUBSET_COUNT 8
#define HV_X64_RFLAGS_FIXED1 0x2ull /* bit 1 of RFLAGS always reads 1 */

/* HvGetVpRegisters 0x50, rep: element = one register name. */
struct hv_input_get_vp_registers {
    uint64_t partition_id; /* or HV_PARTITION_ID_SELF */
    uint32_t vp_index;
    uint32_t reserved;
    uint32_t names[]; /* [rep count] */
};
struct hv_register_value {
    uint64_t low; /* the subset is 64-bit; high must be 0 */
    uint64_t high;
};
/* output: struct hv_register_value values[rep count] */

/* HvSetVpRegisters 0x51, rep: element = one name/value pair. */
struct hv_register_assoc {
    uint32_t name;
    uint32_t reserved1;
    uint64_t reserved2;
    struct hv_register_value value;
};
struct hv_input_set_vp_registers {
    uint64_t partition_id; /* or HV_PARTITION_ID_SELF */
    uint32_t vp_index;
    uint32_t reserved;
    struct hv_register_assoc elements[]; /* [rep count] */
};

/* HvStartVp 0x99: start a created VP with an initial context. */
struct hv_initial_vp_context {
    uint64_t rip;
    uint64_t rsp;
    uint64_t rflags;
    uint64_t cr3;
};
struct hv_input_start_vp {
    uint64_t partition_id;
    uint32_t vp_index;
    uint32_t reserved;
    struct hv_initial_vp_context context;
};

/* Ports and connections. */
#define HV_PORT_TYPE_MESSAGE 1u
#define HV_PORT_TYPE_EVENT 2u
struct hv_port_info {
    uint32_t port_type;   /* HV_PORT_TYPE_* */
    uint32_t target_sint; /* < HV_SYNIC_SINT_COUNT */
    uint32_t target_vp;   /* < HV_MAX_VPS_PER_PARTITION */
    uint32_t reserved;
};

/* HvCreatePort 0x95 */
struct hv_input_create_port {
    uint64_t port_partition_id;       /* the receiving partition */
    uint32_t port_id;                 /* chosen by the caller */
    uint32_t reserved;
    uint64_t connection_partition_id; /* the only partition that may connect */
    struct hv_port_info port_info;
};

/* HvDeletePort 0x58 (fast-capable: RDX = partition, R8 = port id) */
struct hv_input_delete_port {
    uint64_t port_partition_id;
    uint32_t port_id;
    uint32_t reserved;
};

/* HvConnectPort 0x96 */
struct hv_input_connect_port {
    uint64_t connection_partition_id; /* the sending partition */
    uint32_t connection_id;           /* chosen by the caller, per sender */
    uint32_t reserved;
    uint64_t port_partition_id;
    uint32_t port_id;
    uint32_t reserved2;
};

/* HvDisconnectPort 0x5b (fast-capable) */
struct hv_input_disconnect_port {
    uint64_t connection_partition_id;
    uint32_t connection_id;
    uint32_t reserved;
};

/* HvPostMessage 0x5c */
struct hv_input_post_message {
    uint32_t connection_id;
    uint32_t reserved;
    uint32_t message_type; /* 1..0x7FFFFFFF; the top half is the hv's */
    uint32_t payload_size; /* <= HV_MESSAGE_PAYLOAD */
    uint64_t payload[HV_MESSAGE_PAYLOAD / 8];
};
#define HV_MESSAGE_TYPE_NONE 0u
#define HV_MESSAGE_TYPE_HYPERVISOR_FIRST 0x80000000u

/* HvSignalEvent 0x5d (fast-capable: RDX = this block as one u64) */
struct hv_input_signal_event {
    uint32_t connection_id;
    uint16_t flag_number; /* < HV_EVENT_FLAGS_PER_SINT */
    uint16_t reserved;
};

/* The 256-byte message as it sits in a SINT's message slot (TLFS
 * HV_MESSAGE: 16-byte header + 240-byte payload). */
struct hv_message_header {
    uint32_t message_type;
    uint8_t payload_size;
    uint8_t message_flags; /* always 0: MessagePending is not used */
    uint16_t reserved;
    uint32_t port_id; /* the port it arrived through (TLFS: Port) */
    uint32_t reserved2;
};
struct hv_message {
    struct hv_message_header header;
    uint64_t payload[HV_MESSAGE_PAYLOAD / 8];
};

/* ---- Partita calls --------------------------------------------------- */

/* HvPartitaGetExitStats 0x8001: normalized VM-exit reasons. */
enum hv_exit_reason {
    HV_EXIT_HYPERCALL = 0,
    HV_EXIT_CPUID = 1,
    HV_EXIT_HLT = 2,
    HV_EXIT_IO = 3,
    HV_EXIT_MSR = 4,
    HV_EXIT_NPF = 5, /* EPT violation (VT-x) / nested page fault (AMD-V) */
    HV_EXIT_EXCEPTION = 6,
    HV_EXIT_TRIPLE_FAULT = 7,
    HV_EXIT_INTERRUPT = 8, /* external interrupt, preemption timer */
    HV_EXIT_OTHER = 9,
    HV_EXIT_REASON_COUNT = 10
};
struct hv_input_get_exit_stats {
    uint64_t partition_id; /* or HV_PARTITION_ID_SELF */
};
struct hv_output_exit_stats {
    uint64_t partition_id;
    uint64_t total;
    uint64_t count[HV_EXIT_REASON_COUNT];
};

/* HvPartitaGetHvInfo 0x8002: no input. */
#define HV_BACKEND_UNKNOWN 0u
#define HV_BACKEND_VMX 1u
#define HV_BACKEND_SVM 2u
struct hv_output_hv_info {
    uint32_t interface_version; /* HV_ABI_INTERFACE_VERSION */
    uint32_t backend;           /* HV_BACKEND_* */
    /* A hypervisor-owned range of root GPA space: the root may probe it
     * and must find every access refused.  Root GPAs are host-physical
     * addresses, so a child gets 0 and 0. */
    uint64_t hv_probe_gpa_base;
    uint64_t hv_probe_page_count;
    uint32_t max_partitions;
    uint32_t max_vps_per_partition;
    uint32_t max_ports;
    uint32_t message_queue_depth;
    uint32_t sint_count;
    uint32_t reserved;
};

/* HvPartitaTraceControl 0x8003 (fast-capable: RDX = mask) */
#define HV_TRACE_HYPERCALLS (1ull << 0)
#define HV_TRACE_MESSAGES (1ull << 1)
#define HV_TRACE_EXITS (1ull << 2)
#define HV_TRACE_DIGESTS (1ull << 3)
#define HV_TRACE_VALID_MASK 0xFull
#define HV_TRACE_DEFAULT_MASK                                               \
    (HV_TRACE_HYPERCALLS | HV_TRACE_MESSAGES | HV_TRACE_DIGESTS)
struct hv_input_trace_control {
    uint64_t mask;
};

/* HvPartitaShutdown 0x8004 (fast-capable: RDX = result code) */
struct hv_input_shutdown {
    uint64_t result_code; /* 0 = pass; reported by the test harness */
};

/* An unenlightened child's port access the hypervisor does not handle is
 * sent to the root as a message on its SINT HV_SINT_INTERCEPTS (VP 0), from
 * port 0 (the hypervisor); the child's VP waits until the root answers with
 * HvPartitaCompleteIo (0x8008). */
#define HV_MESSAGE_TYPE_X64_IO_PORT_INTERCEPT 0x80010000u /* TLFS value */
struct hv_x64_io_intercept_message {
    uint64_t partition_id;
    uint32_t vp_index;
    uint16_t port;
    uint8_t access_size; /* 1, 2 or 4 */
    uint8_t is_write;    /* OUT */
    uint64_t value;      /* OUT: what was written */
};
/* With the answer, the device model may reprogram the VP's virtual timer
 * line (an unenlightened guest's PIT and PIC, docs/architecture/
 * linux-guest.md): SET_TIMER takes timer_deadline (guest TSC, 0 stops it),
 * timer_period (TSC ticks, 0 one-shot) and timer_vector (below 32: the
 * timer never fires); SET_MASK takes timer_masked; SET_IRQ sets a level
 * line (a device's interrupt through the PIC, already masked by the model):
 * while irq_level is 1 the VP gets irq_vector whenever it takes interrupts. */
#define HV_COMPLETE_IO_SET_TIMER 1u
#define HV_COMPLETE_IO_SET_MASK 2u
#define HV_COMPLETE_IO_SET_IRQ 4u
struct hv_input_complete_io {
    uint64_t partition_id;
    uint32_t vp_index;
    uint32_t flags;      /* HV_COMPLETE_IO_* */
    uint64_t read_value; /* what the intercepted IN reads; an OUT ignores it */
    uint64_t timer_deadline;
    uint64_t timer_period;
    uint8_t timer_vector;
    uint8_t timer_masked;
    uint8_t irq_vector;
    uint8_t irq_level;
    uint8_t reserved[4];
};

/* HvPartitaServeChannel 0x8009.  `port_id` is the root's event port the
 * child signals when it has written; while a service serves it, those
 * signals run the service instead of setting the root's flag. */
#define HV_SERVE_ATTACH 1u
#define HV_SERVE_QUERY 2u
#define HV_SERVE_DETACH 3u
#define HV_SERVICE_CONSOLE 1u /* the channel services of partitions/lib */
#define HV_SERVICE_BLOCK 2u
struct hv_input_serve_channel {
    uint64_t partition_id; /* the child at the other end */
    uint32_t op;           /* HV_SERVE_* */
    uint32_t service;      /* ATTACH: HV_SERVICE_* */
    uint32_t port_id;      /* the root's event port of the channel */
    uint32_t ring_bytes;   /* ATTACH: bytes of each ring, whole pages */
    uint64_t ring_page;    /* ATTACH: root GPA page of the two rings (child->root first) */
    uint32_t signal_connection_id; /* ATTACH: the root's connection to the child's event port */
    uint32_t signal_flag;  /* ATTACH: the flag it signals, < HV_EVENT_FLAGS_PER_SINT */
    char name[16];         /* ATTACH: the child's name, for the console's prefix */
};
/* What the service saw.  counters[] by service:
 *   console: 0 lines, 1 bytes, 2 fnv1a of the bytes, 3-5 the same three
 *            before the last complete line, which is in text[], 6 times
 *            the writer was woken after waiting for room
 *   block:   0 requests, 1 sectors read, 2 sectors written, 3 errors,
 *            4 last written sector, 5 fnv1a of its data, 6 wrote at all,
 *            7-15 replies by block status 0-8 (services/block_proto.h)
 * FAILED: text[] says why, as the root would have said it. */
#define HV_SERVE_STATE_NONE 0u  /* no service on that port */
#define HV_SERVE_STATE_OPEN 1u
#define HV_SERVE_STATE_FAILED 2u /* the ring went bad: nothing more is read */
struct hv_output_serve_channel {
    uint32_t state;      /* HV_SERVE_STATE_* */
    uint32_t ring_error; /* FAILED: the ring's error (services/ring.h) */
    uint32_t bad_value;  /* FAILED: the offending index */
    uint32_t ring_size;
    uint32_t which_ring; /* FAILED: 0 the child's ring, 1 the service's */
    uint32_t text_len;
    uint64_t counters[16];
    char text[160];
};

/* HvPartitaSintEom 0x8005, HvPartitaReadSintMessage 0x8006,
 * HvPartitaGetAndClearEventFlags 0x8007: the caller's own VP. */
struct hv_input_sint {
    uint32_t sint;
    uint32_t reserved;
};
/* 0x8006 output: struct hv_message. */
struct hv_output_event_flags {
    uint64_t flags;
};

/* ------------------------------------------------------------------ */
/* Size pins: the ABI must not drift with the compiler.                 */
/* ------------------------------------------------------------------ */
_Static_assert(sizeof(struct hv_input_map_gpa_pages) == 24, "map hdr");
_Static_assert(sizeof(struct hv_input_unmap_gpa_pages) == 24, "unmap");
_Static_assert(sizeof(struct hv_input_create_vp) == 24, "create vp");
_Static_assert(sizeof(struct hv_input_start_vp) == 48, "start vp");
_Static_assert(sizeof(struct hv_register_assoc) == 32, "reg assoc");
_Static_assert(sizeof(struct hv_input_create_port) == 40, "create port");
_Static_assert(sizeof(struct hv_input_connect_port) == 32, "connect");
_Static_assert(sizeof(struct hv_input_post_message) == 256, "post");
_Static_assert(sizeof(struct hv_input_signal_event) == 8, "signal");
_Static_assert(sizeof(struct hv_message) == HV_MESSAGE_SIZE, "message");
_Static_assert(sizeof(struct hv_output_exit_stats) == 96, "exit stats");
_Static_assert(sizeof(struct hv_output_hv_info) == 48, "hv info");
_Static_assert(sizeof(struct hv_x64_io_intercept_message) == 24, "io intercept");
_Static_assert(sizeof(struct hv_input_complete_io) == 48, "complete io");
_Static_assert(sizeof(struct hv_input_serve_channel) == 56, "serve channel");
_Static_assert(sizeof(struct hv_output_serve_channel) == 312, "serve channel out");

#endif /* PARTITA_HVABI_H */
