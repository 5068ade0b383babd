/* SPDX-License-Identifier: MIT */
/*
 * helpers.h — fixtures for the model's Check tests.
 *
 * hc() issues one hypercall step as a partition's VP 0 and, whenever the
 * status is not SUCCESS, asserts that the state did not change — so every
 * error-path test also checks the ABI's "refused means nothing changed".
 */
#ifndef PARTITA_TEST_MODEL_HELPERS_H
#define PARTITA_TEST_MODEL_HELPERS_H

#include <check.h>

#include "model/model.h"
#include "model/state.h"

extern struct model_config cfg;
extern struct model_state st;

/* Checked fixture: default configuration, boot state. */
void fx_setup(void);

#define ROOT HV_PARTITION_ID_ROOT
#define RW (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE)

struct model_result hc_args(uint64_t actor, uint16_t code,
                            const uint64_t *args, size_t n);
#define HC(actor, code, ...)                                                \
    hc_args((actor), (code), (const uint64_t[]){__VA_ARGS__},               \
            sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))
/* Status of HC(...). */
#define S(actor, code, ...) (HC(actor, code, __VA_ARGS__).status)
#define NOARG 0

/* Raw step with a full event; also asserts unchanged-on-failure. */
struct model_result step_event(const struct model_event *e);

/* A child created and initialized (no VP, no memory). */
uint64_t new_child(void);
/* A child with one deposited page, VP 0 running and GPA page 0 mapped. */
uint64_t running_child(void);
/* A root frame no one else has (highest first). */
uint64_t free_root_frame(void);
/* The frame at root page `page` as the model sees it (a plain root page
 * if unlisted; kind 0 if it is no frame). */
struct model_frame frame_at(uint64_t page);
/* For building bad states: the frame at `page` listed as it is (a plain
 * root page is listed raw), to be edited; frames_resum() afterwards keeps
 * the hash sum right so only the edit is wrong. */
struct model_frame *frame_edit(uint64_t page);
void frames_resum(void);
/* Message port `port_id` on `receiver` (sint, vp 0) admitting `sender`,
 * connected as the sender's connection `conn`. */
void message_channel(uint64_t receiver, uint32_t port_id, uint64_t sender,
                     uint32_t conn, uint32_t sint);
void event_channel(uint64_t receiver, uint32_t port_id, uint64_t sender,
                   uint32_t conn, uint32_t sint);

Suite *suite_partition(void);
Suite *suite_memory(void);
Suite *suite_vp(void);
Suite *suite_port(void);
Suite *suite_message(void);
Suite *suite_partita(void);
Suite *suite_dispatch(void);
Suite *suite_invariants(void);
Suite *suite_encode(void);
Suite *suite_scenario(void);
Suite *suite_explore(void);

#endif
