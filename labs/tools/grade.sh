#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make grade LAB=n [HIDDEN=DIR] [RESULTS=FILE]: finds lab n's folder
# (labs/NN-name/) and, in HIDDEN, the staff's folder of the same name, and
# runs the grader (labs/tools/grade.c) on this tree.
set -uo pipefail
cd "$(dirname "$0")/../.."
lab=$1 hidden=${2:-} results=${3:-}
[[ "$lab" =~ ^[0-9]+$ ]] || { echo "grade: LAB must be a number, not '$lab'" >&2; exit 2; }
dir=$(ls -d "labs/$(printf %02d "$lab")"-*/ 2>/dev/null | head -n 1)
[ -n "$dir" ] || { echo "grade: there is no lab $lab (labs/$(printf %02d "$lab")-*/)" >&2; exit 2; }
dir=${dir%/}
args=(--lab "$dir" --log "build/grade/$(basename "$dir")")
if [ -n "$hidden" ]; then
  h="$hidden/$(basename "$dir")"
  [ -d "$h" ] || { echo "grade: no hidden tests for this lab in $hidden (expected $h/)" >&2; exit 2; }
  args+=(--hidden "$h")
fi
[ -n "$results" ] && args+=(--results "$results")
rm -rf "build/grade/$(basename "$dir")"
exec build/host/labs/grade "${args[@]}"
