#!/usr/bin/env bash
# make bench: the seed's question on one device.  An unenlightened child
# writes a line to a 16550 UART; in BUILD=micro the root emulates the UART
# (each access: child -> hypervisor -> root -> hypervisor -> child), in
# BUILD=mono the hypervisor does (child -> hypervisor -> child).  Every run
# is in deterministic emulated time (QEMU -kernel with -icount shift=0;
# Bochs with a fixed ips and no host clock), twice, and the counts must
# match.  Counts are per byte the child wrote: VM exits (all partitions)
# and TSC ticks (= instructions of the whole machine under QEMU icount).
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh
for b in micro mono; do
  make -s --no-print-directory kernel BUILD=$b || exit 1
done
out=build/bench
mkdir -p "$out"

run() { # build emu run -> prints "exits ticks" or "failed"
  local b=$1 e=$2 n=$3 dir=$out/$1-$2-$3
  rm -rf "$dir"
  if [ "$e" = qemu-icount ]; then
    bash tests/system/qemu.sh --out "$dir" --kernel build/$b/partita32.elf --icount \
      --initrd "build/$b/root.elf test=uart,build/$b/uart.elf uart.elf" --timeout 300 >"$dir.log" 2>&1
  else
    bash tests/system/boot.sh --emu "$e" --build $b --out "$dir" --root test=uart \
      --module build/$b/uart.elf --timeout 300 >"$dir.log" 2>&1
  fi
  local line
  line=$(tr -d '\r' <"$dir/com1.log" | grep -a 'root: bench uart:' | head -n1)
  if [ -z "$line" ]; then
    echo "failed"
    return
  fi
  sed -E 's/.*: ([0-9]+) bytes, ([0-9]+) exits, ([0-9]+) TSC ticks.*/\2 \3 \1/' <<<"$line"
}

printf '%-6s %-12s %10s %16s %14s  %s\n' build emulator "exits/byte" "ticks/byte" "wall (s)" "two runs"
rc=0
for b in micro mono; do
  for e in qemu-icount bochs-vmx bochs-svm; do
    t0=$(date +%s.%N)
    first=$(run $b $e 1)
    t1=$(date +%s.%N)
    second=$(run $b $e 2)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
    if [ "$first" = failed ] || [ "$second" = failed ]; then
      printf '%-6s %-12s %s\n' $b $e "run failed: see $out/$b-$e-*.log"
      rc=1
      continue
    fi
    read -r exits ticks bytes <<<"$first"
    same=identical
    [ "$first" = "$second" ] || { same="DIFFER ($first / $second)"; rc=1; }
    printf '%-6s %-12s %10s %16s %14s  %s\n' $b $e \
      "$(awk -v x="$exits" -v n="$bytes" 'BEGIN{printf "%.2f", x/n}')" \
      "$(awk -v x="$ticks" -v n="$bytes" 'BEGIN{printf "%.0f", x/n}')" "$wall" "$same"
  done
done
echo
echo "null hypercall round trip (root, 10000 calls; TSC ticks per call):"
for e in qemu-icount bochs-vmx bochs-svm; do
  per=()
  for n in 1 2; do
    dir=$out/null-$e-$n
    rm -rf "$dir"
    if [ "$e" = qemu-icount ]; then
      bash tests/system/qemu.sh --out "$dir" --kernel build/micro/partita32.elf --icount \
        --initrd "build/micro/root.elf test=null-calls" --timeout 300 >"$dir.log" 2>&1
    else
      bash tests/system/boot.sh --emu "$e" --out "$dir" --root test=null-calls --timeout 300 \
        >"$dir.log" 2>&1
    fi
    per+=("$(tr -d '\r' <"$dir/com1.log" | sed -nE 's/.*, ([0-9]+) TSC ticks per call.*/\1/p')")
  done
  same=identical
  [ -n "${per[0]}" ] && [ "${per[0]}" = "${per[1]}" ] || { same="DIFFER (${per[*]})"; rc=1; }
  printf '  %-12s %8s  %s\n' "$e" "${per[0]:-failed}" "$same"
done

echo
echo "hypervisor size (.text bytes, release build):"
for b in micro mono; do
  printf '  %-6s %s\n' $b "$(size build/$b/partita.elf | awk 'NR==2{print $1}')"
done
echo "wall-clock seconds depend on the host; exits and ticks do not."
exit $rc
