/*
 * text.c: fitting, cutting, wrapping and ages for every sink, by terminal
 * columns (see text.h).
 *
 * Widths come from wcwidth() under a C.UTF-8 locale of our own, so that
 * a program whose locale is "C" still counts what a UTF-8 terminal shows;
 * in ASCII each stand-in takes one column a byte.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <wchar.h>

#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define TEXT_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */

int
text_locale_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return (cs != NULL && strcmp(cs, "UTF-8") == 0);
}

/* Decode one UTF-8 character (input is clean); returns its length. */
static int
text_next(const char *s, uint32_t *wc)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*wc = u[0];
		return (1);
	}
	if ((u[0] & 0xe0) == 0xc0 && u[1] != 0) {
		*wc = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		return (2);
	}
	if ((u[0] & 0xf0) == 0xe0 && u[1] != 0 && u[2] != 0) {
		*wc = ((uint32_t)(u[0] & 0x0f) << 12) |
		    ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
		return (3);
	}
	if ((u[0] & 0xf8) == 0xf0 && u[1] != 0 && u[2] != 0 && u[3] != 0) {
		*wc = ((uint32_t)(u[0] & 0x07) << 18) |
		    ((uint32_t)(u[1] & 0x3f) << 12) |
		    ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
		return (4);
	}
	*wc = 0xfffd;
	return (1);
}

/* wcwidth() of wc as a UTF-8 terminal counts it, whatever our locale. */
static int
text_wcwidth(uint32_t wc)
{
	static locale_t	l;
	static int	tried;
	locale_t	old;
	int		w;

	if (!tried) {
		tried = 1;
		l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (l == (locale_t)0)
		return (wcwidth((wchar_t)wc));
	old = uselocale(l);
	w = wcwidth((wchar_t)wc);
	uselocale(old);
	return (w);
}

/* ASCII for U+00C0 to U+00FF: the letters of Spanish, French, German... */
static const char *const text_latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C",	/* C0 */
	"E", "E", "E", "E", "I", "I", "I", "I",		/* C8 */
	"D", "N", "O", "O", "O", "O", "O", "x",		/* D0 */
	"O", "U", "U", "U", "U", "Y", "Th", "ss",	/* D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* E8 */
	"d", "n", "o", "o", "o", "o", "o", "/",		/* F0 */
	"o", "u", "u", "u", "u", "y", "th", "y"		/* F8 */
};

/* ASCII for the other characters that names and attributions carry. */
static const struct {
	uint32_t	 wc;
	const char	*ascii;
} text_translit[] = {
	{ 0x00a0, " " }, { 0x00a1, "!" }, { 0x00a9, "(c)" },
	{ 0x00aa, "a" }, { 0x00ab, "<<" }, { 0x00ad, "-" },
	{ 0x00ae, "(R)" }, { 0x00b0, "deg" }, { 0x00b1, "+-" },
	{ 0x00b2, "2" }, { 0x00b3, "3" }, { 0x00b4, "'" },
	{ 0x00b5, "u" }, { 0x00b7, "." }, { 0x00b9, "1" },
	{ 0x00ba, "o" }, { 0x00bb, ">>" }, { 0x00bc, "1/4" },
	{ 0x00bd, "1/2" }, { 0x00be, "3/4" }, { 0x00bf, "?" },
	{ 0x0131, "i" }, { 0x0152, "OE" }, { 0x0153, "oe" },
	{ 0x0160, "S" }, { 0x0161, "s" }, { 0x0178, "Y" },
	{ 0x017d, "Z" }, { 0x017e, "z" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2015, "-" },
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201a, "'" },
	{ 0x201b, "'" }, { 0x201c, "\"" }, { 0x201d, "\"" },
	{ 0x201e, "\"" }, { 0x2022, "*" }, { 0x2026, "..." },
	{ 0x2032, "'" }, { 0x2033, "\"" }, { 0x2190, "<-" },
	{ 0x2192, "->" }, { 0x2212, "-" }, { 0x2248, "~" },
	{ 0x2264, "<=" }, { 0x2265, ">=" }
};

/* What a non-ASCII character shows as in ASCII ('?' if unknown). */
static const char *
text_ascii(uint32_t wc)
{
	size_t	i;

	if (wc >= 0xc0 && wc <= 0xff)
		return (text_latin1[wc - 0xc0]);
	for (i = 0; i < sizeof text_translit / sizeof text_translit[0]; i++)
		if (text_translit[i].wc == wc)
			return (text_translit[i].ascii);
	return ("?");
}

int
text_fit(const char *s, int utf8, int maxcols, char *buf, size_t len)
{
	const char	*t;
	size_t		 o = 0, tl;
	int		 cols = 0, n, w;
	uint32_t	 wc;

	if (len == 0)
		return (0);
	while (s != NULL && *s != '\0' && cols < maxcols) {
		n = text_next(s, &wc);
		t = NULL;
		w = 1;
		if (wc >= 0x80 && utf8_is_invisible(wc)) {
			/* Joiners and selectors: ncurses and the terminal
			   would not agree on the columns of what they join. */
			s += n;
			continue;
		}
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			t = "?";
		else if (wc >= 0x80 && !utf8)
			t = text_ascii(wc);
		else if (wc >= 0x1f1e6 && wc <= 0x1f1ff)
			t = "?";	/* regional indicators: flags */
		else if (wc >= 0x80 && (w = text_wcwidth(wc)) < 0)
			t = "?";
		else if (w == 0 && o == 0) {
			/* A combining mark with nothing to combine with. */
			s += n;
			continue;
		}
		if (t != NULL) {
			/* A stand-in: ASCII, one column a byte. */
			tl = strlen(t);
			w = (int)tl;
		} else {
			t = s;
			tl = (size_t)n;
		}
		if (cols + w > maxcols || o + tl >= len)
			break;
		memcpy(buf + o, t, tl);
		o += tl;
		cols += w;
		s += n;
	}
	buf[o] = '\0';
	return (cols);
}

int
text_cols(const char *s, int utf8)
{
	char	*buf;
	size_t	 len;
	int	 cols;

	if (s == NULL)
		return (0);
	/* At most 3 bytes of ASCII a byte ("(c)"), or the same bytes. */
	len = strlen(s) * 3 + 1;
	buf = xmalloc(len);
	cols = text_fit(s, utf8, 1 << 30, buf, len);
	free(buf);
	return (cols);
}

int
text_cut(const char *s, int utf8, int maxcols, char *buf, size_t len)
{
	int	cols;
	size_t	n;

	if (s == NULL || maxcols < 2 || text_cols(s, utf8) <= maxcols)
		return (text_fit(s, utf8, maxcols, buf, len));
	cols = text_fit(s, utf8, maxcols - 1, buf, len);
	n = strlen(buf);
	if (utf8 && n + sizeof TEXT_ELLIPSIS <= len) {
		memcpy(buf + n, TEXT_ELLIPSIS, sizeof TEXT_ELLIPSIS);
		cols++;
	} else if (!utf8 && n + 2 <= len) {
		memcpy(buf + n, "~", 2);
		cols++;
	}
	return (cols);
}

int
text_wrap(const char *s, int utf8, int width, int hang,
    void (*line)(const char *, void *), void *arg)
{
	char		 out[1024], word[512], fit[1024];
	const char	*p = s, *e;
	size_t		 o = 0, wl;
	int		 cols = 0, ww, nlines = 0, first = 1;

	if (width < hang + 4)
		width = hang + 4;
	out[0] = '\0';
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, ' ');
		wl = e != NULL ? (size_t)(e - p) : strlen(p);
		if (wl >= sizeof word)
			wl = sizeof word - 1;
		memcpy(word, p, wl);
		word[wl] = '\0';
		p += wl;
		ww = text_cols(word, utf8);
		if (cols > (first ? 0 : hang) && cols + 1 + ww > width) {
			line(out, arg);
			nlines++;
			first = 0;
			o = (size_t)snprintf(out, sizeof out, "%*s", hang, "");
			cols = hang;
		}
		if (cols > (first ? 0 : hang) && o + 1 < sizeof out) {
			out[o++] = ' ';
			out[o] = '\0';
			cols++;
		}
		ww = text_cut(word, utf8, width - cols, fit, sizeof fit);
		if (o + strlen(fit) < sizeof out) {
			memcpy(out + o, fit, strlen(fit) + 1);
			o += strlen(fit);
			cols += ww;
		}
	}
	if (cols > 0 || nlines == 0) {
		line(out, arg);
		nlines++;
	}
	return (nlines);
}

void
text_age(double s, char *buf, size_t len)
{
	long	t;

	if (!isfinite(s)) {
		snprintf(buf, len, "-");
		return;
	}
	t = s < 0 ? 0 : (long)s;
	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02ld", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, len, "%ldh%02ld", t / 3600, (t / 60) % 60);
	else
		snprintf(buf, len, "%ldd", t / 86400);
}

void
text_hms(double t, char *buf, size_t len)
{
	time_t		s;
	struct tm	tm;

	if (!isfinite(t) || fabs(t) > 1e15) {
		snprintf(buf, len, "--:--:--");
		return;
	}
	s = (time_t)floor(t);
	if (gmtime_r(&s, &tm) == NULL)
		snprintf(buf, len, "--:--:--");
	else
		strftime(buf, len, "%H:%M:%S", &tm);
}

int
text_cell(FILE *f, const char *s, int utf8, int width, int pad)
{
	char	*buf;
	size_t	 len;
	int	 cols;

	if (s == NULL)
		s = "";
	/* At most 3 bytes a byte (ASCII stand-ins), and the marker. */
	len = strlen(s) * 3 + 8;
	buf = xmalloc(len);
	cols = text_cut(s, utf8, width, buf, len);
	fputs(buf, f);
	free(buf);
	for (; pad && cols < width; cols++)
		fputc(' ', f);
	return (cols);
}

/* Text for a stream keeps its line breaks and tabs: only the rest is
   fitted, a line at a time. */
int
text_fputs(const char *s, int utf8, FILE *f)
{
	char		*buf;
	const char	*p, *e;
	size_t		 n, len;
	int		 r = 0;

	if (utf8)
		return (fputs(s, f));
	for (p = s; *p != '\0'; p = e) {
		e = p + strcspn(p, "\n\t");
		n = (size_t)(e - p);
		if (n > 0) {
			char	*piece = xmalloc(n + 1);

			memcpy(piece, p, n);
			piece[n] = '\0';
			len = n * 3 + 1;
			buf = xmalloc(len);
			text_fit(piece, 0, 1 << 30, buf, len);
			if (fputs(buf, f) == EOF)
				r = EOF;
			free(buf);
			free(piece);
		}
		if (*e != '\0') {
			if (fputc(*e, f) == EOF)
				r = EOF;
			e++;
		}
	}
	return (r);
}

int
text_fprintf(FILE *f, int utf8, const char *fmt, ...)
{
	va_list	 ap;
	char	*buf;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return (-1);
	if (text_fputs(buf, utf8, f) == EOF)
		n = -1;
	free(buf);
	return (n);
}

/* The state of an ASCII stream: the sink and a character cut short. */
struct text_cookie {
	FILE	*f;
	char	 part[4];
	size_t	 npart;
};

/* Bytes a UTF-8 sequence starting with byte c takes. */
static size_t
text_seq_len(unsigned char c)
{
	if (c < 0x80)
		return (1);
	if ((c & 0xe0) == 0xc0)
		return (2);
	if ((c & 0xf0) == 0xe0)
		return (3);
	if ((c & 0xf8) == 0xf0)
		return (4);
	return (1);
}

static ssize_t
text_cookie_write(void *arg, const char *buf, size_t size)
{
	struct text_cookie	*tc = arg;
	char			*s;
	size_t			 n = 0, i, k, whole;

	/* The held bytes, then what comes, cut after the last whole
	   character; the rest is held for the next write. */
	s = xmalloc(tc->npart + size + 1);
	memcpy(s, tc->part, tc->npart);
	memcpy(s + tc->npart, buf, size);
	n = tc->npart + size;
	s[n] = '\0';
	whole = n;
	for (i = n > 4 ? n - 4 : 0; i < n; i++) {
		k = text_seq_len((unsigned char)s[i]);
		if ((unsigned char)s[i] >= 0xc0 && i + k > n) {
			whole = i;
			break;
		}
	}
	tc->npart = n - whole;
	memcpy(tc->part, s + whole, tc->npart);
	s[whole] = '\0';
	/* A NUL in the data would end the text early: write past it. */
	for (i = 0; i < whole; i += strlen(s + i) + 1) {
		if (text_fputs(s + i, 0, tc->f) == EOF) {
			free(s);
			return (-1);
		}
		if (i + strlen(s + i) < whole)
			fputc('\0', tc->f);
	}
	free(s);
	/* A flush of this stream (a --watch frame) reaches the sink. */
	if (fflush(tc->f) != 0)
		return (-1);
	return ((ssize_t)size);
}

static int
text_cookie_close(void *arg)
{
	struct text_cookie	*tc = arg;
	int			 r;

	if (tc->npart > 0)
		fputc('?', tc->f);
	r = fflush(tc->f);
	free(tc);
	return (r == 0 ? 0 : EOF);
}

FILE *
text_stream(FILE *f, int utf8)
{
	cookie_io_functions_t	 io = { NULL, text_cookie_write, NULL,
				    text_cookie_close };
	struct text_cookie	*tc;
	FILE			*s;

	if (utf8)
		return (f);
	tc = xcalloc(1, sizeof *tc);
	tc->f = f;
	if ((s = fopencookie(tc, "w", io)) == NULL) {
		free(tc);
		return (f);
	}
	return (s);
}

void
text_dur(double s, char *buf, size_t len)
{
	long	t = isfinite(s) && s > 0 ? (long)floor(s + 0.5) : 0;

	if (t < 60)
		snprintf(buf, len, "%ld s", t);
	else if (t < 3600)
		snprintf(buf, len, "%ld min", t / 60);
	else
		snprintf(buf, len, "%ld h %02ld min", t / 3600,
		    (t % 3600) / 60);
}

/*
 * JSON text as ASCII: every character beyond ASCII (they are all inside
 * strings) written as its \u escape, a pair of surrogates above U+FFFF.
 * The same value for a JSON reader, in bytes any locale shows.
 */
char *
text_json_ascii(const char *s, size_t len, size_t *outlen)
{
	char		*out, *o;
	size_t		 i = 0;
	uint32_t	 wc, hi, lo;
	int		 n;

	/* At most six bytes out for one in (a stray byte's \ufffd). */
	out = xreallocarray(NULL, len + 1, 6);
	o = out;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			*o++ = s[i++];
			continue;
		}
		n = text_next(s + i, &wc);
		if ((size_t)n > len - i) {
			n = 1;
			wc = 0xfffd;
		}
		i += (size_t)n;
		if (wc > 0xffff) {
			hi = 0xd800 + ((wc - 0x10000) >> 10);
			lo = 0xdc00 + ((wc - 0x10000) & 0x3ff);
			o += sprintf(o, "\\u%04x\\u%04x", (unsigned)hi,
			    (unsigned)lo);
		} else
			o += sprintf(o, "\\u%04x", (unsigned)wc);
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return (out);
}
