/* SPDX-License-Identifier: MIT */
/*
 * model.h — the Partita reference model: abstract state, step events,
 * results and the functions over them.
 *
 * The model is docs/architecture/hypercalls.md made executable.  It is
 * written for clarity, not speed; it shares nothing with the hypervisor
 * but kernel/abi/hvabi.h.
 *
 * Conventions:
 *  - Every table in the state is a fixed-size array sized by MODEL_MAX_*;
 *    a struct model_config says how much of each a run uses, so the
 *    explorer can run on a tiny machine and the lockstep checker on the
 *    hypervisor's real limits.
 *  - Free entries are all-zero.  Handlers clear what they free, so two
 *    states that mean the same thing encode to the same bytes.
 *  - Partitions are named by id, never by table slot: the slot a
 *    partition sits in is invisible (not encoded, not observable).
 */
#ifndef PARTITA_MODEL_H
#define PARTITA_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/hvabi.h"

#define MODEL_MAX_PARTITIONS HV_MAX_PARTITIONS
#define MODEL_MAX_VPS HV_MAX_VPS_PER_PARTITION
#define MODEL_MAX_SINTS HV_SYNIC_SINT_COUNT
/* One spare entry so the test-only queue-bound defect (defect.h) overflows
 * into the state, where the invariants see it, not into memory. */
#define MODEL_MAX_QUEUE (HV_MESSAGE_QUEUE_DEPTH + 1)
#define MODEL_MAX_PORTS HV_MAX_PORTS
#define MODEL_MAX_CONNECTIONS HV_MAX_CONNECTIONS
/* Frames that are not plain root pages, at most (a state lists only
 * those): 512 MiB worth of pages lent to children and the hypervisor. */
#define MODEL_MAX_LISTED (1u << 17)
#define MODEL_MAX_RAM_RANGES 16
#define MODEL_VP_REGS HV_VP_REGISTER_SUBSET_COUNT

/* ---- configuration ------------------------------------------------- */

struct model_config {
    uint32_t partitions;      /* partition table size, root included */
    uint32_t vps;             /* VPs per partition */
    uint32_t sints;           /* SINTs per VP */
    uint32_t queue_depth;     /* messages queued behind a SINT's slot */
    uint32_t ports;           /* port table size */
    uint32_t connections;     /* connection table size */
    /* The frames: the root's RAM at boot, as ranges of root GPA pages
     * (ascending, disjoint).  A frame is named by its root GPA page; a
     * page outside the ranges is no frame (the hypervisor's, or no RAM). */
    uint32_t ram_ranges;
    struct model_range {
        uint64_t first, pages;
    } ram[MODEL_MAX_RAM_RANGES];
    /* PartitaGetHvInfo's probe range for the root: hypervisor pages. */
    uint64_t probe_page, probe_pages;
    uint32_t child_gpa_pages; /* a child's GPA space is [0, this) pages */
    uint32_t services_in_hypervisor; /* BUILD=mono: HvPartitaServeChannel exists */
};

/* The hypervisor's own limits (what the lockstep checker uses). */
struct model_config model_config_default(void);
/* The explorer's tiny machine: root + 2 children, 2 ports, queue depth 2. */
struct model_config model_config_small(void);
/* 0 if usable, else a message naming the bad field. */
const char *model_config_check(const struct model_config *cfg);

/* ---- abstract state ------------------------------------------------ */

enum model_partition_state {
    MODEL_PART_FREE = 0, /* no partition in this slot (never or deleted) */
    MODEL_PART_CREATED = HV_PARTITION_STATE_CREATED,
    MODEL_PART_INITIALIZED = HV_PARTITION_STATE_INITIALIZED,
    MODEL_PART_FINALIZED = HV_PARTITION_STATE_FINALIZED,
};

struct model_vp {
    uint8_t state;                /* HV_VP_STATE_* */
    uint64_t regs[MODEL_VP_REGS]; /* only meaningful while CREATED */
};

struct model_partition {
    uint8_t state; /* enum model_partition_state */
    uint64_t id;
    uint64_t privileges;   /* HV_PRIVILEGE_* */
    uint32_t deposit_used; /* deposited pages charged (one per VP) */
    struct model_vp vp[MODEL_MAX_VPS];
};

/* Who owns a page frame.  Exactly one owner, except SHARED. */
enum model_frame_kind {
    MODEL_FRAME_OWNED = 1,     /* owner = root or a child */
    MODEL_FRAME_SHARED = 2,    /* owner = root, peer = child (channel) */
    MODEL_FRAME_DEPOSITED = 3, /* hypervisor's, on loan from the root,
                                  accounted to peer */
};

struct model_frame {
    uint64_t page; /* the root GPA page it is */
    uint8_t kind;
    uint64_t owner; /* partition id, 0 = hypervisor */
    uint64_t peer;  /* SHARED: the child; DEPOSITED: accounted partition */
    uint64_t gpa;   /* child GPA page when mapped in a child, else 0 */
    uint8_t rights; /* mapped in a child: the MapGpaPages flags READABLE,
                       WRITABLE, EXECUTABLE it was mapped with; else 0.
                       The root always has its own pages read-write. */
};

struct model_port {
    uint8_t used;
    uint8_t type; /* HV_PORT_TYPE_* */
    uint8_t sint;
    uint8_t vp;
    uint32_t port_id;
    uint64_t partition;      /* receiver */
    uint64_t conn_partition; /* the one partition allowed to connect */
    uint8_t served;          /* HV_SERVICE_* reading this root event port, 0 none */
};

struct model_connection {
    uint8_t used;
    uint32_t conn_id;
    uint64_t partition; /* sender */
    uint64_t port_partition;
    uint32_t port_id;
};

struct model_message {
    uint64_t seq;    /* 0-based order of successful PostMessage calls */
    uint64_t sender; /* partition id of the poster (history, may be gone) */
    uint32_t port_id;
    uint32_t type;
    uint32_t size;
    uint64_t payload_digest; /* FNV-1a 64 of the payload bytes */
};

struct model_sint {
    uint8_t slot_full;
    uint8_t queue_len;
    struct model_message slot;
    struct model_message queue[MODEL_MAX_QUEUE];
    uint64_t event_flags;
};

enum model_hv_state { MODEL_HV_RUNNING = 0, MODEL_HV_SHUT_DOWN = 1 };

struct model_state {
    uint8_t hv_state;
    uint64_t shutdown_code;
    uint64_t trace_mask;
    uint64_t next_partition_id;
    /* Message accounting: every successful post is acked, discarded (its
     * receiver deleted) or still in flight.  The conservation invariant
     * holds the model to "delivered once or refused". */
    uint64_t messages_posted;
    uint64_t messages_acked;
    uint64_t messages_discarded;
    uint64_t events_signaled;
    /* Frames: every frame is a plain root page (owned by the root, lent
     * to nobody) unless it is listed here, in ascending page order.  The
     * sum of the listed frames' hashes (model_frame_hash) is kept with
     * them, so a digest costs the same however many are listed. */
    uint32_t frames_listed;
    uint64_t frames_sum;
    struct model_partition part[MODEL_MAX_PARTITIONS]; /* slot 0: root */
    struct model_port port[MODEL_MAX_PORTS];
    struct model_connection conn[MODEL_MAX_CONNECTIONS];
    struct model_sint sint[MODEL_MAX_PARTITIONS][MODEL_MAX_VPS]
                          [MODEL_MAX_SINTS]; /* by partition slot */
    struct model_frame frame[MODEL_MAX_LISTED]; /* [0, frames_listed) */
};

/* ---- step events and results -------------------------------------- */

enum model_event_kind {
    MODEL_EV_HYPERCALL = 0, /* a partition's VP issued a hypercall */
    MODEL_EV_FAULT = 1,     /* a child's VP triple-faulted (async) */
    MODEL_EV_IO_INTERCEPT = 2, /* a child's VP did port I/O the root emulates
                                  (async): arg[0] payload digest, arg[1] size */
};

/*
 * One step.  Flat, so a hypervisor trace record can carry the same
 * fields.  For a hypercall, arg[] holds the call's input fields in the
 * order of its input structure in hvabi.h (reserved fields skipped) —
 * read from the input page, or from RDX/R8 for a fast call.  A rep call
 * is observed one element at a time: the step carries the element at
 * rep start (see model.md).
 */
#define MODEL_ARGS 8
struct model_event {
    uint32_t kind;   /* enum model_event_kind */
    uint32_t vp;     /* the acting VP of the actor */
    uint64_t actor;  /* partition id */
    uint64_t input;  /* RCX: the hypercall input value */
    uint64_t in_gpa; /* RDX for non-fast calls */
    uint64_t out_gpa; /* R8 for non-fast calls */
    uint64_t arg[MODEL_ARGS];
};

#define MODEL_OUTS 4
struct model_result {
    int possible;           /* 0: this event cannot happen in this state */
    hv_status_t status;
    uint16_t reps_completed;
    uint32_t out_count;     /* outputs the model predicts */
    uint64_t out[MODEL_OUTS];
};

/* ---- the model ------------------------------------------------------ */

/* The state at boot: the root (id 1, INITIALIZED, VP 0 running) owns
 * every frame that is not the hypervisor's. */
void model_init(const struct model_config *cfg, struct model_state *s);

/* step(state, event) -> result + next state.  `next` may alias nothing;
 * `s` is not modified.  On any status but SUCCESS, *next == *s. */
void model_step(const struct model_config *cfg, const struct model_state *s,
                const struct model_event *e, struct model_state *next,
                struct model_result *r);

/* The same, in place (the explorer's fast path). */
void model_apply(const struct model_config *cfg, struct model_state *s,
                 const struct model_event *e, struct model_result *r);

/* Copy only the parts of a state that `cfg` uses. */
void model_state_copy(const struct model_config *cfg,
                      struct model_state *dst,
                      const struct model_state *src);

/* Hypercall input value for the event. */
uint64_t model_input(uint16_t code, int fast, uint32_t rep_count,
                     uint32_t rep_start);

#endif /* PARTITA_MODEL_H */
