#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One graded boot (labs/README.md): tests/system/boot.sh with the given
# arguments (--out is added), usually --lockstep so that every hypercall
# of the run is also checked against the model.  The verdict lines come
# from code the student does not write (the root partition's tests, the
# lockstep checker); a lab region may not print (labtool audit).
#   boot-test.sh [--fresh-disk | --disk-check] BOOT.SH-ARGS...
# --fresh-disk: a fresh disk image for the run; --disk-check: the same,
# and the image is checked on the host afterwards (tests/system/block-image.sh).
# Exit 0 pass, 1 fail (the reason, the stub or panic that stopped the
# run), 3 the emulator reached its wall-clock backstop.
set -uo pipefail
cd "$(dirname "$0")/../.."
disk=0
case ${1:-} in
  --fresh-disk) disk=1; shift ;;
  --disk-check) disk=2; shift ;;
esac
out=${GRADE_LOG:-build/grade}/${GRADE_TEST:-boot}
rm -rf "$out"
mkdir -p "$out"
extra=()
if [ "$disk" != 0 ]; then
  bash tests/system/make-disk.sh "$out/disk.img" || exit 3
  extra=(--disk "$out/disk.img")
fi
bash tests/system/boot.sh --out "$out/run" "${extra[@]}" "$@" >"$out.txt" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ "$disk" = 2 ]; then
  echo "host-side check of the disk image:" >>"$out.txt"
  bash tests/system/block-image.sh "$out/disk.img" >>"$out.txt" 2>&1 || rc=1
fi
cat "$out.txt"
[ "$rc" = 0 ] && exit 0
if grep -qs 'timeout: no result line' "$out.txt"; then
  echo "the emulator reached its wall-clock backstop: nothing was judged"
  exit 3
fi
# The reason last, where the grader's tail of the output shows it: the
# runner's verdict, the root's last lines, a stub or panic that stopped it.
echo "---- why ----"
head -n 1 "$out.txt"
tr -d '\r' <"$out/run/com1.log" 2>/dev/null | grep -a '^root: ' | grep -v 'pages lent' | tail -n 5
stop=$(grep -ahs -m2 -E 'not written yet|PANIC' "$out"/run/com*.log | tr -d '\r')
[ -n "$stop" ] && printf 'the run stopped: %s\n' "$stop"
echo "logs: $out/run/ (com1 root, com2 hypervisor, com3 trace)"
exit 1
