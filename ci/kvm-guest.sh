#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The guest of make bench's kvm row (ci/bench-kvm.sh,
# docs/architecture/kvm-peer.md): Debian's Linux running KVM, in QEMU.  From
# the same pinned Debian packages as the Linux child (ci/debian-lib.sh):
# the kernel, and its modules irqbypass, kvm and kvm-amd; BusyBox from
# busybox-static; tests/kvm/kvmbench.c built here, static, against libc6-dev.
# Output in build/kvm/:
#   vmlinuz       the kernel's bzImage, byte for byte Debian's
#   initrd.gz     BusyBox, the three modules, /bin/kvmbench, /init
#                 (tests/kvm/kvm-init.sh)
#   VERSIONS      what was used (the stamp: re-running with the same pins
#                 and sources does nothing)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/kvm}
init=$root/tests/kvm/kvm-init.sh
srcs=("$root/tests/kvm/kvmbench.c" "$root/tests/kvm/kvm_count.c" "$root/tests/kvm/kvm_count.h")
. "$root/ci/debian-lib.sh"
# The downloads are the Linux child's (ci/linux-guest.sh): the same packages.
debs=$root/build/linux/debs
kdeb=$(debian_fetch "$debs" "$LINUX_PKG" "$LINUX_VERSION")
bdeb=$(debian_fetch "$debs" busybox-static "$BUSYBOX_VERSION")

stamp="$LINUX_PKG=$LINUX_VERSION busybox-static=$BUSYBOX_VERSION sources=$(cat "$init" "${srcs[@]}" | sha256sum | cut -c1-16)"
if [ -f "$out/VERSIONS" ] && [ "$(cat "$out/VERSIONS")" = "$stamp" ] &&
   [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ]; then
  exit 0
fi

mkdir -p "$out"
rm -rf "$out/x" "$out/rootfs"
mkdir -p "$out/x/kernel" "$out/x/busybox"
dpkg-deb -x "$kdeb" "$out/x/kernel"
dpkg-deb -x "$bdeb" "$out/x/busybox"
kver=${LINUX_ABI}-cloud-amd64
cp "$out/x/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"

gcc -std=c11 -Wall -Wextra -Werror -O2 -static -o "$out/kvmbench" \
  "$root/tests/kvm/kvmbench.c" "$root/tests/kvm/kvm_count.c"

r=$out/rootfs
debian_busybox_root "$r" "$out/x/busybox"
mkdir -p "$r/lib/modules"
# kvm-amd needs kvm, kvm needs irqbypass (their modinfo "depends").
m=$out/x/kernel/lib/modules/$kver/kernel
cp "$m/virt/lib/irqbypass.ko" "$m/arch/x86/kvm/kvm.ko" "$m/arch/x86/kvm/kvm-amd.ko" "$r/lib/modules/"
install -m 0755 "$out/kvmbench" "$r/bin/kvmbench"
install -m 0755 "$init" "$r/init"
debian_pack_initramfs "$r" "$out/initrd.gz"
rm -rf "$out/x"
echo "$stamp" > "$out/VERSIONS"
echo "ci/kvm-guest.sh: $out/vmlinuz, $out/initrd.gz ($(stat -c %s "$out/initrd.gz") bytes)" >&2
