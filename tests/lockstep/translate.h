/* SPDX-License-Identifier: MIT */
/*
 * translate.h — trace records and compiled steps as model events.
 *
 * The model names a frame by its root GPA page, as the hypervisor does
 * (the root's GPAs are host-physical), so a record needs no translation:
 * it becomes an event field for field.  A compiled scenario or fuzz seed
 * is written for the model's default machine (kernel/abi/
 * scenario_steps.h); the root relocates its pages when it plays one, and
 * the checker relocates the steps it compares with the same rule.
 */
#ifndef PARTITA_LOCKSTEP_TRANSLATE_H
#define PARTITA_LOCKSTEP_TRANSLATE_H

#include "kernel/abi/scenario_steps.h"
#include "model/model.h"
#include "trace_parse.h"

/* The model event a record stands for, and the record's outputs. */
void record_to_event(const struct trace_record *r, struct model_event *e,
                     uint64_t out[TRACE_OUTS]);

/* A root step's event as the root played it: its root GPAs (if the step
 * has SCENARIO_STEP_ROOT_GPAS) and the root page in its arguments
 * relocated by scenario_frame_page().  Children's steps stay as they are. */
void relocate_step_event(const struct scenario_step *st, struct model_event *e);

#endif
