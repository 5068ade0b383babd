# SPDX-License-Identifier: MIT
# make bench's floor row, sourced by ci/bench.sh (uses its out, emus, rc,
# record): the bare VM exit round trip, floor=N on the hypervisor's command
# line (kernel/core/floor.c), N = BENCH_FLOOR_EXITS (10000), with no root:
# the boot ends after the measurement.  Every emulator twice; the ticks
# must be identical.  ci/benchreport.c divides every other row's ticks per
# unit by this row's (same emulator): the "x floor" column.
bench_floor() {
  local n=${BENCH_FLOOR_EXITS:-10000} e k dir line ticks=() per=() same
  echo
  echo "floor: the bare VM exit round trip (floor=$n; TSC ticks per exit):"
  for e in $emus; do
    ticks=() per=()
    for k in 1 2; do
      dir=$out/floor-$e-$k
      rm -rf "$dir"
      if [ "$e" = qemu-icount ]; then
        bash tests/system/qemu.sh --out "$dir" --kernel build/micro/partita32.elf --icount \
          --append "floor=$n" --timeout 300 >"$dir.log" 2>&1
      else
        bash tests/system/boot.sh --emu "$e" --out "$dir" --no-root --append "floor=$n" \
          --timeout 300 >"$dir.log" 2>&1
      fi
      line=$(tr -d '\r' <"$dir/com1.log" | grep -a "^floor: $n exits, " | head -n1)
      ticks+=("$(sed -nE 's/^floor: [0-9]+ exits, ([0-9]+) TSC ticks, .*/\1/p' <<<"$line")")
      per+=("$(sed -nE 's/.*, ([0-9]+) TSC ticks per exit$/\1/p' <<<"$line")")
    done
    same=identical
    [ -n "${ticks[0]}" ] && [ "${ticks[0]}" = "${ticks[1]}" ] || { same="DIFFER (${ticks[*]})"; rc=1; }
    if [ -n "${ticks[0]}" ] && [ -n "${ticks[1]}" ]; then
      for k in 1 2; do
        record floor micro "$e" - "$n" "VM exit round trip of a guest doing only the hypercall instruction" \
          all $k "ticks=${ticks[$((k - 1))]}"
      done
    else
      rc=1
    fi
    printf '  %-12s %8s  %s\n' "$e" "${per[0]:-failed}" "$same"
  done
}
