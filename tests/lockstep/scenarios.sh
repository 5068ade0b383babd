#!/usr/bin/env bash
# Every scenario of tests/scenarios/ through the host differential test:
# compiled (checked against the model under its own configuration), then
# played by the hypervisor core on the host and checked step by step.
set -euo pipefail
out=build/host/lockstep/scenarios
mkdir -p "$out"
bins=()
for scn in tests/scenarios/*.scn; do
  bin="$out/$(basename "$scn" .scn).bin"
  build/host/lockstep/scenario-compile "$scn" "$bin"
  bins+=("$bin")
done
build/host/lockstep/host-lockstep "${bins[@]}"
