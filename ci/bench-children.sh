# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2154 # rows, workloads: bench.sh's
# make bench's children sweep, sourced by ci/bench.sh (its run, sweep and
# record): the cost per child against how many run at once.  The root's
# test=bench-children bench-children=N starts N hello children together
# (each writes 6 lines, 16,274 bytes, through its own console channel)
# and serves them side by side as the demo does (partitions/root/fleet.c);
# QEMU -icount, micro and mono, every point twice.  BENCH_SWEEP_CHILDREN
# (default "1 2 3 4": a fifth hello does not fit in the 128 MiB machine
# beside the root) the values of N.  Row "children-sweep" (or "sweep").
workloads+=("children   test=bench-children hello.elf     nodisk  hello child (6 lines, 16274 bytes through its console channel)")
if [[ "$rows" = *" sweep "* ]] || [[ "$rows" = *" children-sweep "* ]]; then
  echo
  echo "children sweep (QEMU -icount): per hello child, x of them running at once (the"
  echo "root's bench-children=x):"
  # shellcheck disable=SC2086
  sweep children-sweep children qemu-icount bench-children \
    "hello child's run (6 lines, 16274 bytes through its console channel) with x at once" 1 \
    ${BENCH_SWEEP_CHILDREN:-1 2 3 4}
fi
