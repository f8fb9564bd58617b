/*
 * text.h: one place that fits text to a sink by terminal columns.
 *
 * Every sink (the curses screen, --watch, the text report, messages on
 * stderr) shows text through these functions: cut by display columns
 * (wcwidth in a UTF-8 locale, whatever the program's locale), never by
 * bytes or code points; ASCII only when the sink cannot take UTF-8 (a
 * non-UTF-8 locale or --ascii), common letters and signs transliterated
 * (U+00F3 -> "o", U+00A9 -> "(c)", U+2013 -> "-"), anything else '?'.
 * Ages are formatted here too, so that every sink says "12m05" alike.
 */
#ifndef BORDERCOP_TEXT_H
#define BORDERCOP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Whether the C library's character type takes UTF-8 now (call after
   setlocale(LC_CTYPE, "")): if not, sinks get ASCII. */
int	 text_locale_utf8(void);

/*
 * Copy at most maxcols columns of the clean UTF-8 string s into buf (len
 * bytes with the NUL) as the sink shows it: UTF-8 when utf8, else ASCII.
 * A character that does not fit whole is left out (a stand-in such as
 * "(c)" too); controls and unprintable characters become '?', joiners
 * and selectors are dropped.  Returns the columns written.
 */
int	 text_fit(const char *s, int utf8, int maxcols, char *buf,
	    size_t len);
/* Columns s takes in the sink. */
int	 text_cols(const char *s, int utf8);
/* As text_fit(), but text that does not fit ends with a marker (U+2026,
   or '~' in ASCII) so that a reader knows there is more. */
int	 text_cut(const char *s, int utf8, int maxcols, char *buf,
	    size_t len);
/*
 * Wrap s at its spaces into lines of at most width columns (a word longer
 * than a line is cut with the marker); each line after the first starts
 * with hang blanks.  line() is called for each, in the sink's form.
 * Returns the number of lines.
 */
int	 text_wrap(const char *s, int utf8, int width, int hang,
	    void (*line)(const char *, void *), void *arg);
/* An age: "35s", "12m05", "3h05", "2d" (at most 5 columns); "-" if not
   finite. */
void	 text_age(double s, char *buf, size_t len);
/* The UTC time of day of epoch t: "02:00:00"; "--:--:--" if none. */
void	 text_hms(double t, char *buf, size_t len);
/*
 * Write s to f as a cell of a table: cut to width columns with the
 * marker (text_cut()), then, if pad, filled with blanks to width.
 * Returns the columns written.
 */
int	 text_cell(FILE *f, const char *s, int utf8, int width, int pad);
/* Write s to f as the sink shows it (no column limit). */
int	 text_fputs(const char *s, int utf8, FILE *f);
/* printf to f through text_fputs(): ASCII when !utf8. */
int	 text_fprintf(FILE *f, int utf8, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A stream that writes to f what the sink shows: f itself when utf8,
 * else a stream that turns UTF-8 into ASCII as text_fit() does (a
 * character split across writes is held until it is whole).  Closing it
 * flushes it and leaves f open.  For --watch and the text report under
 * a locale without UTF-8.
 */
FILE	*text_stream(FILE *f, int utf8);

/* A duration in words for reports: "40 s", "14 min", "2 h 05 min"
   (rounded to the second, then down to the minute); "0 s" if not
   finite or negative. */
void	 text_dur(double s, char *buf, size_t len);

/* JSON text s of len bytes with every non-ASCII character as its \u
   escape (the same value; for a locale without UTF-8): a new string of
   *outlen bytes, to be freed. */
char	*text_json_ascii(const char *s, size_t len, size_t *outlen);

#endif
