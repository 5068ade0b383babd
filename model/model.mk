# SPDX-License-Identifier: MIT
# model/model.mk — the reference model's host programs, tests and diagrams.
#
# Included by the top-level GNUmakefile (`-include model/model.mk`), which
# defines BUILD_DIR, HOST_CC, HOST_CFLAGS and CHECK_LIBS; the defaults below
# make `make -f model/model.mk TARGET` work on its own from the repo root.
#
# Targets:
#   model-all       every model binary into $(BUILD_DIR)/host/model/
#   explore         the explorer; DEPTH=n (default 6), START=boot|setup|ipc
#   model-check     unit tests + every scenario + explorer at depth 5
#   model-docs      Graphviz diagrams -> $(BUILD_DIR)/docs/*.svg and the
#                   committed copies in docs/architecture/generated/

BUILD_DIR ?= build
HOST_CC ?= gcc
HOST_CFLAGS ?= -std=c11 -Wall -Wextra -Werror -O1 -g
CHECK_LIBS ?= $(shell pkg-config --cflags --libs check)

MODEL_OUT := $(BUILD_DIR)/host/model
MODEL_LIB_SRCS := $(filter-out %_main.c,$(wildcard model/*.c))
MODEL_DEPS := $(wildcard model/*.c model/*.h) kernel/abi/hvabi.h
MODEL_TEST_SRCS := $(wildcard tests/unit/model/*.c)
MODEL_TEST_DEPS := $(MODEL_TEST_SRCS) $(wildcard tests/unit/model/*.h)
MODEL_CFLAGS := $(HOST_CFLAGS) -I.
# The explorer and diagram generator need speed; the scenario runner and
# the unit tests run under ASan + UBSan so bad input cannot hide a crash.
MODEL_FAST := -O2
MODEL_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer
# Test-only: a model with a queue bound off by one (model/defect.h).
MODEL_DEFECT := -DMODEL_DEFECT_QUEUE_BOUND

MODEL_BINS := $(MODEL_OUT)/explore $(MODEL_OUT)/run-scenario \
	$(MODEL_OUT)/model-dot $(MODEL_OUT)/test_model \
	$(MODEL_OUT)/defect/explore $(MODEL_OUT)/defect/test_model

.PHONY: model-all explore model-check model-docs
model-all: $(MODEL_BINS)

$(MODEL_OUT)/explore: $(MODEL_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_FAST) $(MODEL_LIB_SRCS) model/explore_main.c -o $@

$(MODEL_OUT)/model-dot: $(MODEL_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_FAST) $(MODEL_LIB_SRCS) model/dot_main.c -o $@

$(MODEL_OUT)/run-scenario: $(MODEL_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_SAN) $(MODEL_LIB_SRCS) model/run_scenario_main.c -o $@

$(MODEL_OUT)/test_model: $(MODEL_DEPS) $(MODEL_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_SAN) -Imodel $(MODEL_LIB_SRCS) $(MODEL_TEST_SRCS) $(CHECK_LIBS) -o $@

$(MODEL_OUT)/defect/explore: $(MODEL_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_FAST) $(MODEL_DEFECT) $(MODEL_LIB_SRCS) model/explore_main.c -o $@

$(MODEL_OUT)/defect/test_model: $(MODEL_DEPS) $(MODEL_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(MODEL_CFLAGS) $(MODEL_SAN) $(MODEL_DEFECT) -Imodel $(MODEL_LIB_SRCS) $(MODEL_TEST_SRCS) $(CHECK_LIBS) -o $@

DEPTH ?= 6
START ?= setup
explore: $(MODEL_OUT)/explore
	$(Q)$(MODEL_OUT)/explore --depth $(DEPTH) --start $(START)

model-check: model-all
	$(Q)$(MODEL_OUT)/test_model
	$(Q)$(MODEL_OUT)/run-scenario -q tests/scenarios/*.scn
	$(Q)$(MODEL_OUT)/explore --depth 5 --start setup

MODEL_DIAGRAMS := partition-lifecycle vp-lifecycle port-lifecycle message-queue
MODEL_DOCS_OUT := $(BUILD_DIR)/docs
model-docs: $(MODEL_OUT)/model-dot
	@mkdir -p $(MODEL_DOCS_OUT) docs/architecture/generated
	$(Q)$(MODEL_OUT)/model-dot $(MODEL_DOCS_OUT)
	$(Q)for d in $(MODEL_DIAGRAMS); do \
		dot -Tsvg $(MODEL_DOCS_OUT)/$$d.dot -o $(MODEL_DOCS_OUT)/$$d.svg || exit 1; \
		cp $(MODEL_DOCS_OUT)/$$d.dot $(MODEL_DOCS_OUT)/$$d.svg docs/architecture/generated/; \
	done
