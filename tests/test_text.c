/*
 * test_text.c: the one text module: fitting and cutting by terminal
 * columns (not bytes, not code points), ASCII stand-ins, wrapping at
 * spaces, ages, and the ASCII stream that holds a character split
 * across writes.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "text.h"

static void
test_fit_columns(void **state)
{
	char	buf[64];

	(void)state;
	/* U+4E2D is two columns, U+00F3 one: 6 columns, 9 bytes. */
	assert_int_equal(text_cols("Le\xc3\xb3n \xe4\xb8\xad", 1), 7);
	assert_int_equal(text_fit("Le\xc3\xb3n \xe4\xb8\xad", 1, 6, buf,
	    sizeof buf), 5);
	assert_string_equal(buf, "Le\xc3\xb3n ");
	/* ASCII: stand-ins whole or not at all. */
	assert_int_equal(text_fit("Le\xc3\xb3n \xc2\xa9", 0, 80, buf,
	    sizeof buf), 8);
	assert_string_equal(buf, "Leon (c)");
	assert_int_equal(text_fit("ab\xc2\xa9", 0, 4, buf, sizeof buf), 2);
	assert_string_equal(buf, "ab");
	/* A control character never reaches a sink. */
	text_fit("a\x1b[31mb", 1, 80, buf, sizeof buf);
	assert_null(strchr(buf, 0x1b));
}

static void
test_cut(void **state)
{
	char	buf[64];

	(void)state;
	assert_int_equal(text_cut("Bravo Sector Long Name", 1, 10, buf,
	    sizeof buf), 10);
	assert_string_equal(buf, "Bravo Sec\xe2\x80\xa6");
	assert_int_equal(text_cut("Bravo Sector Long Name", 0, 10, buf,
	    sizeof buf), 10);
	assert_string_equal(buf, "Bravo Sec~");
	/* What fits is not marked. */
	assert_int_equal(text_cut("Bravo", 0, 10, buf, sizeof buf), 5);
	assert_string_equal(buf, "Bravo");
}

struct lines {
	char	v[8][64];
	int	n;
};

static void
collect(const char *line, void *arg)
{
	struct lines	*l = arg;

	snprintf(l->v[l->n++], sizeof l->v[0], "%s", line);
}

static void
test_wrap(void **state)
{
	struct lines	l;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("go to a sector: type its code, Enter", 1,
	    16, 2, collect, &l), 3);
	assert_string_equal(l.v[0], "go to a sector:");
	assert_string_equal(l.v[1], "  type its code,");
	assert_string_equal(l.v[2], "  Enter");
	/* Columns, not bytes: "Le\u00f3n" is 4 columns. */
	memset(&l, 0, sizeof l);
	assert_int_equal(text_wrap("Nuevo Le\xc3\xb3n Nuevo Le\xc3\xb3n", 1,
	    10, 0, collect, &l), 2);
	assert_string_equal(l.v[0], "Nuevo Le\xc3\xb3n");
}

static void
test_age(void **state)
{
	char	buf[16];

	(void)state;
	text_age(35, buf, sizeof buf);
	assert_string_equal(buf, "35s");
	text_age(725, buf, sizeof buf);
	assert_string_equal(buf, "12m05");
	text_age(3 * 3600 + 300, buf, sizeof buf);
	assert_string_equal(buf, "3h05");
	text_age(2 * 86400 + 5, buf, sizeof buf);
	assert_string_equal(buf, "2d");
	text_age(NAN, buf, sizeof buf);
	assert_string_equal(buf, "-");
}

/* A character split between two writes comes out whole, in ASCII. */
/* Columns as a UTF-8 terminal counts them, whatever our locale: wide
   characters two, combining marks and joiners none. */
static void
test_cols(void **state)
{
	(void)state;
	assert_int_equal(text_cols("Nogales", 1), 7);
	assert_int_equal(text_cols("\xe5\xb7\xa1\xe9\x80\xbb", 1), 4);
	assert_int_equal(text_cols("e\xcc\x81", 1), 1);
	assert_int_equal(text_cols("a\xe2\x80\x8d" "b", 1), 2);
	assert_int_equal(text_cols("Nuevo Le\xc3\xb3n", 1), 10);
	assert_int_equal(text_cols("\xf0\x9f\x9a\x93", 1), 2);
	/* In ASCII each stand-in takes its bytes. */
	assert_int_equal(text_cols("\xe5\xb7\xa1\xc2\xa9", 0), 4);
}

/* A table cell: cut with the marker, padded to its width by columns. */
static void
test_cell(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	/* Two wide characters fit 5 columns with one blank... */
	assert_int_equal(text_cell(f, "\xe5\xb7\xa1\xe9\x80\xbb", 1, 5, 1),
	    5);
	fputc('|', f);
	/* ...three do not: two and the marker. */
	assert_int_equal(text_cell(f, "\xe5\xb7\xa1\xe9\x80\xbb\xe5\xb7\xa1",
	    1, 5, 1), 5);
	fputc('|', f);
	assert_int_equal(text_cell(f, "Nuevo Le\xc3\xb3n", 0, 7, 0), 7);
	fputc('|', f);
	assert_int_equal(text_cell(f, "ab", 0, 4, 0), 2);
	fclose(f);
	assert_string_equal(buf, "\xe5\xb7\xa1\xe9\x80\xbb |\xe5\xb7\xa1"
	    "\xe9\x80\xbb\xe2\x80\xa6|Nuevo ~|ab");
	free(buf);
}

/* Times of day, for the text sinks (durations: test_handover.c). */
static void
test_hms(void **state)
{
	char	buf[32];

	(void)state;
	text_hms(1795831200.7, buf, sizeof buf);	/* 2026-11-28 */
	assert_string_equal(buf, "02:00:00");
	text_hms(INFINITY, buf, sizeof buf);
	assert_string_equal(buf, "--:--:--");
}

static void
test_stream(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*mem, *s;

	(void)state;
	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	s = text_stream(mem, 0);
	assert_true(s != mem);
	fputs("Le\xc3", s);
	fflush(s);
	fputs("\xb3n\t\xc2\xa9 2026\n", s);
	fclose(s);
	fclose(mem);
	assert_string_equal(buf, "Leon\t(c) 2026\n");
	free(buf);
	/* A UTF-8 sink gets the stream itself. */
	assert_true(text_stream(stdout, 1) == stdout);
}

/* JSON made ASCII: BMP characters as one escape, others as a surrogate
   pair; ASCII, quotes and existing escapes untouched. */
static void
test_json_ascii(void **state)
{
	const char	*in = "{\"n\":\"Le\303\263n \342\200\223 "
			    "\360\237\232\223 \\\"x\\\"\"}";
	char		*out;
	size_t		 len;

	(void)state;
	out = text_json_ascii(in, strlen(in), &len);
	assert_string_equal(out, "{\"n\":\"Le\\u00f3n \\u2013 "
	    "\\ud83d\\ude93 \\\"x\\\"\"}");
	assert_int_equal(len, strlen(out));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_columns),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_cols),
		cmocka_unit_test(test_cell),
		cmocka_unit_test(test_hms),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_json_ascii),
	};

	setlocale(LC_CTYPE, "C");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
