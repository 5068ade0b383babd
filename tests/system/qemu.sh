#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots Partita in QEMU (TCG, AMD-V CPU model with NPT) with a timeout.
#   qemu.sh --out DIR (--kernel ELF32 [--append CMDLINE] [--initrd MODULES] | --iso ISO)
#           [--timeout SECONDS] [--icount] [--gdb PORT] [--stream] [--result-log comN]
#           [--disk IMAGE] [--mem MIB]
#           [--interactive] [--exec-log FILE]
# Serial ports COM1..COM4 go to DIR/com1.log .. com4.log.  --interactive:
# COM1 is this terminal (input too) and is also logged to com1.log; no
# timeout (the run ends at the root's shutdown, or Ctrl-C).
# --disk: a raw image as the primary master ATA disk (IDE index 0; the
# ISO's -cdrom is index 2, the secondary master); the root drives it.
# --exec-log: every executed instruction logged to FILE (a file or FIFO):
# one instruction per translation block (-singlestep), no block chaining,
# -d exec; make profile reads it (ci/profile.sh).  Give --icount too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/emu-lib.sh"

out= kernel= iso= append= initrd= timeout=60 icount=0 gdb= stream=0 result=com1 interactive=0 disk= mem=128
exec_log=
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --iso) iso=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --initrd) initrd=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --icount) icount=1; shift ;;
    --exec-log) exec_log=$2; shift 2 ;;
    --gdb) gdb=$2; shift 2 ;;
    --stream) stream=1; shift ;;
    --result-log) result=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --interactive) interactive=1; shift ;;
    *) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "qemu.sh: --out is required" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out"/com*.log "$out/emulator.out"

args=(qemu-system-x86_64 -accel tcg -cpu qemu64,+svm,+npt -m ${mem}M
  -display none -vga none -monitor none -no-reboot -nodefaults
  -device isa-debug-exit,iobase=0xf4,iosize=0x04)
first=1
if [ "$interactive" = 1 ]; then
  args+=(-chardev "stdio,id=com1,signal=on,logfile=$out/com1.log" -serial chardev:com1)
  first=2
fi
for n in $(seq "$first" 4); do
  args+=(-serial "file:$out/com$n.log")
done
if [ -n "$kernel" ]; then
  args+=(-kernel "$kernel")
  [ -n "$append" ] && args+=(-append "$append")
  [ -n "$initrd" ] && args+=(-initrd "$initrd")
elif [ -n "$iso" ]; then
  args+=(-cdrom "$iso" -boot d)
else
  echo "qemu.sh: give --kernel or --iso" >&2
  exit 2
fi
[ -n "$disk" ] && args+=(-drive "file=$disk,format=raw,if=ide,index=0,media=disk")
[ "$icount" = 1 ] && args+=(-icount shift=0,sleep=off,align=off)
[ -n "$exec_log" ] && args+=(-singlestep -d exec,nochain -D "$exec_log")
[ -n "$gdb" ] && args+=(-S -gdb "tcp:127.0.0.1:$gdb")

touch "$out/com1.log"
if [ "$interactive" = 1 ]; then
  # In the foreground with this terminal: the user types to the root.
  EMU_TIMED_OUT=0 EMU_STATUS=0
  "${args[@]}" 2>"$out/emulator.out" || EMU_STATUS=$?
  emu_verdict "$out" "$out/$result.log"
  exit
fi
emu_run "$out" "$timeout" "$([ "$stream" = 1 ] && echo "$out/com1.log")" "${args[@]}"
emu_verdict "$out" "$out/$result.log"
