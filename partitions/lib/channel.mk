# SPDX-License-Identifier: MIT
# partitions/lib/channel.mk — host unit test of the channel ring
# (partitions/lib/ring.c), included by the top-level GNUmakefile, which
# defines HOST_OUT, HOST_CC, HOST_TEST_CFLAGS, CHECK_LIBS and Q.
# The list tests/channel.host.list runs it; docs/architecture/channels.md.

$(HOST_OUT)/test_ring: tests/unit/test_ring.c partitions/lib/ring.c partitions/lib/ring.h
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_TEST_CFLAGS) tests/unit/test_ring.c partitions/lib/ring.c $(CHECK_LIBS) -o $@

host-bins: $(HOST_OUT)/test_ring
