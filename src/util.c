/*
 * util.c: helpers shared by every layer: reading whole files with a cap,
 * cleaning strings from outside for the terminal, RFC 3339 times.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "util.h"
#include "xmalloc.h"

/*
 * Read a whole file into a NUL-terminated buffer, refusing more than max
 * bytes so that a hostile file cannot exhaust memory.  Regular files
 * only, opened without blocking: a FIFO or a device put in place of a
 * feed, map or config file must not hang the program (open() of a FIFO
 * waits for a writer, a read of one for data).
 */
enum bc_status
file_read_all(const char *path, size_t max, char **buf, size_t *len,
    char *why, size_t whylen)
{
	return (file_read_all_st(path, max, buf, len, NULL, why, whylen));
}

enum bc_status
file_read_all_st(const char *path, size_t max, char **buf, size_t *len,
    struct stat *sbp, char *why, size_t whylen)
{
	struct stat	 st;
	char		*p;
	size_t		 cap, n;
	ssize_t		 r;
	int		 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		return (BC_IO);
	}
	if (fstat(fd, &st) == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		return (BC_IO);
	}
	if (!S_ISREG(st.st_mode)) {
		bc_why(why, whylen, "%s: not a regular file", path);
		close(fd);
		return (BC_IO);
	}
	if (sbp != NULL)
		*sbp = st;
	cap = 65536;
	p = xmalloc(cap + 1);
	n = 0;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(p);
				close(fd);
				bc_why(why, whylen, "%s: larger than %zu bytes",
				    path, max);
				return (BC_TOOBIG);
			}
			cap *= 2;
			p = xreallocarray(p, cap + 1, 1);
		}
		r = read(fd, p + n, cap - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			bc_why(why, whylen, "%s: %s", path, strerror(errno));
			free(p);
			close(fd);
			return (BC_IO);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(p);
		bc_why(why, whylen, "%s: larger than %zu bytes", path, max);
		return (BC_TOOBIG);
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return (BC_OK);
}

/*
 * String cleaning.
 *
 * Strings from the feed end up on a terminal, so anything a terminal
 * could act on is removed: C0 and C1 controls, DEL, every escape sequence
 * as a whole (its parameters would otherwise show as litter), and the
 * bidirectional overrides that can make a callsign read as another.
 */

#define UTF8_BAD	0xffffffffu	/* an ill-formed sequence */

/*
 * Decode one UTF-8 character of at most n bytes at p into *cp.  Returns
 * the bytes used (at least 1).  An ill-formed sequence sets *cp to
 * UTF8_BAD and uses its maximal valid prefix, so that each one becomes a
 * single U+FFFD as Unicode recommends.
 */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;
	uint32_t	c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		c = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		c = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		*cp = UTF8_BAD;		/* continuation, C0, C1, F5..FF */
		return (1);
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*cp = UTF8_BAD;
			return (i);
		}
		c = (c << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return (need + 1);
}

/* Bidirectional embeddings, overrides and isolates. */
static int
utf8_is_bidi(uint32_t c)
{
	return ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
}

int
utf8_is_invisible(uint32_t c)
{
	return ((c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x2064) ||
	    c == 0x061c || c == 0xfeff || (c >= 0xfe00 && c <= 0xfe0f) ||
	    (c >= 0xe0000 && c <= 0xe007f) || (c >= 0xe0100 && c <= 0xe01ef));
}

/*
 * Skip a control string (OSC, DCS, SOS, PM, APC) starting at p[i], just
 * after its introducer.  It ends at BEL, ST (ESC \ or U+009C), or CAN or
 * SUB which abort it; an ESC starting anything else also ends it, unread.
 * An unterminated string runs to the end, as a terminal would swallow it.
 */
static size_t
str_skip_string(const unsigned char *p, size_t n, size_t i)
{
	while (i < n) {
		if (p[i] == 0x07 || p[i] == 0x18 || p[i] == 0x1a)
			return (i + 1);
		if (p[i] == 0x1b) {
			if (i + 1 < n && p[i + 1] == '\\')
				return (i + 2);
			return (i);
		}
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] == 0x9c)
			return (i + 2);
		i++;
	}
	return (n);
}

/* Skip CSI parameters and intermediates and its final byte, from p[i]. */
static size_t
str_skip_csi(const unsigned char *p, size_t n, size_t i)
{
	while (i < n && p[i] >= 0x20 && p[i] <= 0x3f)
		i++;
	if (i < n && p[i] >= 0x40 && p[i] <= 0x7e)
		i++;
	return (i);
}

/* Skip an escape sequence whose ESC is at p[i]; returns the next index. */
static size_t
str_skip_escape(const unsigned char *p, size_t n, size_t i)
{
	i++;
	if (i >= n)
		return (i);
	switch (p[i]) {
	case '[':
		return (str_skip_csi(p, n, i + 1));
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return (str_skip_string(p, n, i + 1));
	}
	/* nF: intermediates then a final byte (ESC ( B). */
	while (i < n && p[i] >= 0x20 && p[i] <= 0x2f)
		i++;
	/* Fp, Fe, Fs: a single final byte (ESC 7, ESC c). */
	if (i < n && p[i] >= 0x30 && p[i] <= 0x7e)
		i++;
	return (i);
}

size_t
str_clean(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char	*p = (const unsigned char *)src;
	size_t			 i, k, o, w;
	uint32_t		 c;
	unsigned char		 enc[4];

	if (dst == NULL || dstlen == 0)
		return (0);
	o = 0;
	i = 0;
	while (i < srclen) {
		if (p[i] == 0x1b) {
			i = str_skip_escape(p, srclen, i);
			continue;
		}
		k = utf8_decode(p + i, srclen - i, &c);
		i += k;
		if (c == UTF8_BAD)
			c = 0xfffd;
		else if (c == 0x9b) {
			i = str_skip_csi(p, srclen, i);
			continue;
		} else if (c == 0x90 || c == 0x98 || c == 0x9d || c == 0x9e ||
		    c == 0x9f) {
			i = str_skip_string(p, srclen, i);
			continue;
		} else if (c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		    c == '\f' || c == 0x2028 || c == 0x2029)
			c = ' ';
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    utf8_is_bidi(c) || utf8_is_invisible(c))
			continue;

		if (c < 0x80) {
			enc[0] = c;
			w = 1;
		} else if (c < 0x800) {
			enc[0] = 0xc0 | (c >> 6);
			enc[1] = 0x80 | (c & 0x3f);
			w = 2;
		} else if (c < 0x10000) {
			enc[0] = 0xe0 | (c >> 12);
			enc[1] = 0x80 | ((c >> 6) & 0x3f);
			enc[2] = 0x80 | (c & 0x3f);
			w = 3;
		} else {
			enc[0] = 0xf0 | (c >> 18);
			enc[1] = 0x80 | ((c >> 12) & 0x3f);
			enc[2] = 0x80 | ((c >> 6) & 0x3f);
			enc[3] = 0x80 | (c & 0x3f);
			w = 4;
		}
		if (o + w > dstlen - 1)
			break;		/* cut at a character boundary */
		memcpy(dst + o, enc, w);
		o += w;
	}
	dst[o] = '\0';
	return (o);
}

const char *
str_unclean_why(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;
	uint32_t		 c;
	int			 invisible = 0;

	n = strlen(s);
	for (i = 0; i < n;) {
		i += utf8_decode(p + i, n - i, &c);
		if (c == UTF8_BAD || c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    c == 0x2028 || c == 0x2029 || utf8_is_bidi(c))
			return ("control characters or invalid UTF-8");
		if (utf8_is_invisible(c))
			invisible = 1;
	}
	return (invisible ? "invisible characters" : NULL);
}

int
str_is_clean(const char *s)
{
	return (str_unclean_why(s) == NULL);
}

/*
 * RFC 3339 times.
 *
 * The arithmetic is done here on the proleptic Gregorian calendar so that
 * neither the TZ variable nor a non-standard timegm() is involved.
 */

static int
time_is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
time_month_days(int64_t y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && time_is_leap(y))
		return (29);
	return (days[m - 1]);
}

/* Floor division, for years before 1 in the day count. */
static int64_t
time_floordiv(int64_t a, int64_t b)
{
	return (a / b - ((a % b != 0) && ((a < 0) != (b < 0))));
}

/* Days from 0001-01-01 to January 1st of year y. */
static int64_t
time_days_before_year(int64_t y)
{
	int64_t	p = y - 1;

	return (p * 365 + time_floordiv(p, 4) - time_floordiv(p, 100) +
	    time_floordiv(p, 400));
}

/* Days since 1970-01-01 of a valid calendar date. */
static int64_t
time_days_from_civil(int64_t y, int m, int d)
{
	int64_t	days;
	int	i;

	days = time_days_before_year(y) - time_days_before_year(1970);
	for (i = 1; i < m; i++)
		days += time_month_days(y, i);
	return (days + d - 1);
}

/* Read exactly n decimal digits at *sp into *v and advance. */
static int
time_digits(const char **sp, int n, int *v)
{
	const char	*s = *sp;
	int		 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return (0);
}

int
time_parse_rfc3339(const char *s, double *out)
{
	int	 y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	double	 frac = 0, scale = 0.1;

	if (s == NULL)
		return (-1);
	if (time_digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    time_digits(&s, 2, &mo) == -1 || *s++ != '-' ||
	    time_digits(&s, 2, &d) == -1)
		return (-1);
	if (*s != 'T' && *s != 't' && *s != ' ')
		return (-1);
	s++;
	if (time_digits(&s, 2, &h) == -1 || *s++ != ':' ||
	    time_digits(&s, 2, &mi) == -1 || *s++ != ':' ||
	    time_digits(&s, 2, &sec) == -1)
		return (-1);
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return (-1);
		while (*s >= '0' && *s <= '9') {
			frac += (*s - '0') * scale;
			scale /= 10;
			s++;
		}
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = (*s == '+') ? 1 : -1;
		s++;
		if (time_digits(&s, 2, &oh) == -1 || *s++ != ':' ||
		    time_digits(&s, 2, &om) == -1)
			return (-1);
		if (oh > 23 || om > 59)
			return (-1);
	} else
		return (-1);
	if (*s != '\0')
		return (-1);

	if (mo < 1 || mo > 12 || d < 1 || d > time_month_days(y, mo))
		return (-1);
	if (h > 23 || mi > 59 || sec > 60)
		return (-1);
	if (sec == 60)
		sec = 59;	/* a leap second: held at :59 */

	*out = (double)time_days_from_civil(y, mo, d) * 86400.0 +
	    h * 3600.0 + mi * 60.0 + sec + frac -
	    sign * (oh * 3600.0 + om * 60.0);
	return (0);
}

void
time_format_rfc3339(double t, char *buf, size_t len)
{
	int64_t	days, secs, y;
	int	m, d;

	if (len == 0)
		return;
	if (!isfinite(t) || fabs(t) > 253402300799.0 * 2) {
		snprintf(buf, len, "-");
		return;
	}
	secs = (int64_t)floor(t);
	days = time_floordiv(secs, 86400);
	secs -= days * 86400;

	/* Estimate the year, then correct by at most a step or two. */
	y = 1970 + time_floordiv(days * 400, 146097);
	while (time_days_from_civil(y, 1, 1) > days)
		y--;
	while (time_days_from_civil(y + 1, 1, 1) <= days)
		y++;
	days -= time_days_from_civil(y, 1, 1);
	for (m = 1; m < 12 && days >= time_month_days(y, m); m++)
		days -= time_month_days(y, m);
	d = (int)days + 1;
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m,
	    d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
