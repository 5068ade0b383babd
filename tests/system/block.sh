#!/usr/bin/env bash
# The block service system test (docs/architecture/block.md) in one
# emulator configuration:
#   block.sh --emu qemu|bochs-vmx|bochs-svm [--timeout S]
# Makes a fresh disk image, boots the root with test=block and the blockrw
# child, checks the child's prefixed lines and the root's summary, then
# reads the image on the host: the data the child wrote must be in the
# file (the root's ATA driver reached the emulated disk, cache flushed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
emu=qemu timeout=180
while [ $# -gt 0 ]; do
  case $1 in
    --emu) emu=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) echo "block.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$root/build/test/block-$emu
disk=$out/disk.img
bash "$here/make-disk.sh" "$disk"
bash "$here/boot.sh" --emu "$emu" --timeout "$timeout" --out "$out" --root test=block \
  --module "$root/build/micro/blockrw.elf" --disk "$disk" \
  --expect '^root: ata: primary (master|slave) ".*", 2016 sectors \(1008 KiB\), LBA28 PIO' \
  --expect '^\[blockrw\] blockrw: block channel open, disk of 2016 sectors' \
  --expect '^\[blockrw\] blockrw: read 7 sectors at 16: OK, 7 of 7 match round 0' \
  --expect '^\[blockrw\] blockrw: read 2 sectors at 17: OK, 2 of 2 match round 1' \
  --expect '^\[blockrw\] blockrw: sector past the end: E_RANGE \(expected E_RANGE\)$' \
  --expect '^\[blockrw\] blockrw: write with 100 of 512 data bytes: E_LENGTH \(expected E_LENGTH\)$' \
  --expect '^\[blockrw\] blockrw: frame length 65535: E_FRAME \(expected E_FRAME\)$' \
  --expect '^\[blockrw\] blockrw: wrote 14 sectors, read 23 back, 0 mismatched; 10 bad requests refused as expected, 0 unexpected results$' \
  --expect '^root: block summary: 25 requests, 14 sectors written, 23 read, 10 errors replied \(E_RANGE 3, E_COUNT 2, E_OP 1, E_MAGIC 1, E_LENGTH 2, E_FRAME 1, E_IO 0\)' \
  --expect '^root: the child counted 14 written, 23 read, 10 refused; the VSP 14, 23, 10: agree$' \
  --expect '^root: own driver reads sector 18: ok, fnv1a (0x[0-9a-f]{8}), the child wrote fnv1a \1: ok$' \
  --expect '^root: block service: reads after writes return what was written, bad requests refused: ok$'

# On the host: bytes 0-3 of sectors 0 (round 0), 18 (rewritten, round 1)
# and 2015 (the last one), by the child's pattern s*13 + i*7 + round*101 + 1.
expect_bytes() {
  local sector=$1 want=$2 got
  got=$(od -An -tx1 -j $((sector * 512)) -N4 "$disk" | tr -d ' \n')
  if [ "$got" != "$want" ]; then
    echo "FAIL ($emu): sector $sector of $disk starts with $got, expected $want"
    exit 1
  fi
}
expect_bytes 0 01080f16
expect_bytes 18 50575e65
expect_bytes 2015 545b6269
expect_bytes 2 00000000 # the refused short write left it alone
echo "disk image holds the child's data: ok"
