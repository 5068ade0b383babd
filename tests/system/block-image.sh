#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# After a test=block run (tests/system/block.system.list): reads the disk
# image on the host.  The data the blockrw child wrote must be in the
# file, so the root's ATA driver reached the emulated disk and flushed it.
#   block-image.sh IMAGE
# Bytes 0-3 of sectors 0 (round 0), 18 (rewritten, round 1) and 2015 (the
# last), by the child's pattern s*13 + i*7 + i/256 + round*101 + 1; sector
# 2, the target of the refused short write, must still be zero.
set -euo pipefail
disk=${1:?usage: block-image.sh IMAGE}
expect_bytes() {
  local sector=$1 want=$2 got
  got=$(od -An -tx1 -j $((sector * 512)) -N4 "$disk" | tr -d ' \n')
  if [ "$got" != "$want" ]; then
    echo "FAIL: sector $sector of $disk starts with $got, expected $want"
    exit 1
  fi
}
expect_bytes 0 01080f16
expect_bytes 18 50575e65
expect_bytes 2015 545b6269
expect_bytes 2 00000000
echo "disk image holds the child's data: ok"
