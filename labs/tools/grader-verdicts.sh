#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The grader core (labs/tools/grade.c) on a made-up lab: each verdict
# (pass, fail with its reason, backstop and emulator infrastructure
# failures, a skipped dependent, a crash), the score and count lines, the
# exit status, results.json after every test (tests/labs.host.list).
set -u
g=$PWD/build/host/labs/grade
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cat >"$t/tests" <<'T'
passes      5  -       10  true
fails       5  -       10  echo "expected 3, got 4"; exit 1
hangs       5  -       2   sleep 100
emu-hung    5  -       10  exit 3
needs-fail  5  fails   10  true
crashes     5  -       10  kill -SEGV $$
T
out=$("$g" --lab "$t" --log "$t/log" --results "$t/r.json")
rc=$?
echo "$out"
[ "$rc" = 1 ] || fail "exit $rc below full marks, expected 1"
for re in '^PASS +5/5 +passes' '^FAIL +0/5 +fails' '\| expected 3, got 4' \
  '^INFRA +0/5 +hangs' 'no result after the 2 s backstop' '^INFRA +0/5 +emu-hung' \
  '^SKIP +0/5 +needs-fail' 'builds on fails' 'died of signal 11' '^Score: 5/30$' \
  '^1 passed, 5 failed$'; do
  grep -qE "$re" <<<"$out" || fail "no line matching /$re/"
done
grep -q '"name": "crashes"' "$t/r.json" && grep -q '"execution_time"' "$t/r.json" ||
  fail "results.json lacks tests or execution_time"
printf 'x 5 nosuch 10 true\n' >"$t/tests"
"$g" --lab "$t" --log "$t/log" >/dev/null 2>&1
[ $? = 2 ] || fail "a test after an unknown test is not refused with exit 2"
printf 'ok 1 - 10 true\n' >"$t/tests"
"$g" --lab "$t" --log "$t/log" >/dev/null || fail "full marks do not exit 0"
echo "ok: every verdict, the score lines, the exit statuses and results.json"
