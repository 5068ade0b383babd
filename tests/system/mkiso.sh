#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds a GRUB (multiboot2) ISO that boots the hypervisor with a command
# line and boot modules, serial console only.
#   mkiso.sh OUT.iso KERNEL.elf "CMDLINE" [MODULE_FILE[=MODULE_CMDLINE]]...
set -euo pipefail
out=$1 kernel=$2 cmdline=$3
shift 3
stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/partita.elf"
{
  echo "set timeout=0"
  echo "serial --unit=0 --speed=115200"
  echo "terminal_input serial"
  echo "terminal_output serial"
  echo "menuentry partita {"
  echo "  multiboot2 /boot/partita.elf $cmdline"
  i=0
  for m in "$@"; do
    file=${m%%=*}
    args=${m#*=}
    [ "$args" = "$m" ] && args=$(basename "$file")
    cp "$file" "$stage/boot/module$i"
    # --nounzip: GRUB would otherwise gunzip a gzip module (the Linux
    # child's initrd.gz), and the child under Bochs would get other bytes
    # than under QEMU's own loader.
    echo "  module2 --nounzip /boot/module$i $args"
    i=$((i + 1))
  done
  echo "  boot"
  echo "}"
} >"$stage/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -o "$out.tmp" "$stage" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
mv "$out.tmp" "$out"
