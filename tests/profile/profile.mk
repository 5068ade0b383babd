# SPDX-License-Identifier: MIT
# tests/profile/profile.mk — make profile's host tool and its test,
# included by the top-level GNUmakefile, which defines HOST_OUT, HOST_CC,
# HOST_CFLAGS, HOST_TEST_CFLAGS, CHECK_LIBS and Q.
#   partita-profile    reads QEMU's exec log: ci/profile.sh,
#                      docs/architecture/profile.md
#   test_profile       the counter on a crafted ELF and exec log:
#                      tests/profile.host.list

PROFILE_LIB := tests/profile/elfsyms.c tests/profile/prof.c tests/profile/report.c
PROFILE_DEPS := $(PROFILE_LIB) $(wildcard tests/profile/*.h)

# No sanitizers: it reads tens of millions of log lines a run.
$(HOST_OUT)/partita-profile: tests/profile/profile_main.c $(PROFILE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) tests/profile/profile_main.c $(PROFILE_LIB) -o $@

$(HOST_OUT)/test_profile: tests/profile/test_profile.c $(PROFILE_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_TEST_CFLAGS) tests/profile/test_profile.c $(PROFILE_LIB) \
		$(CHECK_LIBS) -o $@

host-bins: $(HOST_OUT)/partita-profile $(HOST_OUT)/test_profile
