#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The coverage stream's host side: a good stream written by the
# hypervisor's encoder round-trips to the exact .gcda libgcov would write
# (and gcov reads it), and a truncated or corrupted stream is rejected with
# a clear message and no half-written .gcda.  Run from tests/coverage.host.list.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
d=$root/build/host/coverage-test
rm -rf "$d"
mkdir -p "$d"
cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g)
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

gcc "${cflags[@]}" -fsanitize=address,undefined tests/coverage/gcda_rebuild.c -o "$d/gcda_rebuild" || exit 1
# The fixture is instrumented like the hypervisor; the encoder is the
# hypervisor's own file, built for the host and not instrumented.
gcc "${cflags[@]}" -fprofile-arcs -ftest-coverage -fprofile-info-section \
  -c tests/coverage/stream_fixture.c -o "$d/stream_fixture.o" || exit 1
gcc "${cflags[@]}" -DHOST_BUILD -DPARTITA_COVERAGE -c lib/gcov_dump.c \
  -o "$d/gcov_dump.o" || exit 1
gcc "$d/stream_fixture.o" "$d/gcov_dump.o" -Wl,-T,tests/coverage/host-gcov.ld -lgcov \
  -o "$d/fixture" || exit 1
"$d/fixture" "$d/good.stream" "$d/reference.gcda" 5 >/dev/null || exit 1
gcda=$d/stream_fixture.gcda

# rebuild STREAM: runs the rebuilder, keeps its status and messages.
rebuild() {
  rm -f "$gcda"
  "$d/gcda_rebuild" --quiet --under "$d" "$@" >"$d/out" 2>"$d/err"
  status=$?
}
no_debris() {
  if ls "$d"/*.tmp.* >/dev/null 2>&1; then bad "$1: a temporary file was left"; fi
  if [ -e "$gcda" ]; then bad "$1: a .gcda was written from a bad record"; fi
}

# 1. Good stream: exact bytes, and gcov counts branchy() 5 times.
rebuild "$d/good.stream"
if [ "$status" = 0 ] && cmp -s "$gcda" "$d/reference.gcda"; then
  ok "good stream rebuilds the exact .gcda"
else
  bad "good stream: status $status, $(cat "$d/err")"
fi
# (Into a file: grep -q would stop reading early, and pipefail would see gcov's SIGPIPE.)
gcov -t -o "$d" tests/coverage/stream_fixture.c >"$d/gcov.txt" 2>&1
if grep -qE '^ +5:.*if \(x % 2\)' "$d/gcov.txt"; then
  ok "gcov reads the rebuilt .gcda (branchy ran 5 times)"
else
  bad "gcov does not show branchy() run 5 times"
fi

# expect_reject NAME REGEX: the last rebuild failed with a message matching REGEX.
expect_reject() {
  if [ "$status" = 1 ] && grep -qE "$2" "$d/err"; then
    ok "$1 rejected: $(head -n1 "$d/err")"
  else
    bad "$1: status $status, message '$(cat "$d/err")' does not match /$2/"
  fi
  no_debris "$1"
}

# 2. Truncated: cut mid-record (a timeout or a crash during the dump),
# after a whole line ...
lines=$(wc -l <"$d/good.stream")
head -n $((lines / 2)) "$d/good.stream" >"$d/cut.stream"
rebuild "$d/cut.stream"
expect_reject "stream cut mid-record" 'truncated stream: the input ends inside record .*stream_fixture\.gcda'
# ... and in the middle of a line (where the cut falls depends on the
# length of the checkout's path, so either diagnosis is right).
size=$(wc -c <"$d/good.stream")
head -c $((size / 2)) "$d/good.stream" >"$d/cutline.stream"
rebuild "$d/cutline.stream"
expect_reject "stream cut mid-line" '(truncated|corrupted) stream: .*stream_fixture\.gcda'
# ... and cut just before the record's end line.
grep -v '^GCOV-END' "$d/good.stream" | grep -v '^GCOV-STREAM-END' >"$d/noend.stream"
rebuild "$d/noend.stream"
expect_reject "stream without its end lines" 'truncated stream'
# ... and one image cut short by the next image's stream.
{ head -n 4 "$d/good.stream"; cat "$d/good.stream"; } >"$d/interrupted.stream"
rebuild "$d/interrupted.stream"
expect_reject "image interrupted by another" 'truncated stream: record .* ends without its GCOV-END line'

# 3. Corrupted: one data character changed (still valid base64) -> CRC.
awk 'NR == 3 { c = substr($0, 10, 1); $0 = substr($0, 1, 9) (c == "A" ? "B" : "A") substr($0, 11) } { print }' \
  "$d/good.stream" >"$d/flip.stream"
rebuild "$d/flip.stream"
expect_reject "one changed byte" 'corrupted stream: record .*: CRC-32 of its bytes is [0-9a-f]{8}, its end line says'
# ... a byte that is not base64 at all (line noise).
sed '3s/^\(D ....\)./\1#/' "$d/good.stream" >"$d/noise.stream"
rebuild "$d/noise.stream"
expect_reject "line noise" "corrupted stream: byte 0x23 is not base64"
# ... a lost data line -> length.
sed '4d' "$d/good.stream" >"$d/lost.stream"
rebuild "$d/lost.stream"
expect_reject "a lost line" 'corrupted stream: record .* has [0-9]+ bytes, its end line says'
# ... a wrong record count in the image's end line.
sed 's/files=1$/files=2/' "$d/good.stream" >"$d/count.stream"
rebuild "$d/count.stream"
if [ "$status" = 1 ] && grep -q "has 1 records, its end line says 2" "$d/err"; then
  ok "wrong record count rejected"
else
  bad "wrong record count: status $status, $(cat "$d/err")"
fi

# 4. Paths come from the guest: nothing outside --under, nothing with "..".
rm -f "$gcda"
"$d/gcda_rebuild" --quiet --under "$d/elsewhere" "$d/good.stream" >"$d/out" 2>"$d/err"
status=$?
expect_reject "a path outside --under" 'refused: record path .* is outside'
sed "s#^GCOV-FILE .*#GCOV-FILE $d/../x.gcda#" "$d/good.stream" >"$d/dots.stream"
rebuild "$d/dots.stream"
expect_reject "a path with .." "contains '\.\.'"
# 5. Not a coverage stream at all (a normal build's empty COM4 log).
: >"$d/empty.stream"
rebuild "$d/empty.stream"
expect_reject "an empty log" 'no coverage: no GCOV-STREAM line'

[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all stream checks passed"
