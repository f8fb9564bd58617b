/*
 * test_util.c: string cleaning and RFC 3339 times.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

#define FFFD	"\xef\xbf\xbd"

/* Clean a literal of explicit length into a large buffer. */
static const char *
clean(const char *s, size_t n)
{
	static char	buf[256];

	str_clean(buf, sizeof buf, s, n);
	assert_true(str_is_clean(buf));
	return (buf);
}

#define CLEAN(lit)	clean(lit, sizeof(lit) - 1)

static void
test_clean_plain(void **state)
{
	assert_string_equal(CLEAN("TCA-42"), "TCA-42");
	assert_string_equal(CLEAN("Agua Prieta \xc3\xb1 \xe2\x82\xac"),
	    "Agua Prieta \xc3\xb1 \xe2\x82\xac");
	assert_string_equal(CLEAN("\xf0\x9f\x9a\x93"), "\xf0\x9f\x9a\x93");
	assert_string_equal(CLEAN(""), "");
	assert_string_equal(CLEAN(FFFD), FFFD);
}

static void
test_clean_csi(void **state)
{
	assert_string_equal(CLEAN("\x1b[31mRED\x1b[0m"), "RED");
	assert_string_equal(CLEAN("a\x1b[1;33;44mb"), "ab");
	assert_string_equal(CLEAN("x\x1b[2J\x1b[Hy"), "xy");
	assert_string_equal(CLEAN("x\x1b[?1049hy"), "xy");
	/* 8-bit CSI, encoded as U+009B, and as a raw byte. */
	assert_string_equal(CLEAN("a\xc2\x9b" "31mb"), "ab");
	assert_string_equal(CLEAN("a\x9b" "31mb"), "a" FFFD "31mb");
	/* Unterminated CSI at the end. */
	assert_string_equal(CLEAN("abc\x1b[12;3"), "abc");
	assert_string_equal(CLEAN("abc\x1b"), "abc");
}

static void
test_clean_osc(void **state)
{
	assert_string_equal(CLEAN("a\x1b]0;pwned\x07" "b"), "ab");
	assert_string_equal(CLEAN("a\x1b]2;title\x1b\\b"), "ab");
	assert_string_equal(CLEAN("a\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\"),
	    "alink");
	assert_string_equal(CLEAN("a\xc2\x9d" "0;t\xc2\x9c" "b"), "ab");
	/* DCS, APC, PM, SOS strings. */
	assert_string_equal(CLEAN("a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
	assert_string_equal(CLEAN("a\x1b_secret\x1b\\b"), "ab");
	assert_string_equal(CLEAN("a\x1b^pm\x07" "b"), "ab");
	assert_string_equal(CLEAN("a\x1bXsos\x1b\\b"), "ab");
	/* Unterminated: swallowed to the end, as a terminal would. */
	assert_string_equal(CLEAN("a\x1b]0;never ends"), "a");
	/* An ESC inside ends the string and starts its own sequence. */
	assert_string_equal(CLEAN("a\x1b]0;t\x1b[31mb"), "ab");
}

static void
test_clean_two_byte_escapes(void **state)
{
	assert_string_equal(CLEAN("a\x1b" "cb"), "ab");		/* RIS */
	assert_string_equal(CLEAN("a\x1b" "7b\x1b" "8"), "ab");
	assert_string_equal(CLEAN("a\x1b(0qqq\x1b(B"), "aqqq");
	assert_string_equal(CLEAN("a\x1b#8"), "a");
}

static void
test_clean_controls(void **state)
{
	assert_string_equal(CLEAN("a\tb\nc\rd"), "a b c d");
	assert_string_equal(CLEAN("a\x07\x08\x01\x7f" "b"), "ab");
	assert_string_equal(CLEAN("a\x00" "b"), "ab");
	/* C1 as UTF-8 (U+0085 NEL, U+0080, U+0099). */
	assert_string_equal(CLEAN("a\xc2\x85\xc2\x80\xc2\x99" "b"), "ab");
	/* U+009F APC starts a string that runs to ST. */
	assert_string_equal(CLEAN("a\xc2\x9fhidden\xc2\x9c" "b"), "ab");
	/* Line and paragraph separators become spaces. */
	assert_string_equal(CLEAN("a\xe2\x80\xa8" "b"), "a b");
	/* Bidi overrides and isolates. */
	assert_string_equal(CLEAN("a\xe2\x80\xae" "cba\xe2\x80\xac"), "acba");
	assert_string_equal(CLEAN("\xe2\x81\xa6x\xe2\x81\xa9"), "x");
	/* Invisible format characters: zero-width joiner and space, a
	   variation selector, the byte order mark, a tag. */
	assert_string_equal(CLEAN("a\xe2\x80\x8d" "b\xe2\x80\x8b" "c"),
	    "abc");
	assert_string_equal(CLEAN("\xe2\x99\x80\xef\xb8\x8f" "d"),
	    "\xe2\x99\x80" "d");
	assert_string_equal(CLEAN("\xef\xbb\xbf" "e\xf3\xa0\x81\x81"), "e");
	/* Combining marks stay: they are letters' accents. */
	assert_string_equal(CLEAN("e\xcc\x81"), "e\xcc\x81");
}

static void
test_clean_invalid_utf8(void **state)
{
	/* Overlong "/" (C0 AF): two ill-formed subparts. */
	assert_string_equal(CLEAN("a\xc0\xaf" "b"), "a" FFFD FFFD "b");
	/* Overlong 3-byte NUL and 4-byte. */
	assert_string_equal(CLEAN("\xe0\x80\x80"), FFFD FFFD FFFD);
	assert_string_equal(CLEAN("\xf0\x80\x80\xaf"), FFFD FFFD FFFD FFFD);
	/* Surrogates U+D800 and U+DFFF. */
	assert_string_equal(CLEAN("\xed\xa0\x80"), FFFD FFFD FFFD);
	assert_string_equal(CLEAN("\xed\xbf\xbf"), FFFD FFFD FFFD);
	/* Above U+10FFFF, F5..FF. */
	assert_string_equal(CLEAN("\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD);
	assert_string_equal(CLEAN("\xf5\xff"), FFFD FFFD);
	/* Lone continuation bytes. */
	assert_string_equal(CLEAN("\x80\xbf"), FFFD FFFD);
	/* Truncated sequences: one U+FFFD for the maximal prefix. */
	assert_string_equal(CLEAN("a\xe2\x82"), "a" FFFD);
	assert_string_equal(CLEAN("a\xe2\x82z"), "a" FFFD "z");
	assert_string_equal(CLEAN("a\xf0\x9f\x9a"), "a" FFFD);
	assert_string_equal(CLEAN("a\xc3"), "a" FFFD);
}

static void
test_clean_truncation(void **state)
{
	char	buf[8];
	size_t	n;

	/* "ab" + e-acute fits in 5 bytes: 7 available. */
	n = str_clean(buf, sizeof buf, "abcde\xc3\xa9z", 8);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "abcde\xc3\xa9");
	/* The euro sign does not fit after six bytes: cut before it. */
	n = str_clean(buf, sizeof buf, "abcdef\xe2\x82\xac", 9);
	assert_int_equal(n, 6);
	assert_string_equal(buf, "abcdef");
	/* A 4-byte character never half-written. */
	n = str_clean(buf, 4, "\xf0\x9f\x9a\x93", 4);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
	n = str_clean(buf, 1, "abc", 3);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
	/* srclen bounds the input: no read past it. */
	n = str_clean(buf, sizeof buf, "abcdef", 2);
	assert_string_equal(buf, "ab");
	assert_true(str_is_clean(buf));
}

static void
test_clean_every_byte(void **state)
{
	char	src[4096], dst[8192];
	size_t	i;

	/* Every byte value, in pseudo-random order, gives clean output. */
	for (i = 0; i < sizeof src; i++)
		src[i] = (char)((i * 7919 + i / 256) & 0xff);
	str_clean(dst, sizeof dst, src, sizeof src);
	assert_true(str_is_clean(dst));
	assert_null(strchr(dst, 0x1b));
}

static void
test_is_clean(void **state)
{
	assert_true(str_is_clean("TCA-42 \xc3\xb1"));
	assert_true(str_is_clean(""));
	assert_false(str_is_clean("a\x1b[31m"));
	assert_false(str_is_clean("a\tb"));
	assert_false(str_is_clean("a\x7f"));
	assert_false(str_is_clean("a\xc2\x85"));
	assert_false(str_is_clean("a\xc0\xaf"));
	assert_false(str_is_clean("a\xed\xa0\x80"));
	assert_false(str_is_clean("a\xe2\x80\xae"));
	assert_false(str_is_clean("a\xe2\x82"));
}

static void
assert_time(const char *s, double want)
{
	double	t = -1;

	if (time_parse_rfc3339(s, &t) != 0)
		fail_msg("rejected: %s", s);
	if (fabs(t - want) > 1e-6)
		fail_msg("%s: got %.6f want %.6f", s, t, want);
}

static void
assert_bad_time(const char *s)
{
	double	t;

	if (time_parse_rfc3339(s, &t) == 0)
		fail_msg("accepted: %s", s);
}

static void
test_rfc3339_good(void **state)
{
	assert_time("1970-01-01T00:00:00Z", 0);
	assert_time("2026-11-28T02:00:00Z", 1795831200);
	assert_time("2026-11-28t02:00:00z", 1795831200);
	assert_time("2026-11-28 02:00:00Z", 1795831200);
	assert_time("2026-11-27T19:00:00-07:00", 1795831200);
	assert_time("2026-11-28T03:30:00+01:30", 1795831200);
	assert_time("2026-11-28T02:00:00.25Z", 1795831200.25);
	assert_time("2026-11-28T02:00:00.123456789Z", 1795831200.123456789);
	assert_time("2000-02-29T00:00:00Z", 951782400);
	assert_time("2024-02-29T12:00:00Z", 1709208000);
	assert_time("1969-12-31T23:59:59Z", -1);
	assert_time("1900-03-01T00:00:00Z", -2203891200);
	/* A leap second is held at :59. */
	assert_time("2016-12-31T23:59:60Z", 1483228799);
	assert_time("9999-12-31T23:59:59Z", 253402300799);
	assert_time("0000-01-01T00:00:00Z", -62167219200);
}

static void
test_rfc3339_bad(void **state)
{
	double	t;

	assert_bad_time("");
	assert_bad_time("2026-11-28");
	assert_bad_time("2026-11-28T02:00:00");		/* no offset */
	assert_bad_time("2026-11-28T02:00Z");
	assert_bad_time("2026-11-28X02:00:00Z");
	assert_bad_time("2026-13-01T00:00:00Z");
	assert_bad_time("2026-00-01T00:00:00Z");
	assert_bad_time("2026-11-31T00:00:00Z");
	assert_bad_time("2026-11-00T00:00:00Z");
	assert_bad_time("2026-02-29T00:00:00Z");		/* not leap */
	assert_bad_time("1900-02-29T00:00:00Z");		/* not leap */
	assert_bad_time("2026-11-28T24:00:00Z");
	assert_bad_time("2026-11-28T23:60:00Z");
	assert_bad_time("2026-11-28T23:59:61Z");
	assert_bad_time("2026-11-28T02:00:00.Z");
	assert_bad_time("2026-11-28T02:00:00+7:00");
	assert_bad_time("2026-11-28T02:00:00+07:60");
	assert_bad_time("2026-11-28T02:00:00+24:00");
	assert_bad_time("2026-11-28T02:00:00+0700");
	assert_bad_time("2026-11-28T02:00:00Z ");
	assert_bad_time(" 2026-11-28T02:00:00Z");
	assert_bad_time("26-11-28T02:00:00Z");
	assert_bad_time("2026-1-28T02:00:00Z");
	assert_bad_time("+2026-11-28T02:00:00Z");
	assert_bad_time("2026-11-28T02:00:00ZZ");
	assert_bad_time("1795831200");
	assert_int_equal(time_parse_rfc3339(NULL, &t), -1);
}

static void
test_rfc3339_format(void **state)
{
	char	buf[32];
	double	t;

	time_format_rfc3339(1795831200, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T02:00:00Z");
	time_format_rfc3339(1795831200.9, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28T02:00:00Z");
	time_format_rfc3339(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	time_format_rfc3339(951782400, buf, sizeof buf);
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
	time_format_rfc3339(NAN, buf, sizeof buf);
	assert_string_equal(buf, "-");
	/* Round trip over four centuries, every 9999999 s. */
	for (t = -6e9; t < 7e9; t += 9999999) {
		double	back;

		time_format_rfc3339(t, buf, sizeof buf);
		assert_int_equal(time_parse_rfc3339(buf, &back), 0);
		assert_true(back == floor(t));
	}
}

/* A cut error message never ends inside a UTF-8 character. */
static void
test_why_cut_at_character(void **state)
{
	char	why[8];

	/* "abcde" + U+00E9 (2 bytes) + "x": the buffer holds 7 bytes. */
	bc_why(why, sizeof why, "abcde\xc3\xa9x");
	assert_string_equal(why, "abcde\xc3\xa9");
	/* "abcdef" + U+00E9: only its first byte would fit. */
	bc_why(why, sizeof why, "abcdef\xc3\xa9");
	assert_string_equal(why, "abcdef");
	/* A 3-byte character cut after 2 bytes. */
	bc_why(why, sizeof why, "abcde\xe2\x80\x93");
	assert_string_equal(why, "abcde");
	assert_true(str_is_clean(why));
	/* Plain ASCII is cut as before. */
	bc_why(why, sizeof why, "%s", "0123456789");
	assert_string_equal(why, "0123456");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_plain),
		cmocka_unit_test(test_clean_csi),
		cmocka_unit_test(test_clean_osc),
		cmocka_unit_test(test_clean_two_byte_escapes),
		cmocka_unit_test(test_clean_controls),
		cmocka_unit_test(test_clean_invalid_utf8),
		cmocka_unit_test(test_clean_truncation),
		cmocka_unit_test(test_clean_every_byte),
		cmocka_unit_test(test_is_clean),
		cmocka_unit_test(test_rfc3339_good),
		cmocka_unit_test(test_rfc3339_bad),
		cmocka_unit_test(test_rfc3339_format),
		cmocka_unit_test(test_why_cut_at_character),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
