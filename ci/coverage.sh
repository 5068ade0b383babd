#!/usr/bin/env bash
# Line and branch coverage of the host unit tests, merged with lcov against
# a zero baseline (so files the tests never run show 0% instead of
# vanishing), as HTML in build/coverage/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh
out=build/coverage
rm -rf "$out"
mkdir -p "$out/host"
lcovrc=(--config-file .lcovrc)
flags=(-std=c11 -Wall -Wextra -Werror -O0 -g -DHOST_BUILD --coverage)
check_libs=$(pkg-config --cflags --libs check)

build_and_run() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  gcc "${flags[@]}" "$@" $check_libs -o "$out/host/$name"
  (cd "$out/host" && "./$name" >"$name.log" 2>&1) || {
    echo "coverage: $name failed; see $out/host/$name.log" >&2
    exit 1
  }
}

build_and_run test_bootinfo tests/unit/test_bootinfo.c kernel/core/bootinfo.c
build_and_run test_frame_alloc tests/unit/test_frame_alloc.c kernel/core/frame_alloc.c
build_and_run test_format tests/unit/test_format.c kernel/lib/format.c kernel/core/cmdline.c

lcov "${lcovrc[@]}" -q --capture --initial --directory "$out/host" --output-file "$out/base.info"
lcov "${lcovrc[@]}" -q --capture --directory "$out/host" --output-file "$out/tests.info"
lcov "${lcovrc[@]}" -q -a "$out/base.info" -a "$out/tests.info" --output-file "$out/all.info"
lcov "${lcovrc[@]}" -q --extract "$out/all.info" "$(pwd)/kernel/*" "$(pwd)/model/*" \
  --output-file "$out/project.info"
genhtml "${lcovrc[@]}" -q --output-directory "$out" "$out/project.info" --title "Partita coverage"
echo "coverage report: $out/index.html"
lcov "${lcovrc[@]}" --summary "$out/project.info" 2>&1 | grep -E 'lines|functions|branches'
