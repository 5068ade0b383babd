/* SPDX-License-Identifier: MIT */
/* printf-style formatting and command-line parsing used by the hypervisor. */
#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "../../lib/cmdline.h"
#include "../../lib/format.h"

static char buf[128];

/* No format attribute: lets the tests pass what the compiler would reject. */
static int unchecked_format(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_buffer(out, size, fmt, ap);
    va_end(ap);
    return n;
}

START_TEST(integers_and_widths)
{
    format_string(buf, sizeof buf, "%d|%5d|%-5d|%05d|%u", -42, 7, 7, 42, 3000000000u);
    ck_assert_str_eq(buf, "-42|    7|7    |00042|3000000000");
    format_string(buf, sizeof buf, "%x|%X|%08llx|%lu|%zu", 0xbeefu, 0xbeefu,
                  0x1234ull, 18446744073709551615ul, (size_t)12);
    ck_assert_str_eq(buf, "beef|BEEF|00001234|18446744073709551615|12");
    format_string(buf, sizeof buf, "%lld", (long long)-9223372036854775807ll - 1);
    ck_assert_str_eq(buf, "-9223372036854775808");
}
END_TEST

START_TEST(strings_chars_and_pointers)
{
    format_string(buf, sizeof buf, "[%s][%6s][%-4s][%c][%%][%p]", "ab", "cd", "e",
                  'z', (void *)0x1000);
    ck_assert_str_eq(buf, "[ab][    cd][e   ][z][%][0x1000]");
    unchecked_format(buf, sizeof buf, "%s", (char *)NULL);
    ck_assert_str_eq(buf, "(null)");
}
END_TEST

START_TEST(output_is_cut_and_terminated)
{
    char small[6];
    int n = format_string(small, sizeof small, "%s", "abcdefgh");
    ck_assert_int_eq(n, 8);
    ck_assert_str_eq(small, "abcde");
}
END_TEST

START_TEST(unknown_conversion_is_printed_literally)
{
    unchecked_format(buf, sizeof buf, "a%qb");
    ck_assert_str_eq(buf, "a%qb");
}
END_TEST

START_TEST(command_line_words_and_values)
{
    const char *cl = "partita.elf test=null-calls  verbose emu=bochs";
    char v[16];
    ck_assert(cmdline_has(cl, "verbose"));
    ck_assert(cmdline_has(cl, "test"));
    ck_assert(!cmdline_has(cl, "verb"));
    ck_assert(!cmdline_has(cl, "null-calls"));
    ck_assert(cmdline_value(cl, "test", v, sizeof v));
    ck_assert_str_eq(v, "null-calls");
    ck_assert(cmdline_value(cl, "emu", v, sizeof v));
    ck_assert_str_eq(v, "bochs");
    ck_assert(!cmdline_value(cl, "verbose", v, sizeof v));
    ck_assert(!cmdline_value(cl, "missing", v, sizeof v));
    ck_assert(cmdline_value(cl, "test", v, 5));
    ck_assert_str_eq(v, "null");
    ck_assert(!cmdline_has("", "x"));
}
END_TEST

/* A partition's text for the console: printable ASCII and tab as is,
 * everything that could end a line, move the cursor or start an escape
 * sequence as \xNN, a backslash doubled (so "\x1b" typed by a child is
 * told apart from an escaped ESC). */
START_TEST(escaping_partition_text)
{
    char out[64];
    const char in[] = "a\tb\r\n\x1b[1m\\\x7f\x80\xff\0z";
    ck_assert_uint_eq(format_escape(out, sizeof out, in, sizeof in - 1), sizeof in - 1);
    ck_assert_str_eq(out, "a\tb\\x0d\\x0a\\x1b[1m\\\\\\x7f\\x80\\xff\\x00z");
    for (const char *c = out; *c; c++)
        ck_assert((*c >= 0x20 && *c < 0x7f) || *c == '\t');
    /* every byte value: nothing outside printable ASCII and tab comes out */
    char all[256], big[1025];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    ck_assert_uint_eq(format_escape(big, sizeof big, all, sizeof all), 256);
    for (const char *c = big; *c; c++)
        ck_assert((*c >= 0x20 && *c < 0x7f) || *c == '\t');
}
END_TEST

/* Cut at the buffer's end, never inside an escape; the return value
 * says how many source bytes made it. */
START_TEST(escaping_is_cut_between_escapes)
{
    char out[8];
    ck_assert_uint_eq(format_escape(out, sizeof out, "ab\x1b\x1b", 4), 3);
    ck_assert_str_eq(out, "ab\\x1b"); /* 6 chars: a second escape does not fit */
    ck_assert_uint_eq(format_escape(out, 3, "\x01", 1), 0);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(format_escape(out, 1, "x", 1), 0);
    ck_assert_str_eq(out, "");
    out[0] = 'q';
    ck_assert_uint_eq(format_escape(out, 0, "x", 1), 0);
    ck_assert_int_eq(out[0], 'q'); /* size 0: nothing written */
    ck_assert_uint_eq(format_escape(out, sizeof out, "", 0), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("format");
    TCase *t = tcase_create("core");
    tcase_add_test(t, integers_and_widths);
    tcase_add_test(t, strings_chars_and_pointers);
    tcase_add_test(t, output_is_cut_and_terminated);
    tcase_add_test(t, unknown_conversion_is_printed_literally);
    tcase_add_test(t, command_line_words_and_values);
    tcase_add_test(t, escaping_partition_text);
    tcase_add_test(t, escaping_is_cut_between_escapes);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
