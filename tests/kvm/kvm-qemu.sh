#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One boot of the KVM peer (docs/architecture/kvm-peer.md): QEMU (TCG,
# -icount shift=0,sleep=off; the CPU model of tests/system/qemu.sh, qemu64
# with SVM and NPT, one CPU) runs build/kvm/ (ci/kvm-guest.sh builds it):
# Debian's Linux loads kvm_amd and runs /bin/kvmbench N.
#   kvm-qemu.sh --out DIR [--n N] [--timeout S] [--expect REGEX]...
# COM1 goes to DIR/com1.log.  PASS needs the guest's "PARTITA-RESULT:
# PASS" (kvmbench ran every case and each exited as it must) and a line
# of the log matching each --expect (grep -E); otherwise FAIL with the
# reason and the log's tail.  Never -accel kvm: the host's KVM is not what
# is measured, and its counts would be neither deterministic nor
# instructions.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/system/emu-lib.sh"
out= n=10000 timeout=600 expects=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    *) echo "kvm-qemu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "kvm-qemu.sh: --out is required" >&2; exit 2; }
for f in vmlinuz initrd.gz; do
  [ -f "$root/build/kvm/$f" ] || { echo "kvm-qemu.sh: no build/kvm/$f: run ci/kvm-guest.sh" >&2; exit 2; }
done
rm -rf "$out"
mkdir -p "$out"
# -rtc clock=vm and a fixed base: the guest's wall clock does not come
# from the host, so nothing in the boot depends on when it ran.
emu_run "$out" "$timeout" "" qemu-system-x86_64 -accel tcg -cpu qemu64,+svm,+npt -smp 1 -m 256M \
  -display none -vga none -monitor none -no-reboot -nodefaults \
  -serial "file:$out/com1.log" -kernel "$root/build/kvm/vmlinuz" \
  -initrd "$root/build/kvm/initrd.gz" -append "console=ttyS0 panic=-1 kvmbench.n=$n" \
  -icount shift=0,sleep=off,align=off -rtc base=2000-01-01T00:00:00,clock=vm
emu_verdict "$out" "$out/com1.log" >"$out/verdict" || { cat "$out/verdict"; exit 1; }
for e in "${expects[@]}"; do
  if ! tr -d '\r' <"$out/com1.log" | grep -aqE -- "$e"; then
    echo "FAIL ($(basename "$out")): no line matches: $e"
    emu_tail_logs "$out"
    exit 1
  fi
done
cat "$out/verdict"
