/* SPDX-License-Identifier: MIT */
/* Port I/O for partitions: passed through to the root's devices, or
 * intercepted by the hypervisor for everything else.  The instructions
 * are the hypervisor's own wrappers. */
#pragma once
#include "../../kernel/arch/x86/io.h"
