/* SPDX-License-Identifier: MIT */
/* status.c — the closed list of statuses the ABI documents. */
#include "status.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    hv_status_t code;
    const char *name;
} statuses[] = {
    {HV_STATUS_SUCCESS, "SUCCESS"},
    {HV_STATUS_INVALID_HYPERCALL_CODE, "INVALID_HYPERCALL_CODE"},
    {HV_STATUS_INVALID_HYPERCALL_INPUT, "INVALID_HYPERCALL_INPUT"},
    {HV_STATUS_INVALID_ALIGNMENT, "INVALID_ALIGNMENT"},
    {HV_STATUS_INVALID_PARAMETER, "INVALID_PARAMETER"},
    {HV_STATUS_ACCESS_DENIED, "ACCESS_DENIED"},
    {HV_STATUS_INVALID_PARTITION_STATE, "INVALID_PARTITION_STATE"},
    {HV_STATUS_OPERATION_DENIED, "OPERATION_DENIED"},
    {HV_STATUS_INSUFFICIENT_MEMORY, "INSUFFICIENT_MEMORY"},
    {HV_STATUS_INVALID_PARTITION_ID, "INVALID_PARTITION_ID"},
    {HV_STATUS_INVALID_VP_INDEX, "INVALID_VP_INDEX"},
    {HV_STATUS_INVALID_PORT_ID, "INVALID_PORT_ID"},
    {HV_STATUS_INVALID_CONNECTION_ID, "INVALID_CONNECTION_ID"},
    {HV_STATUS_INSUFFICIENT_BUFFERS, "INSUFFICIENT_BUFFERS"},
    {HV_STATUS_INVALID_VP_STATE, "INVALID_VP_STATE"},
    {HV_STATUS_NO_DATA, "NO_DATA"},
    {HV_STATUS_INVALID_REGISTER_VALUE, "INVALID_REGISTER_VALUE"},
};

size_t model_status_count(void) { return sizeof statuses / sizeof statuses[0]; }
hv_status_t model_status_at(size_t i) { return statuses[i].code; }

const char *model_status_name(hv_status_t st)
{
    for (size_t i = 0; i < model_status_count(); i++)
        if (statuses[i].code == st)
            return statuses[i].name;
    return NULL;
}

int model_status_parse(const char *text, hv_status_t *out)
{
    if (strncmp(text, "HV_STATUS_", 10) == 0)
        text += 10;
    for (size_t i = 0; i < model_status_count(); i++)
        if (strcmp(statuses[i].name, text) == 0) {
            *out = statuses[i].code;
            return 0;
        }
    char *end;
    unsigned long v = strtoul(text, &end, 0);
    if (*text && !*end && v <= 0xFFFF) {
        *out = (hv_status_t)v;
        return 0;
    }
    return -1;
}
