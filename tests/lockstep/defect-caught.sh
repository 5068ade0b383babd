#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The checker must catch a broken hypervisor: the core built with
# -DPARTITA_DEFECT_QUEUE_BOUND (kernel/core/synic.c accepts one message
# past the queue bound) must diverge at the first PostMessage of
# 14-queue-full-drain.scn that the hypervisor's limits refuse, and the
# correct core must pass the same scenario.
#
# The scenario runs at queue_depth=2 against the model, but the
# hypervisor's depth is 4: with the slot and four queued messages full,
# the first post it must refuse is the first "m5" (both m4 posts fit).
set -uo pipefail
scn=tests/scenarios/14-queue-full-drain.scn
out=build/host/lockstep/defect-caught
mkdir -p "$out"
build/host/lockstep/scenario-compile "$scn" "$out/14.bin" || exit 1
line=$(grep -n 'PostMessage.*"m5".*expect INSUFFICIENT_BUFFERS' "$scn" | head -1 | cut -d: -f1)
[ -n "$line" ] || { echo "FAIL: cannot find the m5 post in $scn"; exit 1; }

build/host/lockstep/defect/host-lockstep "$out/14.bin" >"$out/defect.log" 2>&1
rc=$?
cat "$out/defect.log"
if [ "$rc" = 0 ]; then
  echo "FAIL: the checker passed a hypervisor whose queue bound is off by one"
  exit 1
fi
if ! grep -q "^DIVERGENCE at record seq [0-9]* (trace line [0-9]*), step [0-9]* of 14-queue-full-drain.scn (line $line)" "$out/defect.log"; then
  echo "FAIL: expected the divergence at $scn line $line (the first post the hypervisor must refuse)"
  exit 1
fi
if ! grep -q "status   INSUFFICIENT_BUFFERS *SUCCESS *<-- differs" "$out/defect.log"; then
  echo "FAIL: expected model INSUFFICIENT_BUFFERS vs hypervisor SUCCESS in the report"
  exit 1
fi
if ! build/host/lockstep/host-lockstep "$out/14.bin"; then
  echo "FAIL: the correct hypervisor core does not pass $scn"
  exit 1
fi
echo "ok: the defect is caught at line $line; the correct core passes"
