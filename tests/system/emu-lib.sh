# SPDX-License-Identifier: MIT
# Shared by the emulator runners (sourced, not run).
#
# emu_run DIR TIMEOUT STREAM_FILE CMD...
#   Starts CMD in its own process group with no stdin, optionally shows
#   STREAM_FILE live, and kills the whole group when TIMEOUT seconds pass.
#   Sets EMU_STATUS (the emulator's exit status) and EMU_TIMED_OUT (0/1).
#
# emu_verdict DIR RESULT_LOG
#   Reads the result line the hypervisor writes at shutdown and prints
#   PASS or FAIL with a reason and the tail of every serial log.  Returns
#   0 on pass, 1 on fail, 2 on timeout.

emu_run() {
  local dir=$1 timeout=$2 stream=$3
  shift 3
  EMU_TIMED_OUT=0
  set -m # each background job gets its own process group
  "$@" </dev/null >"$dir/emulator.out" 2>&1 &
  local pid=$!
  set +m
  local tail_pid=
  if [ -n "$stream" ]; then
    tail -n +1 -F --pid="$pid" "$stream" 2>/dev/null &
    tail_pid=$!
  fi
  local ticks=$((timeout * 10))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$ticks" -le 0 ]; then
      EMU_TIMED_OUT=1
      kill -TERM -- "-$pid" 2>/dev/null || true
      sleep 1
      kill -KILL -- "-$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    ticks=$((ticks - 1))
  done
  EMU_STATUS=0
  wait "$pid" 2>/dev/null || EMU_STATUS=$?
  if [ -n "$tail_pid" ]; then
    sleep 0.2
    kill "$tail_pid" 2>/dev/null || true
    wait "$tail_pid" 2>/dev/null || true
  fi
  return 0
}

emu_tail_logs() {
  local dir=$1 f
  for f in "$dir"/com*.log "$dir"/emulator.out; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f ----"
    tail -n 25 "$f" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
  done
}

emu_verdict() {
  local dir=$1 log=$2 reason=
  local result
  result=$(grep -a -m1 'PARTITA-RESULT:' "$log" 2>/dev/null | tr -d '\r' || true)
  case "$result" in
    *"PARTITA-RESULT: PASS"*)
      echo "PASS ($(basename "$dir"))"
      return 0
      ;;
    *"PARTITA-RESULT: FAIL"*)
      reason=$(grep -a -m1 -E 'PANIC|FAIL:' "$log" | tr -d '\r' || true)
      reason="${reason:-${result#*PARTITA-RESULT: }}"
      ;;
    *)
      if [ "$EMU_TIMED_OUT" = 1 ]; then
        reason="timeout: no result line after the time limit"
      else
        reason="emulator exited (status $EMU_STATUS) without a result line: triple fault, reset or crash"
      fi
      ;;
  esac
  echo "FAIL ($(basename "$dir")): $reason"
  emu_tail_logs "$dir"
  [ "$EMU_TIMED_OUT" = 1 ] && return 2
  return 1
}
