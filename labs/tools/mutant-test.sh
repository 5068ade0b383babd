#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab 1: is a model mutant killed by the student's scenarios or invariants?
#   mutant-test.sh MUTANT.mut
# A copy of model/ (with the student's invariants) gets the mutant
# (labtool mutate) and is built on the host.  Killed: one of the
# student's scenarios (labs/01-spec-first/scenarios/*.scn) fails on it, or
# the explorer (depth 5 from setup, depth 6 from ipc: limits in model
# steps) finds a state that breaks one of the invariants.  The verdict is
# the model's own exit status; nothing the student writes prints it.
# Exit 0 killed, 1 survived, 3 a stale mutant or no compiler (nothing judged).
set -uo pipefail
cd "$(dirname "$0")/../.."
mut=$1
out=${GRADE_LOG:-build/grade}/${GRADE_TEST:-mutant}
[[ "$out" = /* ]] || out=$PWD/$out
rm -rf "$out"
mkdir -p "$out/tree/kernel"
cp -r model "$out/tree/model"
cp -r kernel/abi "$out/tree/kernel/abi"
[ -f lib/lab_todo.h ] && mkdir -p "$out/tree/lib" && cp lib/lab_todo.h "$out/tree/lib/"
what=$(grep -m1 '^#' "$mut" | sed 's/^# *//')
echo "mutant $(basename "$mut" .mut): $what"
build/host/labs/labtool mutate "$mut" "$out/tree" || exit 3
srcs=()
for f in "$out"/tree/model/*.c; do [[ "$f" = *_main.c ]] || srcs+=("$f"); done
# One compile of the model, two links; -O1 without sanitizers: a mutant
# must build in seconds (a crash of the mutant still counts as killed).
mkdir -p "$out/obj"
(cd "$out/obj" && gcc -std=c11 -O1 -c -I"$out/tree" "${srcs[@]}" \
  "$out/tree/model/run_scenario_main.c" "$out/tree/model/explore_main.c") || {
  echo "the mutated model does not build"
  exit 3
}
lib=()
for o in "$out"/obj/*.o; do [[ "$o" = *_main.o ]] || lib+=("$o"); done
gcc "${lib[@]}" "$out/obj/run_scenario_main.o" -o "$out/run-scenario" &&
  gcc "${lib[@]}" "$out/obj/explore_main.o" -o "$out/explore" || {
  echo "the mutated model does not build"
  exit 3
}
shopt -s nullglob
scns=(labs/01-spec-first/scenarios/*.scn)
for s in "${scns[@]}"; do
  if ! "$out/run-scenario" -q "$s" >"$out/scn.txt" 2>&1; then
    echo "killed by your scenario $s:"
    head -n 8 "$out/scn.txt" | sed 's/^/  /'
    exit 0
  fi
done
for run in "--depth 5 --start setup" "--depth 6 --start ipc"; do
  # shellcheck disable=SC2086
  if ! "$out/explore" $run >"$out/explore.txt" 2>&1; then
    if grep -q VIOLATION "$out/explore.txt"; then
      echo "killed by your invariants (explore $run):"
      grep -A8 -m1 VIOLATION "$out/explore.txt" | sed 's/^/  /'
      exit 0
    fi
    echo "the explorer failed on the mutant for another reason (explore $run):"
    tail -n 8 "$out/explore.txt" | sed 's/^/  /'
    exit 1
  fi
done
echo "SURVIVED: none of your ${#scns[@]} scenarios fails on this model, and the explorer"
echo "finds no state that breaks your invariants.  Write a scenario whose expected result"
echo "this mutant gets wrong, or an invariant that one of its states breaks."
exit 1
