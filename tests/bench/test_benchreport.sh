#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench's report tool (ci/benchreport.c) on crafted runs whose answers
# are known: a sweep whose per-line costs are exact lines (micro ticks
# 1000 + 10x, mono 3000 + 5x: they cross at x = 400, between the measured
# points 256 and 1024; exits micro 2 + x/64, mono 1 + x/128: micro above
# everywhere, the lines cross at x = -128); a sweep with a knee (micro
# 100 + 10x up to x = 64, 612 + 2x from there: two lines meeting at x = 64;
# mono 300 + 4x: one line, no knee); rows whose runs agree, differ
# in a compared count, or differ only in one that is not compared.  Checks
# the fits and crossings it prints and the fields of results.json, that
# results.json parses (the tool's own JSON check, and python3's json.tool
# where python3 is installed), that the JSON check refuses broken JSON,
# that the tool refuses malformed runs, and the KVM section of report.md:
# the kvm rows beside Partita's null and uart rows, QEMU -icount only.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
tool=build/host/benchreport
out=build/test/benchreport
rm -rf "$out"
mkdir -p "$out"
fail=0
bad() {
  echo "FAIL: $*"
  fail=1
}

runs=$out/runs.tsv
t=$'\t'
{
  echo "# crafted: row build emulator x units unit compare run metrics"
  for n in 1 2; do
    echo "uart${t}micro${t}qemu-icount${t}-${t}100${t}byte to the UART${t}all${t}$n${t}exits=500 exits_root=200 exits_child=300 ticks=100000"
  done
  # the floor: 150 ticks per exit, so uart's 1000 per byte is 6.67 floors.
  for n in 1 2; do
    echo "floor${t}micro${t}qemu-icount${t}-${t}100${t}exit${t}all${t}$n${t}ticks=15000"
  done
  for n in 1 2; do
    echo "uart${t}micro${t}bochs-svm${t}-${t}100${t}byte to the UART${t}all${t}$n${t}exits=500 exits_root=200 exits_child=300 ticks=200000"
  done
  # ticks differ between the runs but are not compared: still identical.
  echo "block${t}micro${t}qemu-icount${t}-${t}64${t}4 KiB read${t}exits,exits_root,exits_child${t}1${t}exits=640 exits_root=64 exits_child=576 ticks=1000"
  echo "block${t}micro${t}qemu-icount${t}-${t}64${t}4 KiB read${t}exits,exits_root,exits_child${t}2${t}exits=640 exits_root=64 exits_child=576 ticks=1200"
  # a compared count differs: not identical.
  echo "console${t}mono${t}qemu-icount${t}-${t}256${t}line${t}all${t}1${t}exits=288 exits_root=21 exits_child=267 ticks=2000"
  echo "console${t}mono${t}qemu-icount${t}-${t}256${t}line${t}all${t}2${t}exits=289 exits_root=22 exits_child=267 ticks=2000"
  for x in 16 64 256 1024; do
    for n in 1 2; do
      echo "console-sweep${t}micro${t}qemu-icount${t}$x${t}256${t}line of x bytes${t}all${t}$n${t}exits=$((512 + 4 * x)) exits_root=$((4 * x)) exits_child=512 ticks=$((256 * (1000 + 10 * x)))"
      echo "console-sweep${t}mono${t}qemu-icount${t}$x${t}256${t}line of x bytes${t}all${t}$n${t}exits=$((256 + 2 * x)) exits_root=0 exits_child=$((256 + 2 * x)) ticks=$((256 * (3000 + 5 * x)))"
    done
  done
  for x in 16 32 64 128 256 512; do
    if [ "$x" -le 64 ]; then y=$((100 + 10 * x)); else y=$((612 + 2 * x)); fi
    for n in 1 2; do
      echo "knee-sweep${t}micro${t}qemu-icount${t}$x${t}10${t}op${t}all${t}$n${t}exits=10 ticks=$((10 * y))"
      echo "knee-sweep${t}mono${t}qemu-icount${t}$x${t}10${t}op${t}all${t}$n${t}exits=10 ticks=$((10 * (300 + 4 * x)))"
    done
  done
} >"$runs"

if ! "$tool" "$runs" "$out" >"$out/stdout" 2>"$out/stderr"; then
  bad "the tool failed on good runs: $(cat "$out/stderr")"
fi
cat "$out/stdout"
expect_line() { # file line: the exact line must be in file
  grep -qxF -- "$2" "$1" || bad "$1 lacks: $2"
}
expect_line "$out/stdout" "console-sweep qemu-icount ticks per unit: micro 1000 + 10*x (R2 1.0000), mono 3000 + 5*x (R2 1.0000); the lines cross at x=400.0; measured: cross between x=256 and x=1024 (at about 400.0)"
expect_line "$out/stdout" "console-sweep qemu-icount exits per unit: micro 2 + 0.01562*x (R2 1.0000), mono 1 + 0.007812*x (R2 1.0000); the lines cross at x=-128.0; measured: micro above mono at every point"
expect_line "$out/stdout" "25 configurations, 1 with runs not identical; $out/results.json, $out/report.md"
expect_line "$out/stdout" "knee-sweep qemu-icount ticks per unit in two lines: micro 100 + 10*x (x 16-32), 612 + 2*x (x 64-512), knee at x=64.0; mono 300 + 4*x (x 16-32), 300 + 4*x (x 64-512), no knee (one line fits); the right-hand lines cross at x=156.0"

json=$out/results.json
"$tool" --check-json "$json" || bad "results.json does not parse (benchreport --check-json)"
if command -v python3 >/dev/null; then
  python3 -m json.tool "$json" >/dev/null || bad "results.json does not parse (python3 -m json.tool)"
fi
expect_in_json() {
  grep -qF -- "$1" "$json" || bad "results.json lacks: $1"
}
expect_in_json '{"row": "uart", "build": "micro", "emulator": "qemu-icount", "x": null,'
expect_in_json '"runs": 2, "identical": true, "compared": ["exits", "exits_root", "exits_child", "ticks"],'
expect_in_json '"ticks": {"raw": [100000, 100000], "count": {"mean": 100000, "min": 100000, "max": 100000}, "per_unit": {"mean": 1000, "min": 1000, "max": 1000}}'
# block: ticks not compared, so identical although they differ
expect_in_json '"runs": 2, "identical": true, "compared": ["exits", "exits_root", "exits_child"],'
expect_in_json '"ticks": {"raw": [1000, 1200], "count": {"mean": 1100, "min": 1000, "max": 1200}, "per_unit": {"mean": 17.1875, "min": 15.625, "max": 18.75}}'
expect_in_json '"runs": 2, "identical": false,'
expect_in_json '"exits": {"raw": [288, 289], "count": {"mean": 288.5, "min": 288, "max": 289}'
expect_in_json '{"metric": "ticks", "build": "micro", "points": 4, "intercept": 1000, "slope": 10, "r2": 1}'
expect_in_json '{"metric": "ticks", "build": "mono", "points": 4, "intercept": 3000, "slope": 5, "r2": 1}'
expect_in_json '{"metric": "ticks", "fitted_x": 400, "measured_x": 400, "micro_vs_mono": "cross"}'
expect_in_json '{"metric": "exits", "fitted_x": -128, "measured_x": null, "micro_vs_mono": "micro above"}'
expect_in_json '{"from": 256, "to": 1024, "micro": 10, "mono": 5}'
expect_in_json '{"metric": "ticks", "build": "micro", "left": {"from": 16, "to": 32, "points": 2, "intercept": 100, "slope": 10, "r2": 1}, "right": {"from": 64, "to": 512, "points": 4, "intercept": 612, "slope": 2, "r2": 1}, "knee_x": 64}'
expect_in_json '"right_segments_cross_x": 156,'
expect_line "$out/report.md" "| 256 | 3560 | 4280 | -720 | 10.00 | 5.00 | 6.000 | 3.000 | 4.000 / 2.000 | 0.000 / 3.000 | identical |"
[ "$(grep -c '"row": "console-sweep"' "$json")" = 9 ] ||
  bad "results.json: want 8 console-sweep configurations and 1 sweep"
dat=$out/sweep-console-sweep-qemu-icount.dat
[ -f "$dat" ] && [ "$(grep -vc '^#' "$dat")" = 4 ] || bad "$dat: want 4 points"
expect_line "$dat" "256 3560 6 4 2 4280 3 0 3"
expect_line "$out/sweep-console-sweep-qemu-icount.gp" "a_micro_ticks = 1000; b_micro_ticks = 10"
grep -qF '![ticks per unit](sweep-console-sweep-qemu-icount.svg)' "$out/report.md" ||
  bad "report.md does not embed the sweep's plot"
expect_line "$out/report.md" "| block | micro | qemu-icount | 4 KiB read | 64 | 10.00 | 1.00 | 9.00 | ~17 | ~0.11 | | identical (compared: exits,exits_root,exits_child) |"
expect_line "$out/report.md" "| uart | micro | qemu-icount | byte to the UART | 100 | 5.00 | 2.00 | 3.00 | 1000 | 6.67 | | identical |"
expect_line "$out/report.md" "| floor | micro | qemu-icount | exit | 100 | | | | 150 | 1.00 | | identical |"
expect_in_json '"floor_multiple": 6.666666667},'
# no floor row in bochs-svm: null there
expect_in_json '"floor_multiple": null},' 

# The kvm row beside Partita's: kvm-* rows (instructions per round trip),
# the null row's ticks per call and the uart row's ticks per child exit
# (100000 ticks / 100 bytes over 300 / 100 child exits per byte: 333.33).
kvm=$out/kvm
mkdir -p "$kvm"
{
  for n in 1 2; do
    echo "kvm-null${t}kvm${t}qemu-icount${t}-${t}1000${t}KVM null call${t}all${t}$n${t}ticks=2628090 instructions=2628090"
    echo "null${t}mono${t}qemu-icount${t}-${t}1${t}null call${t}all${t}$n${t}ticks=700"
    echo "null${t}micro${t}bochs-svm${t}-${t}1${t}null call${t}all${t}$n${t}ticks=900"
    echo "uart${t}micro${t}qemu-icount${t}-${t}100${t}byte to the UART${t}all${t}$n${t}exits=500 exits_root=200 exits_child=300 ticks=100000"
  done
  echo "kvm-io-user${t}kvm${t}qemu-icount${t}-${t}1000${t}KVM OUT to user${t}all${t}1${t}ticks=2836000 instructions=2836000"
  echo "kvm-io-user${t}kvm${t}qemu-icount${t}-${t}1000${t}KVM OUT to user${t}all${t}2${t}ticks=2836001 instructions=2836001"
} >"$out/kvm.tsv"
if ! "$tool" "$out/kvm.tsv" "$kvm" >/dev/null 2>"$out/kvm.stderr"; then
  bad "the tool failed on the kvm runs: $(cat "$out/kvm.stderr")"
fi
expect_line "$kvm/report.md" "## KVM beside Partita"
expect_line "$kvm/report.md" "| KVM | KVM null call (kvm-null) | kvm | 2628.09 | identical |"
expect_line "$kvm/report.md" "| KVM | KVM OUT to user (kvm-io-user) | kvm | 2836.00 | DIFFER |"
expect_line "$kvm/report.md" "| Partita | null hypercall of the root (null) | mono | 700.00 | identical |"
expect_line "$kvm/report.md" "| Partita | port I/O of an unenlightened child to the emulated UART, per child exit, whole run (uart) | micro | 333.33 | identical |"
# Bochs ticks are not QEMU instructions: not beside KVM's.
grep -qF '| Partita | null hypercall of the root (null) | micro |' "$kvm/report.md" &&
  bad "report.md puts a Bochs count beside KVM's"
# Without a kvm row, no such section.
grep -qF 'KVM beside Partita' "$out/report.md" && bad "report.md has a KVM section without kvm rows"

# The JSON check must refuse what is not JSON.
printf '{"a": [1, 2,]}\n' >"$out/trailing-comma.json"
printf '{"a": 01}\n' >"$out/leading-zero.json"
printf '{"a": "x}\n' >"$out/open-string.json"
printf '{"a": 1} 2\n' >"$out/two-values.json"
head -c 200 "$json" >"$out/truncated.json"
for f in trailing-comma leading-zero open-string two-values truncated; do
  if "$tool" --check-json "$out/$f.json" 2>/dev/null; then
    bad "--check-json took $f.json"
  fi
done

# Malformed runs are refused, not averaged.
printf 'uart\tmicro\tqemu-icount\t-\t100\tbyte\tall\t2\texits=1\n' >"$out/run-order.tsv"
printf 'uart\tmicro\tqemu-icount\t-\t0\tbyte\tall\t1\texits=1\n' >"$out/zero-units.tsv"
printf 'uart\tmicro\tqemu-icount\t-\t100\tbyte\tall\t1\texits=x\n' >"$out/not-count.tsv"
printf 'uart\tmicro\tqemu-icount\t-\t100\tbyte\tall\n' >"$out/short.tsv"
for f in run-order zero-units not-count short; do
  if "$tool" "$out/$f.tsv" "$out/refused" >/dev/null 2>&1; then
    bad "the tool took $f.tsv"
  fi
done

[ "$fail" = 0 ] && echo "benchreport: fits, crossings, JSON fields and refusals as expected"
exit $fail
