# SPDX-License-Identifier: MIT
# make bench's one-way IPC rows, sourced by ci/bench.sh (its workloads,
# run, sweep and rc).  The root sends, the halted child oneway.elf
# receives (partitions/root/bench.c, bench_oneway), 1000 times:
#   message  PostMessage of 16 bytes, until the child's ReadSintMessage
#            and end-of-message returned and it sleeps again
#   event    SignalEvent, until the child has taken the flag
#            (GetAndClearEventFlags) and sleeps again
# They join ci/bench.sh's row loop (micro and mono, every emulator, twice)
# as workloads; the message-sweep row (BENCH_ROWS=message-sweep, or sweep)
# runs the message row at payloads BENCH_PAYLOAD_BYTES (default "16 32 64
# 128 240") in QEMU -icount.
workloads+=(
  "message    test=bench-message oneway.elf    nodisk  message posted to a halted receiver, read and ended"
  "event      test=bench-event   oneway.elf    nodisk  event signalled to a halted receiver and taken"
)
bench_rows+=" message event"

bench_ipc_sweep() {
  [[ "$rows" = *" sweep "* ]] || [[ "$rows" = *" message-sweep "* ]] || return 0
  echo
  echo "message sweep (QEMU -icount): per message posted to a halted receiver, read and"
  echo "ended, 1000 messages of x payload bytes (the root's bench-payload-bytes=x):"
  # shellcheck disable=SC2086
  sweep message-sweep message qemu-icount bench-payload-bytes \
    "message of x payload bytes posted, read and ended" 1 ${BENCH_PAYLOAD_BYTES:-16 32 64 128 240}
}
