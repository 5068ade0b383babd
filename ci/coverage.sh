#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make coverage: line and branch coverage of the host tests and of every
# system test in each emulator configuration (qemu, bochs-vmx, bochs-svm),
# merged with lcov against a zero baseline (so files never executed show 0%
# instead of vanishing), as one HTML report in build/coverage/index.html,
# a per-directory table, and the floors of ci/coverage-floors.txt enforced.
# How it works: docs/architecture/coverage.md.
#
# TESTS=REGEX runs only matching tests (as in run-tests.sh); the floors are
# then reported but not enforced, since a partial run measures less.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
bash ci/deps.sh
out=build/coverage
cov_img=build/micro-cov  # make COVERAGE=1 BUILD=micro
cov_mono=build/mono-cov  # make COVERAGE=1 BUILD=mono: the services in the hypervisor
hostbuild=$out/hostbuild
rm -rf "$out"
mkdir -p "$out/lists" "$out/runs" "$out/logs"
lcovrc=(--config-file .lcovrc)
status=0

# lcov 1.16's geninfo prints Perl "redefined" noise on stderr: keep real errors.
lcov_q() {
  lcov "${lcovrc[@]}" -q "$@" 2> >(grep -vE 'redefined at|no functions found|did not produce any data' >&2)
}

# ---------------------------------------------------------------- build
echo "coverage: building instrumented host tests, hypervisor and partitions"
# V=1: model/model.mk's prerequisites contain $(Q), which breaks with V=0.
if ! make --no-print-directory V=1 host-bins BUILD_DIR="$hostbuild" \
  HOST_CFLAGS="-std=c11 -Wall -Wextra -Werror -O0 -g --coverage" >"$out/logs/build-host.log" 2>&1; then
  tail -n 30 "$out/logs/build-host.log"
  echo "coverage: building the host tests failed; see $out/logs/build-host.log" >&2
  exit 1
fi
if ! make --no-print-directory V=1 COVERAGE=1 BUILD=micro kernel >"$out/logs/build-images.log" 2>&1 ||
  ! make --no-print-directory V=1 COVERAGE=1 BUILD=mono kernel >>"$out/logs/build-images.log" 2>&1; then
  tail -n 30 "$out/logs/build-images.log"
  echo "coverage: building the coverage images failed; see $out/logs/build-images.log" >&2
  exit 1
fi
gcc -std=c11 -Wall -Wextra -Werror -O2 tests/coverage/gcda_rebuild.c -o "$out/gcda_rebuild"
# Counters of earlier runs must not leak into this one.
find "$hostbuild" "$cov_img" "$cov_mono" -name '*.gcda' -delete
# Notes of sources that were moved or deleted since an earlier build would
# name files lcov cannot read: objects are named after their source path.
find "$cov_img" "$cov_mono" -name '*.c.gcno' | while read -r n; do
  src=${n#build/*-cov/}
  src=${src#part/}
  src=${src%.gcno}
  [ -f "$src" ] || rm -f "$n" "${n%.gcno}.o" "${n%.gcno}.d"
done

# ---------------------------------------------------------------- tests
# The host lists as they are, pointed at the instrumented host binaries.
host_lists=() system_lists=() mono_lists=()
for l in tests/*.host.list; do
  sed "s#build/host/#$hostbuild/host/#g" "$l" >"$out/lists/$(basename "$l")"
  host_lists+=("$out/lists/$(basename "$l")")
done
# The system lists as they are, minus tests that do not boot through
# boot.sh (the gdb test drives the normal build's ELF itself).
declare -A run_emu=() run_dir=() run_img=()
for l in tests/system/*.system.list; do
  dst=$out/lists/$(basename "$l")
  dst_mono=$out/lists/mono-$(basename "$l")
  : >"$dst"
  : >"$dst_mono"
  while IFS= read -r line || [ -n "$line" ]; do
    body=${line%%#*}
    [[ "$body" =~ tests/system/boot\.sh ]] || continue
    # The coverage image writes no step trace: runs boot it without the
    # lockstep check, and runs that must fail it (a defect build) are left out.
    [[ "$body" =~ expect-fail\.sh ]] && continue
    line=${line//--lockstep /}
    name=$(awk '{print $1}' <<<"$body")
    if [[ "$body" =~ --emu[[:space:]]+([^[:space:]]+) ]]; then emu=${BASH_REMATCH[1]}; else continue; fi
    if [[ "$body" =~ --out[[:space:]]+([^[:space:]]+) ]]; then dir=${BASH_REMATCH[1]}; else continue; fi
    case $emu in qemu | qemu-iso) emu=qemu ;; bochs-vmx | bochs-svm) ;; *) continue ;; esac
    run_emu[$name]=$emu
    run_dir[$name]=$dir
    rm -f "$dir"/com*.log # a stale log must not pass for this run's counters
    # Each build boots its own coverage image.
    if [[ "$body" =~ --build[[:space:]]+mono ]]; then
      run_img[$name]=$cov_mono
      echo "$line" >>"$dst_mono"
    else
      run_img[$name]=$cov_img
      echo "$line" >>"$dst"
    fi
  done <"$l"
  system_lists+=("$dst")
  mono_lists+=("$dst_mono")
done

echo "coverage: host tests"
bash tests/run-tests.sh "${host_lists[@]}" | tee "$out/logs/host-tests.log" || status=1
echo "coverage: system tests with the coverage images ($cov_img)"
PARTITA_IMAGE_DIR=$cov_img bash tests/run-tests.sh "${system_lists[@]}" |
  tee "$out/logs/system-tests.log" || status=1
echo "coverage: BUILD=mono system tests with the coverage images ($cov_mono)"
PARTITA_IMAGE_DIR=$cov_mono bash tests/run-tests.sh "${mono_lists[@]}" |
  tee "$out/logs/system-tests-mono.log" || status=1

# ---------------------------------------------------------------- capture
capture() { # capture DIR NAME OUT.info: one lcov tracefile of DIR's .gcda files
  lcov_q --capture --directory "$1" --test-name "$2" --output-file "$3"
}
echo "coverage: capturing"
capture "$hostbuild" host "$out/host.info"
lcov_q --capture --initial --directory "$hostbuild" --directory "$cov_img" --directory "$cov_mono" \
  --output-file "$out/base.info"

# One capture per run: rebuild its .gcda files from COM4, capture, clear.
declare -A runs_per_cfg=() missing=()
for name in $(printf '%s\n' "${!run_emu[@]}" | sort); do
  emu=${run_emu[$name]} log=${run_dir[$name]}/com4.log img=${run_img[$name]}
  if [ ! -s "$log" ]; then
    missing[$name]=1 # not run (TESTS=...) or died before any output
    continue
  fi
  mkdir -p "$out/runs/$emu"
  if ! "$out/gcda_rebuild" --quiet --under "$root/$img" "$log" 2>"$out/runs/$emu/$name.err"; then
    echo "coverage: $name: its counters were rejected and are not merged:" >&2
    sed 's/^/  /' "$out/runs/$emu/$name.err" >&2
    status=1
  fi
  if find "$img" -name '*.gcda' | grep -q .; then
    tag=$(tr -c 'A-Za-z0-9_\n' '_' <<<"$name")
    capture "$img" "$tag" "$out/runs/$emu/$name.info"
    runs_per_cfg[$emu]=$((${runs_per_cfg[$emu]:-0} + 1))
  fi
  find "$img" -name '*.gcda' -delete
done
for name in "${!missing[@]}"; do
  [ -n "${TESTS:-}" ] && [[ ! "$name" =~ $TESTS ]] && continue
  echo "coverage: $name left no counters on COM4 (${run_dir[$name]}/com4.log)" >&2
  status=1
done

cfg_infos=()
for emu in qemu bochs-vmx bochs-svm; do
  infos=("$out/runs/$emu"/*.info)
  [ -e "${infos[0]}" ] || continue
  args=()
  for i in "${infos[@]}"; do args+=(-a "$i"); done
  lcov_q "${args[@]}" --output-file "$out/$emu.info"
  cfg_infos+=(-a "$out/$emu.info")
done

# The project's files only: no test code, no system headers.
extract() { # extract IN OUT
  lcov_q --extract "$1" "$root/kernel/*" "$root/partitions/*" "$root/services/*" "$root/lib/*" "$root/model/*" --output-file "$2"
}
lcov_q -a "$out/base.info" -a "$out/host.info" "${cfg_infos[@]}" --output-file "$out/all.info"
extract "$out/all.info" "$out/project.info"
lcov_q -a "$out/base.info" -a "$out/host.info" --output-file "$out/host-only-all.info"
extract "$out/host-only-all.info" "$out/host-only.info"
genhtml "${lcovrc[@]}" -q --output-directory "$out" "$out/project.info" \
  --title "Partita coverage (host + qemu + bochs-vmx + bochs-svm)" 2> >(grep -v 'redefined at' >&2)

# ---------------------------------------------------------------- table
# Per directory: line and branch coverage from a tracefile.  VT-x and
# AMD-V code get their own rows: each is run by different emulators.
table() { # table INFO -> "group|lines hit|lines|branches hit|branches" lines
  # A tracefile holds one section per test: a line (a branch) counts once,
  # as hit if any test hit it.
  awk -v root="$root/" '
    function group(f) {
      sub("^" root, "", f)
      if (f ~ /^kernel\/arch\/x86\/(vmx[^\/]*|ept)\.[ch]$/) return "kernel/arch/x86 VT-x"
      if (f ~ /^kernel\/arch\/x86\/(svm[^\/]*|npt)\.[ch]$/) return "kernel/arch/x86 AMD-V"
      if (f ~ /^kernel\/arch\/x86\//) return "kernel/arch/x86 other"
      if (f ~ /^kernel\/core\//) return "kernel/core"
      if (f ~ /^kernel\/services\//) return "kernel/services"
      if (f ~ /^partitions\/root\//) return "partitions/root"
      if (f ~ /^partitions\/lib\//) return "partitions/lib"
      if (f ~ /^services\//) return "services"
      if (f ~ /^lib\//) return "lib"
      if (f ~ /^model\//) return "model"
      return "other"
    }
    /^SF:/ { f = substr($0, 4); g = group(f) }
    /^DA:/ { split(substr($0, 4), a, ","); k = f SUBSEP a[1]
             if (!(k in line)) { line[k] = 0; lf[g]++ }
             if (a[2] > 0 && !line[k]) { line[k] = 1; lh[g]++ } }
    /^BRDA:/ { split(substr($0, 6), a, ","); k = f SUBSEP a[1] SUBSEP a[2] SUBSEP a[3]
             if (!(k in br)) { br[k] = 0; bf[g]++ }
             if (a[4] != "-" && a[4] > 0 && !br[k]) { br[k] = 1; bh[g]++ } }
    END { for (g in lf) print g "|" lh[g]+0 "|" lf[g]+0 "|" bh[g]+0 "|" bf[g]+0 }' "$1"
}
pct() { awk -v h="$1" -v t="$2" 'BEGIN { if (t == 0) print "-"; else printf "%.1f%%", 100 * h / t }'; }
groups=("kernel/core" "kernel/arch/x86 VT-x" "kernel/arch/x86 AMD-V" "kernel/arch/x86 other"
  "kernel/services" "services" "partitions/root" "partitions/lib" "lib" "model")
declare -A LH LF BH BF HLH HLF
while IFS='|' read -r g lh lf bh bf; do LH[$g]=$lh LF[$g]=$lf BH[$g]=$bh BF[$g]=$bf; done < <(table "$out/project.info")
while IFS='|' read -r g lh lf bh bf; do HLH[$g]=$lh HLF[$g]=$lf; done < <(table "$out/host-only.info")
{
  echo
  printf '%-24s %15s %9s %15s %10s\n' directory "lines" "" branches "host only"
  for g in "${groups[@]}"; do
    printf '%-24s %15s %9s %15s %10s\n' "$g" "${LH[$g]:-0}/${LF[$g]:-0}" \
      "$(pct "${LH[$g]:-0}" "${LF[$g]:-0}")" \
      "$(pct "${BH[$g]:-0}" "${BF[$g]:-0}") of ${BF[$g]:-0}" "$(pct "${HLH[$g]:-0}" "${HLF[$g]:-0}")"
  done
  klh=0 klf=0 hklh=0 hklf=0
  for g in "${groups[@]}"; do
    [[ "$g" == kernel/* ]] || continue
    klh=$((klh + ${LH[$g]:-0})) klf=$((klf + ${LF[$g]:-0}))
    hklh=$((hklh + ${HLH[$g]:-0})) hklf=$((hklf + ${HLF[$g]:-0}))
  done
  printf '%-24s %15s %9s %15s %10s\n' "kernel (all)" "$klh/$klf" "$(pct $klh $klf)" "" "$(pct $hklh $hklf)"
  echo
  echo "contributions (lcov tracefiles; lines hit of the project / VT-x / AMD-V rows):"
  for f in host qemu bochs-vmx bochs-svm; do
    [ -e "$out/$f.info" ] || { printf '  %-10s no data\n' "$f"; continue; }
    extract "$out/$f.info" "$out/$f-project.info"
    declare -A C=()
    while IFS='|' read -r g lh lf bh bf; do C[$g]=$lh; done < <(table "$out/$f-project.info")
    total=0
    for g in "${!C[@]}"; do total=$((total + C[$g])); done
    printf '  %-10s %-28s %5s lines  %3s runs  hit: %5s project, %4s VT-x, %4s AMD-V\n' "$f" \
      "$out/$f.info" "$(wc -l <"$out/$f.info")" "${runs_per_cfg[$f]:-host}" "$total" \
      "${C["kernel/arch/x86 VT-x"]:-0}" "${C["kernel/arch/x86 AMD-V"]:-0}"
    unset C
  done
} | tee "$out/table.txt"

# ---------------------------------------------------------------- floors
# ci/coverage-floors.txt: "<directory as in the table> <minimum line %>".
check_floors() { # check_floors FILE: 1 if any row of the table is below its floor
  local line floor g have rc=0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    floor=$(awk '{print $NF}' <<<"$line")
    g=$(sed -E 's/[[:space:]]+[^[:space:]]+[[:space:]]*$//; s/^[[:space:]]+//' <<<"$line")
    if [ -z "${LF[$g]:-}" ]; then
      echo "coverage: FAIL: $1 names '$g', which is not a row of the table" >&2
      rc=1
      continue
    fi
    have=$(awk -v h="${LH[$g]:-0}" -v t="${LF[$g]:-0}" 'BEGIN { printf "%.1f", t ? 100 * h / t : 0 }')
    if awk -v a="$have" -v b="$floor" 'BEGIN { exit !(a < b) }'; then
      echo "coverage: FAIL: $g line coverage $have% is below its floor $floor% ($1)" >&2
      rc=1
    fi
  done <"$1"
  return $rc
}
floors=ci/coverage-floors.txt
if [ -n "${TESTS:-}" ]; then
  echo "coverage: TESTS is set: a partial run, floors not enforced"
elif ! check_floors "$floors"; then
  status=1
else
  echo "coverage: every directory is at or above its floor ($floors)"
fi

echo
echo "coverage report: $out/index.html ($(($(date +%s) - started)) s)"
[ "$status" = 0 ] || echo "coverage: FAILED (see the messages above)" >&2
exit "$status"
