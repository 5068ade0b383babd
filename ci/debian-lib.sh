# SPDX-License-Identifier: MIT
# Shared by ci/linux-guest.sh and ci/kvm-guest.sh (sourced, not run): the
# pinned Debian 12 packages both guests are made of, how they are fetched
# (`apt-get download` of Debian packages, never installed, nothing else
# downloaded) and how an initramfs is packed.
#
# Moving to another kernel: `apt-cache policy 'linux-image-6.1.0-*-cloud-amd64'`
# names what the archive has now; set LINUX_ABI and LINUX_VERSION below (or
# in the environment) and re-run; the system tests pass unchanged if the new
# kernel still boots with the command line in partitions/root/linux_child.c.

LINUX_ABI=${LINUX_ABI:-6.1.0-50}          # the package name's ABI part
LINUX_VERSION=${LINUX_VERSION:-6.1.176-1} # its Debian version
BUSYBOX_VERSION=${BUSYBOX_VERSION:-1:1.35.0-4+deb12u1+b1}
LINUX_PKG=linux-image-${LINUX_ABI}-cloud-amd64

# debian_fetch DEBS_DIR PACKAGE VERSION: downloads PACKAGE_VERSION_amd64.deb
# into DEBS_DIR unless it is there; prints its path.
debian_fetch() {
  local dir=$1 pkg=$2 ver=$3 file
  mkdir -p "$dir"
  # apt writes an epoch's colon as %3a
  file=$(ls "$dir/${pkg}_"*"${ver#*:}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$file" ]; then
    # A fresh machine may have no package lists yet: as root, fetch them
    # once and try again.
    if ! (cd "$dir" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) &&
       ! { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null &&
           (cd "$dir" && apt-get download -q "$pkg=$ver" >/dev/null); }; then
      echo "ci/debian-lib.sh: apt-get download $pkg=$ver failed" >&2
      echo "ci/debian-lib.sh: run 'apt-get update'; if the version is gone," \
           "see 'apt-cache policy $pkg' and move the pin (ci/debian-lib.sh)" >&2
      exit 1
    fi
    file=$(ls "$dir/${pkg}_"*"${ver#*:}_"*.deb | head -1)
  fi
  echo "$file"
}

# debian_busybox_root ROOT BUSYBOX_TREE: a root file system of BusyBox (from
# the extracted busybox-static package), a link per applet in /bin, and the
# usual empty mount points.
debian_busybox_root() {
  local r=$1 tree=$2 a
  mkdir -p "$r/bin" "$r/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/root"
  cp "$tree/bin/busybox" "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
  done
}

# debian_pack_initramfs ROOT OUT.gz: ROOT as a cpio (newc) archive, gzip.
# Deterministic: fixed times, sorted names, no owners from here, gzip
# without a name or time, so the same inputs give the same archive.
debian_pack_initramfs() {
  local r=$1 out=$2
  find "$r" -exec touch -h -d @0 {} +
  ( cd "$r" && find . | LC_ALL=C sort |
    "$r/bin/busybox" cpio -o -H newc 2>/dev/null ) | gzip -9n > "$out.new"
  mv "$out.new" "$out"
}
