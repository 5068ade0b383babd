#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes compile_commands.json (to stdout) for editors and clang tools,
# from the commands make would run, without building anything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
make -s clean-objs >/dev/null 2>&1 || true
first=1
echo "["
make -nB kernel host-bins 2>/dev/null | grep -E '^\s*(gcc|cc)\b.* (-c|-o) ' | while IFS= read -r cmd; do
  for f in $cmd; do
    case $f in
      *.c | *.S)
        [ -f "$f" ] || continue
        [ $first = 1 ] || echo ","
        first=0
        esc=$(printf '%s' "$cmd" | sed 's/\\/\\\\/g; s/"/\\"/g')
        printf '  {"directory": "%s", "file": "%s", "command": "%s"}' "$root" "$f" "$esc"
        ;;
    esac
  done
done
echo
echo "]"
