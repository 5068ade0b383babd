#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench's pio row (ci/bench.sh runs it with the kvm row): Partita's
# port-I/O round trip, to set beside KVM's (docs/architecture/kvm-peer.md).
# The child partitions/guests/ioloop does N OUTs to COM2's scratch register
# (root test=ioloop accesses=N), served by the root's UART emulation
# (BUILD=micro) or the hypervisor's UART model (BUILD=mono), under QEMU
# -icount (a TSC tick is an instruction of the machine).  Runs of N and 2N
# (N = BENCH_PIO_N, default 1000): the difference over N is one access,
# the fixed costs (boot, the child's creation, its timing) cancel.  Ticks
# are the child's own loop; exits the root's and the child's over the run.
# Each pair twice; they must be identical.
#   bench-pio.sh OUTDIR   appends to OUTDIR/runs.tsv; exit 1 on a failed
#                         or unreproducible run
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=${1:-build/bench}
mkdir -p "$out"
n=${BENCH_PIO_N:-1000}
rc=0

one() { # build accesses run -> "ticks exits root child io" or "failed"
  local b=$1 a=$2 dir=$out/pio-$1-$2-$3
  rm -rf "$dir"
  bash tests/system/qemu.sh --out "$dir" --kernel build/$b/partita32.elf --icount \
    --initrd "build/$b/root.elf test=ioloop accesses=$a,build/$b/ioloop.elf ioloop.elf" \
    --timeout 300 >"$dir.log" 2>&1
  grep -aq '^root: port I/O loop count: ok' <(tr -d '\r' <"$dir/com1.log") || { echo failed; return; }
  tr -d '\r' <"$dir/com1.log" | sed -nE 's/^root: bench ioloop: [0-9]+ accesses, ([0-9]+) exits, ([0-9]+) TSC ticks.*; ([0-9]+) root exits, ([0-9]+) child exits, ([0-9]+) of them I\/O$/\2 \1 \3 \4 \5/p' | grep . || echo failed
}

echo "port I/O round trip (OUT to COM2's scratch register; runs of $n and $((2 * n)); per access):"
printf '  %-6s %-12s %8s %12s  %s\n' build emulator exits ticks "two runs"
for b in micro mono; do
  res=()
  for r in 1 2; do
    x=$(one $b "$n" $r)
    y=$(one $b $((2 * n)) $r)
    if [ "$x" = failed ] || [ "$y" = failed ]; then
      res+=(failed)
      continue
    fi
    read -r t1 e1 r1 c1 _ <<<"$x"
    read -r t2 e2 r2 c2 _ <<<"$y"
    m="exits=$((e2 - e1)) exits_root=$((r2 - r1)) exits_child=$((c2 - c1)) ticks=$((t2 - t1)) ticks_n=$t1 ticks_2n=$t2"
    printf 'pio\t%s\tqemu-icount\t-\t%s\t%s\tall\t%s\t%s\n' $b "$n" \
      "port I/O round trip: an OUT to the emulated UART's scratch register" $r "$m" >>"$out/runs.tsv"
    res+=("$m")
  done
  if [ "${res[0]}" = failed ] || [ "${res[1]}" = failed ]; then
    printf '  %-6s %-12s %s\n' $b qemu-icount "run failed: see $out/pio-$b-*.log"
    rc=1
    continue
  fi
  same=identical
  [ "${res[0]}" = "${res[1]}" ] || { same="DIFFER"; rc=1; }
  e=$(sed -nE 's/^exits=([0-9-]+) .*/\1/p' <<<"${res[0]}")
  t=$(sed -nE 's/.* ticks=([0-9-]+) .*/\1/p' <<<"${res[0]}")
  printf '  %-6s %-12s %8s %12s  %s\n' $b qemu-icount \
    "$(awk -v x="$e" -v n="$n" 'BEGIN{printf "%.2f", x/n}')" \
    "$(awk -v x="$t" -v n="$n" 'BEGIN{printf "%.1f", x/n}')" "$same"
done
exit $rc
