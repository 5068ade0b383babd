#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make mutants (tests/mutants/README.md): every mutant mutgen makes of the
# given files is compiled into the host differential test (the core on the
# fake machine, micro and mono) and run against the checks that should
# catch it, in order, stopping at the first that fails:
#   1 the scenarios (tests/scenarios/*.scn), micro then mono
#   2 the intercept round trips and the pool running out (host-lockstep
#     --intercepts, --pool-exhaustion)
#   3 the fuzz generator, seed 1, 20,000 steps; seed 2, 20,000 steps
# A mutant is killed (a check failed), survived (all passed), equivalent
# (listed in tests/mutants/equivalent.txt with why) or invalid (it does not
# compile).  Prints one line per mutant and the score; writes
# build/host/mutants/report.txt.
#   run.sh [FROM-TO] FILE...      (environment from mutants.mk)
set -uo pipefail
cd "$(dirname "$0")/../.."
range=$1
shift
files=("$@")
out=build/host/mutants
gen=$out/mutgen
mkdir -p "$out/obj" "$out/scn"
read -r -a core <<<"$MUT_CORE"
read -r -a host <<<"$MUT_HOST"

# The unmutated objects, once: micro and mono.
build_objs() { # variant extra-flags
  local v=$1 flags=$2 src
  mkdir -p "$out/obj/$v"
  local extra=()
  [ "$v" = mono ] && extra=(tests/lockstep/fake_services.c)
  for src in "${core[@]}" "${host[@]}" "${extra[@]}"; do
    local o=$out/obj/$v/$(echo "$src" | tr / _).o
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
      $MUT_CC $MUT_CFLAGS $flags -c "$src" -o "$o" || return 1
    fi
  done
}
build_objs micro "" || { echo "run.sh: the unmutated core does not compile"; exit 2; }
build_objs mono "-DPARTITA_MONO" || exit 2

# The scenarios, compiled once (as tests/lockstep/scenarios.sh does).
bins=() mono=() pairs=()
for scn in tests/scenarios/*.scn; do
  bin=$out/scn/$(basename "$scn" .scn).bin
  pairs+=("$scn" "$bin")
  if grep -q '^config .*services_in_hypervisor=1' "$scn"; then mono+=("$bin"); else bins+=("$bin"); fi
done
pairs+=(tests/lockstep/intercepts-setup.scn "$out/scn/intercepts-setup.bin"
  tests/lockstep/exhaustion-setup.scn "$out/scn/exhaustion-setup.bin")
build/host/lockstep/scenario-compile "${pairs[@]}" >/dev/null || exit 2

link() { # variant mutated-src mutated-obj binary
  local v=$1 msrc=$2 mobj=$3 bin=$4 objs=() src
  for src in "${core[@]}" "${host[@]}"; do
    if [ "$src" = "$msrc" ]; then objs+=("$mobj"); else objs+=("$out/obj/$v/$(echo "$src" | tr / _).o"); fi
  done
  [ "$v" = mono ] && objs+=("$out/obj/mono/tests_lockstep_fake_services.c.o")
  $MUT_CC $MUT_CFLAGS "${objs[@]}" "$MUT_BLOB" -o "$bin"
}

# The checks, in the order they run; 0 if every one passes.
checks() { # micro-binary mono-binary
  if ! "$1" "${bins[@]}" >"$out/last.log" 2>&1; then echo "killed by scenarios"
  elif ! "$2" "${bins[@]}" "${mono[@]}" >"$out/last.log" 2>&1; then echo "killed by mono scenarios"
  elif ! "$1" --intercepts "$out/scn/intercepts-setup.bin" >"$out/last.log" 2>&1; then echo "killed by intercepts"
  elif ! "$1" --pool-exhaustion "$out/scn/exhaustion-setup.bin" >"$out/last.log" 2>&1; then echo "killed by pool exhaustion"
  elif ! "$1" --seed 1 --steps 20000 >"$out/last.log" 2>&1; then echo "killed by fuzz seed 1"
  elif ! "$1" --seed 2 --steps 20000 >"$out/last.log" 2>&1; then echo "killed by fuzz seed 2"
  else return 0
  fi
  return 1
}

# Without a mutant every check must pass, or nothing would be measured.
link micro "" "" "$out/host-lockstep-micro" && link mono "" "" "$out/host-lockstep-mono" ||
  { echo "run.sh: the unmutated core does not link"; exit 2; }
if why=$(checks "$out/host-lockstep-micro" "$out/host-lockstep-mono"); then :; else
  echo "run.sh: the unmutated core fails its checks ($why; $out/last.log)"
  exit 2
fi

total=$("$gen" list "${files[@]}" | wc -l)
from=0 to=$((total - 1))
if [ -n "$range" ]; then from=${range%-*}; to=${range#*-}; fi
[ "$to" -lt "$total" ] || to=$((total - 1))
equiv=tests/mutants/equivalent.txt
killed=0 survived=0 equivalent=0 invalid=0
report=$out/report.txt
: >"$report"
tree=$out/tree
for ((n = from; n <= to; n++)); do
  desc=$("$gen" list "${files[@]}" | sed -n "$((n + 1))p" | cut -d' ' -f2-)
  key=$desc
  if grep -qxF "$key" <(sed -n 's/^\([^#].*\) *# .*$/\1/p' "$equiv" 2>/dev/null | sed 's/ *$//'); then
    equivalent=$((equivalent + 1)); verdict=equivalent
  else
    rm -rf "$tree"; mkdir -p "$tree"
    for f in "${files[@]}"; do mkdir -p "$tree/$(dirname "$f")"; cp "$f" "$tree/$f"; done
    "$gen" apply "$n" "$tree" "${files[@]}" >/dev/null
    src=$(cut -d: -f1 <<<"$desc")
    verdict=
    for v in micro mono; do
      flags=""; [ "$v" = mono ] && flags=-DPARTITA_MONO
      # Its relative includes resolve from the real file's directory.
      if ! $MUT_CC $MUT_CFLAGS $flags -iquote "$(dirname "$src")" -c "$tree/$src" \
           -o "$out/m-$v.o" 2>/dev/null ||
         ! link "$v" "$src" "$out/m-$v.o" "$out/host-lockstep-$v" 2>/dev/null; then
        verdict=invalid
      fi
      [ -n "$verdict" ] && break
    done
    if [ -z "$verdict" ]; then
      verdict=$(checks "$out/host-lockstep-micro" "$out/host-lockstep-mono") && verdict=survived
    fi
    case $verdict in
      killed*) killed=$((killed + 1)) ;;
      survived) survived=$((survived + 1)) ;;
      invalid) invalid=$((invalid + 1)) ;;
    esac
  fi
  printf '%4d %-28s %s\n' "$n" "$verdict" "$desc" | tee -a "$report"
done
valid=$((killed + survived))
score=$(awk -v k=$killed -v v=$valid 'BEGIN{printf "%.1f", v ? 100 * k / v : 0}')
echo "mutants $from-$to of $total: $killed killed, $survived survived, $equivalent equivalent, $invalid invalid; score $score% of $valid non-equivalent" | tee -a "$report"
survivors=$(grep -E '^ *[0-9]+ survived' "$report" || true)
printf 'survivors:\n%s\n' "${survivors:-  (none)}" >>"$report"
