#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: the seed's question on three devices.  The same child images
# run in BUILD=micro (the services in the root: child -> hypervisor -> root
# -> hypervisor -> child) and BUILD=mono (the services in the hypervisor:
# child -> hypervisor -> child):
#   uart     an unenlightened child writes a line to an emulated 16550
#   console  a child writes 256 lines of 64 bytes through its console channel
#   block    a child reads 64 blocks of 4 KiB through its block channel
# Every run is in deterministic emulated time (QEMU -kernel with -icount
# shift=0; Bochs with a fixed ips and no host clock), twice, and the counts
# must match.  Counts are per unit of work, for the whole run (channel
# set-up included): VM exits of the root and the child, and TSC ticks (=
# instructions of the whole machine under QEMU icount).
#   message, event   one-way IPC to a halted child (ci/bench-ipc.sh)
#   linux    Debian's Linux in a child (docs/architecture/linux-guest.md):
#            boot to init, and /init's workload, by exit reason
#            (ci/bench-linux.sh)
#   floor    the bare VM exit round trip: floor=N on the hypervisor's
#            command line, no root (ci/bench-floor.sh); every row's ticks
#            per unit are also given as a multiple of it (report.md)
#   null     the root's null hypercall round trip (10000 calls), micro and mono
#   pio      a child's port-I/O round trip: N and 2N OUTs to the emulated
#            UART's scratch register, micro and mono (ci/bench-pio.sh)
#   kvm      the peer: the same kinds of round trip in Linux KVM (null
#            hypercall, CPUID, port I/O in the kernel and to user space,
#            HLT to user space), Debian's Linux in QEMU -icount with a tiny
#            VMM (ci/bench-kvm.sh, docs/architecture/kvm-peer.md)
#   idle     an idle machine: the root's shell waiting for input, per timer
#            tick: exits by reason and instructions (ci/bench-idle.sh); and
#            idle-children, the same with 2 children halted after their work
#   sweep    the sweeps below (or one: console-sweep, block-sweep,
#            message-sweep: ci/bench-ipc.sh, ring-sweep: ci/bench-ring.sh,
#            children-sweep: ci/bench-children.sh), micro
#            and mono, every point twice, whatever BENCH_EMUS says:
#     console-sweep  the console workload at line lengths BENCH_SWEEP_BYTES
#            (default "16 32 64 128 256 512 1024 2048 4096", bytes per line
#            with the newline; the root's bench-line-bytes=N) in QEMU
#            -icount: the cost per line against its length
#     ring-sweep     the console workload with lines of 1024 bytes through
#            rings of x bytes (BENCH_SWEEP_RING_PAGES, default "1 2 3 4"
#            pages; the root's bench-ring-pages=x/4096) in QEMU -icount
#            (ci/bench-ring.sh)
#     children-sweep x hello children at once (BENCH_SWEEP_CHILDREN, default
#            "1 2 3 4"; the root's bench-children=x) in QEMU -icount: the
#            cost per child against how many run together
#            (ci/bench-children.sh)
#     block-sweep    the block workload making 64 read requests of
#            BENCH_SWEEP_SECTORS (default "1 2 3 4 5 6 7" sectors; the
#            root's bench-request-sectors=N) in BENCH_BLOCK_SWEEP_EMU
#            (default bochs-svm: QEMU's block ticks are not deterministic):
#            the cost per request against its size
# BENCH_ROWS (default "uart console block message event linux floor null pio kvm idle sweep") picks the rows,
# BENCH_EMUS (default "qemu-icount bochs-vmx bochs-svm") the emulators,
# e.g. BENCH_ROWS=linux BENCH_EMUS=qemu-icount make bench, or
# BENCH_ROWS=sweep make bench for the sweeps alone.
# Besides what it prints, every run's raw counts go to build/bench/runs.tsv
# and ci/benchreport.c makes of them (docs/architecture/placement.md):
#   build/bench/results.json   per configuration (row, build, emulator,
#                              a sweep's x): the counts of both runs, mean,
#                              min and max of each, per unit too, and
#                              whether the runs were identical; per sweep
#                              the least squares line (intercept + slope per
#                              byte) of each metric and where micro and mono
#                              cross
#   build/bench/report.md      the same as tables, with the plots
#   build/bench/sweep-*.svg, .png   gnuplot (ci/bench-plot.gp)
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh
for b in micro mono; do
  make -s --no-print-directory kernel BUILD=$b || exit 1
done
make -s --no-print-directory build/host/benchreport || exit 1
out=build/bench
mkdir -p "$out"
rows=" ${BENCH_ROWS:-uart console block message event linux floor null pio kvm idle sweep} "
emus=${BENCH_EMUS:-qemu-icount bochs-vmx bochs-svm}
sweep_bytes=${BENCH_SWEEP_BYTES:-16 32 64 128 256 512 1024 2048 4096}
block_sweep_sectors=${BENCH_SWEEP_SECTORS:-1 2 3 4 5 6 7}
block_sweep_emu=${BENCH_BLOCK_SWEEP_EMU:-bochs-svm}
# One line per run for ci/benchreport.c (its header says the format).
runs=$out/runs.tsv
printf '# row\tbuild\temulator\tx\tunits\tunit\tcompare\trun\tmetrics\n' >"$runs"
record() { # row build emu x units unit compare run metrics...
  local IFS=$'\t'
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" \
    "${*:9}" >>"$runs"
}
# "exits ticks units root child" -> the metrics of a run
metrics() {
  local exits ticks units root child
  read -r exits ticks units root child <<<"$1"
  echo "exits=$exits exits_root=$root exits_child=$child ticks=$ticks"
}

# One workload: the root self-test that runs it, its child, whether it
# needs a disk, and the unit its counts are divided by.
workloads=(
  "uart       test=uart          uart.elf      nodisk  byte the child wrote to the emulated UART"
  "console    test=bench-console conbench.elf  nodisk  line of 64 bytes through the console channel"
  "block      test=bench-block   blkbench.elf  disk    4 KiB read through the block channel"
)

run() { # build emu workload n [root args] -> "exits ticks units root child" or "failed"
  local b=$1 e=$2 w=$3 n=$4 extra=${5:-} dir=$out/$1-$2-$3-$4
  [ -n "$extra" ] && dir=$out/$1-$2-$3-${extra##*=}-$4
  local name test module disk
  read -r name test module disk _ <<<"$(printf '%s\n' "${workloads[@]}" | awk -v w="$w" '$1==w')"
  [ -n "$extra" ] && test="$test $extra"
  rm -rf "$dir"
  mkdir -p "$dir"
  local disk_args=()
  if [ "$disk" = disk ]; then
    bash tests/system/make-disk.sh "$dir/disk.img" >/dev/null
    disk_args=(--disk "$dir/disk.img")
  fi
  if [ "$e" = qemu-icount ]; then
    bash tests/system/qemu.sh --out "$dir" --kernel build/$b/partita32.elf --icount \
      --initrd "build/$b/root.elf $test,build/$b/$module $module" "${disk_args[@]}" \
      --timeout 300 >"$dir.log" 2>&1
  else
    bash tests/system/boot.sh --emu "$e" --build $b --out "$dir" --root "$test" \
      --module build/$b/$module "${disk_args[@]}" --timeout 300 >"$dir.log" 2>&1
  fi
  local line
  line=$(tr -d '\r' <"$dir/com1.log" | grep -a "root: bench $name:" | head -n1)
  if [ -z "$line" ]; then
    echo "failed"
    return
  fi
  sed -nE 's/.*: ([0-9]+) [^,]*, ([0-9]+) exits, ([0-9]+) TSC ticks.*; ([0-9]+) root exits, ([0-9]+) child exits$/\2 \3 \1 \4 \5/p' <<<"$line" | grep . || echo failed
}

bench_rows="uart console block"
source ci/bench-ipc.sh

rc=0
for w in $bench_rows; do
  [[ "$rows" = *" $w "* ]] || continue
  unit=$(printf '%s\n' "${workloads[@]}" | awk -v w="$w" '$1==w { $1=$2=$3=$4=""; sub(/^ +/, ""); print }')
  echo "per $unit:"
  printf '  %-6s %-12s %10s %16s %10s  %s\n' build emulator "exits" "ticks" "wall (s)" "two runs"
  for b in micro mono; do
    for e in $emus; do
      t0=$(date +%s.%N)
      first=$(run $b $e $w 1)
      t1=$(date +%s.%N)
      second=$(run $b $e $w 2)
      wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
      if [ "$first" = failed ] || [ "$second" = failed ]; then
        printf '  %-6s %-12s %s\n' $b $e "run failed: see $out/$b-$e-$w-*.log"
        rc=1
        continue
      fi
      read -r exits ticks units _ <<<"$first"
      per_tick=$(awk -v x="$ticks" -v n="$units" 'BEGIN{printf "%.0f", x/n}')
      compare=all
      unit_text=$(printf '%s\n' "${workloads[@]}" | awk -v w="$w" '$1==w { $1=$2=$3=$4=""; sub(/^ +/, ""); print }')
      if [ "$e" = qemu-icount ] && [ "$w" = block ]; then
        # QEMU's IDE disk completes a read on host time (its block layer is
        # asynchronous even under -icount): the driver's polling, and so the
        # instruction count, varies.  Only the exits are compared.
        compare=exits,exits_root,exits_child
      fi
      record $w $b $e - "$units" "$unit_text" $compare 1 "$(metrics "$first")"
      record $w $b $e - "$units" "$unit_text" $compare 2 "$(metrics "$second")"
      if [ "$compare" != all ]; then
        first=$(awk '{print $1, $3, $4, $5}' <<<"$first")
        second=$(awk '{print $1, $3, $4, $5}' <<<"$second")
        per_tick="n/a"
      fi
      same=identical
      [ "$first" = "$second" ] || { same="DIFFER ($first / $second)"; rc=1; }
      printf '  %-6s %-12s %10s %16s %10s  %s\n' $b $e \
        "$(awk -v x="$exits" -v n="$units" 'BEGIN{printf "%.2f", x/n}')" \
        "$per_tick" "$wall" "$same"
    done
  done
  echo
done
if [[ "$rows" = *" linux "* ]]; then
  BENCH_EMUS=$emus bash ci/bench-linux.sh "$out" || rc=1
  echo
fi
if [[ "$rows" = *" floor "* ]]; then
  source ci/bench-floor.sh
  bench_floor
fi
if [[ "$rows" = *" idle "* ]]; then
  BENCH_EMUS=$emus bash ci/bench-idle.sh "$out" || rc=1
  echo
fi
[[ "$rows" = *" null "* ]] || emus=
[ -n "$emus" ] && echo && echo "null hypercall round trip (root, 10000 calls; TSC ticks per call):"
for b in micro mono; do
for e in $emus; do
  per=()
  for n in 1 2; do
    dir=$out/null-$b-$e-$n
    rm -rf "$dir"
    if [ "$e" = qemu-icount ]; then
      bash tests/system/qemu.sh --out "$dir" --kernel build/$b/partita32.elf --icount \
        --initrd "build/$b/root.elf test=null-calls" --timeout 300 >"$dir.log" 2>&1
    else
      bash tests/system/boot.sh --emu "$e" --build $b --out "$dir" --root test=null-calls \
        --timeout 300 >"$dir.log" 2>&1
    fi
    per+=("$(tr -d '\r' <"$dir/com1.log" | sed -nE 's/.*, ([0-9]+) TSC ticks per call.*/\1/p')")
  done
  same=identical
  [ -n "${per[0]}" ] && [ "${per[0]}" = "${per[1]}" ] || { same="DIFFER (${per[*]})"; rc=1; }
  if [ -n "${per[0]}" ] && [ -n "${per[1]}" ]; then
    for n in 1 2; do
      record null $b "$e" - 1 "null hypercall round trip (ticks: the mean of 10000 calls)" \
        all $n "ticks=${per[$((n - 1))]}"
    done
  fi
  printf '  %-6s %-12s %8s  %s\n' "$b" "$e" "${per[0]:-failed}" "$same"
done
done

if [[ "$rows" = *" pio "* ]]; then
  echo
  bash ci/bench-pio.sh "$out" || rc=1
fi
if [[ "$rows" = *" kvm "* ]]; then
  echo
  bash ci/bench-kvm.sh "$out" || rc=1
fi

# The sweeps: a workload at each value of its parameter, micro and mono,
# every point twice.  sweep ROW WORKLOAD EMU PARAM UNIT SCALE VALUES...:
# the root gets PARAM=value, x is value * SCALE (bytes).
sweep() {
  local row=$1 w=$2 e=$3 param=$4 unit=$5 scale=$6 v x first second compare
  shift 6
  compare=all
  # QEMU's IDE disk: the block workload's ticks vary (above).
  [ "$e" = qemu-icount ] && [ "$w" = block ] && compare=exits,exits_root,exits_child
  printf '  %6s  %-6s %10s %12s  %s\n' x build exits ticks "two runs"
  for v in "$@"; do
    x=$((v * scale))
    for b in micro mono; do
      first=$(run $b "$e" $w 1 "$param=$v")
      second=$(run $b "$e" $w 2 "$param=$v")
      if [ "$first" = failed ] || [ "$second" = failed ]; then
        printf '  %6s  %-6s %s\n' "$x" $b "run failed: see $out/$b-$e-$w-$v-*.log"
        rc=1
        continue
      fi
      read -r exits ticks units _ <<<"$first"
      record "$row" $b "$e" "$x" "$units" "$unit" $compare 1 "$(metrics "$first")"
      record "$row" $b "$e" "$x" "$units" "$unit" $compare 2 "$(metrics "$second")"
      if [ "$compare" != all ]; then
        first=$(awk '{print $1, $3, $4, $5}' <<<"$first")
        second=$(awk '{print $1, $3, $4, $5}' <<<"$second")
      fi
      same=identical
      [ "$first" = "$second" ] || { same="DIFFER ($first / $second)"; rc=1; }
      printf '  %6s  %-6s %10s %12s  %s\n' "$x" $b \
        "$(awk -v x="$exits" -v n="$units" 'BEGIN{printf "%.3f", x/n}')" \
        "$(awk -v x="$ticks" -v n="$units" 'BEGIN{printf "%.0f", x/n}')" "$same"
    done
  done
}
# Console: QEMU -icount only (deterministic, fast).
if [[ "$rows" = *" sweep "* ]] || [[ "$rows" = *" console-sweep "* ]]; then
  echo
  echo "console sweep (QEMU -icount): per line through the console channel, 256 lines of"
  echo "x bytes (the newline included; the root's bench-line-bytes=x):"
  # shellcheck disable=SC2086
  sweep console-sweep console qemu-icount bench-line-bytes \
    "line of x bytes through the console channel" 1 $sweep_bytes
fi
# Block: Bochs AMD-V by default, whose ticks are deterministic (QEMU's are
# not for the block workload: only its exits would be compared).
if [[ "$rows" = *" sweep "* ]] || [[ "$rows" = *" block-sweep "* ]]; then
  echo
  echo "block sweep ($block_sweep_emu): per read request through the block channel, 64"
  echo "requests of x bytes (the root's bench-request-sectors=x/512):"
  # shellcheck disable=SC2086
  sweep block-sweep block "$block_sweep_emu" bench-request-sectors \
    "read request of x bytes through the block channel" 512 $block_sweep_sectors
fi

bench_ipc_sweep
# The ring and children sweeps (their own scripts, with the functions above).
. ci/bench-ring.sh
. ci/bench-children.sh

# The data, the fits, the plots and the report (ci/benchreport.c).
echo
rm -f "$out"/sweep-*.dat "$out"/sweep-*.gp "$out"/sweep-*.svg "$out"/sweep-*.png
if [ "$(grep -vc '^#' "$runs")" -gt 0 ]; then
  build/host/benchreport "$runs" "$out" || rc=1
  build/host/benchreport --check-json "$out/results.json" || rc=1
  for dat in "$out"/sweep-*.dat; do
    [ -e "$dat" ] || continue
    base=${dat%.dat}
    case $base in
      */sweep-console-sweep-*)
        xname='bytes per line (x)'
        what="console channel, 256 lines of x bytes, ${base##*-sweep-}: per line, micro and mono" ;;
      */sweep-message-sweep-*)
        xname='payload bytes per message (x)'
        what="one-way message to a halted child, ${base##*-sweep-}: per message, micro and mono" ;;
      */sweep-ring-sweep-*)
        xname='bytes per ring (x)'
        what="console channel, 256 lines of 1024 bytes, rings of x bytes, ${base##*-sweep-}: per line, micro and mono" ;;
      */sweep-children-sweep-*)
        xname='children at once (x)'
        what="x hello children at once, ${base##*-sweep-}: per child, micro and mono" ;;
      *)
        xname='bytes per request (x)'
        what="block channel, 64 read requests of x bytes, ${base##*-sweep-}: per request, micro and mono" ;;
    esac
    gnuplot -e "dat='$dat'; fit='$base.gp'; out='$base'; xname='$xname'; what='$what'" \
      ci/bench-plot.gp || rc=1
    echo "plots: $base.svg $base.png"
  done
fi

echo
echo "hypervisor size (.text bytes, release build):"
for b in micro mono; do
  printf '  %-6s %s\n' $b "$(size build/$b/partita.elf | awk 'NR==2{print $1}')"
done
echo "wall-clock seconds depend on the host; exits and ticks do not."
exit $rc
