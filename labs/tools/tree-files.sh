#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The files of the tree, one a line, relative to its top: git's tracked
# files in a clone, else every file but build/ and .git/ (a generated
# starter tree a student has not put under git yet).
set -euo pipefail
cd "$(dirname "$0")/../.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
  [ "$(git rev-parse --show-toplevel)" = "$(pwd -P)" ]; then
  # tracked and still present (a worktree may have deleted a file)
  git ls-files | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done
else
  find . -path ./build -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||' | sort
fi
