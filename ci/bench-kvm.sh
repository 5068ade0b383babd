#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench's kvm row (ci/bench.sh runs it): the same round trips in Linux
# KVM, measured the way the other rows are (docs/architecture/kvm-peer.md).
#   bench-kvm.sh OUTDIR      (env BENCH_KVM_N: round trips per loop, 10000)
# QEMU (TCG, -icount shift=0,sleep=off: a TSC tick is an instruction of the
# whole machine; one CPU) boots Debian's Linux 6.1 with kvm_amd loaded from
# the package's modules; /bin/kvmbench (tests/kvm/kvmbench.c) runs a tiny
# guest under KVM and counts each round trip (ci/kvm-guest.sh builds it
# all, tests/kvm/kvm-qemu.sh boots it).  Two boots; the counts must be
# identical.  Per case, OUTDIR/runs.tsv gets the difference of the 2N and N loops as one run of N units (rows
# kvm-CASE, build "kvm", ci/bench.sh turns it into results.json/report.md).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=${1:-build/bench}
n=${BENCH_KVM_N:-10000}
mkdir -p "$out"
bash ci/kvm-guest.sh || exit 1

run() { # k -> the "kvm: CASE ..." lines, or "failed: why"
  local dir=$out/kvm-$1
  if ! bash tests/kvm/kvm-qemu.sh --out "$dir" --n "$n" >"$dir.verdict" 2>&1; then
    echo "failed: $(head -n1 "$dir.verdict") (log: $dir/com1.log)"
    return
  fi
  tr -d '\r' <"$dir/com1.log" | grep -a -E '^kvm: [a-z-]+ n=[0-9]+ ticks_n=' || echo "failed: no counts"
}

# What each case is, for the report (unit of the row).
what() {
  case $1 in
    empty) echo "pass of the guest's loop with no exit (nop, dec, jnz: what the loop itself costs)" ;;
    null) echo "KVM round trip in the kernel: VMMCALL, an unknown call (-KVM_ENOSYS), with the loop" ;;
    cpuid) echo "KVM round trip in the kernel: CPUID leaf 0, with the loop" ;;
    io-kernel) echo "KVM round trip in the kernel: IN from the in-kernel PIC (port 0x21), with the loop" ;;
    io-user) echo "KVM round trip to its user-space VMM: OUT (KVM_EXIT_IO), KVM_RUN again" ;;
    hlt-user) echo "KVM round trip to its user-space VMM: HLT (KVM_EXIT_HLT), KVM_RUN again" ;;
  esac
}

first=$(run 1)
second=$(run 2)
echo "KVM beside Partita: Debian's Linux 6.1 KVM (kvm_amd) in QEMU -icount, one CPU, a"
echo "real-mode guest; instructions of the whole machine per round trip, (2N loop - N loop)/N"
echo "with N=$n (the in-kernel cases include the guest's loop, 2 or 3 instructions: see empty):"
for r in "$first" "$second"; do
  if [[ "$r" = failed* ]]; then
    echo "  FAILED: ${r#failed: }"
    exit 1
  fi
done
rc=0
printf '  %-10s %-7s %12s  %s\n' case "exit to" "per trip" "two runs"
while read -r _ c nn tn t2n per where; do
  c=${c%:}
  other=$(grep -E "^kvm: $c " <<<"$second")
  same=identical
  [ "kvm: $c $nn $tn $t2n $per $where" = "$other" ] || { same="DIFFER ($other)"; rc=1; }
  w=${where#where=}
  [ "$c" = empty ] && w=none
  printf '  %-10s %-7s %12s  %s\n' "$c" "$w" "${per#per_trip=}" "$same"
  k=1
  for line in "kvm: $c $nn $tn $t2n" "$(awk '{print $1, $2, $3, $4, $5}' <<<"$other")"; do
    read -r _ _ a b d <<<"$line"
    a=${a#n=} b=${b#ticks_n=} d=${d#ticks_2n=}
    printf 'kvm-%s\tkvm\tqemu-icount\t-\t%s\t%s\tall\t%s\tticks=%s instructions=%s ticks_n=%s ticks_2n=%s\n' \
      "$c" "$a" "$(what "$c")" "$k" "$((d - b))" "$((d - b))" "$b" "$d" >>"$out/runs.tsv"
    k=2
  done
done <<<"$first"
exit $rc
