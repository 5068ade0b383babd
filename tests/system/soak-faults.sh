#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make soak-faults: test=faults (partitions/root/faults.c) in long runs,
# every fault with several seeds, in QEMU (-icount: deterministic).
#   soak-faults.sh [--seeds N] [--seed BASE] [--msgs M] [--timeout S] [--out DIR]
# Each run streams M records; the seed picks the point where the fault
# strikes (no at=) and the records' contents.  A run passes when the
# root's verdict line says ok: every accepted record delivered exactly
# once or discarded and counted.  Prints one line per run (its
# accounting) and "N passed, N failed"; exit 0 only if all passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seeds=4 seed=101 msgs=200000 timeout=600 out=$root/build/soak-faults
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --msgs) msgs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "soak-faults.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for v in "$seeds" "$seed" "$msgs" "$timeout"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "soak-faults.sh: '$v' is not a number" >&2; exit 2; }
done
faults=(none ud-offer ud-attach ud-open ud-stream npf-stream ring-index ring-data root-scribble stop-serving)
passed=0 failed=0
t0=$(date +%s)
for ((s = seed; s < seed + seeds; s++)); do
  for f in "${faults[@]}"; do
    dir=$out/$f-$s
    verdict="^root: faults: fault=$f: every accepted record delivered exactly once or discarded and counted, the root still running: ok$"
    if bash "$here/boot.sh" --emu qemu --icount --timeout "$timeout" --out "$dir" \
        --root "test=faults fault=$f msgs=$msgs seed=$s" --module "$root/build/micro/seqchild.elf" \
        --expect "$verdict" >"$dir.out" 2>&1; then
      passed=$((passed + 1)) result=PASS
    else
      failed=$((failed + 1)) result=FAIL
    fi
    echo "$result  fault=$f seed=$s"
    grep -a '^root: faults: \(fault=.* at=\|child [0-9]* (\)' "$dir/com1.log" 2>/dev/null | sed 's/^/      /'
    [ $result = FAIL ] && tail -5 "$dir.out" | sed 's/^/      /'
  done
done
echo "soak-faults: $((seeds * ${#faults[@]})) runs of $msgs records in $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
