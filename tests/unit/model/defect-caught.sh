#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The model built with a queue bound off by one (-DMODEL_DEFECT_QUEUE_BOUND)
# must be caught by a unit test AND by the explorer; the correct model
# must pass both.  A test suite that cannot fail proves nothing.
set -u
d=build/host/model
fail() { echo "FAIL: $*"; exit 1; }

"$d/test_model" >/dev/null 2>&1 || fail "the correct model fails its unit tests"
"$d/explore" --depth 6 --start setup >/dev/null || fail "the correct model fails the explorer"

out=$("$d/defect/test_model" 2>&1) && fail "unit tests pass on the broken model"
grep -q "queue_fills_refuses_drains" <<<"$out" || fail "no queue unit test caught the defect: $out"
echo "ok: unit tests catch the defect: $(grep -m1 queue_fills <<<"$out")"

out=$("$d/defect/explore" --depth 6 --start setup 2>&1) && fail "the explorer passes the broken model"
grep -q "VIOLATION: queue-bound" <<<"$out" || fail "the explorer failed for another reason: $out"
echo "ok: explorer catches the defect: $(grep -m1 VIOLATION <<<"$out")"
grep -A8 "shortest event sequence" <<<"$out"
