#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A scenario with a wrong `expect` and one with a syntax error must fail,
# and the message must name the file and the offending line.
set -u
rs=build/host/model/run-scenario
check() { # file line pattern
  out=$("$rs" "$1" 2>&1 >/dev/null); rc=$?
  if [ "$rc" != 1 ]; then echo "FAIL: $1 exited $rc, expected 1"; exit 1; fi
  if ! grep -q "^$1:$2: .*$3" <<<"$out"; then
    echo "FAIL: $1: expected a message '$1:$2: ...$3', got:"; echo "$out"; exit 1
  fi
  echo "ok: $1 fails at line $2: $(head -n1 <<<"$out")"
}
check tests/unit/model/wrong-expect.scn 5 "expected ACCESS_DENIED, got SUCCESS"
check tests/unit/model/bad-syntax.scn 4 "expected key=value"
