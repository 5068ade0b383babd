#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs libFuzzer targets (tests/fuzz/README.md):
#   run.sh [TARGET] [SECONDS]   every target (or one) for SECONDS of search
#   run.sh --runs N TARGET      exactly N inputs, seed 1: the same inputs
#                               every time (make test's short runs)
# Starts from the committed corpus tests/fuzz/corpus/TARGET/ (never
# written) and keeps what it finds in build/fuzz/corpus/TARGET/.  A finding
# (a crash, a sanitizer report, the model disagreeing) is saved as
# build/fuzz/TARGET-crash-*; replay it with build/host/fuzz/TARGET FILE.
# Exit 1 if any target found something.
set -uo pipefail
cd "$(dirname "$0")/../.."
limit=(-max_total_time=60)
if [ "${1:-}" = --runs ]; then
  limit=(-runs="$2" -seed=1)
  shift 2
fi
targets=(${1:-fuzz_hypercall fuzz_ring fuzz_block fuzz_elf fuzz_bootinfo})
[ -n "${2:-}" ] && limit=(-max_total_time="$2")
rc=0
for t in "${targets[@]}"; do
  bin=build/host/fuzz/$t
  [ -x "$bin" ] || { echo "run.sh: no $bin (make fuzz-bins)"; exit 2; }
  mkdir -p "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t"
  log=build/fuzz/$t.log
  "$bin" "${limit[@]}" -print_final_stats=1 -artifact_prefix="build/fuzz/$t-" \
    "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  st=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  if [ "$st" = 0 ]; then
    echo "ok: $t: ${runs:-?} inputs, ${cov:-cov: ?} edges, no finding"
  else
    echo "FAIL: $t: a finding (exit $st) after ${runs:-?} inputs; log $log"
    grep -aE 'disagree|ERROR|SUMMARY|diverg|artifact' "$log" | head -n 12 | sed 's/^/  | /'
    rc=1
  fi
done
exit $rc
