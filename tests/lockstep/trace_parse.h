/* SPDX-License-Identifier: MIT */
/*
 * trace_parse.h — the hypervisor's step trace (docs/architecture/
 * trace-format.md) read into memory.  Every malformed record is an error
 * that names its line and says what was expected; nothing crashes.
 */
#ifndef PARTITA_LOCKSTEP_TRACE_PARSE_H
#define PARTITA_LOCKSTEP_TRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* The format this parser reads: the T header's version.  2: eight
 * arguments per H record (1 had six); 3: the header describes the machine
 * (probe range, the root's RAM) instead of a frame window. */
#define TRACE_FORMAT_VERSION "3"
#define TRACE_ARGS 8 /* MODEL_ARGS */
#define TRACE_OUTS 4
#define TRACE_MAX_TABLES 8 /* HV_MAX_PARTITIONS: M records per step */

/* An M record (host test only): one partition's second-level table after
 * a step, as the fake machine counts it (tables.h). */
struct trace_table {
    uint64_t id, sum;
    uint32_t entries, unflushed;
};

/* One H (hypercall), F (fault) or I (intercept) record, exactly as the
 * kernel wrote it: kernel space, not yet translated.  An I record keeps
 * its payload digest and size in arg[0], arg[1] (the model event's
 * arguments) and its status in status. */
struct trace_record {
    char kind; /* 'H', 'F' or 'I' */
    unsigned line; /* line in the trace text */
    uint64_t seq;
    uint64_t actor;
    uint32_t vp;
    uint64_t input, in_gpa, out_gpa;
    uint64_t arg[TRACE_ARGS];
    uint16_t status;
    uint32_t reps;
    uint32_t nout;
    uint64_t out[TRACE_OUTS];
    uint64_t digest;
    /* The M records written ahead of it, if any (tables: how many). */
    uint32_t tables;
    struct trace_table table[TRACE_MAX_TABLES];
};

/* An S record: the kernel's whole canonical encoding after step seq. */
struct trace_state {
    uint64_t seq;
    uint8_t *bytes;
    size_t len;
};

#define TRACE_MAX_RAM_RANGES 16

struct trace {
    int have_header;
    /* What the model needs of the machine (docs/architecture/
     * trace-format.md): the probe range, the root's RAM at boot. */
    uint64_t probe_page, probe_pages;
    uint32_t ram_ranges;
    uint64_t ram[TRACE_MAX_RAM_RANGES][2]; /* first page, pages */
    int services_in_hypervisor; /* BUILD=mono: "services hypervisor" */
    uint64_t digest; /* the boot state's */
    struct trace_record *rec; /* H, F and I, in order */
    size_t n, cap;
    /* Records a reader that checks as it reads emptied from rec before
     * rec[0] (host-lockstep --stream): the next seq expected when n is 0. */
    uint64_t dropped;
    struct trace_state *states;
    size_t nstates, cap_states;
    /* M records read and not yet followed by their H/F/I record. */
    uint32_t pending_tables;
    uint64_t pending_seq;
    struct trace_table pending[TRACE_MAX_TABLES];
    int have_end;
    uint64_t end_seq;
    long long end_result;
    /* The text ended inside a record (no final newline and unparsable):
     * the record was dropped; the line number is kept for the report. */
    unsigned truncated_line;
};

/* Parses one line (without its newline) into whichever part of *t it
 * belongs to.  0 on success; -1 with a message in err otherwise. */
int trace_parse_line(struct trace *t, const char *line, size_t len,
                     unsigned line_no, char *err, size_t errlen);
/* Parses a whole trace text.  The first record must be the T header;
 * blank lines and a trailing '\r' are ignored. */
int trace_parse_text(struct trace *t, const char *text, size_t len,
                     char *err, size_t errlen);
/* Reads and parses a file; -1 with a message if it cannot be read. */
int trace_read_file(struct trace *t, const char *path, char *err,
                    size_t errlen);
void trace_free(struct trace *t);

/* The S record for step seq, or NULL. */
const struct trace_state *trace_state_at(const struct trace *t, uint64_t seq);

/* Whole file into a NUL-terminated malloc'ed buffer (*len excludes the
 * NUL); NULL with errno set on failure. */
char *read_whole_file(const char *path, size_t *len);

#endif
