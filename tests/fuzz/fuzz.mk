# SPDX-License-Identifier: MIT
# tests/fuzz/fuzz.mk — coverage-guided fuzzing of the hypervisor's input
# surfaces with libFuzzer (clang-14, Debian's libclang-rt-14-dev), included
# by the top-level GNUmakefile.  Targets (tests/fuzz/README.md):
#   fuzz_hypercall  the decoder and dispatcher, the model as the oracle
#   fuzz_ring       the channel ring against a hostile peer
#   fuzz_block      the block VSP's request parser and executor
#   fuzz_elf        the ELF reader of partition images
#   fuzz_bootinfo   the multiboot 1/2 boot-information parser
# make fuzz TARGET=NAME SECONDS=N runs one from its committed corpus
# (tests/fuzz/corpus/NAME/); new inputs go to build/fuzz/corpus/NAME/.

FUZZ_CC := clang-14
FUZZ_OUT := $(BUILD_DIR)/host/fuzz
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -I.
FUZZ_TARGETS := fuzz_hypercall fuzz_ring fuzz_block fuzz_elf fuzz_bootinfo

$(FUZZ_OUT)/fuzz_ring: tests/fuzz/fuzz_ring.c services/ring.c services/ring.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) tests/fuzz/fuzz_ring.c services/ring.c -o $@

$(FUZZ_OUT)/fuzz_elf: tests/fuzz/fuzz_elf.c lib/elf.c lib/elf.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) tests/fuzz/fuzz_elf.c lib/elf.c -o $@

$(FUZZ_OUT)/fuzz_bootinfo: tests/fuzz/fuzz_bootinfo.c kernel/core/bootinfo.c kernel/core/bootinfo.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) tests/fuzz/fuzz_bootinfo.c kernel/core/bootinfo.c -o $@

FUZZ_BLOCK_SRCS := services/block_service.c services/channel.c services/ring.c \
	lib/format.c lib/string.c
$(FUZZ_OUT)/fuzz_block: tests/fuzz/fuzz_block.c $(FUZZ_BLOCK_SRCS) $(wildcard services/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) tests/fuzz/fuzz_block.c $(FUZZ_BLOCK_SRCS) -o $@

# As host-lockstep is built (lockstep.mk), with clang: the model and the
# checker first in one object whose only globals are the checker's API,
# then the core over the fake machine, instrumented for coverage.
FUZZ_BLOB := $(FUZZ_OUT)/obj/model-checker.o
$(FUZZ_BLOB): $(LOCKSTEP_LIB) tests/lockstep/fuzz.c $(LOCKSTEP_DEPS) tests/lockstep/host_api.syms
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-link-runtime -r -nostdlib $(LOCKSTEP_LIB) tests/lockstep/fuzz.c \
		$(LOCKSTEP_MODEL_SRCS) -o $@.tmp
	$(Q)objcopy --keep-global-symbols=tests/lockstep/host_api.syms $@.tmp $@
	$(Q)rm -f $@.tmp

FUZZ_HC_HOST := tests/lockstep/fake_arch.c tests/lockstep/host_harness.c \
	tests/lockstep/host_machine.c
$(FUZZ_OUT)/fuzz_hypercall: tests/fuzz/fuzz_hypercall.c $(FUZZ_BLOB) $(FUZZ_HC_HOST) \
		$(LOCKSTEP_CORE) $(LOCKSTEP_CORE_DEPS) $(LOCKSTEP_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -DHOST_BUILD -DPARTITA_TRACE $(FUZZ_SAN) \
		-Itests/lockstep tests/fuzz/fuzz_hypercall.c $(LOCKSTEP_CORE) $(FUZZ_HC_HOST) \
		$(FUZZ_BLOB) -o $@

.PHONY: fuzz fuzz-bins
fuzz-bins: $(addprefix $(FUZZ_OUT)/,$(FUZZ_TARGETS))

TARGET ?=
SECONDS ?= 60
fuzz: deps fuzz-bins
	$(Q)bash tests/fuzz/run.sh "$(TARGET)" "$(SECONDS)"
