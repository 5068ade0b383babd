#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One graded lockstep run (labs/README.md): a scenario or a fuzz seed
# played on the check build in an emulator, every step checked against
# the model by check-trace, a host program the student does not write.
#   lockstep-test.sh --scn FILE.scn | --seed N --steps M  [--emu E] [--build B]
# Exit 0: every step matched.  1: a divergence or a run that ended early:
# the checker's report (first diverging step, both results), the lab stub
# or panic that stopped the hypervisor, and the command that replays it.
# 3: the emulator hit its wall-clock backstop (an infrastructure failure).
set -uo pipefail
cd "$(dirname "$0")/../.."
scn= seed= steps=200 emu=qemu build=micro
while [ $# -gt 0 ]; do
  case $1 in
    --scn) scn=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --emu) emu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "lockstep-test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=${GRADE_LOG:-build/grade}/${GRADE_TEST:-lockstep}
rm -rf "$out"
mkdir -p "$out"
if [ -n "$scn" ]; then
  args=(--scn "$scn")
  replay="make scenario SCN=$scn EMU=$emu BUILD=$build"
else
  args=(--seed "$seed" --steps "$steps")
  replay="make fuzz-lockstep SEED=$seed STEPS=$steps EMU=$emu BUILD=$build"
fi
bash tests/system/lockstep.sh "${args[@]}" --emu "$emu" --build "$build" --out "$out" >"$out.txt" 2>&1
rc=$?
cat "$out.txt"
[ "$rc" = 0 ] && exit 0
if grep -qs 'timeout: no result line' "$out/$emu.runner.log" "$out.txt"; then
  echo "the emulator reached its wall-clock backstop: nothing was judged"
  exit 3
fi
stop=$(grep -ahs -m2 -E 'not written yet|PANIC' "$out/$emu"/com*.log | tr -d '\r')
[ -n "$stop" ] && printf 'the hypervisor stopped: %s\n' "$stop"
echo "replay: $replay"
echo "logs: $out/$emu/ (com1 root, com2 hypervisor, com3 trace)"
exit 1
