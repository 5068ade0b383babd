#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts QEMU halted with its gdbstub on a free loopback port and attaches
# gdb with the 64-bit ELF's symbols, stopped at hv_main.
#   gdb.sh ELF64 ELF32 [PORT] [GDB_COMMAND_FILE]
# With a command file gdb runs in batch mode (used by the gdb smoke test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
elf=$1 elf32=$2 port=${3:-0} script=${4:-}

port_is_free() { ! (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
if [ "$port" = 0 ]; then
  for p in $(seq 12340 12440); do
    if port_is_free "$p"; then port=$p; break; fi
  done
fi
[ "$port" != 0 ] || { echo "gdb.sh: no free port in 12340-12440" >&2; exit 1; }

out=$(dirname "$elf")/gdb-run
mkdir -p "$out"
bash "$here/qemu.sh" --out "$out" --kernel "$elf32" --gdb "$port" --timeout 600 >"$out/runner.out" 2>&1 &
runner=$!
trap 'kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  port_is_free "$port" || break
  sleep 0.1
done

echo "QEMU is halted with its gdbstub on 127.0.0.1:$port; serial logs in $out"
args=(-q "$elf" -ex "set architecture i386:x86-64" -ex "target remote 127.0.0.1:$port"
  -ex "hbreak hv_main" -ex "continue")
if [ -n "$script" ]; then
  gdb -batch "${args[@]}" -x "$script" </dev/null
else
  gdb "${args[@]}"
fi
