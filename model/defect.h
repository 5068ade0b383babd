/* SPDX-License-Identifier: MIT */
/*
 * defect.h — deliberate, test-only defects.
 *
 * A test that cannot fail proves nothing.  Building the model with
 * -DMODEL_DEFECT_QUEUE_BOUND lets PostMessage queue one message more
 * than the configured depth; the unit tests and the explorer must both
 * catch it (tests/model.host.list: model-broken-bound-caught).  Normal
 * builds never define it.
 */
#ifndef PARTITA_MODEL_DEFECT_H
#define PARTITA_MODEL_DEFECT_H

#ifdef MODEL_DEFECT_QUEUE_BOUND
#define MODEL_QUEUE_SLACK 1u
#else
#define MODEL_QUEUE_SLACK 0u
#endif

#endif /* PARTITA_MODEL_DEFECT_H */
