#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The labs' self-tests (make lab-selftest [LAB=n], labs/README.md):
#   selftest.sh [--solution-only | --starter-only] [--public] [N...]
# For each lab (every labs/NN-*/ without N): this tree, the solution, grades
# 100% with the staff's hidden tests; the generated starter builds and
# grades below 100% without the grader failing (exit 1, a Score line, no
# "grade:" error).  Starters go to build/lab-selftest/lab-N.  --public:
# the solution without the hidden tests (make test's cheap check).
set -uo pipefail
cd "$(dirname "$0")/../.."
mode=both
case ${1:-} in
  --solution-only) mode=solution; shift ;;
  --starter-only) mode=starter; shift ;;
esac
hidden=labs/staff
[ "${1:-}" = --public ] && { hidden=; shift; }
labs=("$@")
if [ ${#labs[@]} = 0 ]; then
  for d in labs/[0-9][0-9]-*/; do
    n=$(basename "$d"); labs+=("$((10#${n%%-*}))")
  done
fi
rc=0
score_of() { grep -aE '^Score: [0-9]+/[0-9]+$' "$1" | tail -n 1 | sed 's/^Score: //'; }
for n in "${labs[@]}"; do
  if [ "$mode" != starter ]; then
    log=build/lab-selftest/solution-$n.txt
    mkdir -p build/lab-selftest
    make -s --no-print-directory lab-tools >"$log" 2>&1 &&
      bash labs/tools/grade.sh "$n" "$hidden" "" >"$log" 2>&1
    st=$?
    s=$(score_of "$log")
    if [ "$st" = 0 ] && [ -n "$s" ] && [ "${s%/*}" = "${s#*/}" ]; then
      echo "ok: lab $n: the solution grades $s"
    else
      echo "FAIL: lab $n: the solution grades '${s:-no score}' (exit $st, log $log)"
      grep -aE '^(FAIL|INFRA|SKIP)' "$log" | head -n 10
      rc=1
    fi
  fi
  if [ "$mode" != solution ]; then
    dir=build/lab-selftest/lab-$n
    rm -rf "$dir"
    if ! make -s --no-print-directory lab-starter LAB="$n" OUT="$dir" >/dev/null; then
      echo "FAIL: lab $n: no starter tree"
      rc=1
      continue
    fi
    log=build/lab-selftest/starter-$n.txt
    make -s --no-print-directory -C "$dir" lab-tools >"$log" 2>&1 &&
      (cd "$dir" && bash labs/tools/grade.sh "$n" "" "") >"$log" 2>&1
    st=$?
    s=$(score_of "$log")
    if [ "$st" = 1 ] && [ -n "$s" ] && [ "${s%/*}" -lt "${s#*/}" ] &&
      grep -aqE '^[0-9]+ passed, [0-9]+ failed$' "$log" && ! grep -aq '^grade:' "$log"; then
      echo "ok: lab $n: the starter grades $s: $(grep -aE '^(FAIL|INFRA)' "$log" | head -n 1 | awk '{print $3}') fails first: $(grep -a -m1 'not written yet' "$log" | sed 's/^ *| *//')"
    else
      echo "FAIL: lab $n: the starter grades '${s:-no score}' (exit $st, log $log)"
      tail -n 15 "$log"
      rc=1
    fi
    rm -rf "$dir"
  fi
done
exit $rc
