/*
 * journal.c: the append-only, checksummed journal (see journal.h).
 *
 * Table records code each report against the last one recorded for the
 * same id: an id is numbered at its first appearance after a keyframe,
 * and a report is written as that number, a mask of the fields that
 * differ, and those fields.  Numbers that are a whole count of 1e-7
 * degree (positions) or 1e-3 (seconds, km/h, degrees, m) are written as
 * the difference of those counts, a varint; any other number is written
 * as its 8 bytes.  Both ways give back the same double, so a replayed
 * table is the table that was recorded, bit for bit.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "journal.h"
#include "reqbook.h"
#include "util.h"
#include "xmalloc.h"

#define JOURNAL_MAGIC		0x724a4342u	/* "BCJr" little-endian */
#define JOURNAL_FILE_MAGIC	"bordercop-jrnl1\n"
#define JOURNAL_FILE_MAGIC_LEN	16
#define JOURNAL_HDR		24	/* bytes before the payload */
#define JOURNAL_TRAILER		4	/* the CRC after it */
#define JOURNAL_SUFFIX		".bcj"
#define JOURNAL_COMPRESS_MIN	48	/* smaller payloads stay raw */
#define JOURNAL_DAY		86400.0

#define JFLAG_ZLIB		0x01

/* The fields of a report, in the order of their mask bits. */
enum jfield {
	JF_SIDE, JF_AGENCY, JF_CALLSIGN, JF_KIND_TEXT, JF_STATUS_TEXT,
	JF_KIND, JF_STATUS, JF_SEQ, JF_LAT, JF_LON, JF_TIME, JF_STALE_AT,
	JF_HEADING, JF_SPEED, JF_RADIUS, JF_CE, JF_COUNT
};

/* Number fields with the scale whose whole counts they usually are. */
#define JOURNAL_NUMBERS(X)				\
	X(JF_LAT,	lat,		1e7)		\
	X(JF_LON,	lon,		1e7)		\
	X(JF_TIME,	time,		1e3)		\
	X(JF_STALE_AT,	stale_at,	1e3)		\
	X(JF_HEADING,	heading_deg,	1e3)		\
	X(JF_SPEED,	speed_kmh,	1e3)		\
	X(JF_RADIUS,	radius_km,	1e6)		\
	X(JF_CE,	ce_m,		1e3)

#define JOURNAL_STRINGS(X)				\
	X(JF_AGENCY,		agency)			\
	X(JF_CALLSIGN,		callsign)		\
	X(JF_KIND_TEXT,		kind_text)		\
	X(JF_STATUS_TEXT,	status_text)

static const char *const journal_type_names[JOURNAL_TYPE_MAX] = {
#define X(id, num, name) [num] = name,
	JOURNAL_TYPES(X)
#undef X
};

const char *
journal_type_name(enum journal_type t)
{
	if ((int)t <= 0 || t >= JOURNAL_TYPE_MAX ||
	    journal_type_names[t] == NULL)
		return ("unknown");
	return (journal_type_names[t]);
}

/* ------------------------------------------------------------------ */
/* Byte buffers. */

struct jbuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
};

static void
jbuf_need(struct jbuf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	while (b->len + n > b->cap)
		b->cap = b->cap == 0 ? 256 : b->cap * 2;
	b->p = xreallocarray(b->p, b->cap, 1);
}

static void
jbuf_put(struct jbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	jbuf_need(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
jbuf_u8(struct jbuf *b, unsigned v)
{
	unsigned char	c = (unsigned char)v;

	jbuf_put(b, &c, 1);
}

static void
jbuf_u32(struct jbuf *b, uint32_t v)
{
	unsigned char	c[4];

	c[0] = v & 0xff;
	c[1] = (v >> 8) & 0xff;
	c[2] = (v >> 16) & 0xff;
	c[3] = (v >> 24) & 0xff;
	jbuf_put(b, c, 4);
}

static void
jbuf_f64(struct jbuf *b, double d)
{
	uint64_t	v;
	unsigned char	c[8];
	int		i;

	memcpy(&v, &d, 8);
	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	jbuf_put(b, c, 8);
}

static void
jbuf_varint(struct jbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		jbuf_u8(b, (unsigned)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	jbuf_u8(b, (unsigned)v);
}

static uint64_t
jzigzag(int64_t v)
{
	return (((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static int64_t
junzigzag(uint64_t v)
{
	return ((int64_t)(v >> 1) ^ -(int64_t)(v & 1));
}

static void
jbuf_str(struct jbuf *b, const char *s)
{
	size_t	n = strlen(s);

	jbuf_varint(b, n);
	jbuf_put(b, s, n);
}

static void
jbuf_done(struct jbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* A bounded reading cursor; any overrun sets bad and reads zeros. */
struct jcur {
	const unsigned char	*p;
	size_t			 len;
	size_t			 off;
	int			 bad;
};

static unsigned
jcur_u8(struct jcur *c)
{
	if (c->off >= c->len) {
		c->bad = 1;
		return (0);
	}
	return (c->p[c->off++]);
}

static uint32_t
jget_u32(const unsigned char *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static double
jget_f64(const unsigned char *p)
{
	uint64_t	v = 0;
	double		d;
	int		i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	memcpy(&d, &v, 8);
	return (d);
}

static double
jcur_f64(struct jcur *c)
{
	double	d;

	if (c->len - c->off < 8 || c->off > c->len) {
		c->bad = 1;
		c->off = c->len;
		return (NAN);
	}
	d = jget_f64(c->p + c->off);
	c->off += 8;
	return (d);
}

static uint64_t
jcur_varint(struct jcur *c)
{
	uint64_t	v = 0;
	unsigned	b;
	int		shift;

	for (shift = 0; shift < 64; shift += 7) {
		b = jcur_u8(c);
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return (v);
	}
	c->bad = 1;
	return (0);
}

/* A string into dst (size bytes), cleaned: the journal is a file anyone
   with the account could have edited, so it is outside input too. */
static void
jcur_str(struct jcur *c, char *dst, size_t size)
{
	uint64_t	n = jcur_varint(c);

	if (c->bad || n > c->len - c->off) {
		c->bad = 1;
		dst[0] = '\0';
		return;
	}
	str_clean(dst, size, (const char *)c->p + c->off, (size_t)n);
	c->off += (size_t)n;
}

/* ------------------------------------------------------------------ */
/* Numbers and reports. */

/* Whether v is a whole count of 1/scale that gives v back exactly. */
static int
jquant(double v, double scale, int64_t *q)
{
	double	x;

	if (!isfinite(v) || (v == 0 && signbit(v)))
		return (0);		/* -0 would come back as +0 */
	x = v * scale;
	if (!(fabs(x) < 4503599627370496.0))	/* 2^52 */
		return (0);
	*q = llround(x);
	return ((double)*q / scale == v);
}

/* 0: NaN; 1: 8 raw bytes follow; n >= 2: count prev + unzigzag(n - 2). */
static void
jput_num(struct jbuf *b, double v, double prev, double scale)
{
	int64_t	q, pq;

	if (isnan(v)) {
		jbuf_varint(b, 0);
		return;
	}
	if (jquant(v, scale, &q)) {
		if (!jquant(prev, scale, &pq))
			pq = 0;
		jbuf_varint(b, 2 + jzigzag(q - pq));
		return;
	}
	jbuf_varint(b, 1);
	jbuf_f64(b, v);
}

static double
jget_num(struct jcur *c, double prev, double scale)
{
	uint64_t	h = jcur_varint(c);
	int64_t		pq;

	if (h == 0)
		return (NAN);
	if (h == 1)
		return (jcur_f64(c));
	if (!jquant(prev, scale, &pq))
		pq = 0;
	return ((double)(pq + junzigzag(h - 2)) / scale);
}

static int
jsame(double a, double b)
{
	return (a == b || (isnan(a) && isnan(b)));
}

/* The mask of the fields in which r differs from prev. */
static unsigned
jdiff(const struct report *prev, const struct report *r)
{
	unsigned	m = 0;

	if (prev->side != r->side)
		m |= 1u << JF_SIDE;
#define X(f, name) if (strcmp(prev->name, r->name) != 0) m |= 1u << f;
	JOURNAL_STRINGS(X)
#undef X
	if (prev->kind != r->kind)
		m |= 1u << JF_KIND;
	if (prev->status != r->status)
		m |= 1u << JF_STATUS;
	if (prev->seq != r->seq)
		m |= 1u << JF_SEQ;
#define X(f, name, scale) if (!jsame(prev->name, r->name)) m |= 1u << f;
	JOURNAL_NUMBERS(X)
#undef X
	return (m);
}

static void
jput_fields(struct jbuf *b, const struct report *prev,
    const struct report *r, unsigned m)
{
	jbuf_varint(b, m);
	if (m & (1u << JF_SIDE))
		jbuf_u8(b, (unsigned)r->side);
#define X(f, name) if (m & (1u << f)) jbuf_str(b, r->name);
	JOURNAL_STRINGS(X)
#undef X
	if (m & (1u << JF_KIND))
		jbuf_u8(b, r->kind);
	if (m & (1u << JF_STATUS))
		jbuf_u8(b, r->status);
	if (m & (1u << JF_SEQ))
		jbuf_varint(b, jzigzag(r->seq - prev->seq));
#define X(f, name, scale) \
	if (m & (1u << f)) jput_num(b, r->name, prev->name, scale);
	JOURNAL_NUMBERS(X)
#undef X
}

/* Read fields over r (which holds the previous report). */
static void
jget_fields(struct jcur *c, struct report *r)
{
	unsigned	m = (unsigned)jcur_varint(c), v;

	if (m >> JF_COUNT) {
		c->bad = 1;
		return;
	}
	if (m & (1u << JF_SIDE)) {
		v = jcur_u8(c);
		if (v >= NSIDES)
			c->bad = 1;
		r->side = (int)v;
	}
#define X(f, name) if (m & (1u << f)) jcur_str(c, r->name, sizeof r->name);
	JOURNAL_STRINGS(X)
#undef X
	if (m & (1u << JF_KIND)) {
		v = jcur_u8(c);
		if (v >= KIND_COUNT)
			c->bad = 1;
		r->kind = (enum unit_kind)v;
	}
	if (m & (1u << JF_STATUS)) {
		v = jcur_u8(c);
		if (v >= STATUS_COUNT)
			c->bad = 1;
		r->status = (enum unit_status)v;
	}
	if (m & (1u << JF_SEQ))
		r->seq += junzigzag(jcur_varint(c));
#define X(f, name, scale) \
	if (m & (1u << f)) r->name = jget_num(c, r->name, scale);
	JOURNAL_NUMBERS(X)
#undef X
}

/* ------------------------------------------------------------------ */
/* Records. */

/* Build one whole record (header, payload, CRC) into out. */
static void
jrecord(struct jbuf *out, enum journal_type type, double t,
    const void *payload, size_t len)
{
	unsigned char	*z = NULL;
	uLongf		 zlen;
	const void	*stored = payload;
	size_t		 slen = len;
	unsigned	 flags = 0;
	uLong		 crc;

	if (len >= JOURNAL_COMPRESS_MIN) {
		zlen = compressBound(len);
		z = xmalloc(zlen);
		if (compress2(z, &zlen, payload, len, 6) == Z_OK &&
		    zlen < len) {
			stored = z;
			slen = zlen;
			flags |= JFLAG_ZLIB;
		}
	}
	out->len = 0;
	jbuf_u32(out, JOURNAL_MAGIC);
	jbuf_u32(out, (uint32_t)slen);
	jbuf_u32(out, (uint32_t)len);
	jbuf_u8(out, type);
	jbuf_u8(out, flags);
	jbuf_u8(out, 0);
	jbuf_u8(out, 0);
	jbuf_f64(out, t);
	jbuf_put(out, stored, slen);
	crc = crc32(0L, out->p, (uInt)out->len);
	jbuf_u32(out, (uint32_t)crc);
	free(z);
}

/* Whether a whole good record starts at off; *reclen gets its size. */
static int
jrecord_ok(const unsigned char *b, size_t size, size_t off, size_t *reclen)
{
	uint32_t	slen, rlen;
	size_t		n;

	if (size - off < JOURNAL_HDR + JOURNAL_TRAILER)
		return (0);
	if (jget_u32(b + off) != JOURNAL_MAGIC)
		return (0);
	slen = jget_u32(b + off + 4);
	rlen = jget_u32(b + off + 8);
	if (slen > JOURNAL_RECORD_MAX || rlen > JOURNAL_RECORD_MAX)
		return (0);
	n = JOURNAL_HDR + (size_t)slen + JOURNAL_TRAILER;
	if (size - off < n)
		return (0);
	if ((uint32_t)crc32(0L, b + off, (uInt)(n - JOURNAL_TRAILER)) !=
	    jget_u32(b + off + n - JOURNAL_TRAILER))
		return (0);
	if (b[off + 12] == JOURNAL_NONE || b[off + 12] >= JOURNAL_TYPE_MAX)
		return (0);
	*reclen = n;
	return (1);
}

/* The next offset after off where a good record starts, or size. */
static size_t
jresync(const unsigned char *b, size_t size, size_t off)
{
	size_t	n;

	for (off++; off + JOURNAL_HDR + JOURNAL_TRAILER <= size; off++)
		if (b[off] == (JOURNAL_MAGIC & 0xff) &&
		    jrecord_ok(b, size, off, &n))
			return (off);
	return (size);
}

typedef int	 jscan_fn(void *, const unsigned char *rec, size_t reclen);

/*
 * Walk the records of a file's bytes; bad stretches are skipped and
 * summed in *bad (first one at *bad_at).  Returns the end of the last
 * good record.
 */
static size_t
jscan(const unsigned char *b, size_t size, jscan_fn *fn, void *arg,
    size_t *bad, size_t *bad_at)
{
	size_t	off = JOURNAL_FILE_MAGIC_LEN, end = off, n, next;

	*bad = 0;
	*bad_at = 0;
	while (off < size) {
		if (jrecord_ok(b, size, off, &n)) {
			if (fn != NULL && fn(arg, b + off, n) != 0)
				return (end);
			off += n;
			end = off;
			continue;
		}
		next = jresync(b, size, off);
		if (*bad == 0)
			*bad_at = off;
		*bad += next - off;
		off = next;
	}
	return (end);
}

static void
jwarn_stderr(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "bordercop: %s\n", msg);
}

static void
jwarn_bad(journal_warn_fn *warn, void *arg, const char *path, size_t bad,
    size_t bad_at, int cut)
{
	char	msg[1200];

	snprintf(msg, sizeof msg, "journal %s: %zu byte%s at offset %zu "
	    "not a whole record (torn or corrupt), %s", path, bad,
	    bad == 1 ? "" : "s", bad_at, cut ? "cut off" : "skipped");
	(warn != NULL ? warn : jwarn_stderr)(arg, msg);
}

/* ------------------------------------------------------------------ */
/* Paths and days. */

static long
jday(double t)
{
	return ((long)floor(t / JOURNAL_DAY));
}

static void
jday_name(long day, char *buf, size_t len)
{
	time_t		s = (time_t)day * 86400;
	struct tm	tm;

	gmtime_r(&s, &tm);
	strftime(buf, len, "%Y-%m-%d" JOURNAL_SUFFIX, &tm);
}

/* The day of a file name YYYY-MM-DD.bcj, or -1 when it is not one. */
static int
jday_parse(const char *name, long *day)
{
	struct tm	tm;
	int		y, m, d, n = 0;

	if (strlen(name) != 10 + strlen(JOURNAL_SUFFIX) ||
	    strcmp(name + 10, JOURNAL_SUFFIX) != 0)
		return (-1);
	if (sscanf(name, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return (-1);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*day = (long)(timegm(&tm) / 86400);
	return (0);
}

const char *
journal_default_dir(char *buf, size_t len)
{
	const char	*x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
	int		 n;

	if (x != NULL && x[0] == '/')
		n = snprintf(buf, len, "%s/bordercop", x);
	else if (h != NULL && h[0] != '\0')
		n = snprintf(buf, len, "%s/.local/state/bordercop", h);
	else
		return (NULL);
	return (n > 0 && (size_t)n < len ? buf : NULL);
}

/* mkdir -p, each new directory private. */
static int
jmkdirs(const char *dir, char *why, size_t whylen)
{
	char	*p, *s = xstrdup(dir);

	for (p = s + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(s, 0700) == -1 && errno != EEXIST) {
				bc_why(why, whylen, "journal %s: cannot "
				    "create: %s", s, strerror(errno));
				free(s);
				return (-1);
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(s);
	return (0);
}

/* ------------------------------------------------------------------ */
/* The writer. */

struct jref {
	struct report	 r;		/* last recorded */
	int		 present;
	unsigned	 seen;		/* generation of the last diff */
};

/* The last REQUEST record of a request, to write only what changed. */
struct jreqref {
	char		 id[REQ_ID_MAX + 1];
	unsigned char	*p;		/* its payload */
	size_t		 len;
	long		 day;		/* the day file it is in */
};

struct journal {
	struct journal_config	 cfg;
	char			*dir;
	int			 lockfd;
	int			 fd;		/* the day file, or -1 */
	long			 day;
	off_t			 end;		/* of the day file */
	uint64_t		 bytes;
	unsigned long		 records;
	double			 last_key;	/* NAN: none in this file */
	double			 last_t;	/* latest record time, NAN */

	struct jref		*refs;
	size_t			 nrefs;
	size_t			 cap;
	size_t			*hash;		/* ref index + 1, 0 empty */
	size_t			 hashcap;
	unsigned		 gen;

	int			 link_known;
	enum link_state		 link;
	int			 session;	/* SESSION written */
	double			 session_t;	/* its time */
	char			*error;		/* journal_step stopped */
	uint64_t		 tabgen;	/* table generation recorded */
	unsigned long		 seen_events;	/* log total recorded */
	unsigned long		 seen_raised;	/* alerts recorded */
	unsigned long		 seen_acked;
	int			 gen_known;
	struct jreqref		*reqs;		/* requests recorded */
	size_t			 nreqs, reqcap;

	struct jbuf		 pay;		/* payload being built */
	struct jbuf		 rec;		/* record being built */
};

void
journal_config_defaults(struct journal_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->keep_days = JOURNAL_KEEP_DAYS;
	cfg->key_every_s = JOURNAL_KEY_EVERY_S;
}

const char *
journal_dir(const struct journal *j)
{
	return (j->dir);
}

uint64_t
journal_bytes(const struct journal *j)
{
	return (j->bytes);
}

double
journal_session_start(const struct journal *j)
{
	return (j->session ? j->session_t : NAN);
}

double
journal_last_time(const struct journal *j)
{
	return (j->last_t);
}

unsigned long
journal_records(const struct journal *j)
{
	return (j->records);
}

/* Delete whole day files that ended more than keep_days before now (the
   picture clock) and were last written as long ago by this machine's. */
static void
jretain(struct journal *j, double now)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	long		 day;
	double		 local;
	char		*path;

	if (!isfinite(now) || (d = opendir(j->dir)) == NULL)
		return;
	local = (double)time(NULL);
	while ((de = readdir(d)) != NULL) {
		if (jday_parse(de->d_name, &day) != 0 || day == j->day)
			continue;
		if ((day + 1 + j->cfg.keep_days) * JOURNAL_DAY > now)
			continue;
		xasprintf(&path, "%s/%s", j->dir, de->d_name);
		/* Also ended by this machine's clock: a picture clock far
		   ahead (a server's skew) never takes a file written in the
		   last days. */
		if (stat(path, &st) == 0 && (double)st.st_mtime +
		    (double)j->cfg.keep_days * JOURNAL_DAY <= local)
			unlink(path);
		free(path);
	}
	closedir(d);
}

/*
 * Open the file of a day to append: a new one gets the magic line; an
 * old one is checked and a torn tail cut back to its last good record.
 */
static enum bc_status
jopen_day(struct journal *j, long day, char *why, size_t whylen)
{
	char		 name[32], *path;
	struct stat	 st;
	unsigned char	*b = NULL;
	size_t		 bad, bad_at, end;
	ssize_t		 r;
	int		 fd;

	jday_name(day, name, sizeof name);
	xasprintf(&path, "%s/%s", j->dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1 || fstat(fd, &st) == -1) {
		bc_why(why, whylen, "journal %s: %s", path, strerror(errno));
		goto fail;
	}
	if (st.st_size > 0) {
		b = xmalloc((size_t)st.st_size);
		r = pread(fd, b, (size_t)st.st_size, 0);
		if (r != st.st_size) {
			bc_why(why, whylen, "journal %s: cannot read: %s",
			    path, r == -1 ? strerror(errno) : "short read");
			goto fail;
		}
	}
	if (st.st_size >= JOURNAL_FILE_MAGIC_LEN &&
	    memcmp(b, JOURNAL_FILE_MAGIC, JOURNAL_FILE_MAGIC_LEN) != 0) {
		bc_why(why, whylen, "journal %s: not a bordercop journal "
		    "file; move it away", path);
		goto fail;
	}
	if (st.st_size < JOURNAL_FILE_MAGIC_LEN) {
		/* New, or cut inside its magic line: start it again. */
		if (st.st_size > 0 && memcmp(b, JOURNAL_FILE_MAGIC,
		    (size_t)st.st_size) != 0) {
			bc_why(why, whylen, "journal %s: not a bordercop "
			    "journal file; move it away", path);
			goto fail;
		}
		if (ftruncate(fd, 0) == -1 || write(fd, JOURNAL_FILE_MAGIC,
		    JOURNAL_FILE_MAGIC_LEN) != JOURNAL_FILE_MAGIC_LEN) {
			bc_why(why, whylen, "journal %s: cannot write: %s",
			    path, strerror(errno));
			goto fail;
		}
		end = JOURNAL_FILE_MAGIC_LEN;
	} else {
		end = jscan(b, (size_t)st.st_size, NULL, NULL, &bad, &bad_at);
		if (end < (size_t)st.st_size) {
			jwarn_bad(j->cfg.warn, j->cfg.warn_arg, path,
			    (size_t)st.st_size - end, end, 1);
			if (ftruncate(fd, (off_t)end) == -1) {
				bc_why(why, whylen, "journal %s: cannot cut "
				    "the torn tail: %s", path,
				    strerror(errno));
				goto fail;
			}
		}
	}
	if (!j->cfg.nosync)
		fdatasync(fd);
	free(b);
	free(path);
	if (j->fd != -1)
		close(j->fd);
	j->fd = fd;
	j->day = day;
	j->end = (off_t)end;
	j->last_key = NAN;
	return (BC_OK);
fail:
	free(b);
	free(path);
	if (fd != -1)
		close(fd);
	return (BC_IO);
}

/* The file for a record at t: a later day opens the next file. */
static enum bc_status
jday_for(struct journal *j, double t, char *why, size_t whylen)
{
	long	day;

	if (!isfinite(t)) {
		if (j->fd != -1)
			return (BC_OK);
		bc_why(why, whylen, "journal: a record without a time");
		return (BC_INVALID);
	}
	day = jday(t);
	if (j->fd != -1 && day <= j->day)
		return (BC_OK);
	if (jopen_day(j, day, why, whylen) != BC_OK)
		return (BC_IO);
	jretain(j, t);
	return (BC_OK);
}

/* One write(2) of the whole record, then fdatasync(2). */
static enum bc_status
jwrite(struct journal *j, enum journal_type type, double t,
    const void *payload, size_t len, char *why, size_t whylen)
{
	ssize_t	r;

	if (len > JOURNAL_RECORD_MAX) {
		bc_why(why, whylen, "journal: a %s record of %zu bytes is "
		    "too large", journal_type_name(type), len);
		return (BC_TOOBIG);
	}
	if (jday_for(j, t, why, whylen) != BC_OK)
		return (BC_IO);
	if (!j->session && type != JOURNAL_SESSION) {
		/* Each writer's records begin with who wrote them. */
		struct jbuf	s = { 0 };
		enum bc_status	st;

		jbuf_str(&s, PACKAGE_STRING);
		jbuf_varint(&s, (uint64_t)getpid());
		j->session = 1;
		j->session_t = t;
		st = jwrite(j, JOURNAL_SESSION, t, s.p, s.len, why, whylen);
		jbuf_done(&s);
		if (st != BC_OK) {
			j->session = 0;
			return (st);
		}
	}
	jrecord(&j->rec, type, t, payload, len);
	r = write(j->fd, j->rec.p, j->rec.len);
	if (r != (ssize_t)j->rec.len) {
		bc_why(why, whylen, "journal %s: cannot write: %s", j->dir,
		    r == -1 ? strerror(errno) : "disk full");
		/* Never leave half a record for the next one to follow. */
		if (ftruncate(j->fd, j->end) == -1) {
			/* the next open cuts it as a torn tail */
		}
		return (BC_IO);
	}
	if (!j->cfg.nosync && fdatasync(j->fd) == -1) {
		bc_why(why, whylen, "journal %s: cannot sync: %s", j->dir,
		    strerror(errno));
		return (BC_IO);
	}
	j->end += (off_t)j->rec.len;
	if (isfinite(t) && !(t < j->last_t))
		j->last_t = t;
	j->bytes += j->rec.len;
	j->records++;
	return (BC_OK);
}

enum bc_status
journal_append(struct journal *j, enum journal_type type, double t,
    const void *payload, size_t len, char *why, size_t whylen)
{
	return (jwrite(j, type, t, payload, len, why, whylen));
}

enum bc_status
journal_open(const struct journal_config *cfg,
    struct journal **out, char *why, size_t whylen)
{
	struct journal	*j;
	char		 buf[4096], *lock, pid[32];
	const char	*dir = cfg->dir;
	double		 newest;
	ssize_t		 n;
	int		 fd;

	*out = NULL;
	if (dir == NULL && (dir = journal_default_dir(buf, sizeof buf)) ==
	    NULL) {
		bc_why(why, whylen, "journal: no state directory (set "
		    "XDG_STATE_HOME or HOME, or give --journal DIR)");
		return (BC_USAGE);
	}
	if (jmkdirs(dir, why, whylen) != 0)
		return (BC_IO);
	xasprintf(&lock, "%s/lock", dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		bc_why(why, whylen, "journal %s: %s", lock, strerror(errno));
		free(lock);
		return (BC_IO);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		bc_why(why, whylen, "journal %s is in use by another "
		    "bordercop (pid %s); give it --journal DIR of its own",
		    dir, pid[0] != '\0' ? pid : "unknown");
		close(fd);
		free(lock);
		return (BC_USAGE);
	}
	free(lock);
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
		/* the pid is a courtesy; the lock is what counts */
	}

	j = xcalloc(1, sizeof *j);
	j->cfg = *cfg;
	if (!(j->cfg.key_every_s > 0))
		j->cfg.key_every_s = JOURNAL_KEY_EVERY_S;
	if (!(j->cfg.keep_days >= 0))
		j->cfg.keep_days = JOURNAL_KEEP_DAYS;
	j->dir = xstrdup(dir);
	j->cfg.dir = j->dir;
	j->lockfd = fd;
	j->fd = -1;
	j->day = -1;
	j->last_key = NAN;
	j->last_t = NAN;
	/* No retention yet: days are the picture clock's, which the first
	   record brings (jday_for()); this machine's clock may be days
	   from the server's. */
	/* The file a crash may have torn, checked now: the warning goes
	   out before a screen takes the terminal. */
	newest = journal_newest_day(j->dir);
	if (isfinite(newest)) {
		if (jopen_day(j, jday(newest), why, whylen) != BC_OK) {
			journal_close(j, NAN);
			return (BC_IO);
		}
		close(j->fd);
		j->fd = -1;
		j->day = -1;
	}
	*out = j;
	return (BC_OK);
}

void
journal_close(struct journal *j, double t)
{
	char	why[256];
	size_t	i;

	if (j == NULL)
		return;
	if (isfinite(t) && j->fd != -1 && j->error == NULL)
		jwrite(j, JOURNAL_END, t, NULL, 0, why, sizeof why);
	if (j->fd != -1)
		close(j->fd);
	close(j->lockfd);	/* releases the lock */
	free(j->refs);
	free(j->hash);
	for (i = 0; i < j->nreqs; i++)
		free(j->reqs[i].p);
	free(j->reqs);
	jbuf_done(&j->pay);
	jbuf_done(&j->rec);
	free(j->error);
	free(j->dir);
	free(j);
}

static size_t
jhash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return ((size_t)h);
}

static void
jrefs_reset(struct journal *j)
{
	j->nrefs = 0;
	if (j->hash != NULL)
		memset(j->hash, 0, j->hashcap * sizeof *j->hash);
}

static size_t *
jrefs_slot(struct journal *j, const char *id)
{
	size_t	i = jhash_str(id) & (j->hashcap - 1);

	while (j->hash[i] != 0 && strcmp(j->refs[j->hash[i] - 1].r.id,
	    id) != 0)
		i = (i + 1) & (j->hashcap - 1);
	return (&j->hash[i]);
}

/* The ref of id, numbered now when new (*isnew set). */
static struct jref *
jrefs_get(struct journal *j, const char *id, int *isnew)
{
	size_t	*slot, i;

	if (2 * (j->nrefs + 1) > j->hashcap) {
		j->hashcap = j->hashcap == 0 ? 64 : j->hashcap * 2;
		free(j->hash);
		j->hash = xcalloc(j->hashcap, sizeof *j->hash);
		for (i = 0; i < j->nrefs; i++)
			*jrefs_slot(j, j->refs[i].r.id) = i + 1;
	}
	slot = jrefs_slot(j, id);
	*isnew = *slot == 0;
	if (*slot != 0)
		return (&j->refs[*slot - 1]);
	if (j->nrefs == j->cap) {
		j->cap = j->cap == 0 ? 64 : j->cap * 2;
		j->refs = xreallocarray(j->refs, j->cap, sizeof *j->refs);
	}
	memset(&j->refs[j->nrefs], 0, sizeof j->refs[j->nrefs]);
	snprintf(j->refs[j->nrefs].r.id, sizeof j->refs[j->nrefs].r.id,
	    "%s", id);
	*slot = ++j->nrefs;
	return (&j->refs[j->nrefs - 1]);
}

enum bc_status
journal_table(struct journal *j, double t, const struct unit_table *tab,
    char *why, size_t whylen)
{
	struct jbuf	 ents = { 0 };
	struct jref	*ref;
	const struct report *r;
	size_t		 i, nchanged = 0, nremoved = 0;
	unsigned	 m;
	int		 key, isnew;
	enum bc_status	 st;

	if ((st = jday_for(j, t, why, whylen)) != BC_OK)
		return (st);
	key = !isfinite(j->last_key) || t - j->last_key >= j->cfg.key_every_s ||
	    t < j->last_key;
	if (key)
		jrefs_reset(j);
	j->gen++;
	for (i = 0; i < tab->n; i++) {
		r = &tab->v[i].r;
		ref = jrefs_get(j, r->id, &isnew);
		ref->seen = j->gen;
		if (isnew) {
			m = jdiff(&ref->r, r);
			jbuf_varint(&ents, 0);
			jbuf_str(&ents, r->id);
		} else {
			m = jdiff(&ref->r, r);
			if (m == 0 && ref->present)
				continue;
			jbuf_varint(&ents, (uint64_t)(ref - j->refs) + 1);
		}
		jput_fields(&ents, &ref->r, r, m);
		ref->r = *r;
		ref->present = 1;
		nchanged++;
	}
	j->pay.len = 0;
	jbuf_varint(&j->pay, nchanged);
	jbuf_put(&j->pay, ents.p, ents.len);
	jbuf_done(&ents);
	for (i = 0; i < j->nrefs; i++)
		if (j->refs[i].present && j->refs[i].seen != j->gen)
			nremoved++;
	jbuf_varint(&j->pay, nremoved);
	for (i = 0; i < j->nrefs; i++) {
		if (j->refs[i].present && j->refs[i].seen != j->gen) {
			jbuf_varint(&j->pay, i);
			j->refs[i].present = 0;
		}
	}
	if (!key && nchanged == 0 && nremoved == 0)
		return (BC_OK);
	st = jwrite(j, key ? JOURNAL_KEY : JOURNAL_DELTA, t, j->pay.p,
	    j->pay.len, why, whylen);
	if (st != BC_OK) {
		/* What was not written must be written next time whole. */
		j->last_key = NAN;
		return (st);
	}
	if (key)
		j->last_key = t;
	return (BC_OK);
}

enum bc_status
journal_link(struct journal *j, double t, const struct link_status *ls,
    char *why, size_t whylen)
{
	if (j->link_known && j->link == ls->state)
		return (BC_OK);
	j->pay.len = 0;
	jbuf_u8(&j->pay, ls->state);
	jbuf_str(&j->pay, ls->error);
	if (jwrite(j, JOURNAL_LINK, t, j->pay.p, j->pay.len, why, whylen) !=
	    BC_OK)
		return (BC_IO);
	j->link_known = 1;
	j->link = ls->state;
	return (BC_OK);
}

enum bc_status
journal_event(struct journal *j, const struct event *e, char *why,
    size_t whylen)
{
	j->pay.len = 0;
	jbuf_u8(&j->pay, e->type);
	jbuf_u8(&j->pay, (unsigned)(e->side + 1));
	jbuf_f64(&j->pay, e->km);
	jbuf_varint(&j->pay, e->gap_id);
	jbuf_str(&j->pay, e->unit_id);
	jbuf_str(&j->pay, e->text);
	return (jwrite(j, JOURNAL_EVENT, e->time, j->pay.p, j->pay.len, why,
	    whylen));
}

enum bc_status
journal_alert(struct journal *j, double t, unsigned id, const char *text,
    char *why, size_t whylen)
{
	j->pay.len = 0;
	jbuf_varint(&j->pay, id);
	jbuf_str(&j->pay, text);
	return (jwrite(j, JOURNAL_ALERT, t, j->pay.p, j->pay.len, why,
	    whylen));
}

enum bc_status
journal_ack(struct journal *j, double t, unsigned id, char *why,
    size_t whylen)
{
	j->pay.len = 0;
	jbuf_varint(&j->pay, id);
	jbuf_str(&j->pay, "");
	return (jwrite(j, JOURNAL_ACK, t, j->pay.p, j->pay.len, why, whylen));
}

/* ------------------------------------------------------------------ */
/* Requests. */

const char *const journal_req_local_names[JREQ_LOCAL_COUNT] = {
#define X(id, name) name,
	JOURNAL_REQ_LOCALS(X)
#undef X
};

#define JREQ_VERSION	1

const char *
journal_req_state_text(const struct journal_req_rec *q)
{
	if (q->local == JREQ_QUEUED || q->local == JREQ_ANSWER)
		return ("queued");
	if (q->local == JREQ_REFUSED)
		return ("refused");
	return (req_state_names[q->state]);
}

/* A bounded string of a fixed array (a test's record may fill it). */
static void
jbuf_strn(struct jbuf *b, const char *s, size_t size)
{
	size_t	n = strnlen(s, size);

	jbuf_varint(b, n);
	jbuf_put(b, s, n);
}

#define JBUF_STRA(b, a)	jbuf_strn((b), (a), sizeof (a))

/*
 * version, id, direction, sender + 1, addressee + 1, kind, state, local,
 * answer, flags, the stretch and its counter (4 f64), gap, sector, text,
 * reason, error, created, expires, the stamps (count, then state,
 * side + 2, time each), seq.
 */
static void
jreq_encode(struct jbuf *b, const struct journal_req_rec *q)
{
	int	k, n = 0;

	jbuf_u8(b, JREQ_VERSION);
	JBUF_STRA(b, q->id);
	jbuf_u8(b, q->dir);
	jbuf_u8(b, (unsigned)(q->sender + 1));
	jbuf_u8(b, (unsigned)(q->addressee + 1));
	jbuf_u8(b, q->kind);
	jbuf_u8(b, q->state);
	jbuf_u8(b, q->local);
	jbuf_u8(b, q->answer);
	jbuf_u8(b, q->flags);
	jbuf_f64(b, q->a_km);
	jbuf_f64(b, q->b_km);
	jbuf_f64(b, q->counter_a_km);
	jbuf_f64(b, q->counter_b_km);
	JBUF_STRA(b, q->gap);
	JBUF_STRA(b, q->sector);
	JBUF_STRA(b, q->text);
	JBUF_STRA(b, q->reason);
	JBUF_STRA(b, q->error);
	jbuf_f64(b, q->created);
	jbuf_f64(b, q->expires);
	for (k = 0; k < REQ_STATE_COUNT; k++)
		if (isfinite(q->stamps[k].t))
			n++;
	jbuf_varint(b, (uint64_t)n);
	for (k = 0; k < REQ_STATE_COUNT; k++) {
		if (!isfinite(q->stamps[k].t))
			continue;
		jbuf_u8(b, (unsigned)k);
		jbuf_u8(b, (unsigned)(q->stamps[k].side + 2));
		jbuf_f64(b, q->stamps[k].t);
	}
	jbuf_varint(b, q->seq);
}

enum bc_status
journal_request(struct journal *j, double t, const struct journal_req_rec *q,
    char *why, size_t whylen)
{
	j->pay.len = 0;
	jreq_encode(&j->pay, q);
	return (jwrite(j, JOURNAL_REQUEST, t, j->pay.p, j->pay.len, why,
	    whylen));
}

/* A book's entry as a record: where it stands for this client. */
static void
jreq_from_entry(const struct reqbook *b, const struct reqbook_entry *e,
    struct journal_req_rec *q)
{
	const struct request	*r = &e->r;

	memset(q, 0, sizeof *q);
	snprintf(q->id, sizeof q->id, "%s", r->id);
	if (b->side >= 0 && r->sender == b->side)
		q->dir = JREQ_OURS;
	else if (b->side >= 0 && r->addressee == b->side)
		q->dir = JREQ_THEIRS;
	else
		q->dir = JREQ_DIR_UNKNOWN;
	q->sender = r->sender >= 0 && r->sender < NSIDES ? r->sender : -1;
	q->addressee = r->addressee >= 0 && r->addressee < NSIDES ?
	    r->addressee : -1;
	q->kind = r->kind;
	q->state = r->state;
	if (e->pending_new)
		q->local = JREQ_QUEUED;
	else if (e->pending_answer)
		q->local = JREQ_ANSWER;
	else if (!e->on_server)
		q->local = JREQ_REFUSED;
	else
		q->local = JREQ_SERVER;
	q->answer = e->pending_answer ? e->answer.state : r->state;
	q->flags = (e->escalated ? JREQ_ESCALATED : 0) |
	    (e->acked ? JREQ_ACKED : 0);
	q->a_km = r->a_km;
	q->b_km = r->b_km;
	q->counter_a_km = r->counter_a_km;
	q->counter_b_km = r->counter_b_km;
	memcpy(q->gap, r->gap, sizeof q->gap);
	memcpy(q->sector, r->sector, sizeof q->sector);
	memcpy(q->text, r->text, sizeof q->text);
	memcpy(q->reason, r->reason, sizeof q->reason);
	snprintf(q->error, sizeof q->error, "%s", e->error);
	q->created = r->created;
	q->expires = r->expires;
	memcpy(q->stamps, r->stamps, sizeof q->stamps);
	q->seq = r->seq;
}

static struct jreqref *
jreq_ref(struct journal *j, const char *id)
{
	struct jreqref	*ref;
	size_t		 i;

	for (i = 0; i < j->nreqs; i++)
		if (strcmp(j->reqs[i].id, id) == 0)
			return (&j->reqs[i]);
	if (j->nreqs == j->reqcap) {
		j->reqcap = j->reqcap == 0 ? 32 : j->reqcap * 2;
		j->reqs = xreallocarray(j->reqs, j->reqcap, sizeof *j->reqs);
	}
	ref = &j->reqs[j->nreqs++];
	memset(ref, 0, sizeof *ref);
	snprintf(ref->id, sizeof ref->id, "%s", id);
	ref->day = LONG_MIN;
	return (ref);
}

void
journal_requests(struct journal *j, double t, const struct reqbook *b)
{
	const struct reqbook_entry	*e;
	struct journal_req_rec		 q;
	struct jreqref			*ref;
	size_t				 i;
	long				 day;
	int				 same, open;
	char				 why[512];

	if (j == NULL || b == NULL || j->error != NULL || !j->gen_known ||
	    !isfinite(t))
		return;
	day = jday(t);
	for (i = 0; i < b->n; i++) {
		e = &b->v[i];
		if (e->r.id[0] == '\0')
			continue;
		jreq_from_entry(b, e, &q);
		j->pay.len = 0;
		jreq_encode(&j->pay, &q);
		ref = jreq_ref(j, q.id);
		same = ref->p != NULL && ref->len == j->pay.len &&
		    memcmp(ref->p, j->pay.p, ref->len) == 0;
		open = q.local != JREQ_SERVER || req_state_open(q.state);
		if (same && (ref->day >= day || !open))
			continue;
		free(ref->p);
		ref->p = xmalloc(j->pay.len);
		memcpy(ref->p, j->pay.p, j->pay.len);
		ref->len = j->pay.len;
		ref->day = day;
		if (same) {
			/* Stated again, for the new day file. */
			q.flags |= JREQ_RESTATED;
			j->pay.len = 0;
			jreq_encode(&j->pay, &q);
		}
		if (jwrite(j, JOURNAL_REQUEST, t, j->pay.p, j->pay.len, why,
		    sizeof why) != BC_OK) {
			j->error = xstrdup(why);
			return;
		}
	}
}

void
journal_step(struct journal *j, double t, const struct unit_table *tab,
    const struct link_status *ls, const struct event_log *log,
    const struct alert_queue *aq)
{
	const struct event	*e;
	const struct alert	*a;
	unsigned long		 n, i;
	char			 why[512];

	if (j == NULL || j->error != NULL)
		return;
	/* Nothing before the first message: until then the clock may be
	   the local one (the feed has not told its time), and there is no
	   picture to replay. */
	if (tab == NULL || tab->generation == 0)
		return;
	if (ls != NULL && journal_link(j, t, ls, why, sizeof why) != BC_OK)
		goto fail;
	/* The table's generation moves on every change: unchanged, there
	   is nothing to compare. */
	if (tab != NULL && (!j->gen_known || tab->generation != j->tabgen)) {
		if (journal_table(j, t, tab, why, sizeof why) != BC_OK)
			goto fail;
		j->tabgen = tab->generation;
		j->gen_known = 1;
	}
	if (log != NULL) {
		n = log->total - j->seen_events;
		if (n > log->n)
			n = log->n;	/* fell off the ring: lost to us too */
		for (i = n; i > 0; i--) {
			e = events_get(log, (size_t)(i - 1));
			if (journal_event(j, e, why, sizeof why) != BC_OK)
				goto fail;
		}
		j->seen_events = log->total;
	}
	if (aq != NULL) {
		/* Raised since: the newest, at the tail of the queue. */
		n = aq->raised - j->seen_raised;
		if (n > aq->n)
			n = aq->n;
		for (i = n; i > 0; i--) {
			a = &aq->v[aq->n - i];
			if (journal_alert(j, a->time, (unsigned)(aq->raised -
			    i + 1), a->text, why, sizeof why) != BC_OK)
				goto fail;
		}
		j->seen_raised = aq->raised;
		for (; j->seen_acked < aq->acked; j->seen_acked++)
			if (journal_ack(j, t, (unsigned)(j->seen_acked + 1),
			    why, sizeof why) != BC_OK)
				goto fail;
	}
	return;
fail:
	j->error = xstrdup(why);
}

void
journal_alerts_seen(struct journal *j, const struct alert_queue *aq)
{
	if (j == NULL || aq == NULL)
		return;
	j->seen_raised = aq->raised;
	j->seen_acked = aq->acked;
}

const char *
journal_error(const struct journal *j)
{
	return (j != NULL ? j->error : NULL);
}

/* ------------------------------------------------------------------ */
/* The reader. */

struct jread_ctx {
	struct journal_reader	*rd;
	const char		*path;
	int			 failed;
	char			*why;
	size_t			 whylen;
};

static int
jread_one(void *arg, const unsigned char *b, size_t n)
{
	struct jread_ctx	*c = arg;
	struct journal_reader	*rd = c->rd;
	struct journal_rec	*rec;
	uint32_t		 slen = jget_u32(b + 4), rlen = jget_u32(b + 8);
	uLongf			 out = rlen;

	(void)n;
	if (rd->n == rd->cap) {
		rd->cap = rd->cap == 0 ? 256 : rd->cap * 2;
		rd->v = xreallocarray(rd->v, rd->cap, sizeof *rd->v);
	}
	rec = &rd->v[rd->n];
	rec->type = (enum journal_type)b[12];
	rec->time = jget_f64(b + 16);
	rec->len = rlen;
	rec->p = xmalloc(rlen > 0 ? rlen : 1);
	if (b[13] & JFLAG_ZLIB) {
		if (uncompress(rec->p, &out, b + JOURNAL_HDR, slen) != Z_OK ||
		    out != rlen) {
			/* A good CRC over bad zlib: written so, skip it. */
			free(rec->p);
			return (0);
		}
	} else if (slen != rlen) {
		free(rec->p);
		return (0);
	} else
		memcpy(rec->p, b + JOURNAL_HDR, rlen);
	rd->n++;
	return (0);
}

enum bc_status
journal_read_file(const char *path, journal_warn_fn *warn, void *warn_arg,
    struct journal_reader *rd, char *why, size_t whylen)
{
	struct jread_ctx	 c;
	char			*b;
	size_t			 len, bad, bad_at;
	enum bc_status		 st;

	st = file_read_all(path, (size_t)1 << 30, &b, &len, why, whylen);
	if (st != BC_OK)
		return (st);
	if (len < JOURNAL_FILE_MAGIC_LEN ? memcmp(b, JOURNAL_FILE_MAGIC,
	    len) != 0 : memcmp(b, JOURNAL_FILE_MAGIC,
	    JOURNAL_FILE_MAGIC_LEN) != 0) {
		bc_why(why, whylen, "journal %s: not a bordercop journal "
		    "file", path);
		free(b);
		return (BC_FORMAT);
	}
	memset(&c, 0, sizeof c);
	c.rd = rd;
	c.path = path;
	jscan((const unsigned char *)b, len, jread_one, &c, &bad, &bad_at);
	if (bad > 0) {
		jwarn_bad(warn, warn_arg, path, bad, bad_at, 0);
		rd->warnings++;
	}
	rd->files++;
	free(b);
	return (BC_OK);
}

static int
jcmp_long(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return (x < y ? -1 : x > y);
}

enum bc_status
journal_read(const char *dir, double from, double to, journal_warn_fn *warn,
    void *warn_arg, struct journal_reader *rd, char *why, size_t whylen)
{
	DIR		*d;
	struct dirent	*de;
	long		*days = NULL, day;
	size_t		 n = 0, cap = 0, i;
	char		 name[32], *path;
	enum bc_status	 st = BC_OK;

	memset(rd, 0, sizeof *rd);
	if ((d = opendir(dir)) == NULL) {
		bc_why(why, whylen, "journal %s: %s", dir, strerror(errno));
		return (BC_IO);
	}
	while ((de = readdir(d)) != NULL) {
		if (jday_parse(de->d_name, &day) != 0)
			continue;
		if (isfinite(from) && day < jday(from))
			continue;
		if (isfinite(to) && day > jday(to))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			days = xreallocarray(days, cap, sizeof *days);
		}
		days[n++] = day;
	}
	closedir(d);
	qsort(days, n, sizeof *days, jcmp_long);
	for (i = 0; i < n && st == BC_OK; i++) {
		jday_name(days[i], name, sizeof name);
		xasprintf(&path, "%s/%s", dir, name);
		st = journal_read_file(path, warn, warn_arg, rd, why, whylen);
		free(path);
	}
	free(days);
	if (st == BC_OK && n == 0) {
		bc_why(why, whylen, "journal %s: no journal files%s", dir,
		    isfinite(from) || isfinite(to) ? " for that time" : "");
		st = BC_FORMAT;
	}
	if (st != BC_OK)
		journal_reader_done(rd);
	return (st);
}

double
journal_newest_day(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	long		 day, best = -1;

	if ((d = opendir(dir)) == NULL)
		return (NAN);
	while ((de = readdir(d)) != NULL)
		if (jday_parse(de->d_name, &day) == 0 && day > best)
			best = day;
	closedir(d);
	return (best >= 0 ? best * JOURNAL_DAY : NAN);
}

void
journal_reader_done(struct journal_reader *rd)
{
	size_t	i;

	for (i = 0; i < rd->n; i++)
		free(rd->v[i].p);
	free(rd->v);
	memset(rd, 0, sizeof *rd);
}

size_t
journal_key_before(const struct journal_reader *rd, double t)
{
	size_t	i, best = rd->n;

	for (i = 0; i < rd->n; i++) {
		if (rd->v[i].type != JOURNAL_KEY)
			continue;
		if (rd->v[i].time > t)
			break;
		best = i;
	}
	return (best);
}

void
journal_decoder_init(struct journal_decoder *d)
{
	memset(d, 0, sizeof *d);
}

void
journal_decoder_done(struct journal_decoder *d)
{
	free(d->refs);
	memset(d, 0, sizeof *d);
}

enum bc_status
journal_apply(struct journal_decoder *d, const struct journal_rec *rec,
    struct unit_table *t, char *why, size_t whylen)
{
	struct jcur	 c = { rec->p, rec->len, 0, 0 };
	struct report	*r;
	struct unit	*u;
	char		 id[UNIT_ID_MAX + 1];
	uint64_t	 n, i, ref;

	if (rec->type != JOURNAL_KEY && rec->type != JOURNAL_DELTA) {
		bc_why(why, whylen, "journal: a %s record is not a table",
		    journal_type_name(rec->type));
		return (BC_INVALID);
	}
	if (rec->type == JOURNAL_DELTA && !d->keyed) {
		bc_why(why, whylen, "journal: a delta before any keyframe");
		return (BC_FORMAT);
	}
	if (rec->type == JOURNAL_KEY) {
		d->nrefs = 0;
		d->keyed = 1;
		for (i = 0; i < t->n; i++)
			t->v[i].mark = 1;
	}
	n = jcur_varint(&c);
	for (i = 0; i < n && !c.bad; i++) {
		ref = jcur_varint(&c);
		if (ref == 0) {
			if (d->nrefs == d->cap) {
				d->cap = d->cap == 0 ? 64 : d->cap * 2;
				d->refs = xreallocarray(d->refs, d->cap,
				    sizeof *d->refs);
			}
			r = &d->refs[d->nrefs++];
			memset(r, 0, sizeof *r);
			jcur_str(&c, r->id, sizeof r->id);
		} else if (ref - 1 < d->nrefs)
			r = &d->refs[ref - 1];
		else {
			c.bad = 1;
			break;
		}
		jget_fields(&c, r);
		if (c.bad)
			break;
		units_set(t, r);
		if ((u = units_find(t, r->id)) != NULL)
			u->mark = 0;
	}
	n = jcur_varint(&c);
	for (i = 0; i < n && !c.bad; i++) {
		ref = jcur_varint(&c);
		if (ref >= d->nrefs) {
			c.bad = 1;
			break;
		}
		units_remove(t, d->refs[ref].id);
	}
	if (rec->type == JOURNAL_KEY) {
		for (i = t->n; i > 0; i--) {
			if (t->v[i - 1].mark) {
				memcpy(id, t->v[i - 1].r.id, sizeof id);
				units_remove(t, id);
			}
		}
	}
	if (c.bad) {
		/* The CRC was good, so the writer wrote it so: a bug, not
		   a torn write.  What was applied stays; a keyframe will
		   set the table right. */
		d->keyed = 0;
		bc_why(why, whylen, "journal: a %s record at %.0f does not "
		    "decode", journal_type_name(rec->type), rec->time);
		return (BC_FORMAT);
	}
	return (BC_OK);
}

enum bc_status
journal_decode_link(const struct journal_rec *rec,
    struct journal_link_rec *l)
{
	struct jcur	c = { rec->p, rec->len, 0, 0 };
	unsigned	s;

	if (rec->type != JOURNAL_LINK)
		return (BC_INVALID);
	s = jcur_u8(&c);
	jcur_str(&c, l->error, sizeof l->error);
	if (c.bad || s >= LINK_STATE_COUNT)
		return (BC_FORMAT);
	l->state = (enum link_state)s;
	return (BC_OK);
}

enum bc_status
journal_decode_event(const struct journal_rec *rec, struct event *e)
{
	struct jcur	c = { rec->p, rec->len, 0, 0 };
	unsigned	type, side;

	if (rec->type != JOURNAL_EVENT)
		return (BC_INVALID);
	memset(e, 0, sizeof *e);
	e->time = rec->time;
	type = jcur_u8(&c);
	side = jcur_u8(&c);
	e->km = jcur_f64(&c);
	e->gap_id = (unsigned)jcur_varint(&c);
	jcur_str(&c, e->unit_id, sizeof e->unit_id);
	jcur_str(&c, e->text, sizeof e->text);
	if (c.bad || type >= EVENT_COUNT || side > NSIDES)
		return (BC_FORMAT);
	e->type = (enum event_type)type;
	e->side = (int)side - 1;
	return (BC_OK);
}

enum bc_status
journal_decode_alert(const struct journal_rec *rec,
    struct journal_alert_rec *a)
{
	struct jcur	c = { rec->p, rec->len, 0, 0 };

	if (rec->type != JOURNAL_ALERT && rec->type != JOURNAL_ACK)
		return (BC_INVALID);
	a->id = (unsigned)jcur_varint(&c);
	jcur_str(&c, a->text, sizeof a->text);
	return (c.bad ? BC_FORMAT : BC_OK);
}

enum bc_status
journal_decode_request(const struct journal_rec *rec,
    struct journal_req_rec *q)
{
	struct jcur	c = { rec->p, rec->len, 0, 0 };
	unsigned	v, dir, sender, addressee, kind, state, local, answer;
	uint64_t	n, i;
	int		k;

	if (rec->type != JOURNAL_REQUEST)
		return (BC_INVALID);
	memset(q, 0, sizeof *q);
	q->time = rec->time;
	for (k = 0; k < REQ_STATE_COUNT; k++) {
		q->stamps[k].t = NAN;
		q->stamps[k].side = REQ_SIDE_SERVER;
	}
	if ((v = jcur_u8(&c)) != JREQ_VERSION)
		return (BC_FORMAT);
	jcur_str(&c, q->id, sizeof q->id);
	dir = jcur_u8(&c);
	sender = jcur_u8(&c);
	addressee = jcur_u8(&c);
	kind = jcur_u8(&c);
	state = jcur_u8(&c);
	local = jcur_u8(&c);
	answer = jcur_u8(&c);
	q->flags = jcur_u8(&c);
	q->a_km = jcur_f64(&c);
	q->b_km = jcur_f64(&c);
	q->counter_a_km = jcur_f64(&c);
	q->counter_b_km = jcur_f64(&c);
	jcur_str(&c, q->gap, sizeof q->gap);
	jcur_str(&c, q->sector, sizeof q->sector);
	jcur_str(&c, q->text, sizeof q->text);
	jcur_str(&c, q->reason, sizeof q->reason);
	jcur_str(&c, q->error, sizeof q->error);
	q->created = jcur_f64(&c);
	q->expires = jcur_f64(&c);
	n = jcur_varint(&c);
	for (i = 0; i < n && !c.bad; i++) {
		k = (int)jcur_u8(&c);
		v = jcur_u8(&c);
		if (k >= REQ_STATE_COUNT || v > NSIDES + 1) {
			c.bad = 1;
			break;
		}
		q->stamps[k].side = (int)v - 2;
		q->stamps[k].t = jcur_f64(&c);
	}
	q->seq = jcur_varint(&c);
	if (c.bad || q->id[0] == '\0' || dir > JREQ_DIR_UNKNOWN ||
	    sender > NSIDES || addressee > NSIDES || kind >= REQ_KIND_COUNT ||
	    state >= REQ_STATE_COUNT || local >= JREQ_LOCAL_COUNT ||
	    answer >= REQ_STATE_COUNT)
		return (BC_FORMAT);
	q->dir = (enum journal_req_dir)dir;
	q->sender = (int)sender - 1;
	q->addressee = (int)addressee - 1;
	q->kind = (enum req_kind)kind;
	q->state = (enum req_state)state;
	q->local = (enum journal_req_local)local;
	q->answer = (enum req_state)answer;
	return (BC_OK);
}
