#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An idle machine stays quiet: the root's shell waits for input that never
# comes (root "shell idle-tsc=N"), and its VM exits per timer tick of the
# hypervisor must stay at or under a bound.  Counts, not time: the exits
# and ticks of a run with N = 200000000 minus those of a run with N = 1
# (boot, prompt and shutdown only), from the hypervisor's log (COM2).
# With every VP halted the CPU must wait for the next interrupt
# (kernel/core/sched.c): a scheduler that wakes the halted root at once
# instead spins through ~24,000 exits per tick.
# With --children K the root first starts K children that halt for good
# after their work (root "shell idle-children=K idle-tsc=N": K pingers),
# and the bound covers the root's exits plus the children's (the root
# prints theirs when it quits; each tick wakes each halted child, which
# halts again: about one exit per child per tick).
#   idle-bound.sh --emu qemu|bochs-vmx|bochs-svm --out DIR --max-per-tick M
#                 [--children K]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
emu='' out='' max='' children=0
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --max-per-tick) max=$2; shift 2 ;;
    --children) children=$2; shift 2 ;;
    *) echo "idle-bound.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$emu" ] || [ -z "$out" ] || [ -z "$max" ]; then
  echo "usage: see the header" >&2
  exit 2
fi
icount=()
[ "$emu" = qemu ] && icount=(--icount)
root="shell"
modules=()
what="idle shell"
if [ "$children" -gt 0 ]; then
  root="shell idle-children=$children"
  modules=(--module "$here/../../build/micro/pinger.elf")
  what="idle shell with $children idle children"
fi

counts() { # idle-tsc -> "ticks exits" (the root's and the children's)
  local dir=$out/idle-$1
  if ! bash "$here/boot.sh" --emu "$emu" "${icount[@]}" --out "$dir" --timeout 120 \
    --root "$root idle-tsc=$1" "${modules[@]}" \
    --expect '^root: shell idle for [0-9]+ TSC ticks without input' \
    >"$dir.log" 2>&1; then
    echo "FAIL: the idle run (idle-tsc=$1) failed; its log's tail:" >&2
    tail -n 20 "$dir.log" >&2
    return 1
  fi
  local ticks exits
  ticks=$(tr -d '\r' <"$dir/com2.log" | sed -nE 's/^timer ticks: ([0-9]+)$/\1/p')
  exits=$(tr -d '\r' <"$dir/com2.log" | awk '$1 == 1 && $2 == "root" && NF == 13 {print $3; exit}')
  if [ -z "$ticks" ] || [ -z "$exits" ]; then
    echo "FAIL: no timer ticks or root exit line in $dir/com2.log; its tail:" >&2
    tail -n 20 "$dir/com2.log" >&2
    return 1
  fi
  if [ "$children" -gt 0 ]; then
    local theirs
    theirs=$(tr -d '\r' <"$dir/com1.log" |
      sed -nE "s/^root: exits of the $children idle children: ([0-9]+) .*/\\1/p")
    if [ -z "$theirs" ]; then
      echo "FAIL: no line with the $children idle children's exits in $dir/com1.log; its tail:" >&2
      tail -n 20 "$dir/com1.log" >&2
      return 1
    fi
    exits=$((exits + theirs))
  fi
  echo "$ticks $exits"
}

mkdir -p "$out"
long=$(counts 200000000) || exit 1
short=$(counts 1) || exit 1
read -r t1 x1 <<<"$long"
read -r t0 x0 <<<"$short"
ticks=$((t1 - t0)) exits=$((x1 - x0))
if [ "$ticks" -lt 5 ]; then
  echo "FAIL: only $ticks timer ticks in the idle window ($long / $short)"
  exit 1
fi
echo "$what ($emu): $exits exits in $ticks timer ticks, bound $max per tick"
if [ "$exits" -gt $((max * ticks)) ]; then
  echo "FAIL: $exits exits in $ticks ticks is more than $max per tick: the idle machine spins"
  exit 1
fi
echo "PASS: an idle machine ($what) takes at most $max exits per timer tick"
