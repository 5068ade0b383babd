#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lab 8's bench (labs/08-micro-mono/README.md): the deterministic part of
# `make bench` (ci/bench.sh), small enough for the grader, printed as the
# Markdown tables of the lab's report.
#   lab8-bench.sh                 print the tables (copy them into report.md)
#   lab8-bench.sh --check REPORT  and compare REPORT's tables with them
#   lab8-bench.sh --update REPORT put them into REPORT's LAB 8.5 region (staff:
#                                 the solution's report after the code changed)
# The same workloads, root self-tests and child images as ci/bench.sh, on
# the release builds of both placements:
#   uart, console   QEMU with -icount shift=0 (ticks = instructions of the
#                   whole machine): exits and ticks are deterministic
#   block           Bochs AMD-V (fixed ips, no host clock): QEMU's IDE disk
#                   completes reads on host time, so there even its exits vary
# and the hypervisor's .text size.  Every run is done twice and must give
# the same counts; wall-clock time is never measured.  The numbers depend
# on the compiler and the emulators: measure on the course's machine image
# (ci/deps.sh), as the grader does.
# Exit 0: tables printed (and, with --check, every number of the report
# equal); 1: a run failed or the report differs (report-check names each
# number); 3: an emulator hit its wall-clock backstop, or two runs of the
# same configuration differed: nothing was judged.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
report='' mode=print
case ${1:-} in
  --check | --update)
    mode=${1#--}
    report=${2:?usage: lab8-bench.sh [--check | --update REPORT.md]}
    [ -f "$report" ] || { echo "lab8-bench: no report $report"; exit 1; }
    ;;
esac
out=${GRADE_LOG:-build/grade}/${GRADE_TEST:-lab8-bench}
[ "$mode" = check ] || out=build/lab8-bench
rm -rf "$out"
mkdir -p "$out"
for b in micro mono; do
  make -s --no-print-directory kernel BUILD=$b >"$out/build-$b.log" 2>&1 || {
    tail -n 20 "$out/build-$b.log"
    echo "lab8-bench: the $b build failed"
    exit 1
  }
done

# workload root-test child disk emulator
configs=(
  "uart    test=uart          uart.elf     nodisk qemu-icount"
  "console test=bench-console conbench.elf nodisk qemu-icount"
  "block   test=bench-block   blkbench.elf disk   bochs-svm"
)

run() { # build workload n -> "units exits ticks", or a failure reason on stderr
  local b=$1 w=$2 n=$3 name test module disk emu
  local dir=$out/$b-$w-$n
  read -r name test module disk emu <<<"$(printf '%s\n' "${configs[@]}" | awk -v w="$w" '$1==w')"
  mkdir -p "$dir"
  local disk_args=()
  if [ "$disk" = disk ]; then
    bash tests/system/make-disk.sh "$dir/disk.img" >/dev/null || return 3
    disk_args=(--disk "$dir/disk.img")
  fi
  if [ "$emu" = qemu-icount ]; then
    bash tests/system/qemu.sh --out "$dir" --kernel "build/$b/partita32.elf" --icount \
      --initrd "build/$b/root.elf $test,build/$b/$module $module" "${disk_args[@]}" \
      --timeout 120 >"$dir.log" 2>&1
  else
    bash tests/system/boot.sh --emu "$emu" --build "$b" --out "$dir" --root "$test" \
      --module "build/$b/$module" "${disk_args[@]}" --timeout 120 >"$dir.log" 2>&1
  fi
  local line
  line=$(tr -d '\r' <"$dir/com1.log" 2>/dev/null | grep -a "root: bench $name:" | head -n1)
  if [ -n "$line" ]; then
    sed -E 's/.*: ([0-9]+) [^,]*, ([0-9]+) exits, ([0-9]+) TSC ticks.*/\1 \2 \3/' <<<"$line"
    return 0
  fi
  if grep -qs 'timeout: no result line' "$dir.log"; then
    echo "lab8-bench: $b $w ($emu): the emulator reached its wall-clock backstop ($dir.log)" >&2
    return 3
  fi
  echo "lab8-bench: $b $w ($emu): no 'root: bench $name:' line; the run's last lines:" >&2
  tr -d '\r' <"$dir/com1.log" 2>/dev/null | tail -n 5 >&2
  grep -ahs -m2 -E 'not written yet|PANIC' "$dir"/com*.log | tr -d '\r' >&2
  echo "logs: $dir/" >&2
  return 1
}

table=$out/bench.md
{
  echo "| workload | build | emulator | units | exits | ticks | exits per unit | ticks per unit |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$table"
for w in uart console block; do
  for b in micro mono; do
    first=$(run "$b" "$w" 1) || exit $?
    second=$(run "$b" "$w" 2) || exit $?
    if [ "$first" != "$second" ]; then
      echo "lab8-bench: $b $w: two runs differ ($first / $second): not deterministic here, nothing judged"
      exit 3
    fi
    emu=$(printf '%s\n' "${configs[@]}" | awk -v w="$w" '$1==w {print $5}')
    read -r units exits ticks <<<"$first"
    # The same per-unit formulas as ci/bench.sh.
    awk -v w="$w" -v b="$b" -v e="$emu" -v u="$units" -v x="$exits" -v t="$ticks" \
      'BEGIN { printf "| %s | %s | %s | %d | %d | %d | %.2f | %.0f |\n", w, b, e, u, x, t, x/u, t/u }' >>"$table"
  done
done
{
  echo
  echo "| build | hypervisor .text bytes |"
  echo "| --- | --- |"
  for b in micro mono; do
    echo "| $b | $(size "build/$b/partita.elf" | awk 'NR==2{print $1}') |"
  done
} >>"$table"
cat "$table"
if [ "$mode" = update ]; then
  # Everything between the region's markers becomes the new tables.
  awk -v t="$table" '/<!-- LAB 8.5 END -->/ { skip = 0 }
    !skip { print }
    /<!-- LAB 8.5 BEGIN:/ { while ((getline l < t) > 0) print l; skip = 1 }' "$report" >"$report.new" &&
    mv "$report.new" "$report"
  echo "lab8-bench: $report updated"
fi
[ "$mode" = check ] || exit 0
echo
build/host/labs/report-check "$report" "$table"
