# SPDX-License-Identifier: MIT
# labs/labs.mk — the coursework labs (labs/README.md): the lab tool, the
# grader, starter trees and Gradescope autograders.  Included by the
# top-level GNUmakefile (BUILD_DIR, HOST_CC, HOST_CFLAGS, Q).
#   make lab-starter LAB=n OUT=DIR   the student's tree of lab n
#   make grade LAB=n [HIDDEN=DIR] [RESULTS=FILE]
#   make autograder LAB=n            build/autograder/lab-n.zip for Gradescope
#   make lab-selftest [LAB=n]        solution 100%, starter below (every lab, or lab n)

LAB_TOOLS_OUT := $(BUILD_DIR)/host/labs
LABTOOL := $(LAB_TOOLS_OUT)/labtool
LAB_GRADER := $(LAB_TOOLS_OUT)/grade
LAB ?=
OUT ?=
HIDDEN ?=
RESULTS ?=

$(LABTOOL): labs/tools/labtool.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< -o $@

$(LAB_GRADER): labs/tools/grade.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< -o $@

.PHONY: lab-tools lab-starter grade autograder lab-selftest
lab-tools: $(LABTOOL) $(LAB_GRADER)
host-bins: lab-tools

lab-starter: $(LABTOOL)
	$(Q)test -n "$(LAB)" -a -n "$(OUT)" || { echo "usage: make lab-starter LAB=n OUT=DIR"; exit 2; }
	$(Q)$(LABTOOL) starter $(LAB) $(OUT) $$(bash labs/tools/tree-files.sh)

grade: lab-tools
	$(Q)test -n "$(LAB)" || { echo "usage: make grade LAB=n [HIDDEN=DIR] [RESULTS=FILE]"; exit 2; }
	$(Q)bash labs/tools/grade.sh "$(LAB)" "$(HIDDEN)" "$(RESULTS)"

autograder: lab-tools
	$(Q)test -n "$(LAB)" || { echo "usage: make autograder LAB=n"; exit 2; }
	$(Q)bash labs/tools/autograder.sh "$(LAB)"

lab-selftest: lab-tools
	$(Q)bash labs/tools/selftest.sh $(LAB)

# Lab 8: the report's numbers against the bench's (labs/tools/lab8-bench.sh).
LAB_REPORT_CHECK := $(LAB_TOOLS_OUT)/report-check
$(LAB_REPORT_CHECK): labs/tools/report-check.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< -o $@
lab-tools: $(LAB_REPORT_CHECK)
