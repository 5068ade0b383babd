#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make autograder LAB=n: build/autograder/lab-n.zip for Gradescope.
# The zip holds the lab's starter tree (the trusted copy: tests, model,
# checker, grader and every file outside lab n's regions), the staff's
# hidden tests of the lab, setup.sh and run_autograder at its root.
# run_autograder takes from the submission only the bodies of lab n's
# regions (labtool merge) and grades the result with the hidden tests,
# writing /autograder/results/results.json after every test.
set -euo pipefail
cd "$(dirname "$0")/../.."
lab=$1
name=$(basename "$(ls -d "labs/$(printf %02d "$lab")"-*/ | head -n 1)")
out=build/autograder/lab-$lab
rm -rf "$out" "$out.zip"
build/host/labs/labtool starter "$lab" "$out" $(bash labs/tools/tree-files.sh) >/dev/null
mkdir -p "$out/labs/staff"
[ -d "labs/staff/$name" ] && cp -r "labs/staff/$name" "$out/labs/staff/$name"
cat >"$out/setup.sh" <<'SETUP'
#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image: the same
# package list as every Partita machine (ci/deps.sh), then the host tools.
set -euo pipefail
cd /autograder/source
bash ci/deps.sh
make -s lab-tools
SETUP
cat >"$out/run_autograder" <<RUN
#!/usr/bin/env bash
# Gradescope runs this per submission.  AUTOGRADER=DIR tests it elsewhere.
set -uo pipefail
ag=\${AUTOGRADER:-/autograder}
lab=$lab
cd "\$ag/source"
mkdir -p "\$ag/results"
# The submission may be the tree itself or one folder holding it.
sub=\$ag/submission
[ -f "\$sub/GNUmakefile" ] || sub=\$(dirname "\$(find "\$ag/submission" -maxdepth 3 -name GNUmakefile | head -n 1)")
make -s lab-tools
for f in \$(build/host/labs/labtool files "\$lab" \$(bash labs/tools/tree-files.sh)); do
  if [ -f "\$sub/\$f" ]; then
    build/host/labs/labtool merge "\$lab" "\$f" "\$sub/\$f" "\$f.merged" && mv "\$f.merged" "\$f" ||
      echo "autograder: \$f: your regions could not be taken (see above): the starter's stub stays"
  else
    echo "autograder: \$f is not in the submission: the starter's stub stays"
  fi
done
bash labs/tools/grade.sh "\$lab" labs/staff "\$ag/results/results.json"
exit 0
RUN
chmod +x "$out/setup.sh" "$out/run_autograder"
(cd "$out" && zip -qr "../lab-$lab.zip" .)
echo "autograder: $out.zip ($(du -k "$out.zip" | cut -f1) KiB): lab $lab starter, $(ls "$out/labs/staff/$name" 2>/dev/null | wc -l) hidden-test files, setup.sh, run_autograder"
