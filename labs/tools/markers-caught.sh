#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The marker check goes red on every kind of bad marker, and a starter
# stubs exactly the lab asked for (tests/labs.host.list).
set -u
tool=$PWD/build/host/labs/labtool
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_bad() { # $1 = file name, $2 = expected message, stdin = content
  cat >"$t/$1"
  out=$(cd "$t" && "$tool" check "$1" 2>&1) && fail "$1 passed the check: $out"
  grep -q -- "$2" <<<"$out" || fail "$1: expected '$2', got: $out"
  echo "ok: $1: $(head -n 1 <<<"$out")"
}
printf '/* LAB 4.1 BEGIN: x */\nint a;\n' | expect_bad open.c "BEGIN never ends"
printf 'int a;\n/* LAB 4.1 END */\n' | expect_bad stray.c "END without a BEGIN"
printf '/* LAB 4.1 BEGIN: x */\n/* LAB 4.2 END */\n' | expect_bad mismatch.c "END closes LAB 4.1"
printf '/* LAB 4.1 BEGIN: x */\n/* LAB 4.2 BEGIN: y */\n/* LAB 4.2 END */\n' | expect_bad nested.c "inside LAB 4.1"
printf '/* LAB 9.1 BEGIN: x */\n/* LAB 9.1 END */\n' | expect_bad unknown.c "unknown lab"
printf '/* LAB 4 BEGIN: x */\n' | expect_bad noex.c "expected LAB n.m"
printf '/* LAB 4.1 BEGIN */\n/* LAB 4.1 END */\n' | expect_bad notitle.c "BEGIN: title"
printf '# LAB 1.2 BEGIN: x\n# LAB 1.2 ENDS\n' | expect_bad bad.scn "expected '# LAB n.m BEGIN"

# A good file: lab 4's region is stubbed, lab 5's kept, the include added.
mkdir -p "$t/good/kernel/core"
cat >"$t/good/kernel/core/x.c" <<'C'
#include "x.h"
int f(int a)
{
    /* LAB 4.1 BEGIN: return twice a */
    return 2 * a;
    /* LAB 4.1 END */
}
int g(int a)
{
    /* LAB 5.2 BEGIN: return a */
    return a;
    /* LAB 5.2 END */
}
C
(cd "$t/good" && "$tool" starter 4 "$t/out" kernel/core/x.c >/dev/null) || fail "starter failed"
grep -q '^#include "../../lib/lab_todo.h"' "$t/out/kernel/core/x.c" || fail "no lab_todo.h include"
grep -q '^    LAB_TODO(4, 1);$' "$t/out/kernel/core/x.c" || fail "no stub for 4.1"
grep -q 'return 2 \* a' "$t/out/kernel/core/x.c" && fail "lab 4's solution left in the starter"
grep -q '^    return a;$' "$t/out/kernel/core/x.c" || fail "lab 5's code was cut from lab 4's starter"
echo "ok: the starter of lab 4 stubs 4.1 and keeps 5.2"
# merge: a student's body goes in; text outside the region comes from the handout
sed -e 's/LAB_TODO(4, 1);/return a + a;/' -e 's/^int g/int h/' "$t/out/kernel/core/x.c" >"$t/student.c"
"$tool" merge 4 "$t/good/kernel/core/x.c" "$t/student.c" "$t/merged.c" || fail "merge failed"
grep -q 'return a + a;' "$t/merged.c" || fail "merge lost the student's region"
grep -q '^int g' "$t/merged.c" || fail "merge kept the student's change outside the region"
echo "ok: merge takes the region from the student, the rest from the handout"
# audit: printing or exiting from a region is refused
sed 's/LAB_TODO(4, 1);/printf("PASS\\n"); exit(0);/' "$t/out/kernel/core/x.c" >"$t/forge.c"
out=$("$tool" audit 4 "$t/forge.c" 2>&1) && fail "audit accepted printf/exit in a region"
grep -q "'printf' is not allowed" <<<"$out" || fail "audit: $out"
echo "ok: audit refuses: $(head -n 1 <<<"$out")"
# A Markdown region (lab 8's report): a bad marker is refused; the starter
# keeps the table with its numbers blanked and the text around it.
printf '<!-- LAB 8.5 BEGIN: x -->\n<!-- LAB 8.5 ENDS -->\n' | expect_bad bad.md "expected '<!-- LAB n.m BEGIN"
cat >"$t/good/report.md" <<'MD'
# Report
<!-- LAB 8.5 BEGIN: the numbers -->
| workload | build | exits | ticks per unit |
| --- | --- | --- | --- |
| uart | mono | 77 | 3904 |
<!-- LAB 8.5 END -->
Your answer.
MD
(cd "$t/good" && "$tool" starter 8 "$t/out8" report.md >/dev/null) || fail "starter of a Markdown region failed"
grep -qx '| uart | mono |  |  |' "$t/out8/report.md" || fail "the report's numbers were not blanked: $(cat "$t/out8/report.md")"
if ! grep -qx '| workload | build | exits | ticks per unit |' "$t/out8/report.md" ||
  ! grep -qx 'Your answer.' "$t/out8/report.md" || grep -q 'lab_todo' "$t/out8/report.md"; then
  fail "the starter changed the report outside its numbers"
fi
echo "ok: the starter of lab 8 blanks the report's numbers and keeps its table"
