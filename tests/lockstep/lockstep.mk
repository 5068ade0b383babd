# SPDX-License-Identifier: MIT
# tests/lockstep/lockstep.mk — the lockstep checker, the scenario compiler,
# the fuzz generator and the host differential test.
#
# Included by the top-level GNUmakefile, which defines BUILD_DIR, HOST_CC,
# HOST_CFLAGS, CHECK_LIBS, SANITIZE and Q.  Targets:
#   lockstep-all    every binary into $(BUILD_DIR)/host/lockstep/
#   lockstep-tools  check-trace, scenario-compile, fuzz-compile only
#   lockstep-check  the host differential test over every scenario + fuzz
# See docs/architecture/trace-format.md.

LOCKSTEP_OUT := $(BUILD_DIR)/host/lockstep
LOCKSTEP_MODEL_SRCS := $(filter-out %_main.c,$(wildcard model/*.c))
LOCKSTEP_DEPS := $(wildcard model/*.c model/*.h) kernel/abi/hvabi.h \
	kernel/abi/scenario_steps.h $(wildcard tests/lockstep/*.h)
# The checker library: trace parsing, steps files, block layout, checker.
LOCKSTEP_LIB := tests/lockstep/trace_parse.c tests/lockstep/steps_file.c \
	tests/lockstep/block_layout.c tests/lockstep/translate.c \
	tests/lockstep/checker.c tests/lockstep/step_build.c tests/lockstep/tables.c
LOCKSTEP_CFLAGS := $(HOST_CFLAGS) -I. $(SANITIZE)

# The hypervisor's portable core, compiled for the host over a fake
# machine (fake_arch.c): everything but the boot path, which needs the
# real machine.
# (harness.c places the emulator's scenario agents: boot path too; the
# scheduler is linked but never entered.)
LOCKSTEP_CORE := $(filter-out kernel/core/main.c kernel/core/floor.c kernel/core/root_setup.c \
	kernel/core/harness.c, \
	$(wildcard kernel/core/*.c)) lib/format.c
LOCKSTEP_CORE_DEPS := $(wildcard kernel/core/*.c kernel/core/*.h kernel/arch/*.h \
	lib/*.c lib/*.h)
LOCKSTEP_CORE_CFLAGS := $(HOST_CFLAGS) -DHOST_BUILD -DPARTITA_TRACE $(SANITIZE)

LOCKSTEP_BINS := $(LOCKSTEP_OUT)/check-trace $(LOCKSTEP_OUT)/scenario-compile \
	$(LOCKSTEP_OUT)/fuzz-compile $(LOCKSTEP_OUT)/host-lockstep \
	$(LOCKSTEP_OUT)/defect/host-lockstep $(LOCKSTEP_OUT)/mono/host-lockstep \
	$(LOCKSTEP_OUT)/test_trace_parse

.PHONY: lockstep-all lockstep-check lockstep-tools
lockstep-all: $(LOCKSTEP_BINS)
# What the emulator side (make scenario / fuzz-lockstep) needs.
lockstep-tools: $(LOCKSTEP_OUT)/check-trace $(LOCKSTEP_OUT)/scenario-compile \
	$(LOCKSTEP_OUT)/fuzz-compile
host-bins: lockstep-all

$(LOCKSTEP_OUT)/check-trace: $(LOCKSTEP_LIB) tests/lockstep/fuzz.c tests/lockstep/check_trace_main.c $(LOCKSTEP_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CFLAGS) $(LOCKSTEP_LIB) tests/lockstep/fuzz.c tests/lockstep/check_trace_main.c \
		$(LOCKSTEP_MODEL_SRCS) -o $@

$(LOCKSTEP_OUT)/scenario-compile: $(LOCKSTEP_LIB) tests/lockstep/scenario_compile.c \
		tests/lockstep/scenario_compile_main.c $(LOCKSTEP_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CFLAGS) $(LOCKSTEP_LIB) tests/lockstep/scenario_compile.c \
		tests/lockstep/scenario_compile_main.c $(LOCKSTEP_MODEL_SRCS) -o $@

$(LOCKSTEP_OUT)/fuzz-compile: $(LOCKSTEP_LIB) tests/lockstep/fuzz.c \
		tests/lockstep/fuzz_compile_main.c $(LOCKSTEP_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CFLAGS) $(LOCKSTEP_LIB) tests/lockstep/fuzz.c \
		tests/lockstep/fuzz_compile_main.c $(LOCKSTEP_MODEL_SRCS) -o $@

$(LOCKSTEP_OUT)/test_trace_parse: $(LOCKSTEP_LIB) tests/lockstep/test_trace_parse.c $(LOCKSTEP_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CFLAGS) $(LOCKSTEP_LIB) tests/lockstep/test_trace_parse.c \
		$(LOCKSTEP_MODEL_SRCS) $(CHECK_LIBS) -o $@

# The kernel core and the model share handler names (hc_create_partition,
# ...): each is written from the ABI on its own.  So the model and the
# checker are linked first into one relocatable object in which only the
# checker's API (host_api.syms) stays global; the kernel core is then
# linked against that.  Neither side ever sees the other's code.
LOCKSTEP_OBJ := $(LOCKSTEP_OUT)/obj
LOCKSTEP_BLOB := $(LOCKSTEP_OBJ)/model-checker.o

$(LOCKSTEP_BLOB): $(LOCKSTEP_LIB) tests/lockstep/fuzz.c $(LOCKSTEP_DEPS) tests/lockstep/host_api.syms
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CFLAGS) -r -nostdlib $(LOCKSTEP_LIB) tests/lockstep/fuzz.c \
		$(LOCKSTEP_MODEL_SRCS) -o $@.tmp
	$(Q)objcopy --keep-global-symbols=tests/lockstep/host_api.syms $@.tmp $@
	$(Q)rm -f $@.tmp

LOCKSTEP_HOST := tests/lockstep/fake_arch.c tests/lockstep/host_harness.c tests/lockstep/host_machine.c \
	tests/lockstep/host_intercepts.c tests/lockstep/host_exhaustion.c tests/lockstep/host_lockstep_main.c

$(LOCKSTEP_OUT)/host-lockstep: $(LOCKSTEP_BLOB) $(LOCKSTEP_HOST) $(LOCKSTEP_CORE) \
		$(LOCKSTEP_DEPS) $(LOCKSTEP_CORE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CORE_CFLAGS) -I. $(LOCKSTEP_CORE) $(LOCKSTEP_HOST) \
		$(LOCKSTEP_BLOB) -o $@

# Test-only: the core with the queue bound off by one (kernel/core/synic.c).
$(LOCKSTEP_OUT)/defect/host-lockstep: $(LOCKSTEP_BLOB) $(LOCKSTEP_HOST) $(LOCKSTEP_CORE) \
		$(LOCKSTEP_DEPS) $(LOCKSTEP_CORE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CORE_CFLAGS) -DPARTITA_DEFECT_QUEUE_BOUND -I. \
		$(LOCKSTEP_CORE) $(LOCKSTEP_HOST) $(LOCKSTEP_BLOB) -o $@

# The core as BUILD=mono compiles it (HvPartitaServeChannel, served ports),
# over empty services (fake_services.c).
$(LOCKSTEP_OUT)/mono/host-lockstep: $(LOCKSTEP_BLOB) $(LOCKSTEP_HOST) $(LOCKSTEP_CORE) \
		tests/lockstep/fake_services.c $(LOCKSTEP_DEPS) $(LOCKSTEP_CORE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(LOCKSTEP_CORE_CFLAGS) -DPARTITA_MONO -I. $(LOCKSTEP_CORE) $(LOCKSTEP_HOST) \
		tests/lockstep/fake_services.c $(LOCKSTEP_BLOB) -o $@

lockstep-check: lockstep-all
	$(Q)bash tests/run-tests.sh tests/lockstep.host.list

# make soak's host run: the host differential test without ASan/UBSan
# (about five times faster), for 10 million steps in minutes.  make test
# and make check run the sanitized one.
LOCKSTEP_FAST := $(LOCKSTEP_OUT)/fast
$(LOCKSTEP_FAST)/model-checker.o: $(LOCKSTEP_LIB) tests/lockstep/fuzz.c $(LOCKSTEP_DEPS) \
		tests/lockstep/host_api.syms
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -O2 -I. -r -nostdlib $(LOCKSTEP_LIB) tests/lockstep/fuzz.c \
		$(LOCKSTEP_MODEL_SRCS) -o $@.tmp
	$(Q)objcopy --keep-global-symbols=tests/lockstep/host_api.syms $@.tmp $@
	$(Q)rm -f $@.tmp

$(LOCKSTEP_FAST)/host-lockstep: $(LOCKSTEP_FAST)/model-checker.o $(LOCKSTEP_HOST) $(LOCKSTEP_CORE) \
		$(LOCKSTEP_DEPS) $(LOCKSTEP_CORE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -O2 -DHOST_BUILD -DPARTITA_TRACE -I. $(LOCKSTEP_CORE) \
		$(LOCKSTEP_HOST) $(LOCKSTEP_FAST)/model-checker.o -o $@
