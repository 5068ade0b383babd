#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab 8's report check (labs/tools/report-check.c) on made-up tables: equal
# numbers pass; a number off by one, a number written differently, a blank
# and a missing row each fail, naming the row and the column
# (tests/labs.host.list).
set -u
rc=$PWD/build/host/labs/report-check
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cat >"$t/bench.md" <<'MD'
| workload | build | emulator | units | exits | exits per unit |
| --- | --- | --- | --- | --- | --- |
| uart | micro | qemu-icount | 34 | 428 | 12.59 |
| uart | mono | qemu-icount | 34 | 77 | 2.26 |

| build | hypervisor .text bytes |
| --- | --- |
| mono | 73252 |
MD
{ echo "# my report"; echo "text"; echo; cat "$t/bench.md"; echo; echo "answers"; } >"$t/good.md"
out=$("$rc" "$t/good.md" "$t/bench.md") || fail "an equal report was refused: $out"
echo "ok: $out"
expect_red() { # $1 = sed expression making the report wrong, $2 = expected message
  sed -e "$1" "$t/good.md" >"$t/bad.md"
  out=$("$rc" "$t/bad.md" "$t/bench.md") && fail "'$1' passed: $out"
  grep -qF -- "$2" <<<"$out" || fail "'$1': expected '$2', got: $out"
  echo "ok: red: $(head -n 1 <<<"$out")"
}
expect_red 's/| 77 |/| 78 |/' 'uart mono qemu-icount, exits: the report says 78, the bench reproduces 77'
expect_red 's/| 12.59 |/| 12.6 |/' 'uart micro qemu-icount, exits per unit: the report says 12.6, the bench reproduces 12.59'
expect_red 's/| 73252 |/| 73,252 |/' 'mono, hypervisor .text bytes: the report says 73,252'
expect_red 's/| 428 |/|  |/' 'uart micro qemu-icount, exits: blank; the bench reproduces 428'
expect_red '/| uart | mono |/d' "no row 'uart mono qemu-icount'"
