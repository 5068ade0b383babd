#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command that must fail, and passes only if it failed and its output
# matches REGEX: proves that a failure is reported with its reason.
#   expect-fail.sh REGEX CMD...
set -uo pipefail
re=$1
shift
output=$("$@" 2>&1)
rc=$?
if [ "$rc" = 0 ]; then
  echo "expected the command to fail, but it passed:"
  echo "$output" | tail -n 20
  exit 1
fi
if ! grep -qE "$re" <<<"$output"; then
  echo "the command failed (status $rc), but its output has no line matching /$re/:"
  echo "$output" | tail -n 30
  exit 1
fi
echo "failed as expected: $(grep -m1 -E "$re" <<<"$output")"
