#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The prerequisite of every graded lab: lab n's regions are well-formed
# and use no output channel, no way to end the program, no assembly
# (labtool audit), so nothing a test trusts can be printed by them.
set -uo pipefail
cd "$(dirname "$0")/../.."
lab=$1
tool=build/host/labs/labtool
mapfile -t all < <(bash labs/tools/tree-files.sh)
"$tool" check "${all[@]}" >/dev/null || exit 1
mapfile -t files < <("$tool" files "$lab" "${all[@]}")
[ "${#files[@]}" -gt 0 ] || { echo "no lab $lab regions in this tree: keep the LAB markers"; exit 1; }
echo "lab $lab regions in: ${files[*]}"
"$tool" audit "$lab" "${files[@]}"
