/* SPDX-License-Identifier: MIT */
/*
 * What a child's bytes look like on the serial console, through both
 * paths that carry them there (the same code in the root, BUILD=micro,
 * and in the hypervisor, BUILD=mono): the console service
 * (services/console_service.c) and the emulated UART
 * (services/uart16550.c).  A child must not be able to start a
 * line of its own without its "[name] " prefix, move the cursor, or
 * send a terminal escape sequence.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../../services/console_service.h"
#include "../../services/env.h"
#include "../../services/uart16550.h"

/* ---- the channel and the console, as the console service sees them: a
 * fake channel_read (the data path, services/channel.c) and a fake
 * environment (services/env.h). */

static const char *feed;
static size_t feed_len, feed_pos;
static char com1[8192];
static size_t com1_len;

int channel_read(struct channel *ch, void *buf, uint32_t n)
{
    (void)ch;
    size_t k = feed_len - feed_pos < n ? feed_len - feed_pos : n;
    memcpy(buf, feed + feed_pos, k);
    feed_pos += k;
    return (int)k;
}

void env_console_write(const char *s, size_t n)
{
    ck_assert_uint_le(com1_len + n, sizeof com1 - 1);
    memcpy(com1 + com1_len, s, n);
    com1_len += n;
    com1[com1_len] = 0;
}

/* The console output for `n` bytes a child named `name` wrote. */
static const char *console(const char *name, const char *bytes, size_t n)
{
    static struct vsp_console vc;
    memset(&vc, 0, sizeof vc);
    vsp_console_reset(&vc, name);
    feed = bytes;
    feed_len = n;
    feed_pos = 0;
    com1_len = 0;
    com1[0] = 0;
    ck_assert_int_eq(vsp_console_drain(&vc, UINT32_MAX), (int)n);
    vsp_console_end_line(&vc);
    return com1;
}
#define CONSOLE(name, lit) console((name), (lit), sizeof(lit) - 1)

/* Every line on the console starts with the child's prefix. */
static void every_line_prefixed(const char *out, const char *prefix)
{
    for (const char *line = out; *line;) {
        ck_assert_msg(strncmp(line, prefix, strlen(prefix)) == 0, "line without '%s': %s",
                      prefix, line);
        const char *nl = strchr(line, '\n');
        ck_assert_ptr_nonnull(nl);
        line = nl + 1;
    }
}

/* Nothing but printable ASCII, tab and the newlines that end lines. */
static void only_printable(const char *out)
{
    for (const char *c = out; *c; c++)
        ck_assert_msg((*c >= 0x20 && *c < 0x7f) || *c == '\n' || *c == '\t',
                      "byte 0x%02x reaches the console", (unsigned char)*c);
}

START_TEST(ordinary_lines_are_unchanged)
{
    ck_assert_str_eq(CONSOLE("hello", "hello from a child\nline 2:\tok\n"),
                     "[hello] hello from a child\n[hello] line 2:\tok\n");
}
END_TEST

START_TEST(escape_sequence_is_shown_not_sent)
{
    const char *out = CONSOLE("evil", "\x1b[2J\x1b[H\x1b]0;owned\x07 cleared\n");
    ck_assert_str_eq(out, "[evil] \\x1b[2J\\x1b[H\\x1b]0;owned\\x07 cleared\n");
    only_printable(out);
}
END_TEST

/* CR would put the cursor back over "[evil] " and print a line that
 * looks like the root's; a newline does start a new line, with the
 * prefix. */
START_TEST(forged_lines_keep_the_prefix)
{
    const char *out = CONSOLE("evil", "ok\rroot: child 3 finalized and deleted: SUCCESS\n"
                                      "\nroot: demo finished\n");
    ck_assert_str_eq(out, "[evil] ok\\x0droot: child 3 finalized and deleted: SUCCESS\n"
                          "[evil] \n"
                          "[evil] root: demo finished\n");
    every_line_prefixed(out, "[evil] ");
    only_printable(out);
}
END_TEST

START_TEST(high_bytes_nul_and_backslash)
{
    const char *out = CONSOLE("evil", "\x9b" "31m\xff\x7f a\\x41\0end\n");
    ck_assert_str_eq(out, "[evil] \\x9b31m\\xff\\x7f a\\\\x41\\x00end\n");
}
END_TEST

/* The shown part of a line is at most VSP_CONSOLE_SHOWN characters on
 * the console however it is escaped, so the hypervisor's buffer sizing
 * (VSP_CONSOLE_LINE_MAX) holds; the rest is counted. */
START_TEST(long_escaped_line_is_cut_to_the_shown_width)
{
    static char esc[300];
    memset(esc, 0x1b, sizeof esc - 1);
    esc[sizeof esc - 1] = '\n';
    const char *out = console("evil", esc, sizeof esc);
    const char *text = out + strlen("[evil] ");
    const char *note = strstr(text, " ... (");
    ck_assert_ptr_nonnull(note);
    ck_assert_uint_eq((size_t)(note - text), VSP_CONSOLE_SHOWN);
    ck_assert_str_eq(note, " ... (259 more bytes)\n"); /* 40 shown of 299 */
    ck_assert_uint_le(strlen(out), VSP_CONSOLE_LINE_MAX);
    only_printable(out);
}
END_TEST

/* The name comes from the root (in BUILD=mono through a hypercall):
 * it cannot break the prefix either. */
START_TEST(name_is_escaped_too)
{
    const char *out = CONSOLE("a\nroot: x", "hi\n");
    ck_assert_str_eq(out, "[a\\x0aroot: x] hi\n");
}
END_TEST

/* ---- the emulated UART */

static char uart_line[1024], uart_name[32];

static void line_out(const char *name, const char *line, void *ctx)
{
    (void)ctx;
    strcpy(uart_name, name);
    strcpy(uart_line, line);
}

START_TEST(uart_lines_are_escaped)
{
    struct uart16550 u;
    memset(&u, 0, sizeof u);
    strcpy(u.name, "uart");
    u.line_out = line_out;
    const char *bytes = "fine\rroot: forged \x1b[31mred\n";
    for (const char *c = bytes; *c; c++)
        uart16550_access(&u, 0, 1, (uint8_t)*c);
    ck_assert_str_eq(uart_name, "uart");
    ck_assert_str_eq(uart_line, "fine\\x0droot: forged \\x1b[31mred");
    ck_assert_uint_eq(u.lines, 1);
    ck_assert_uint_eq(u.bytes_out, strlen(bytes));
    /* CR LF ends a line; a CR elsewhere stays visible. */
    const char *crlf = "a\rb\r\n";
    for (const char *c = crlf; *c; c++)
        uart16550_access(&u, 0, 1, (uint8_t)*c);
    ck_assert_str_eq(uart_line, "a\\x0db");
    ck_assert_uint_eq(u.lines, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("console_text");
    TCase *t = tcase_create("escaped");
    tcase_add_test(t, ordinary_lines_are_unchanged);
    tcase_add_test(t, escape_sequence_is_shown_not_sent);
    tcase_add_test(t, forged_lines_keep_the_prefix);
    tcase_add_test(t, high_bytes_nul_and_backslash);
    tcase_add_test(t, long_escaped_line_is_cut_to_the_shown_width);
    tcase_add_test(t, name_is_escaped_too);
    tcase_add_test(t, uart_lines_are_escaped);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
