# SPDX-License-Identifier: MIT
# tests/mutants/mutants.mk — the mutation score of the hypervisor's core
# (make mutants, tests/mutants/README.md).  Included by the top-level
# GNUmakefile after tests/lockstep/lockstep.mk, whose core, blob and
# flags it reuses: the mutant runner (run.sh) compiles only the mutated
# file and links it with these objects.
MUT_OUT := $(BUILD_DIR)/host/mutants
# The core's files that carry the hypercall and IPC state machine.
MUT_FILES ?= kernel/core/hypercall.c kernel/core/hc_memory.c kernel/core/hc_message.c \
	kernel/core/hc_partita.c kernel/core/hc_partition.c kernel/core/hc_port.c \
	kernel/core/hc_vp.c kernel/core/pages.c kernel/core/port.c kernel/core/partition.c \
	kernel/core/synic.c kernel/core/intercept.c
MUT_HOST_SRCS := tests/lockstep/fake_arch.c tests/lockstep/host_harness.c \
	tests/lockstep/host_machine.c tests/lockstep/host_intercepts.c tests/lockstep/host_exhaustion.c \
	tests/lockstep/host_lockstep_main.c

$(MUT_OUT)/mutgen: tests/mutants/mutgen.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< -o $@

.PHONY: mutants mutants-prereqs
mutants-prereqs: $(MUT_OUT)/mutgen $(LOCKSTEP_BLOB) $(LOCKSTEP_OUT)/scenario-compile

# MUTANTS=FROM-TO runs a range of the numbered mutants (all by default);
# MUT_FILES=... other files of kernel/core/.
MUTANTS ?=
mutants: mutants-prereqs
	$(Q)MUT_CC='$(HOST_CC)' MUT_CFLAGS='$(filter-out -Werror,$(LOCKSTEP_CORE_CFLAGS)) -I.' \
		MUT_CORE='$(LOCKSTEP_CORE)' MUT_HOST='$(MUT_HOST_SRCS)' MUT_BLOB='$(LOCKSTEP_BLOB)' \
		bash tests/mutants/run.sh "$(MUTANTS)" $(MUT_FILES)
