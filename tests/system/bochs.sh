#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots a Partita GRUB ISO in Bochs with a timeout, no terminal, no stdin.
#   bochs.sh --iso ISO --cpu vmx|svm --out DIR [--timeout SECONDS] [--stream]
#            [--result-log comN] [--debugger [--symbols ELF]] [--disk IMAGE]
#            [--mem MIB]
# vmx = corei7_skylake_x (VT-x, EPT); svm = ryzen (AMD-V, NPT).
# Emulated time is fixed (ips, no host clock sync), so runs are repeatable.
# Env PARTITA_BOCHS_IPS: instructions per emulated second (50000000 unless
# set; the lockstep scenario runs use 5000000, tests/system/scenario.sh).
# --disk: a flat image (a multiple of 512 bytes) as the slave ATA disk of
# the primary channel, next to the ISO's CD-ROM (the master, which boots).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/emu-lib.sh"

iso= cpu=vmx out= timeout=120 stream=0 result=com1 debugger=0 symbols= disk= mem=128
while [ $# -gt 0 ]; do
  case $1 in
    --iso) iso=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --stream) stream=1; shift ;;
    --result-log) result=$2; shift 2 ;;
    --debugger) debugger=1; shift ;;
    --symbols) symbols=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    *) echo "bochs.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$iso" ] && [ -n "$out" ] || { echo "bochs.sh: --iso and --out are required" >&2; exit 2; }
case $cpu in
  vmx) model=corei7_skylake_x ;;
  svm) model=ryzen ;;
  *) echo "bochs.sh: --cpu must be vmx or svm" >&2; exit 2 ;;
esac
mkdir -p "$out"
rm -f "$out"/com*.log "$out/emulator.out"
out=$(cd "$out" && pwd)
disk_line=
if [ -n "$disk" ]; then
  size=$(stat -c %s "$disk")
  [ $((size % 512)) = 0 ] || { echo "bochs.sh: $disk: size $size is not a multiple of 512" >&2; exit 2; }
  # Bochs wants a geometry for a flat image: 16 heads, 63 sectors per track.
  cyl=$((size / 512 / (16 * 63)))
  [ "$cyl" -ge 1 ] || { echo "bochs.sh: $disk: smaller than one cylinder (516096 bytes)" >&2; exit 2; }
  disk_line="ata0-slave: type=disk, path=$(cd "$(dirname "$disk")" && pwd)/$(basename "$disk"), mode=flat, cylinders=$cyl, heads=16, spt=63"
fi

cat >"$out/bochsrc" <<RC
megs: $mem
cpu: model=$model, ips=${PARTITA_BOCHS_IPS:-50000000}, reset_on_triple_fault=0
clock: sync=none, time0=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
display_library: term
ata0-master: type=cdrom, path=$(cd "$(dirname "$iso")" && pwd)/$(basename "$iso"), status=inserted
$disk_line
boot: cdrom
com1: enabled=1, mode=file, dev=$out/com1.log
com2: enabled=1, mode=file, dev=$out/com2.log
com3: enabled=1, mode=file, dev=$out/com3.log
com4: enabled=1, mode=file, dev=$out/com4.log
log: $out/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
port_e9_hack: enabled=1
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
magic_break: enabled=1
RC

if [ "$debugger" = 1 ]; then
  # Interactive: the Bochs debugger prompt on this terminal.
  : >"$out/debug.rc"
  if [ -n "$symbols" ]; then
    nm "$symbols" | awk '{print $1, $3}' >"$out/symbols.txt"
    echo "ldsym global \"$out/symbols.txt\"" >>"$out/debug.rc"
  fi
  echo "Bochs debugger: type 'c' to run, 'help' for commands; serial logs in $out"
  TERM=${TERM:-xterm} exec bochs -q -f "$out/bochsrc" -rc "$out/debug.rc"
fi

echo c >"$out/run.rc"
touch "$out/com1.log"
emu_run "$out" "$timeout" "$([ "$stream" = 1 ] && echo "$out/com1.log")" \
  bash "$here/bochs-tty.sh" env TERM=xterm bochs -q -f "$out/bochsrc" -rc "$out/run.rc"
emu_verdict "$out" "$out/$result.log"
