#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make soak: long checked runs, steps generated from a seed on both sides.
#   soak.sh [--emu all|host|qemu|bochs-vmx|bochs-svm] [--seed N] [--steps M]
#           [--host-steps M] [--timeout S] [--out DIR]
# host: the host differential test streaming (host-lockstep --stream, the
# non-sanitizer build): the core plays the seed's steps as they are
# generated, the checker regenerates them and checks the trace as it
# arrives.  Emulators: the check build's root generates the seed's steps
# inside the machine as it plays them (tests/system/lockstep.sh
# --generate), the host checker regenerates them from the seed.  Seeds
# are not make test's (1, 2, 3): the default base is 1001, and each
# configuration gets its own (base, base+1, ... in the order host, qemu,
# bochs-vmx, bochs-svm).  Prints steps, seconds and steps/s for each
# configuration (seconds: the whole run, boot and check included; cpu:
# the CPU seconds its processes used, which a loaded machine does not
# inflate), then "N passed, N failed".  Exit 0 only if every
# configuration passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
emu=all seed=1001 steps=100000 host_steps=10000000 timeout=3600 out=$root/build/soak
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --host-steps) host_steps=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
all=(host qemu bochs-vmx bochs-svm)
case $emu in
  all) configs=("${all[@]}") ;;
  host | qemu | bochs-vmx | bochs-svm) configs=("$emu") ;;
  *) echo "soak.sh: EMU must be all, host, qemu, bochs-vmx or bochs-svm" >&2; exit 2 ;;
esac
for s in "$seed" "$steps" "$host_steps"; do
  [[ $s =~ ^[0-9]+$ ]] || { echo "soak.sh: '$s' is not a number" >&2; exit 2; }
done
mkdir -p "$out"
now() { date +%s.%N; }
# User + system CPU seconds of this script's finished children so far.
# (times runs in this shell: in a pipe or $(...) it would see a subshell's.)
cpu_seconds() {
  times >"$out/.times"
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } print t }' "$out/.times"
}
passed=0 failed=0 rows=()
for c in "${configs[@]}"; do
  # Each configuration its own seed, whichever of them runs.
  for i in "${!all[@]}"; do [ "${all[$i]}" = "$c" ] && s=$((seed + i)); done
  log=$out/$c.log
  cpu_seconds >"$out/.cpu0"
  cpu0=$(cat "$out/.cpu0")
  t0=$(now)
  if [ "$c" = host ]; then
    n=$host_steps
    timeout --kill-after=10 "$timeout" "$root/build/host/lockstep/fast/host-lockstep" \
      --stream --seed "$s" --steps "$n" >"$log" 2>&1
    rc=$?
  else
    n=$steps
    bash "$here/lockstep.sh" --seed "$s" --steps "$n" --generate --emu "$c" \
      --timeout "$timeout" --out "$out/$c" >"$log" 2>&1
    rc=$?
  fi
  t1=$(now)
  cpu_seconds >"$out/.cpu1"
  cpu=$(awk -v a="$cpu0" -v b="$(cat "$out/.cpu1")" 'BEGIN { print b - a }')
  checked=$(sed -n 's/.*PASS fuzz seed [0-9]*: \([0-9]*\) steps.*/\1/p' "$log" | head -n 1)
  if [ "$rc" = 0 ] && [ -n "$checked" ]; then
    passed=$((passed + 1))
    verdict=PASS
  else
    failed=$((failed + 1))
    verdict=FAIL
    checked=${checked:-0}
    echo "FAIL soak $c (seed $s, $n steps, exit $rc): the tail of $log:"
    tail -n 40 "$log"
  fi
  row=$(awk -v c="$c" -v s="$s" -v n="$checked" -v t0="$t0" -v t1="$t1" -v u="$cpu" -v v="$verdict" \
    'BEGIN { d = t1 - t0; printf "%-9s seed %-5s %10d steps %8.1f s %8.0f steps/s   cpu %8.1f s %8.0f steps/cpu-s  %s", c, s, n, d, (d > 0 ? n / d : 0), u, (u > 0 ? n / u : 0), v }')
  echo "$row"
  rows+=("$row")
done
echo "---- soak: checked steps per configuration (seconds: the whole run, boot and check included; cpu: CPU seconds used)"
printf '%s\n' "${rows[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
