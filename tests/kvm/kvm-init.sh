#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the KVM peer's initramfs (ci/kvm-guest.sh packs it; make bench's
# kvm row, docs/architecture/kvm-peer.md).  Loads KVM for AMD-V from the
# Debian kernel package's own modules, runs /bin/kvmbench and powers the
# machine off.  The kernel command line's kvmbench.n=N sets the loop
# length.  The verdict line is PARTITA-RESULT: PASS or FAIL, as the
# emulator runners read it (tests/system/emu-lib.sh).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
n=1000
for w in $(cat /proc/cmdline); do
  case "$w" in kvmbench.n=*) n=${w#kvmbench.n=} ;; esac
done
echo "KVM-INIT: $(uname -r), $(grep -c '^processor' /proc/cpuinfo) CPU," \
  "svm: $(grep -m1 -o -w svm /proc/cpuinfo || echo absent)," \
  "npt: $(grep -m1 -o -w npt /proc/cpuinfo || echo absent)," \
  "nrip_save: $(grep -m1 -o -w nrip_save /proc/cpuinfo || echo absent)"
result=FAIL
if insmod /lib/modules/irqbypass.ko && insmod /lib/modules/kvm.ko &&
   insmod /lib/modules/kvm-amd.ko && [ -c /dev/kvm ]; then
  echo "KVM-INIT: kvm_amd loaded: $(grep -o '^kvm[_a-z]*' /proc/modules | tr '\n' ' ')"
  /bin/kvmbench "$n" && result=PASS
else
  echo "KVM-INIT: FAIL: kvm_amd did not load: $(dmesg | grep -i -m3 -e kvm -e svm | tr '\n' ' ')"
fi
echo "PARTITA-RESULT: $result"
poweroff -f
sleep 5
