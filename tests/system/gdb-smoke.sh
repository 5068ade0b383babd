#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make gdb` in batch mode: gdb must stop at hv_main with symbols and read
# the parsed boot information out of the running hypervisor.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/test
out=build/test/gdb.out
bash tests/system/gdb.sh build/micro/partita.elf build/micro/partita32.elf 0 \
  tests/system/gdb-smoke.gdb >"$out" 2>&1
cat "$out"
for re in '^Breakpoint 1, hv_main \(bi=' '^\$1 = 1$' '^\$2 = 1$' '^#0  hv_main'; do
  grep -qE "$re" "$out" || { echo "FAIL: gdb output has no line matching /$re/"; exit 1; }
done
