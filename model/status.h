/* SPDX-License-Identifier: MIT */
/* status.h — names of statuses, for dumps, scenarios and reports. */
#ifndef PARTITA_MODEL_STATUS_H
#define PARTITA_MODEL_STATUS_H

#include <stddef.h>

#include "kernel/abi/hvabi.h"

/* "SUCCESS", "INSUFFICIENT_BUFFERS", ... or NULL if unknown. */
const char *model_status_name(hv_status_t st);
/* Parse "SUCCESS" or "HV_STATUS_SUCCESS" or a number; 0 on success. */
int model_status_parse(const char *text, hv_status_t *out);
/* Iterate the documented statuses: i = 0.. until count. */
size_t model_status_count(void);
hv_status_t model_status_at(size_t i);

#endif /* PARTITA_MODEL_STATUS_H */
