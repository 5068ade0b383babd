#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Creates a fresh, zero-filled raw disk image for the block service tests:
#   make-disk.sh FILE [CYLINDERS]
# The size is whole cylinders of 16 heads x 63 sectors (516096 bytes), the
# geometry tests/system/bochs.sh gives Bochs, so both emulators see the
# same number of sectors (default 2 cylinders: 2016 sectors, 1032192 bytes).
set -euo pipefail
file=${1:?usage: make-disk.sh FILE [CYLINDERS]}
cyl=${2:-2}
mkdir -p "$(dirname "$file")"
# Bochs locks an image with FILE.lock while it runs; a run that was killed
# leaves the lock behind and the next Bochs refuses the image.
rm -f "$file" "$file.lock"
truncate -s $((cyl * 16 * 63 * 512)) "$file"
