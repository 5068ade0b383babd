#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Linux guest of GUEST=linux (docs/architecture/linux-guest.md), from
# Debian packages only: downloads (never installs) a pinned Debian 12 kernel
# package and busybox-static with `apt-get download`, extracts them with
# dpkg-deb -x and builds a small initramfs (cpio newc, gzip) of BusyBox and
# tests/system/linux-init.sh.  Output in build/linux/:
#   vmlinuz       the kernel's bzImage, byte for byte Debian's
#   initrd.gz     the initramfs
#   VERSIONS      what was used
# Nothing else is fetched.  Re-running with the same pins and init script
# reuses the downloads and the tree (VERSIONS is the stamp).
# The pins and the fetching are ci/debian-lib.sh's (shared with
# ci/kvm-guest.sh); see there for moving to another kernel.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/linux}
init=$root/tests/system/linux-init.sh
mkdir -p "$out/debs"
. "$root/ci/debian-lib.sh"

kdeb=$(debian_fetch "$out/debs" "$LINUX_PKG" "$LINUX_VERSION")
bdeb=$(debian_fetch "$out/debs" busybox-static "$BUSYBOX_VERSION")

stamp="$LINUX_PKG=$LINUX_VERSION busybox-static=$BUSYBOX_VERSION init=$(sha256sum "$init" | cut -c1-16)"
if [ -f "$out/VERSIONS" ] && [ "$(cat "$out/VERSIONS")" = "$stamp" ] &&
   [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ]; then
  exit 0
fi

rm -rf "$out/x" "$out/rootfs"
mkdir -p "$out/x/kernel" "$out/x/busybox"
dpkg-deb -x "$kdeb" "$out/x/kernel"
dpkg-deb -x "$bdeb" "$out/x/busybox"
cp "$out/x/kernel/boot/vmlinuz-${LINUX_ABI}-cloud-amd64" "$out/vmlinuz"

# The initramfs: BusyBox, its applets as links, /init.
r=$out/rootfs
debian_busybox_root "$r" "$out/x/busybox"
install -m 0755 "$init" "$r/init"
debian_pack_initramfs "$r" "$out/initrd.gz"
rm -rf "$out/x"
echo "$stamp" > "$out/VERSIONS"
echo "ci/linux-guest.sh: $out/vmlinuz ($(stat -c %s "$out/vmlinuz") bytes)," \
     "$out/initrd.gz ($(stat -c %s "$out/initrd.gz") bytes)" >&2
