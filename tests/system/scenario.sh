#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Plays a compiled scenario (or fuzz seed) on the real hypervisor in one
# emulator and checks every step against the model.
#   scenario.sh --emu qemu|bochs-vmx|bochs-svm --steps STEPS.bin --out DIR
#               [--build micro|mono] [--timeout S] [--defect]
#               [--gen SEED STEPS]
# --gen: STEPS.bin is the window of a run the root generates in the
# machine (fuzz-compile --window); the checker regenerates the steps
# from the seed.  Such runs are long: no trace-states rerun on a failure.
# Boots the check build (TRACE=1) with the root in player mode, the
# scenario agent and the steps as boot modules; the hypervisor's trace
# (COM3) goes to the lockstep checker.  On a divergence the run is
# repeated with the whole abstract state after every step (trace-states),
# so the report can show the hypervisor's state beside the model's.
# Writes DIR/steps.txt: the checked steps in model space (for comparing
# emulators).  Exit 0 only if every step matched.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
emu=qemu steps= out= build=micro timeout=300 flavour=trace gen=()
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --defect) flavour=trace-defect; shift ;; # the deliberately broken build
    --gen) gen=(--seed "$2" --steps "$3"); shift 3 ;;
    *) echo "scenario.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$steps" ] && [ -n "$out" ] || { echo "scenario.sh: --steps and --out are required" >&2; exit 2; }
img=$root/build/$build-$flavour
# Bochs at 5 million instructions per emulated second instead of 50: the
# trace leaves on COM3 at the emulated UART's 115200 baud (about 87 us of
# emulated time a character, 78 characters a step), and the hypervisor
# spins on the line status register meanwhile, so at 50 MIPS most of a
# Bochs step was spinning (145 steps/s; 300 at 5 MIPS, measured on fuzz
# seed 14, docs/architecture/trace-format.md "Generated runs").  The
# checks do not depend on timing: the turns fix the order of the steps.
export PARTITA_BOCHS_IPS=${PARTITA_BOCHS_IPS:-5000000}
checker=$root/build/host/lockstep/check-trace

play() { # $1 = out dir, $2 = extra hypervisor command line
  bash "$here/boot.sh" --emu "$emu" --build "$build-$flavour" --out "$1" --timeout "$timeout" \
    --root scenario --module "$img/agent.elf" --module "$steps" \
    ${2:+--append "$2"} >"$1.runner.log" 2>&1
  return 0 # the checker decides; a crash or hang shows as a short trace
}

mkdir -p "$out"
play "$out" ""
steps_arg=("$steps")
[ ${#gen[@]} -gt 0 ] && steps_arg=("${gen[@]}")
if "$checker" "${steps_arg[@]}" "$out/com3.log" --steps-out "$out/steps.txt" >"$out/check.log" 2>&1; then
  tail -n 1 "$out/check.log"
  exit 0
fi
echo "FAIL ($emu): the hypervisor and the model disagree, or the run ended early"
if [ ${#gen[@]} -gt 0 ]; then
  head -n 120 "$out/check.log"
  echo "---- root (COM1) ----"
  tail -n 15 "$out/com1.log" 2>/dev/null
  echo "---- runner ----"
  tail -n 15 "$out.runner.log"
  exit 1
fi
play "$out/states" "trace-states"
"$checker" "$steps" "$out/com3.log" --states "$out/states/com3.log" 2>&1 | head -n 120
echo "---- runner ----"
tail -n 15 "$out.runner.log"
exit 1
