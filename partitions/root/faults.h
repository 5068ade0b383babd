/* SPDX-License-Identifier: MIT */
/*
 * test=faults fault=F at=N msgs=M seed=S (docs/architecture/channels.md,
 * "Faults and exactly-once accounting"): seqchild partitions stream
 * numbered records to the root while a child or the root fails at a
 * chosen point; the root accounts for every record the channel accepted.
 */
#pragma once
#include "../lib/runtime.h"

int faults_test(const struct partition_boot_info *info);
