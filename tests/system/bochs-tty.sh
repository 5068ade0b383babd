#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs CMD (Bochs, from bochs.sh) and drains the pseudo-terminal its
# "term" display opens for itself.  Nobody reads that terminal, and the
# display writes the cursor's blink to it (ESC[?25l ESC[?25h, about every
# half emulated second): after some 16 KB its buffer is full and Bochs
# blocks in write() for good.  Short runs never get there; a long run
# (make soak's 100,000 steps at 5 MIPS: thousands of emulated seconds)
# hung at 45,000 steps.  Exits with CMD's status.
#   bochs-tty.sh CMD...
set -uo pipefail
"$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
drain=
for _ in $(seq 1 200); do
  for fd in /proc/"$pid"/fd/*; do
    [ "$(readlink "$fd" 2>/dev/null)" = /dev/ptmx ] || continue
    idx=$(awk '/^tty-index:/ { print $2 }' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null)
    [ -n "$idx" ] && [ -e "/dev/pts/$idx" ] || continue
    stty -F "/dev/pts/$idx" raw -echo 2>/dev/null
    cat "/dev/pts/$idx" >/dev/null 2>&1 &
    drain=$!
    break 2
  done
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid"
rc=$?
[ -n "$drain" ] && kill "$drain" 2>/dev/null
exit $rc
