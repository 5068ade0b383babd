#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/check-layout.sh goes red: on a copy of the tree, each breach of the
# layering below is added alone and must be reported (exit 1, the line
# naming it); the ABI and the untouched copy must pass.
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() {
  echo "FAIL: $1"
  fails=$((fails + 1))
}

fresh() { # a clean copy of what the check reads
  rm -rf "$tmp/tree"
  mkdir -p "$tmp/tree/tests"
  cp -r GNUmakefile kernel partitions services lib "$tmp/tree/"
  cp tests/check-layout.sh "$tmp/tree/tests/"
}

# expect NAME RC PATTERN: the check on the copy exits RC and prints PATTERN
expect() {
  local out rc
  out=$(bash "$tmp/tree/tests/check-layout.sh" 2>&1)
  rc=$?
  if [ "$rc" = "$2" ] && grep -qE -- "$3" <<<"$out"; then
    ok "$1"
  else
    bad "$1 (exit $rc, wanted $2 and /$3/):"
    sed 's/^/    /' <<<"$out" | head -n 10
  fi
}

prepend() { # prepend FILE LINE
  printf '%s\n' "$2" | cat - "$1" >"$1.new" && mv "$1.new" "$1"
}

fresh
expect "the tree as it is passes" 0 '^layout: kernel/, partitions/'

fresh
prepend "$tmp/tree/kernel/core/log.c" '#include "../../partitions/lib/console.h"'
expect "kernel/ including partitions/ is caught" 1 \
  '^kernel/core/log.c:1: includes partitions/lib/console.h \(kernel/ may not include partitions/\)'

fresh
prepend "$tmp/tree/partitions/root/text.c" '#include "../../kernel/core/log.h"'
expect "partitions/ including kernel/ is caught" 1 \
  '^partitions/root/text.c:1: includes kernel/core/log.h \(partitions/ may not include kernel/\)'

fresh
prepend "$tmp/tree/partitions/root/text.c" '#include "../../kernel/abi/hvabi.h"'
expect "partitions/ including the ABI passes" 0 '^layout: '

fresh
prepend "$tmp/tree/services/channel.c" '#include "../kernel/core/hypercall.h"'
expect "services/ including kernel/ is caught" 1 \
  '^services/channel.c:1: includes kernel/core/hypercall.h \(services/ may not include kernel/\)'

fresh
prepend "$tmp/tree/lib/format.c" '#include "../services/env.h"'
expect "lib/ including services/ is caught" 1 \
  '^lib/format.c:1: includes services/env.h \(lib/ may not include services/\)'

fresh
sed -i 's#^KERNEL_SRCS += $(wildcard kernel/services/\*.c)#& partitions/lib/console.c#' \
  "$tmp/tree/GNUmakefile"
expect "the hypervisor linking partitions/ is caught" 1 \
  '^GNUmakefile \(BUILD=mono\): the hypervisor links partitions/lib/console.c'

fresh
sed -i 's#^\(PART_LIB_SRCS := .*\)\\$#\1 kernel/core/log.c \\#' "$tmp/tree/GNUmakefile"
expect "a partition linking kernel/ is caught" 1 \
  '^GNUmakefile \(BUILD=micro\): a partition links build/micro/part/kernel/core/log.c.o'

[ "$fails" = 0 ] || exit 1
echo "check-layout.sh reports every breach tried"
