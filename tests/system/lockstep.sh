#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make scenario / make fuzz-lockstep: compile the steps on the host, play
# them on the hypervisor in each emulator, check every step against the
# model, and (with EMU=all) check that the emulators agree step for step.
#   lockstep.sh --scn FILE.scn | --seed N --steps M   [--emu qemu|bochs-vmx|bochs-svm|all]
#               [--build micro|mono] [--out DIR] [--defect]
#               [--generate [--window K]] [--timeout S] [--check-seed N]
# --generate: the root generates the seed's steps inside the machine as
# it plays them (make soak; any number of steps), the checker regenerates
# them from the seed.  --check-seed: the checker regenerates another
# seed's steps instead (to see a mismatch reported).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gen=()
scn= seed= count= emu=qemu build=micro out= defect=() generate=0 window=16 timeout=() check_seed=
while [ $# -gt 0 ]; do
  case $1 in
    --scn) scn=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --steps) count=$2; shift 2 ;;
    --emu) emu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --defect) defect=(--defect); shift ;;
    --generate) generate=1; shift ;;
    --window) window=$2; shift 2 ;;
    --timeout) timeout=(--timeout "$2"); shift 2 ;;
    --check-seed) check_seed=$2; shift 2 ;;
    *) echo "lockstep.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
tools=$root/build/host/lockstep
if [ -n "$scn" ]; then
  [ -f "$scn" ] || { echo "lockstep.sh: no scenario file '$scn'" >&2; exit 2; }
  name=$(basename "$scn" .scn)
  out=${out:-$root/build/scenario/$name}
  mkdir -p "$out"
  "$tools/scenario-compile" "$scn" "$out/steps.bin" || {
    echo "FAIL $name: the scenario does not compile (see the message above)"
    exit 1
  }
else
  [ -n "$seed" ] || { echo "lockstep.sh: give --scn FILE or --seed N" >&2; exit 2; }
  name="fuzz-seed-$seed"
  out=${out:-$root/build/fuzz/seed-$seed}
  mkdir -p "$out"
  if [ "$generate" = 1 ]; then
    name="fuzz-seed-$seed-generated"
    "$tools/fuzz-compile" --seed "$seed" --steps "${count:-200}" --window "$window" \
      "$out/steps.bin" || exit 1
    gen=(--gen "${check_seed:-$seed}" "${count:-200}")
  else
    "$tools/fuzz-compile" --seed "$seed" --steps "${count:-200}" "$out/steps.bin" || exit 1
  fi
fi

case $emu in
  all) emus=(qemu bochs-vmx bochs-svm) ;;
  qemu | bochs-vmx | bochs-svm) emus=("$emu") ;;
  *) echo "lockstep.sh: EMU must be qemu, bochs-vmx, bochs-svm or all" >&2; exit 2 ;;
esac

# The emulators run side by side (each run is deterministic whatever the
# host's load: QEMU counts instructions, Bochs is single-threaded and
# simulated-time), and their verdicts are printed in order.
rc=0 pids=()
for e in "${emus[@]}"; do
  mkdir -p "$out/$e"
  bash "$here/scenario.sh" --emu "$e" --steps "$out/steps.bin" --out "$out/$e" --build "$build" \
    "${defect[@]}" "${gen[@]}" "${timeout[@]}" >"$out/$e.verdict" 2>&1 &
  pids+=($!)
done
for i in "${!emus[@]}"; do
  wait "${pids[$i]}" || rc=1
  printf '%-10s ' "${emus[$i]}"
  cat "$out/${emus[$i]}.verdict"
done
if [ "$rc" = 0 ] && [ "${#emus[@]}" -gt 1 ]; then
  for e in "${emus[@]:1}"; do
    if ! cmp -s "$out/${emus[0]}/steps.txt" "$out/$e/steps.txt"; then
      echo "FAIL $name: the checked steps differ between ${emus[0]} and $e:"
      diff "$out/${emus[0]}/steps.txt" "$out/$e/steps.txt" | head -n 20
      rc=1
    fi
  done
  [ "$rc" = 0 ] && echo "the ${#emus[@]} emulators checked identical step sequences ($(wc -l <"$out/${emus[0]}/steps.txt") steps)"
fi
if [ "$rc" = 0 ]; then
  echo "PASS $name"
else
  [ -n "$seed" ] && echo "FAIL $name: rerun with 'make fuzz-lockstep SEED=$seed STEPS=${count:-200} EMU=$emu'"
  echo "FAIL $name"
fi
exit $rc
