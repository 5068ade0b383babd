# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2154 # rows, workloads: bench.sh's
# make bench's ring sweep, sourced by ci/bench.sh (its run, sweep and
# record): the console workload's cost against the size of its channel's
# rings.  The root's test=bench-console bench-line-bytes=1024
# bench-ring-pages=N: conbench writes 256 lines of 1024 bytes through
# rings of N pages each (bench.c; at most 4); QEMU -icount, micro and
# mono, every point twice; x is the bytes of a ring.  BENCH_SWEEP_RING_PAGES
# (default "1 2 3 4") the values of N.  Row "ring-sweep" (or "sweep").
if [[ "$rows" = *" sweep "* ]] || [[ "$rows" = *" ring-sweep "* ]]; then
  echo
  echo "ring sweep (QEMU -icount): per line through the console channel, 256 lines of"
  echo "1024 bytes, rings of x bytes (the root's bench-ring-pages=x/4096):"
  # shellcheck disable=SC2086
  sweep ring-sweep console qemu-icount "bench-line-bytes=1024 bench-ring-pages" \
    "line of 1024 bytes through the console channel, rings of x bytes" 4096 \
    ${BENCH_SWEEP_RING_PAGES:-1 2 3 4}
fi
