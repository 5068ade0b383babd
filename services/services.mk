# SPDX-License-Identifier: MIT
# services/services.mk — host unit tests of the placement-independent
# service code (services/), included by the top-level GNUmakefile, which
# defines HOST_OUT, HOST_CC, HOST_TEST_CFLAGS, CHECK_LIBS and Q.
#   test_ring          the channel ring (ring.c): tests/channel.host.list,
#                      docs/architecture/channels.md
#   test_console_text  a child's bytes on the console, through the console
#                      service and the UART model, over a fake environment
#                      (env.h): tests/kernel.host.list

$(HOST_OUT)/test_ring: tests/unit/test_ring.c services/ring.c services/ring.h
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_TEST_CFLAGS) tests/unit/test_ring.c services/ring.c $(CHECK_LIBS) -o $@

CONSOLE_TEXT_SRCS := services/console_service.c services/uart16550.c lib/format.c
$(HOST_OUT)/test_console_text: tests/unit/test_console_text.c $(CONSOLE_TEXT_SRCS) \
		services/console_service.h services/uart16550.h services/channel.h services/env.h \
		lib/format.h
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_TEST_CFLAGS) tests/unit/test_console_text.c $(CONSOLE_TEXT_SRCS) \
		$(CHECK_LIBS) -o $@

host-bins: $(HOST_OUT)/test_ring $(HOST_OUT)/test_console_text
