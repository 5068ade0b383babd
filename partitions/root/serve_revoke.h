/* SPDX-License-Identifier: MIT */
/* Root self-test of BUILD=mono's channel checks (serve_revoke.c). */
#pragma once
#include "../lib/runtime.h"

int serve_revoke_test(const struct partition_boot_info *info); /* test=serve-revoke */
