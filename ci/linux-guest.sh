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
#
# Moving to another kernel: `apt-cache policy 'linux-image-6.1.0-*-cloud-amd64'`
# names what the archive has now; set LINUX_ABI and LINUX_VERSION below (or
# in the environment) and re-run; the system tests pass unchanged if the new
# kernel still boots with the command line in partitions/root/linux_child.c.
set -euo pipefail

LINUX_ABI=${LINUX_ABI:-6.1.0-50}          # the package name's ABI part
LINUX_VERSION=${LINUX_VERSION:-6.1.176-1} # its Debian version
BUSYBOX_VERSION=${BUSYBOX_VERSION:-1:1.35.0-4+deb12u1+b1}
LINUX_PKG=linux-image-${LINUX_ABI}-cloud-amd64

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/linux}
init=$root/tests/system/linux-init.sh
mkdir -p "$out/debs"

fetch() { # package version: downloads PACKAGE_VERSION_amd64.deb into debs/
  local pkg=$1 ver=$2 file
  # apt writes an epoch's colon as %3a
  file=$(ls "$out/debs/${pkg}_"*"${ver#*:}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$file" ]; then
    # A fresh machine may have no package lists yet: as root, fetch them
    # once and try again.
    if ! (cd "$out/debs" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) &&
       ! { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null &&
           (cd "$out/debs" && apt-get download -q "$pkg=$ver" >/dev/null); }; then
      echo "ci/linux-guest.sh: apt-get download $pkg=$ver failed" >&2
      echo "ci/linux-guest.sh: run 'apt-get update'; if the version is gone," \
           "see 'apt-cache policy $pkg' and move the pin (top of this script)" >&2
      exit 1
    fi
    file=$(ls "$out/debs/${pkg}_"*"${ver#*:}_"*.deb | head -1)
  fi
  echo "$file"
}

kdeb=$(fetch "$LINUX_PKG" "$LINUX_VERSION")
bdeb=$(fetch busybox-static "$BUSYBOX_VERSION")

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
mkdir -p "$r/bin" "$r/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/root"
cp "$out/x/busybox/bin/busybox" "$r/bin/busybox"
for a in $("$r/bin/busybox" --list); do
  [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
done
install -m 0755 "$init" "$r/init"
# Deterministic archive: fixed times, sorted names, no owners from here.
find "$r" -exec touch -h -d @0 {} +
( cd "$r" && find . | LC_ALL=C sort |
  "$r/bin/busybox" cpio -o -H newc 2>/dev/null ) | gzip -9n > "$out/initrd.gz.new"
mv "$out/initrd.gz.new" "$out/initrd.gz"
rm -rf "$out/x"
echo "$stamp" > "$out/VERSIONS"
echo "ci/linux-guest.sh: $out/vmlinuz ($(stat -c %s "$out/vmlinuz") bytes)," \
     "$out/initrd.gz ($(stat -c %s "$out/initrd.gz") bytes)" >&2
