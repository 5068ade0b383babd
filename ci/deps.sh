#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install (or name) every Debian package Partita needs.
# Fast no-op when everything is present; installs missing packages as root;
# otherwise prints the one apt-get command to run and fails.
set -euo pipefail

PACKAGES=(
  gcc make binutils gdb
  qemu-system-x86
  bochs bochs-term bochsbios vgabios
  grub-pc-bin grub-common xorriso mtools
  check pkg-config
  lcov graphviz
  gnuplot-nox
  clang-14 libclang-rt-14-dev
  libc6-dev linux-libc-dev   # the KVM peer's static client (libc.a, <linux/kvm.h>)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ci/deps.sh: missing Debian packages: ${missing[*]}" >&2
  echo "ci/deps.sh: run as root:  apt-get update && $cmd" >&2
  exit 1
fi

echo "ci/deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ci/deps.sh: done" >&2
