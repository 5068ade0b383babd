#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every test named in the given list files and prints one line per test:
#   PASS|FAIL  name  seconds
# A failing test's own output (its reason and log tail) follows its line.
# Ends with the plain line "N passed, N failed"; exits 1 if any failed.
#
# A list file has one test per line: "<name> <shell command>", run from the
# repository root; '#' starts a comment.  TESTS=REGEX runs only matching names.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs=build/test-logs
mkdir -p "$logs"
filter=${TESTS:-}
passed=0 failed=0 failed_names=()

for list in "$@"; do
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    name=$(awk '{print $1}' <<<"$line")
    cmd=$(sed -E 's/^[[:space:]]*[^[:space:]]+[[:space:]]+//' <<<"$line")
    if [ -n "$filter" ] && ! [[ "$name" =~ $filter ]]; then
      continue
    fi
    start=$(date +%s.%N)
    bash -c "$cmd" </dev/null >"$logs/$name.log" 2>&1
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
    if [ "$rc" = 0 ]; then
      printf 'PASS  %-36s %8ss\n' "$name" "$secs"
      passed=$((passed + 1))
    else
      printf 'FAIL  %-36s %8ss  (exit %s, log %s)\n' "$name" "$secs" "$rc" "$logs/$name.log"
      tail -n 40 "$logs/$name.log" | sed 's/^/      | /'
      failed=$((failed + 1))
      failed_names+=("$name")
    fi
  done <"$list"
done

if [ "$failed" -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
