#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every scenario of tests/scenarios/ through the host differential test:
# compiled (checked against the model under its own configuration), then
# played by the hypervisor core on the host and checked step by step.
# Scenarios for BUILD=mono (config services_in_hypervisor=1) are played by
# the core as BUILD=mono compiles it; every other one by both builds' cores.
set -euo pipefail
out=build/host/lockstep/scenarios
mkdir -p "$out"
bins=() mono=() pairs=()
for scn in tests/scenarios/*.scn; do
  bin="$out/$(basename "$scn" .scn).bin"
  pairs+=("$scn" "$bin")
  if grep -q '^config .*services_in_hypervisor=1' "$scn"; then
    mono+=("$bin")
  else
    bins+=("$bin")
  fi
done
build/host/lockstep/scenario-compile "${pairs[@]}"
build/host/lockstep/host-lockstep "${bins[@]}"
build/host/lockstep/mono/host-lockstep "${bins[@]}" "${mono[@]}"
