#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scenario-compile must refuse a scenario whose model run fails, naming
# the line, and write nothing.
set -uo pipefail
out=build/host/lockstep/compile-refuses
mkdir -p "$out"
rm -f "$out/bad.bin"
cat >"$out/bad.scn" <<'SCN'
root CreatePartition -> c1
root InitializePartition partition=c1 expect ACCESS_DENIED
SCN
if build/host/lockstep/scenario-compile "$out/bad.scn" "$out/bad.bin" 2>"$out/err.log"; then
  echo "FAIL: a scenario with an unmet expectation was compiled"; exit 1
fi
cat "$out/err.log"
grep -q "bad.scn:2: expectation failed" "$out/err.log" || { echo "FAIL: no line number"; exit 1; }
[ ! -e "$out/bad.bin" ] || { echo "FAIL: output written"; exit 1; }
echo ok
