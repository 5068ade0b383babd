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
# JOBS=N runs up to N tests at a time; lines still come out in list order.
# Every test is deterministic however loaded the host is (QEMU counts
# instructions, Bochs simulates time), and each writes its own out dir.
jobs=${JOBS:-1}
passed=0 failed=0 failed_names=()
names=() cmds=()

for list in "$@"; do
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    name=$(awk '{print $1}' <<<"$line")
    cmd=$(sed -E 's/^[[:space:]]*[^[:space:]]+[[:space:]]+//' <<<"$line")
    if [ -n "$filter" ] && ! [[ "$name" =~ $filter ]]; then
      continue
    fi
    names+=("$name")
    cmds+=("$cmd")
  done <"$list"
done

run_one() { # name cmd: the test's output to its log, "rc secs" to its .result
  local start rc
  start=$(date +%s.%N)
  bash -c "$2" </dev/null >"$logs/$1.log" 2>&1
  rc=$?
  echo "$rc $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')" \
    >"$logs/$1.result"
}

shown=0
report_ready() { # prints, in list order, every finished test not shown yet
  while [ "$shown" -lt "${#started[@]}" ] && [ -s "$logs/${names[$shown]}.result" ]; do
    local name=${names[$shown]} rc secs
    read -r rc secs <"$logs/$name.result"
    if [ "$rc" = 0 ]; then
      printf 'PASS  %-36s %8ss\n' "$name" "$secs"
      passed=$((passed + 1))
    else
      printf 'FAIL  %-36s %8ss  (exit %s, log %s)\n' "$name" "$secs" "$rc" "$logs/$name.log"
      tail -n 40 "$logs/$name.log" | sed 's/^/      | /'
      failed=$((failed + 1))
      failed_names+=("$name")
    fi
    shown=$((shown + 1))
  done
}

started=() running=0
for i in "${!names[@]}"; do
  while [ "$running" -ge "$jobs" ]; do
    wait -n
    running=$((running - 1))
    report_ready
  done
  rm -f "$logs/${names[$i]}.result"
  run_one "${names[$i]}" "${cmds[$i]}" &
  started+=("$i")
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n
  running=$((running - 1))
  report_ready
done
report_ready

if [ "$failed" -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
