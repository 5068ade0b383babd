#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layering of the source tree (README.md, "Where things live"), checked:
#
#   kernel/      the hypervisor      may include kernel/, lib/, services/
#   partitions/  the programs above  may include partitions/, lib/, services/
#                                    and of kernel/ only the ABI (kernel/abi/)
#   services/    written once for    may include services/, lib/, kernel/abi/
#                both placements
#   lib/         shared freestanding may include lib/ only
#
# Every #include of a C or assembly source under those directories is
# resolved as the compiler would (relative to the file, then to the
# repository root), and the link lists of both builds are read from make:
# the hypervisor links nothing from partitions/, a partition nothing from
# kernel/.  Each violation is one line "file:line: what"; exit 1 if any.
# Run by `make check` (tests/layout.host.list).
#
#   --root DIR   check another tree (the test of this script uses it)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --root ]; then
  root=$(cd "$2" && pwd)
fi
cd "$root"

bad=0
fail() {
  echo "$1"
  bad=$((bad + 1))
}

# The directory a path lies in, as one of the four, or "other".
area() {
  case $1 in
    kernel/abi/*) echo abi ;;
    kernel/*) echo kernel ;;
    partitions/*) echo partitions ;;
    services/*) echo services ;;
    lib/*) echo lib ;;
    *) echo other ;;
  esac
}

# One awk over every source: "x.h" is looked up beside the file first,
# then on -I. (as the host tests compile); <x.h> only on -I.  A header
# found nowhere here is the C library's or the compiler's.
while IFS= read -r v; do
  fail "$v"
done < <(find kernel partitions services lib -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) \
  2>/dev/null | sort | xargs awk '
  function norm(p,   n, i, k, part, out) {
    n = split(p, part, "/"); k = 0
    for (i = 1; i <= n; i++) {
      if (part[i] == "" || part[i] == ".") continue
      if (part[i] == ".." && k > 0 && stack[k] != "..") { k--; continue }
      stack[++k] = part[i]
    }
    out = ""
    for (i = 1; i <= k; i++) out = out (i > 1 ? "/" : "") stack[i]
    return out
  }
  function exists(p,   r, l) { r = (getline l < p); close(p); return r >= 0 }
  function area(p) {
    if (p ~ /^kernel\/abi\//) return "abi"
    if (p ~ /^kernel\//) return "kernel"
    if (p ~ /^partitions\//) return "partitions"
    if (p ~ /^services\//) return "services"
    if (p ~ /^lib\//) return "lib"
    return "other"
  }
  function allowed(from, to) {
    if (to == "abi" || to == "other" || to == from || to == "lib") return 1
    if (to == "services") return from == "kernel" || from == "partitions"
    return 0
  }
  /^[ \t]*#[ \t]*include[ \t]*["<]/ {
    line = $0
    sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
    quoted = substr(line, 1, 1) == "\""
    t = substr(line, 2); sub(/[">].*/, "", t)
    dir = FILENAME; sub(/\/[^\/]*$/, "", dir)
    r = ""
    if (quoted && exists(dir "/" t)) r = norm(dir "/" t)
    else if (exists(t)) r = norm(t)
    else if (quoted) r = norm(dir "/" t)
    if (r == "") next
    from = area(FILENAME); to = area(r)
    if (!allowed(from, to))
      printf "%s:%d: includes %s (%s/ may not include %s/)\n", FILENAME, FNR, r, from, to
  }')

# What each image links, as make sees it, in every configuration that
# changes the lists.
for args in "BUILD=micro" "BUILD=mono" "BUILD=mono COVERAGE=1" "BUILD=micro COVERAGE=1"; do
  db=$(make -pn --no-print-directory $args help 2>/dev/null)
  if [ -z "$db" ]; then
    fail "GNUmakefile: make -pn $args gives no database"
    continue
  fi
  for src in $(awk '/^KERNEL_SRCS :?= / { $1 = $2 = ""; print }' <<<"$db"); do
    case $(area "$src") in
      partitions) fail "GNUmakefile ($args): the hypervisor links $src" ;;
    esac
  done
  # Partition objects are built under <out>/part/.
  for obj in $(grep -oE '[^[:space:]]*/part/kernel/[^[:space:]]*\.o' <<<"$db" | sort -u); do
    case $obj in
      */part/kernel/abi/*) ;;
      *) fail "GNUmakefile ($args): a partition links $obj" ;;
    esac
  done
done

if [ "$bad" -gt 0 ]; then
  echo "layout: $bad violation(s) of the layering (tests/check-layout.sh)"
  exit 1
fi
echo "layout: kernel/, partitions/, services/ and lib/ include and link only what they may"
