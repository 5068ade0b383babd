#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make profile: instructions per function for one workload, counted
# deterministically (docs/architecture/profile.md).
#   ci/profile.sh WORKLOAD BUILD [TWICE]
# QEMU runs the workload under -icount shift=0 with one instruction per
# translation block and logs every executed block (-d exec,nochain) into
# a FIFO; partita-profile (tests/profile/) reads it as it comes, attributes
# each instruction to the hypervisor (host mode), the root or the child
# (guest mode, told apart by their link addresses) and a function, and
# writes build/profile/<workload>-<build>/profile.txt and profile.svg.
# TWICE=1 runs it twice and fails unless the two tables are identical.
set -uo pipefail
cd "$(dirname "$0")/.."
w=${1:-} b=${2:-micro} twice=${3:-0}
tool=build/host/partita-profile

# One workload: the root's self-test, its child (- for none), the units of
# work in the measured phase and what one is, and the phase's PC markers:
# it starts at the first instruction of the last symbol of the start chain
# (each entered in turn) and stops at the next entry of the stop symbol.
# They bracket what ci/bench.sh's numbers bracket (its rdtsc reads), with
# one exit-statistics call more (the start marker is that call's entry).
case $w in
  null) # test_null_calls (partitions/root/selftest.c): stats, N calls, stats
    test="test=null-calls calls=1000" child=- units=1000 unit="null hypercall"
    start=root:root_selftest,root:root_exit_stats stop=root:root_exit_stats
    check="root: 1000 null hypercalls" ;;
  uart) # test_uart: uart_emul_init, exits0 and t0, the child's 71 accesses, ticks
    test=test=uart child=uart.elf units=34 unit="byte the child wrote to the emulated UART"
    start=root:root_selftest,root:uart_emul_init,root:root_total_exits
    stop=root:root_total_exits check="root: bench uart: 34 bytes" ;;
  console) # bench_console (partitions/root/bench.c): meter_start .. meter_stop
    test=test=bench-console child=conbench.elf units=256
    unit="line of 64 bytes through the console channel"
    start=root:bench_console,root:root_total_exits stop=root:root_total_exits
    check="root: bench console: 256 lines" ;;
  message | event) # bench_oneway: the child's exits, then the root's .. the end's
    test=test=bench-$w child=oneway.elf units=1000
    unit="one-way $w to a halted receiver"
    start=root:bench_oneway,root:root_total_exits,root:root_total_exits
    stop=root:root_total_exits check="root: bench $w: 1000 ${w}s" ;;
  *)
    echo "usage: make profile WORKLOAD=null|uart|console|message|event [BUILD=micro|mono] [TWICE=1]" >&2
    exit 2 ;;
esac
case $b in micro | mono) ;; *) echo "profile: BUILD is micro or mono" >&2; exit 2 ;; esac

out=build/profile/$w-$b
spaces=(--space "hv:host:build/$b/partita.elf" --space "root:guest:build/$b/root.elf")
initrd="build/$b/root.elf $test"
if [ "$child" != - ]; then
  spaces+=(--space "child:guest:build/$b/$child")
  initrd+=",build/$b/$child $child"
fi

once() { # DIR: one run into DIR; 0 if it passed and the counts are in
  local dir=$1 fifo=$1/exec.fifo
  rm -rf "$dir"
  mkdir -p "$dir"
  mkfifo "$fifo"
  "$tool" "${spaces[@]}" --start "$start" --stop "$stop" --units "$units" --unit "$unit" \
    --title "$w, BUILD=$b" --table "$dir/profile.txt" --svg "$dir/profile.svg" "$fifo" \
    2>"$dir/profile.err" &
  local pid=$! rc=0
  bash tests/system/qemu.sh --out "$dir" --kernel "build/$b/partita32.elf" --icount \
    --initrd "$initrd" --exec-log "$fifo" --timeout 900 >"$dir/qemu.log" 2>&1 || rc=1
  # QEMU that died before opening the FIFO leaves the reader waiting in
  # open(): one empty open for writing lets it see the end.
  kill -0 "$pid" 2>/dev/null && timeout 5 bash -c ": >'$fifo'" 2>/dev/null
  wait "$pid" || rc=1
  rm -f "$fifo"
  if [ "$rc" != 0 ]; then
    echo "profile: the run failed: $dir/qemu.log, $dir/profile.err" >&2
    cat "$dir/qemu.log" "$dir/profile.err" >&2
    return 1
  fi
  if ! tr -d '\r' <"$dir/com1.log" | grep -aq "$check"; then
    echo "profile: $dir/com1.log has no \"$check\": the units are not what the table divides by" >&2
    return 1
  fi
}

start_s=$(date +%s)
once "$out" || exit 1
echo "profile: $out/profile.txt, $out/profile.svg ($(($(date +%s) - start_s)) s)"
sed -n '1,/^function/p' "$out/profile.txt" | sed -n '5,6p'
grep -A12 '^function' "$out/profile.txt"
if [ "$twice" = 1 ]; then
  once "$out/again" || exit 1
  if cmp -s "$out/profile.txt" "$out/again/profile.txt" &&
    cmp -s "$out/profile.svg" "$out/again/profile.svg"; then
    echo "profile: second run identical (profile.txt and profile.svg)"
  else
    echo "profile: the second run DIFFERS:" >&2
    diff "$out/profile.txt" "$out/again/profile.txt" | head -20 >&2
    exit 1
  fi
fi
