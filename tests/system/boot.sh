#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots the built hypervisor in one emulator configuration and checks the
# serial log.  Used by `make run` and by the boot system tests.
#   boot.sh --emu qemu|qemu-iso|bochs-vmx|bochs-svm [--build micro|mono]
#           [--out DIR] [--timeout S] [--stream] [--append CMDLINE]
#           [--root ARGS | --no-root] [--expect-fail-code N] [--expect REGEX]...
#           [--expect-same RE1 RE2]... [--module FILE[=ARGS]]... [--interactive]
#           [--disk IMAGE] [--lockstep] [--icount] [--mem MIB]
# --mem: the machine's RAM in MiB (128 unless said).
# --lockstep: boot the check build (TRACE=1, build/BUILD-trace, its own
# partition images for modules given from build/BUILD/) and, after the
# run's expectations, check every record of its step trace (COM3) against
# the reference model (check-trace --free; docs/architecture/
# trace-format.md).  A divergence fails the test with the checker's report
# and, from a rerun with trace-states, both abstract states side by side.
# --icount: QEMU (-kernel) counts instructions as time: deterministic runs
# (always on with --lockstep).
# --disk: a raw image the emulator attaches as an ATA disk on the primary
# channel, which the root drives itself (docs/architecture/block.md).
# --interactive: COM1 is this terminal (the root's shell), no timeout;
# QEMU only (Bochs runs without a terminal).
# --expect-same: the first group captured by RE1 and by RE2 (sed -E
# syntax) in the serial logs must be equal, e.g. an address both the root
# and the hypervisor print.
# Env PARTITA_IMAGE_DIR: the image directory instead of build/BUILD.
# The root partition image (build/BUILD/root.elf) goes as the first boot
# module with ARGS as its command line, unless --no-root.
# --expect-fail-code N: the run must end with the hypervisor's own clean
# "PARTITA-RESULT: FAIL code=N" (e.g. 4: the root partition was stopped).
# qemu boots with -kernel (multiboot1, the fast and deterministic path);
# qemu-iso and the Bochs configurations boot the GRUB ISO (multiboot2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

emu=qemu build=micro out= timeout=60 stream=() append="" expects=() root_args="" with_root=1 fail_code= sames=() extra=() interactive=() disk=() lockstep=0 icount=() mem=()
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --stream) stream=(--stream); shift ;;
    --append) append=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    --root) root_args=$2; shift 2 ;;
    --no-root) with_root=0; shift ;;
    --expect-fail-code) fail_code=$2; shift 2 ;;
    --expect-same) sames+=("$2" "$3"); shift 3 ;;
    --module) extra+=("$2"); shift 2 ;;
    --disk) disk=(--disk "$2"); shift 2 ;;
    --interactive) interactive=(--interactive); shift ;;
    --lockstep) lockstep=1; shift ;;
    --icount) icount=(--icount); shift ;;
    --mem) mem=(--mem "$2"); shift 2 ;;
    *) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=${out:-$root/build/boot-$emu}
# PARTITA_IMAGE_DIR (relative to the repository root) boots other images,
# e.g. the coverage build in build/micro-cov (ci/coverage.sh).
release=build/$build
[ "$lockstep" = 1 ] && build=$build-trace
# The check build spends wall-clock time on every step (the digest, the
# record on COM3): with QEMU's timer on the host clock, a loaded host
# would shift which timer tick lets the root run, and timing-dependent
# expectations (a full ring, flow control) with it.  Instruction-counted
# time (-icount) makes these runs deterministic instead.
[ "$lockstep" = 1 ] && icount=(--icount)
img=${PARTITA_IMAGE_DIR:-build/$build}
[[ "$img" = /* ]] || img=$root/$img
mkdir -p "$out"
modules=() used=()
initrd=
if [ "$with_root" = 1 ]; then
  modules+=("$img/root.elf=root.elf $root_args")
  initrd="$img/root.elf $root_args"
fi
# Extra modules after the root's image: FILE or FILE=ARGS (ARGS default: FILE).
for m in "${extra[@]}"; do
  # --lockstep: the check build's own images, not the release build's.
  [ "$lockstep" = 1 ] && [[ "$m" = "$release/"* ]] && m=$img/${m#"$release/"}
  used+=("$m")
  file=${m%%=*}
  args=${m#*=}
  [ "$args" = "$m" ] && args=$(basename "$file")
  modules+=("$file=$(basename "$file") $args")
  initrd="$initrd,$file $args"
done
iso=$out/partita.iso
if [ "$emu" != qemu ] && [ "$emu" != all ]; then
  bash "$here/mkiso.sh" "$iso" "$img/partita.elf" "$append" "${modules[@]}"
fi

rc=0
case $emu in
  qemu)
    bash "$here/qemu.sh" --out "$out" --kernel "$img/partita32.elf" \
      ${append:+--append "$append"} ${initrd:+--initrd "$initrd"} --timeout "$timeout" "${stream[@]}" \
      "${interactive[@]}" "${disk[@]}" "${icount[@]}" "${mem[@]}" || rc=$?
    ;;
  qemu-iso)
    bash "$here/qemu.sh" --out "$out" --iso "$iso" --timeout "$timeout" "${stream[@]}" \
      "${interactive[@]}" "${disk[@]}" "${mem[@]}" || rc=$?
    ;;
  bochs-vmx | bochs-svm)
    if [ ${#interactive[@]} -gt 0 ]; then
      echo "boot.sh: --interactive works in QEMU only (EMU=qemu); Bochs runs without a terminal" >&2
      exit 2
    fi
    bash "$here/bochs.sh" --cpu "${emu#bochs-}" --out "$out" --iso "$iso" \
      --timeout "$timeout" "${stream[@]}" "${disk[@]}" "${mem[@]}" || rc=$?
    ;;
  all)
    mods=()
    for m in "${extra[@]}"; do mods+=(--module "$m"); done
    [ "$lockstep" = 1 ] && mods+=(--lockstep)
    for e in qemu bochs-vmx bochs-svm; do
      "$0" --emu "$e" --build "${release#build/}" --timeout "$timeout" --root "$root_args" "${stream[@]}" \
        "${mods[@]}" "${interactive[@]}" "${disk[@]}" "${mem[@]}" || rc=1
    done
    exit $rc
    ;;
  *)
    echo "boot.sh: EMU must be qemu, qemu-iso, bochs-vmx, bochs-svm or all (got '$emu')" >&2
    exit 2
    ;;
esac
if [ -n "$fail_code" ]; then
  if [ "$rc" = 0 ]; then
    echo "FAIL ($emu): expected the run to end with FAIL code=$fail_code, but it passed"
    exit 1
  fi
  if ! tr -d '\r' <"$out/com1.log" | grep -aq "PARTITA-RESULT: FAIL code=$fail_code\$"; then
    echo "FAIL ($emu): expected a clean shutdown with 'PARTITA-RESULT: FAIL code=$fail_code'"
    exit 1
  fi
  echo "ended as expected with FAIL code=$fail_code"
elif [ "$rc" != 0 ]; then
  exit "$rc"
fi

for re in "${expects[@]}"; do
  # grep reads to the end (no -q): quitting early would kill tr with
  # SIGPIPE, and pipefail would call a found line missing.
  if ! cat "$out/com1.log" "$out/com2.log" 2>/dev/null | tr -d '\r' | grep -aE "$re" >/dev/null; then
    echo "FAIL ($emu): expected a serial line matching /$re/, none found"
    . "$here/emu-lib.sh"
    emu_tail_logs "$out"
    exit 1
  fi
done
capture() {
  cat "$out/com1.log" "$out/com2.log" 2>/dev/null | tr -d '\r' | sed -nE "s/.*$1.*/\\1/p" | head -n1
}
for ((i = 0; i < ${#sames[@]}; i += 2)); do
  a=$(capture "${sames[i]}")
  b=$(capture "${sames[i + 1]}")
  if [ -z "$a" ] || [ "$a" != "$b" ]; then
    echo "FAIL ($emu): /${sames[i]}/ captured '$a' but /${sames[i + 1]}/ captured '$b'"
    exit 1
  fi
done
if [ "$lockstep" = 1 ]; then
  checker=$root/build/host/lockstep/check-trace
  if "$checker" --free "$out/com3.log" --name "$(basename "$out") ($emu)" >"$out/check.log" 2>&1; then
    tail -n 1 "$out/check.log"
    exit 0
  fi
  echo "FAIL ($emu): lockstep: the hypervisor and the model disagree (trace $out/com3.log)"
  head -n 80 "$out/check.log"
  # A rerun with trace-states has the hypervisor's whole state after every
  # step.  Timer ticks fall elsewhere from run to run, so the rerun's own
  # trace is checked (its S records belong to it): its first divergence,
  # with both states side by side.  Bochs writes the states slowly (about
  # two minutes for a few hundred steps): there only on request.
  if grep -q '^DIVERGENCE' "$out/check.log" && [[ "$emu" != bochs-* && -z "${PARTITA_LOCKSTEP_STATES-}" ||
    "${PARTITA_LOCKSTEP_STATES-}" = 1 ]]; then
    echo "---- rerun with trace-states: its first divergence, with the hypervisor's state ----"
    args=()
    for m in "${used[@]}"; do args+=(--module "$m"); done
    PARTITA_IMAGE_DIR=$img bash "$0" --emu "$emu" --build "${release#build/}" --out "$out/states" \
      --timeout "$timeout" --root "$root_args" --append "${append:+$append }trace-states" \
      "${args[@]}" "${disk[@]}" >"$out/states.log" 2>&1 || true
    "$checker" --free "$out/states/com3.log" --name "$(basename "$out") ($emu, rerun)" 2>&1 |
      head -n 120 || true
  elif grep -q '^DIVERGENCE' "$out/check.log"; then
    echo "(the hypervisor's state beside the model's: rerun with PARTITA_LOCKSTEP_STATES=1)"
  fi
  exit 1
fi
exit 0
