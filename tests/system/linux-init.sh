#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the Linux child's initramfs (ci/linux-guest.sh packs it).
# Prints what the tests look for, runs a short workload with timer sleeps,
# then powers the partition off: `reboot -f` resets the machine through
# port 0xcf9 (reboot=p on the kernel command line), which the Partita
# platform treats as power-off: a partition is not restarted
# (docs/architecture/linux-guest.md).  The kernel command line picks a
# variant: partita=shell (INTERACTIVE=1), partita=panic, partita=flood.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mode=normal
for w in $(cat /proc/cmdline); do
  case "$w" in partita=*) mode=${w#partita=} ;; esac
done
echo "LINUX-INIT: init started (mode $mode)"
echo "LINUX-UNAME: $(uname -a)"
echo "LINUX-CPUINFO: $(grep -m1 '^model name' /proc/cpuinfo)"
echo "LINUX-CPUINFO: hypervisor flag: $(grep -m1 -o -w hypervisor /proc/cpuinfo || echo absent)"
echo "LINUX-CPUINFO: $(grep -m1 '^cpu MHz' /proc/cpuinfo)"
echo "LINUX-CPUINFO: RDRAND/RDSEED: $(grep -m1 -o -w -e rdrand -e rdseed /proc/cpuinfo || echo hidden)"
echo "LINUX-DMESG: $(dmesg | grep -m1 -i 'hypervisor detected' || echo 'no hypervisor detected line')"
echo "LINUX-DMESG: $(dmesg | grep -m1 'clocksource: Switched' || echo 'no clocksource line')"
case "$mode" in
shell)
  echo "LINUX-SHELL: BusyBox shell; 'reboot -f' ends the partition"
  setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
  reboot -f ;;
panic)
  echo "LINUX-PANIC: asking the kernel to panic"
  echo c > /proc/sysrq-trigger ;;
flood)
  echo "LINUX-FLOOD: writing to the console without end"
  while :; do echo "flood flood flood flood flood flood flood flood flood flood"; done ;;
esac
# The workload: shell work, console output, timer sleeps.
t0=$(cut -d' ' -f1 /proc/uptime)
i=0; sum=0
while [ $i -lt 300 ]; do sum=$(( (sum * 31 + i) % 1000003 )); i=$((i + 1)); done
echo "LINUX-WORK: arithmetic loop of 300 steps: $sum"
echo "hello from the partita child" > /tmp/f
for n in 1 2 3 4; do cat /tmp/f /tmp/f > /tmp/g; mv /tmp/g /tmp/f; done
echo "LINUX-WORK: file of $(wc -l < /tmp/f) lines, $(wc -c < /tmp/f) bytes, md5 $(md5sum /tmp/f | cut -c1-8)"
for n in 1 2 3; do
  sleep 0.2
  echo "LINUX-SLEEP: woke $n"
done
t1=$(cut -d' ' -f1 /proc/uptime)
echo "LINUX-TIME: uptime $t0 -> $t1 s"
echo "LINUX-DONE: workload finished, powering off"
sleep 0.3 # the console's last bytes leave the tty buffer
reboot -f
echo "LINUX-FAIL: still running after the power-off write"
sleep 5
