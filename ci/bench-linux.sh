#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench's Linux row (ci/bench.sh runs it; the kernels are built):
# Debian's Linux 6.1 in a child partition (docs/architecture/linux-guest.md)
# in BUILD=micro (the root serves its PC through port intercepts) and
# BUILD=mono (the hypervisor does), in deterministic emulated time.
#   bench-linux.sh OUTDIR      (env BENCH_EMUS: the emulators)
# Two runs of the root's test=linux per build and emulator:
#   boot   linux-mode=boot: the kernel starts and its first process is
#          BusyBox's `reboot -f` instead of /init: boot to init, and the
#          power-off through port 0xcf9
#   full   the normal run: boot, /init's workload (shell work, console
#          lines, three 0.2 s sleeps), power-off
# "workload" is full minus boot: the exits and guest time of /init's work.
# Each run is done twice and the counts must be identical ("reproduced").
# Both runs' counts also go to OUTDIR/runs.tsv (rows linux-boot and
# linux-full, one unit a run; ci/bench.sh turns it into results.json).
# Counts come from the root's lines "root: bench linux: ..." and "root:
# linux: N ms of guest time, N exits: hcall ..." (partitions/root/
# linux_child.c, HvPartitaGetExitStats): the child's exits by reason, the
# root's own exits, and TSC ticks from the child's start to its end as the
# root sees it.  Under QEMU -icount shift=0,sleep=off a tick is an executed
# instruction of the whole machine, except that while every CPU halts QEMU
# skips time to the next timer deadline: ticks are guest time.  The
# hypervisor halts the CPU only to wait for a VP's virtual timer, and
# prints how many ticks it spent so at shutdown ("idle: N TSC ticks",
# kernel/core/sched.c); no virtual timer runs before the child starts or
# after it ends, so instructions = ticks - idle.  A Bochs configuration that does not get the child to
# its power-off says so in its row, with its log; the row fills in once it
# does.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=${1:-build/bench}
emus=${BENCH_EMUS:-qemu-icount bochs-vmx bochs-svm}
mkdir -p "$out"
bash ci/linux-guest.sh || exit 1

fields="ticks child root hcall cpuid hlt io msr npf exc fatal intr other khz idle"

# One run: build emu kind n -> "ticks child root hcall ... other" or
# "failed: why".
run() {
  local b=$1 e=$2 kind=$3 dir=$out/linux-$1-$2-$3-$4
  local args='test=linux linux-seconds=30' timeout=600
  [ "$kind" = boot ] && args="$args linux-mode=boot"
  # Bochs runs 50 M instructions per simulated second, single-threaded.
  [ "$e" = qemu-icount ] || timeout=2400
  rm -rf "$dir"
  mkdir -p "$dir"
  local emu=(--emu "$e")
  [ "$e" = qemu-icount ] && emu=(--emu qemu --icount)
  bash tests/system/boot.sh "${emu[@]}" --build "$b" --out "$dir" --mem 512 --timeout "$timeout" \
    --root "$args" --module build/linux/vmlinuz --module build/linux/initrd.gz >"$dir.log" 2>&1
  local log
  log=$(tr -d '\r' <"$dir/com1.log")
  # The child's console: "[linux] ..." from the root (micro), "[child] ..."
  # from the hypervisor (mono).
  if grep -qa '^\[[a-z]*\] .*Kernel panic' <<<"$log"; then
    echo "failed: the Linux child panicked"
    return
  fi
  if [ "$kind" = boot ] && ! grep -qa '^\[[a-z]*\] .*reboot: Restarting system' <<<"$log"; then
    echo "failed: no 'reboot: Restarting system' from the kernel"
    return
  fi
  if [ "$kind" = full ] && ! grep -qa '^\[[a-z]*\] LINUX-DONE:' <<<"$log"; then
    echo "failed: /init did not finish its workload"
    return
  fi
  if ! grep -qa '^root: linux: PASS$' <<<"$log"; then
    echo "failed: no 'root: linux: PASS'"
    return
  fi
  local a b2
  a=$(sed -nE 's/^root: bench linux: ([0-9]+) child exits, ([0-9]+) root exits, ([0-9]+) TSC ticks$/\3 \1 \2/p' <<<"$log")
  b2=$(sed -nE 's/^root: linux: [0-9]+ ms of guest time, [0-9]+ exits: hcall ([0-9]+) cpuid ([0-9]+) hlt ([0-9]+) io ([0-9]+) msr ([0-9]+) npf ([0-9]+) exc ([0-9]+) fatal ([0-9]+) intr ([0-9]+) other ([0-9]+)$/\1 \2 \3 \4 \5 \6 \7 \8 \9/p' <<<"$log")
  local other khz idle
  other=$(sed -nE 's/^root: linux: .* other ([0-9]+)$/\1/p' <<<"$log")
  khz=$(sed -nE 's/^root: linux: kernel .*, TSC ([0-9]+) kHz$/\1/p' <<<"$log")
  # The hypervisor's log: how long the CPU halted (virtual timer or interrupt).
  idle=$(tr -d '\r' <"$dir/com2.log" | sed -nE 's/^idle: ([0-9]+) TSC ticks halted for a virtual timer or an interrupt$/\1/p')
  if [ -z "$a" ] || [ -z "$b2" ] || [ -z "$other" ] || [ -z "$khz" ] || [ -z "$idle" ]; then
    echo "failed: no exit counts from the root, or no idle line from the hypervisor"
    return
  fi
  echo "$a $b2 $other $khz $idle"
}

# One run's counts for ci/benchreport.c: build emu kind n "line".
record() {
  local IFS=$'\t' line=$5 m='' f
  for f in ticks child root hcall cpuid hlt io msr npf exc fatal intr other idle; do
    case $f in
      ticks | idle) m="$m $f=$(val "$line" $f)" ;;
      child) m="$m exits_child=$(val "$line" child)" ;;
      root) m="$m exits_root=$(val "$line" root)" ;;
      *) m="$m exits_$f=$(val "$line" $f)" ;;
    esac
  done
  m="exits=$(($(val "$line" child) + $(val "$line" root))) instructions=$(($(val "$line" ticks) - $(val "$line" idle)))$m"
  local unit="run of Debian's Linux in a child: boot to init"
  [ "$3" = full ] && unit="run of Debian's Linux in a child: boot, /init's workload, power-off"
  printf '%s\t%s\t%s\t-\t1\t%s\tall\t%s\t%s\n' "linux-$3" "$1" "$2" "$unit" "$4" "$m" \
    >>"$out/runs.tsv"
}

# name=value for each field of a result line
val() { # "line" field
  awk -v f="$2" -v names="$fields" 'BEGIN{n=split(names,k," ")} {for(i=1;i<=n;i++) if(k[i]==f) print $i}' <<<"$1"
}

rc=0
echo "per run of Debian's Linux 6.1 in a child (512 MiB machine, 192 MiB child); boot = the"
echo "kernel's start to its first process (linux-mode=boot), workload = a normal run minus boot;"
echo "child exits by reason, the root's exits, TSC ticks of guest time, and instructions of the"
echo "whole machine (ticks minus the ticks the CPU halted for a virtual timer or an interrupt; QEMU -icount):"
hdr='  %-6s %-12s %-9s %13s %13s %6s %6s %6s %5s %4s %5s %6s %7s %8s  %s\n'
# shellcheck disable=SC2059
printf "$hdr" build emulator phase ticks instructions exits cpuid io msr hlt timer other "root ex" \
  "wall (s)" "two runs"
declare -A got
for b in micro mono; do
  for e in $emus; do
    status=
    for kind in boot full; do
      t0=$(date +%s.%N)
      first=$(run $b $e $kind 1)
      t1=$(date +%s.%N)
      if [[ "$first" = failed* ]]; then
        status="$kind run: ${first#failed: } (log: $out/linux-$b-$e-$kind-1/com1.log)"
        break
      fi
      second=$(run $b $e $kind 2)
      if [[ "$second" != failed* ]]; then
        record $b $e $kind 1 "$first"
        record $b $e $kind 2 "$second"
      fi
      if [ "$first" != "$second" ]; then
        status="$kind run: DIFFER ($first / $second)"
        break
      fi
      got[$b-$e-$kind]=$first
      got[$b-$e-$kind-wall]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
    done
    if [ -n "$status" ]; then
      if [ "$e" = qemu-icount ]; then
        rc=1
        printf '  %-6s %-12s FAILED: %s\n' $b $e "$status"
      else
        printf '  %-6s %-12s Linux does not run to its power-off in %s yet: %s\n' $b $e $e "$status"
      fi
      continue
    fi
    for phase in boot workload full; do
      if [ "$phase" = workload ]; then
        line=$(paste -d' ' <(tr ' ' '\n' <<<"${got[$b-$e-full]}") <(tr ' ' '\n' <<<"${got[$b-$e-boot]}") |
          awk -v k="$(wc -w <<<"${fields% khz*} khz")" \
            '{printf "%s%d", (NR > 1 ? " " : ""), NR == k ? $1 : $1 - $2} END{print ""}')
        # (the TSC rate, khz, is the full run's, not a difference)
        wall=
        two=
      else
        k=$phase
        line=${got[$b-$e-$k]}
        wall=${got[$b-$e-$k-wall]}
        two=reproduced
      fi
      got[$b-$e-$phase]=$line
      # shellcheck disable=SC2059
      printf "$hdr" $b $e $phase "$(val "$line" ticks)" "$(($(val "$line" ticks) - $(val "$line" idle)))" \
        "$(val "$line" child)" "$(val "$line" cpuid)" \
        "$(val "$line" io)" "$(val "$line" msr)" "$(val "$line" hlt)" "$(val "$line" intr)" \
        "$(($(val "$line" hcall) + $(val "$line" npf) + $(val "$line" exc) + $(val "$line" fatal) + $(val "$line" other)))" \
        "$(val "$line" root)" "$wall" "$two"
    done
  done
done

echo
echo "per second of guest time (TSC ticks / the kHz of CPUID 0x40000010), child exits by"
echo "reason, and the root's exits:"
rhdr='  %-6s %-12s %-9s %8s %8s %8s %6s %6s %6s %8s\n'
# shellcheck disable=SC2059
printf "$rhdr" build emulator phase exits cpuid io msr hlt timer "root ex"
for b in micro mono; do
  for e in $emus; do
    [ -n "${got[$b-$e-full]:-}" ] || continue
    for phase in boot workload full; do
      line=${got[$b-$e-$phase]}
      t=$(val "$line" ticks) khz=$(val "$line" khz)
      per() { awk -v x="$1" -v t="$t" -v k="$khz" 'BEGIN{printf "%.0f", x * k * 1000 / t}'; }
      # shellcheck disable=SC2059
      printf "$rhdr" $b $e $phase "$(per "$(val "$line" child)")" "$(per "$(val "$line" cpuid)")" \
        "$(per "$(val "$line" io)")" "$(per "$(val "$line" msr)")" "$(per "$(val "$line" hlt)")" \
        "$(per "$(val "$line" intr)")" "$(per "$(val "$line" root)")"
    done
  done
done
exit $rc
