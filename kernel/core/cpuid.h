/* SPDX-License-Identifier: MIT */
#pragma once
struct vp;
/* Answers the CPUID the VP just executed, in its registers. */
void cpuid_emulate(struct vp *vp);
