/* SPDX-License-Identifier: MIT */
/* make profile's outputs: the table (profile.txt) and the icicle graph
 * of the measured phase's call tree (profile.svg). */
#pragma once
#include <stdio.h>

#include "prof.h"

struct report_info {
    const char *title; /* e.g. "null, BUILD=micro" */
    const char *unit;  /* what one unit of work is */
    double units;      /* the measured phase's units (> 0) */
};

void report_table(const struct prof *p, const struct report_info *ri, FILE *f);
void report_svg(const struct prof *p, const struct report_info *ri, FILE *f);
