#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench's idle row (ci/bench.sh): what an idle machine costs.  The
# root's shell waits for input that never comes (root "shell
# idle-tsc=N": it quits after N TSC ticks without input), micro and mono,
# in each emulator of BENCH_EMUS, every run twice.  The counts of the
# window are the difference between a run with N = BENCH_IDLE_TSC (default
# 500000000) and one with N = 1 (boot, prompt and shutdown only), both
# from the hypervisor's own numbers at shutdown (COM2: timer ticks, the
# root's exits by reason, the TSC ticks it halted) and the root's TSC when
# it quit.  Per timer tick: the root's exits by reason, and instructions
# (TSC ticks minus halted ones: under QEMU -icount shift=0 one tick is one
# instruction; Bochs's TSC also counts its fixed ips, idle or not).
# A second row, idle-children: the same wait with BENCH_IDLE_CHILDREN
# (default 2) live but idle children, pingers halted for good after their
# work (root "shell idle-children=K idle-tsc=N"); its exits are the root's
# (COM2) plus the children's, which the root prints when it quits (they
# are deleted before the hypervisor's shutdown log).
#   bench-idle.sh OUTDIR   appends to OUTDIR/runs.tsv; exit 1 on a failed
#                          or unreproducible run
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=${1:-build/bench}
mkdir -p "$out"
emus=${BENCH_EMUS:-qemu-icount bochs-vmx bochs-svm}
window=${BENCH_IDLE_TSC:-500000000}
kids=${BENCH_IDLE_CHILDREN:-2}
reasons="hcall cpuid hlt io msr npf exc triple intr other"

# One run: build emu idle-tsc run children -> "ticks tsc idle total hcall
# ... other" (the root's), then with children "ctotal chcall ... cother"
# (theirs), or "failed".
one() {
  local b=$1 e=$2 n=$3 k=$5 dir=$out/idle-$1-$2-$3-$4 emu root=shell mods=()
  [ "$k" -gt 0 ] && dir=$out/idle-children-$1-$2-$3-$4
  rm -rf "$dir"
  mkdir -p "$dir"
  emu=(--emu "$e")
  [ "$e" = qemu-icount ] && emu=(--emu qemu --icount)
  [ "$k" -gt 0 ] && root="shell idle-children=$k" mods=(--module "build/$b/pinger.elf")
  bash tests/system/boot.sh "${emu[@]}" --build "$b" --out "$dir" --timeout 600 \
    --root "$root idle-tsc=$n" "${mods[@]}" \
    --expect '^root: shell idle for [0-9]+ TSC ticks without input' \
    >"$dir.log" 2>&1 || { echo failed; return; }
  local ticks idle tsc row
  ticks=$(tr -d '\r' <"$dir/com2.log" | sed -nE 's/^timer ticks: ([0-9]+)$/\1/p')
  idle=$(tr -d '\r' <"$dir/com2.log" | sed -nE 's/^idle: ([0-9]+) TSC ticks halted.*/\1/p')
  tsc=$(tr -d '\r' <"$dir/com1.log" | sed -nE 's/^root: shell idle for .* quitting at TSC ([0-9]+)$/\1/p')
  # "  1    root   total hypercall cpuid hlt io msr npf exception triple interrupt other"
  row=$(tr -d '\r' <"$dir/com2.log" | awk '$1 == 1 && $2 == "root" && NF == 13 {$1 = $2 = ""; print; exit}')
  if [ -z "$ticks" ] || [ -z "$idle" ] || [ -z "$tsc" ] || [ -z "$row" ]; then
    echo failed
    return
  fi
  if [ "$k" -gt 0 ]; then
    # "root: exits of the K idle children: total hcall ... other"
    local theirs
    theirs=$(tr -d '\r' <"$dir/com1.log" |
      sed -nE "s/^root: exits of the $k idle children: ([0-9 ]+)$/\\1/p")
    [ -n "$theirs" ] || { echo failed; return; }
    row="$row $theirs"
  fi
  # shellcheck disable=SC2086 # the row's fields, one by one
  echo "$ticks $tsc $idle" $row
}

# The window: run(N) - run(1), field by field.
window_of() { # build emu run children
  local long short
  long=$(one "$1" "$2" "$window" "$3" "$4")
  short=$(one "$1" "$2" 1 "$3" "$4")
  if [ "$long" = failed ] || [ "$short" = failed ]; then
    echo failed
    return
  fi
  paste -d' ' <(tr ' ' '\n' <<<"$long") <(tr ' ' '\n' <<<"$short") | awk '{printf "%d ", $1 - $2}'
  echo
}

# "ticks tsc idle total hcall ... other [ctotal chcall ... cother]" ->
# metrics for runs.tsv: with children, exits and exits_REASON are the
# root's plus theirs, exits_child theirs.
metrics() {
  local f m i=4 c=15 x
  read -r -a f <<<"$1"
  if [ "${#f[@]}" -gt 14 ]; then
    m="exits=$((f[3] + f[14])) exits_root=${f[3]} exits_child=${f[14]}"
  else
    m="exits=${f[3]} exits_root=${f[3]}"
  fi
  m="$m instructions=$((f[1] - f[2])) ticks=${f[1]} idle=${f[2]}"
  for r in $reasons; do
    x=${f[$i]}
    [ "${#f[@]}" -gt 14 ] && x=$((x + f[c]))
    m="$m exits_$r=$x"
    i=$((i + 1)) c=$((c + 1))
  done
  echo "$m"
}

rc=0
per() { awk -v x="$1" -v n="$2" 'BEGIN{printf "%.2f", x/n}'; }
# One table: children 0 (the idle shell) or K.
table() { # children
  local k=$1 row=idle unit first second ticks tsc idle total hcall hlt intr c same
  local ctotal chcall chlt cintr
  if [ "$k" -gt 0 ]; then
    row="idle-children"
    unit="timer tick of an idle machine (the root's shell waiting for input, $k idle children)"
    echo "idle-children: the same with $k children halted after their work (pingers);"
    echo "per timer tick, the root's exits plus the children's:"
  else
    unit="timer tick of an idle machine (the root's shell waiting for input)"
    echo "idle: the root's shell waiting for input, $window TSC ticks (minus a run of 1);"
    echo "per timer tick of the hypervisor:"
  fi
  printf '  %-6s %-12s %6s %8s %8s %8s %8s %8s %12s  %s\n' build emulator ticks exits \
    "children" hcall hlt intr instructions "two runs"
  for b in micro mono; do
    for e in $emus; do
      first=$(window_of $b "$e" 1 "$k")
      second=$(window_of $b "$e" 2 "$k")
      if [ "$first" = failed ] || [ "$second" = failed ]; then
        printf '  %-6s %-12s %s\n' $b "$e" "run failed: see $out/$row-$b-$e-*.log"
        rc=1
        continue
      fi
      read -r ticks tsc idle total hcall _ hlt _ _ _ _ _ intr _ ctotal chcall _ chlt _ _ _ _ _ \
        cintr _ <<<"$first"
      if [ "$ticks" -le 0 ]; then
        printf '  %-6s %-12s %s\n' $b "$e" "no timer tick in the window: raise BENCH_IDLE_TSC"
        rc=1
        continue
      fi
      c=${ctotal:-0}
      printf '%s\t%s\t%s\t-\t%s\t%s\tall\t1\t%s\n' $row $b "$e" "$ticks" "$unit" \
        "$(metrics "$first")" >>"$out/runs.tsv"
      printf '%s\t%s\t%s\t-\t%s\t%s\tall\t2\t%s\n' $row $b "$e" "$ticks" "$unit" \
        "$(metrics "$second")" >>"$out/runs.tsv"
      same=identical
      [ "$first" = "$second" ] || { same="DIFFER ($first / $second)"; rc=1; }
      printf '  %-6s %-12s %6s %8s %8s %8s %8s %8s %12s  %s\n' $b "$e" "$ticks" \
        "$(per $((total + c)) "$ticks")" "$(per "$c" "$ticks")" \
        "$(per $((hcall + ${chcall:-0})) "$ticks")" "$(per $((hlt + ${chlt:-0})) "$ticks")" \
        "$(per $((intr + ${cintr:-0})) "$ticks")" \
        "$(awk -v x="$tsc" -v i="$idle" -v n="$ticks" 'BEGIN{printf "%.0f", (x-i)/n}')" "$same"
    done
  done
}
table 0
[ "$kids" -gt 0 ] && { echo; table "$kids"; }
exit $rc
