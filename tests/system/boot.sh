#!/usr/bin/env bash
# Boots the built hypervisor in one emulator configuration and checks the
# serial log.  Used by `make run` and by the boot system tests.
#   boot.sh --emu qemu|qemu-iso|bochs-vmx|bochs-svm [--build micro|mono]
#           [--out DIR] [--timeout S] [--stream] [--append CMDLINE]
#           [--expect REGEX]...
# qemu boots with -kernel (multiboot1, the fast and deterministic path);
# qemu-iso and the Bochs configurations boot the GRUB ISO (multiboot2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

emu=qemu build=micro out= timeout=60 stream=() append="" expects=()
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --stream) stream=(--stream); shift ;;
    --append) append=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    *) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=${out:-$root/build/boot-$emu}
img=$root/build/$build
iso=$img/partita.iso
if [ -n "$append" ] && [ "$emu" != qemu ]; then
  iso=$out/partita.iso
  bash "$here/mkiso.sh" "$iso" "$img/partita.elf" "$append"
fi

rc=0
case $emu in
  qemu)
    bash "$here/qemu.sh" --out "$out" --kernel "$img/partita32.elf" \
      ${append:+--append "$append"} --timeout "$timeout" "${stream[@]}" || rc=$?
    ;;
  qemu-iso)
    bash "$here/qemu.sh" --out "$out" --iso "$iso" --timeout "$timeout" "${stream[@]}" || rc=$?
    ;;
  bochs-vmx | bochs-svm)
    bash "$here/bochs.sh" --cpu "${emu#bochs-}" --out "$out" --iso "$iso" \
      --timeout "$timeout" "${stream[@]}" || rc=$?
    ;;
  all)
    for e in qemu bochs-vmx bochs-svm; do
      "$0" --emu "$e" --build "$build" --timeout "$timeout" "${stream[@]}" || rc=1
    done
    exit $rc
    ;;
  *)
    echo "boot.sh: EMU must be qemu, qemu-iso, bochs-vmx, bochs-svm or all (got '$emu')" >&2
    exit 2
    ;;
esac
[ "$rc" = 0 ] || exit "$rc"

for re in "${expects[@]}"; do
  if ! tr -d '\r' <"$out/com1.log" | grep -aqE "$re"; then
    echo "FAIL ($emu): expected a serial line matching /$re/, none found"
    . "$here/emu-lib.sh"
    emu_tail_logs "$out"
    exit 1
  fi
done
exit 0
