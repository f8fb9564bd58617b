/*
 * feed.c: the coordination API v1 parser (see bordercop-api(7)).
 *
 * This is the only place where feed JSON is read.  It refuses a message as
 * a whole only when it is not an API v1 FeatureCollection at all (or too
 * big or too deep); otherwise every feature is checked alone, and a bad one
 * is set aside with its index, its id when it has a usable one, and the
 * first reason found.  Every string that leaves here went through
 * str_clean(): valid UTF-8, no control characters, no escape sequences.
 *
 * A message is read in pieces so that it never has to be held as one tree
 * (tens of MB at 10,000 features): one scan finds the elements of the
 * top-level "features" array, the rest of the body (the "skeleton", with
 * an empty array in their place) is parsed and checked first, then each
 * element is parsed, validated and freed in turn.  The pieces are exactly
 * as strict as one parse of the whole body: the body is valid JSON if and
 * only if the skeleton and every element are, and on any syntax error the
 * whole body is parsed again to report it (feed_parse_whole), so that the
 * verdict and the error text are the same either way.
 */
#include "config.h"

#include <sys/types.h>

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed.h"
#include "hash.h"
#include "util.h"
#include "xmalloc.h"

#define FEED_API		"bordercop-coordination/1"
#define FEED_INT_MAX		9007199254740991.0	/* 2^53 - 1 */
#define FEED_AHEAD_MAX		3600.0	/* s a report may be ahead */

/* What one pass over the raw body found. */
struct feed_scan {
	int	 deepest;	/* nesting, or max + 1 once past max */
	int	 open;		/* ends inside a string, array or object */

	size_t	*surr;		/* offsets of lone surrogate and NUL escapes */
	size_t	 nsurr;
	size_t	 surrcap;

	int	 split;		/* the features array was found: */
	size_t	 arr_open;	/* offset of its '[' */
	size_t	*cut;		/* offsets of its ',' then of its ']' */
	size_t	 ncut;
	size_t	 cutcap;
};

/* The features validated so far, written straight into msg->reports. */
struct feed_acc {
	struct feed_msg		 *msg;
	const char *const	 *side_codes;
	size_t			 *index;	/* feature index of each */
	unsigned char		 *dropped;	/* a duplicate set aside */
	size_t			  n;
	size_t			  cap;
	size_t			  rcap;		/* of msg->rejected */
};

/* Whether cJSON skips c as white space (it takes every byte <= 32). */
static int
feed_is_jspace(unsigned char c)
{
	return (c <= 32);
}

/* The white space RFC 8259 allows after the value. */
static int
feed_is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static int
feed_hex4(const char *p, unsigned *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		*v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*v |= (unsigned)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			*v |= (unsigned)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			*v |= (unsigned)(p[i] - 'A' + 10);
		else
			return (-1);
	}
	return (0);
}

static void
feed_push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 256 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[(*n)++] = x;
}

/*
 * A backslash escape at buf[i] inside a string: the offset of its last
 * byte, the way cJSON skips it (the next byte, whatever it is), except
 * that \uNNNN surrogates are looked at: a high one followed by a low one
 * is a pair, any other is lone and its offset is noted; so is \u0000,
 * which cJSON would write as a NUL that ends the C string early.
 */
static size_t
feed_scan_escape(const char *buf, size_t len, size_t i, struct feed_scan *sc)
{
	unsigned	v, w;

	if (i + 5 >= len || buf[i + 1] != 'u' || feed_hex4(buf + i + 2,
	    &v) != 0)
		return (i + 1);
	if (v == 0) {
		feed_push(&sc->surr, &sc->nsurr, &sc->surrcap, i);
		return (i + 5);
	}
	if (v < 0xd800 || v > 0xdfff)
		return (i + 1);
	if (v <= 0xdbff && i + 11 < len && buf[i + 6] == '\\' &&
	    buf[i + 7] == 'u' && feed_hex4(buf + i + 8, &w) == 0 &&
	    w >= 0xdc00 && w <= 0xdfff)
		return (i + 11);
	feed_push(&sc->surr, &sc->nsurr, &sc->surrcap, i);
	return (i + 5);
}

/*
 * One pass over the body before cJSON sees it: the deepest nesting (so
 * that cJSON's recursion is bounded by us), whether the body is cut
 * short, the lone surrogate escapes, and where the elements of the
 * top-level "features" array are.  The elements are found only in a body
 * shaped like an object whose keys at the top have no escapes; any other
 * body is parsed whole.  The split need not be right for a body that is
 * not JSON: each piece is checked by cJSON afterwards.
 */
/* Bytes that the scan stops at inside a string, and outside one. */
static unsigned char	feed_stop_str[256], feed_stop_val[256];

static void
feed_scan_tables(void)
{
	const char	*p;

	if (feed_stop_str['"'])
		return;
	feed_stop_str['\\'] = feed_stop_str['\0'] = 1;
	for (p = "[]{},:"; *p != '\0'; p++)
		feed_stop_val[(unsigned char)*p] = 1;
	feed_stop_val['"'] = 1;
	feed_stop_str['"'] = 1;
}

static void
feed_scan(const char *buf, size_t len, int max, struct feed_scan *sc)
{
	size_t	i, j, key = 0, colon = 0;
	int	depth = 0, instr = 0, want_key = 0, inkey = 0, keyesc = 0,
		found = 0, after_key = 0, in_arr = 0;

	feed_scan_tables();
	memset(sc, 0, sizeof *sc);
	i = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && feed_is_jspace((unsigned char)buf[i]))
		i++;
	if (i == len || buf[i] != '{')
		found = -1;		/* no split for this body */
	for (; i < len; i++) {
		if (instr) {
			while (i < len &&
			    !feed_stop_str[(unsigned char)buf[i]])
				i++;
			if (i == len)
				break;
			if (buf[i] == '\\') {
				if (inkey)
					keyesc = 1;
				i = feed_scan_escape(buf, len, i, sc);
			} else if (buf[i] == '\0') {
				if (inkey)
					keyesc = 1;	/* cJSON's key ends */
			} else {
				instr = 0;
				if (inkey && found == 0) {
					/* Only the first "features" counts,
					   as for cJSON; a key that may
					   decode to it stops the split. */
					if (keyesc)
						found = -1;
					else if (i - key == 8 && memcmp(buf +
					    key, "features", 8) == 0) {
						found = 2;
						after_key = 1;
					}
				}
				inkey = 0;
			}
			continue;
		}
		while (i < len && !feed_stop_val[(unsigned char)buf[i]])
			i++;
		if (i == len)
			break;
		switch (buf[i]) {
		case '"':
			instr = 1;
			after_key = 0;
			if (depth == 1 && want_key) {
				inkey = 1;
				keyesc = 0;
				key = i + 1;
				want_key = 0;
			}
			break;
		case '[':
			if (after_key == 2 && depth == 1) {
				for (j = colon + 1; j < i &&
				    feed_is_jspace((unsigned char)buf[j]); j++)
					/* nothing */;
				if (j == i) {
					sc->arr_open = i;
					in_arr = 1;
					found = 1;
				}
			}
			/* FALLTHROUGH */
		case '{':
			after_key = 0;
			if (++depth > sc->deepest)
				sc->deepest = depth;
			if (depth > max)
				return;
			want_key = depth == 1 && buf[i] == '{';
			break;
		case ']':
		case '}':
			if (in_arr && depth == 2) {
				if (buf[i] == ']') {
					feed_push(&sc->cut, &sc->ncut,
					    &sc->cutcap, i);
					sc->split = 1;
				} else
					found = -1;
				in_arr = 0;
			}
			depth--;
			after_key = 0;
			break;
		case ',':
			if (depth == 1)
				want_key = 1;
			else if (depth == 2 && in_arr)
				feed_push(&sc->cut, &sc->ncut, &sc->cutcap, i);
			after_key = 0;
			break;
		case ':':
			if (after_key == 1) {
				after_key = 2;
				colon = i;
			} else
				after_key = 0;
			break;
		}
	}
	sc->open = instr || depth > 0;
	if (sc->open || found != 1 || !sc->split) {
		sc->split = 0;
		sc->ncut = 0;
	}
}

static void
feed_scan_done(struct feed_scan *sc)
{
	free(sc->surr);
	free(sc->cut);
	memset(sc, 0, sizeof *sc);
}

/*
 * A copy of the body with each lone surrogate escape (6 bytes, \uD800 to
 * \uDFFF) replaced by the 3 bytes that would encode it, which are not
 * UTF-8: cJSON refuses such an escape, and with it the whole message,
 * while the string it is in is only one member of one feature.  The
 * string is then treated as any with invalid UTF-8 (the id refused, text
 * given U+FFFD).  Each \u0000 becomes C0 80, the overlong form of U+0000:
 * cJSON would write a NUL that cuts the C string short ("ID-A\u0000x"
 * read as "ID-A"), while C0 80 keeps the string whole and is refused
 * wherever it is looked at (feed_has_nul).
 */
static char *
feed_patch(const char *buf, size_t len, const struct feed_scan *sc,
    size_t *newlen)
{
	char		*out, *o;
	size_t		 i, from = 0;
	unsigned	 v;

	out = xmalloc(len + 1);
	o = out;
	for (i = 0; i < sc->nsurr; i++) {
		memcpy(o, buf + from, sc->surr[i] - from);
		o += sc->surr[i] - from;
		feed_hex4(buf + sc->surr[i] + 2, &v);
		from = sc->surr[i] + 6;
		if (v == 0) {
			*o++ = (char)0xc0;
			*o++ = (char)0x80;
			continue;
		}
		*o++ = (char)(0xe0 | (v >> 12));
		*o++ = (char)(0x80 | ((v >> 6) & 0x3f));
		*o++ = (char)(0x80 | (v & 0x3f));
	}
	memcpy(o, buf + from, len - from);
	o += len - from;
	*o = '\0';
	*newlen = (size_t)(o - out);
	return (out);
}

char *
feed_json_patch(const char *buf, size_t len, size_t *newlen)
{
	struct feed_scan	 sc;
	char			*out = NULL;

	feed_scan(buf, len, INT_MAX, &sc);
	if (sc.nsurr > 0)
		out = feed_patch(buf, len, &sc, newlen);
	feed_scan_done(&sc);
	return (out);
}

/* An offset in the patched body as an offset in the body as received. */
static size_t
feed_unpatch(const struct feed_scan *sc, const char *orig, size_t off)
{
	size_t		i, w, shrink = 0;
	unsigned	v;

	for (i = 0; i < sc->nsurr; i++) {
		feed_hex4(orig + sc->surr[i] + 2, &v);
		w = v == 0 ? 2 : 3;
		if (sc->surr[i] - shrink + w > off)
			break;
		shrink += 6 - w;
	}
	return (off + shrink);
}

/* Describe where a syntax error is, by line and column (from 1). */
static void
feed_syntax_error(const char *buf, size_t len, size_t off, const char *what,
    char *why, size_t whylen)
{
	size_t	i, line = 1, col = 1;

	if (off >= len)
		off = len - 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	bc_why(why, whylen, "not JSON: %s at line %zu, column %zu", what, line,
	    col);
}

/*
 * A number as a reason quotes it: as %g when that reads back as the same
 * double, else with more digits until it does (at most 17), so that 1e300
 * is not written out in 301 digits nor 180.0000001 shown as 180.
 */
static const char *
feed_num(char *buf, size_t len, double v)
{
	int	p;

	for (p = 6; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return (buf);
}

static const char *
feed_type_name(const cJSON *j)
{
	if (cJSON_IsArray(j))
		return ("an array");
	if (cJSON_IsObject(j))
		return ("an object");
	if (cJSON_IsString(j))
		return ("a string");
	if (cJSON_IsNumber(j))
		return ("a number");
	if (cJSON_IsBool(j))
		return ("a boolean");
	return ("null");
}

static const cJSON *
feed_get(const cJSON *obj, const char *name)
{
	const cJSON	*j;

	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (j == NULL || cJSON_IsNull(j))
		return (NULL);
	return (j);
}

/* A member as feed_get takes it: null is absent. */
static const cJSON *
feed_value(const cJSON *j)
{
	return (j == NULL || cJSON_IsNull(j) ? NULL : j);
}

/*
 * The length of s when it is printable ASCII only, and so already clean
 * (most feed text is), else -1.
 */
static ssize_t
feed_ascii(const char *s)
{
	const char	*p;

	for (p = s; *p >= 0x20 && *p < 0x7f; p++)
		/* nothing */;
	return (*p == '\0' ? p - s : -1);
}

/*
 * An id as a clean string: a JSON string, or an integer (RFC 7946 allows
 * numeric ids).  Returns NULL on success, or the reason; *id is filled as
 * far as it can be, so that a rejection can still name the feature.
 */
static const char *
feed_id(const cJSON *j, char *id, size_t idlen)
{
	const char	*bad;
	size_t		 len;

	id[0] = '\0';
	if (j == NULL)
		return ("missing");
	if (cJSON_IsNumber(j)) {
		if (!isfinite(j->valuedouble) ||
		    j->valuedouble != floor(j->valuedouble) ||
		    fabs(j->valuedouble) > FEED_INT_MAX)
			return ("not a string or an integer");
		snprintf(id, idlen, "%.0f", j->valuedouble);
		return (NULL);
	}
	if (!cJSON_IsString(j))
		return ("not a string or an integer");
	len = strlen(j->valuestring);
	if (len == 0)
		return ("empty");
	if (len > UNIT_ID_MAX) {
		str_clean(id, idlen, j->valuestring, len);
		return ("longer than 64 bytes");
	}
	if (feed_ascii(j->valuestring) < 0 &&
	    (bad = str_unclean_why(j->valuestring)) != NULL) {
		str_clean(id, idlen, j->valuestring, len);
		return (bad);
	}
	memcpy(id, j->valuestring, len + 1);
	return (NULL);
}

/*
 * An optional number in [lo, hi]: 1 when absent (*out = NAN), 0 when
 * good, -1 with the reason when not.
 */
static int
feed_number(const cJSON *j, const char *name, double lo, double hi,
    double *out, char *reason, size_t rlen)
{
	char	n[3][32];
	double	v;

	*out = NAN;
	if (j == NULL)
		return (1);
	if (!cJSON_IsNumber(j)) {
		bc_why(reason, rlen, "properties.%s: not a number", name);
		return (-1);
	}
	v = j->valuedouble;
	if (!isfinite(v)) {
		bc_why(reason, rlen, "properties.%s: not finite", name);
		return (-1);
	}
	if (v < lo || v > hi) {
		feed_num(n[0], sizeof n[0], v);
		feed_num(n[1], sizeof n[1], lo);
		feed_num(n[2], sizeof n[2], hi);
		if (isinf(hi))
			bc_why(reason, rlen, "properties.%s: %s out of range "
			    "(>= %s)", name, n[0], n[1]);
		else
			bc_why(reason, rlen, "properties.%s: %s out of range "
			    "(%s..%s)", name, n[0], n[1], n[2]);
		return (-1);
	}
	*out = v;
	return (0);
}

/*
 * Whether a decoded string held U+0000: feed_patch() wrote each \u0000
 * as C0 80, the overlong NUL (which as raw bytes means the same).
 */
int
feed_has_nul(const char *s)
{
	return (strstr(s, "\xc0\x80") != NULL);
}

/*
 * An optional string, cleaned into dst ("" when absent).  A NUL is
 * refused rather than cleaned away: C code would read the text up to it,
 * so the sender cannot have meant what would be shown.
 */
static int
feed_text(const cJSON *j, const char *name, char *dst, size_t dstlen,
    char *reason, size_t rlen)
{
	ssize_t	n;

	dst[0] = '\0';
	if (j == NULL)
		return (1);
	if (!cJSON_IsString(j)) {
		bc_why(reason, rlen, "properties.%s: not a string", name);
		return (-1);
	}
	if ((n = feed_ascii(j->valuestring)) >= 0 && (size_t)n < dstlen)
		memcpy(dst, j->valuestring, (size_t)n + 1);
	else if (feed_has_nul(j->valuestring)) {
		bc_why(reason, rlen, "properties.%s: a NUL character", name);
		return (-1);
	} else
		str_clean(dst, dstlen, j->valuestring,
		    strlen(j->valuestring));
	return (0);
}

/* An RFC 3339 time: 1 absent, 0 good, -1 bad (with the reason). */
static int
feed_time(const cJSON *j, const char *name, double *out, char *reason,
    size_t rlen)
{
	*out = NAN;
	if (j == NULL)
		return (1);
	if (!cJSON_IsString(j) ||
	    time_parse_rfc3339(j->valuestring, out) != 0) {
		*out = NAN;
		bc_why(reason, rlen, "properties.%s: not an RFC 3339 date-time",
		    name);
		return (-1);
	}
	return (0);
}

/* The Point geometry: longitude, latitude and an optional altitude. */
static int
feed_geometry(const cJSON *g, struct report *r, char *reason, size_t rlen)
{
	static const char *const names[3] = {
		"longitude", "latitude", "altitude"
	};
	const cJSON	*t = NULL, *c = NULL, *e;
	char		 n[32];
	double		 v[3];
	int		 i;

	if (g == NULL) {
		bc_why(reason, rlen, "geometry: missing");
		return (-1);
	}
	if (!cJSON_IsObject(g)) {
		bc_why(reason, rlen, "geometry: not an object");
		return (-1);
	}
	for (e = g->child; e != NULL; e = e->next) {
		if (e->string == NULL)
			continue;
		if (t == NULL && strcmp(e->string, "type") == 0)
			t = e;
		else if (c == NULL && strcmp(e->string, "coordinates") == 0)
			c = e;
	}
	if (!cJSON_IsString(t) || strcmp(t->valuestring, "Point") != 0) {
		bc_why(reason, rlen, "geometry: not a Point");
		return (-1);
	}
	if (!cJSON_IsArray(c)) {
		bc_why(reason, rlen, "coordinates: not an array");
		return (-1);
	}
	i = 0;
	for (e = c->child; e != NULL; e = e->next)
		i++;
	if (i < 2 || i > 3) {
		bc_why(reason, rlen, "coordinates: length %d, expected 2 or 3",
		    i);
		return (-1);
	}
	i = 0;
	for (e = c->child; e != NULL; e = e->next) {
		if (!cJSON_IsNumber(e)) {
			bc_why(reason, rlen, "coordinates: %s not a number",
			    names[i]);
			return (-1);
		}
		if (!isfinite(e->valuedouble)) {
			bc_why(reason, rlen, "coordinates: %s not finite",
			    names[i]);
			return (-1);
		}
		v[i++] = e->valuedouble;
	}
	if (v[0] < -180 || v[0] > 180) {
		bc_why(reason, rlen, "coordinates: longitude %s out of range "
		    "(-180..180)", feed_num(n, sizeof n, v[0]));
		return (-1);
	}
	if (v[1] < -90 || v[1] > 90) {
		bc_why(reason, rlen, "coordinates: latitude %s out of range "
		    "(-90..90)", feed_num(n, sizeof n, v[1]));
		return (-1);
	}
	r->lon = v[0];
	r->lat = v[1];
	return (0);
}

/* The side code: exactly one of the map's two. */
static int
feed_side(const cJSON *j, const char *const side_codes[NSIDES],
    struct report *r, char *reason, size_t rlen)
{
	const char	*bad;
	char		 shown[24];
	int		 i;

	if (j == NULL) {
		bc_why(reason, rlen, "properties.side: missing");
		return (-1);
	}
	if (!cJSON_IsString(j)) {
		bc_why(reason, rlen, "properties.side: not a string");
		return (-1);
	}
	for (i = 0; i < NSIDES; i++) {
		if (strcmp(j->valuestring, side_codes[i]) == 0) {
			r->side = i;
			return (0);
		}
	}
	if ((bad = str_unclean_why(j->valuestring)) != NULL) {
		bc_why(reason, rlen, "properties.side: %s", bad);
		return (-1);
	}
	str_clean(shown, sizeof shown, j->valuestring, strlen(j->valuestring));
	bc_why(reason, rlen, "properties.side: '%s' is not %s or %s", shown,
	    side_codes[SIDE_LEFT], side_codes[SIDE_RIGHT]);
	return (-1);
}

static int
feed_seq(const cJSON *j, struct report *r, char *reason, size_t rlen)
{
	char	n[2][32];
	double	v;

	r->seq = -1;
	if (j == NULL)
		return (1);
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) ||
	    j->valuedouble != floor(j->valuedouble)) {
		bc_why(reason, rlen, "properties.seq: not an integer");
		return (-1);
	}
	v = j->valuedouble;
	if (v < 0 || v > FEED_INT_MAX) {
		bc_why(reason, rlen, "properties.seq: %s out of range (0..%s)",
		    feed_num(n[0], sizeof n[0], v),
		    feed_num(n[1], sizeof n[1], FEED_INT_MAX));
		return (-1);
	}
	r->seq = (int64_t)v;
	return (0);
}

/* The members of properties that are read, by name. */
#define FEED_PROPS(X)		\
	X(SIDE,		"side")		\
	X(TIME,		"time")		\
	X(STALE_AT,	"stale_at")	\
	X(SEQ,		"seq")		\
	X(AGENCY,	"agency")	\
	X(CALLSIGN,	"callsign")	\
	X(KIND,		"kind")		\
	X(STATUS,	"status")	\
	X(HEADING,	"heading_deg")	\
	X(SPEED,	"speed_kmh")	\
	X(RADIUS,	"radius_m")	\
	X(CE,		"ce_m")

enum feed_prop {
#define X(id, name) FP_##id,
	FEED_PROPS(X)
#undef X
	FP_COUNT
};

static const char *const feed_prop_names[FP_COUNT] = {
#define X(id, name) name,
	FEED_PROPS(X)
#undef X
};

/*
 * The first member of each name, in one pass over the object's members
 * (as cJSON_GetObjectItemCaseSensitive would find it: exact, first one).
 */
static void
feed_props(const cJSON *p, const cJSON *m[FP_COUNT])
{
	const cJSON	*e;
	int		 i;

	memset(m, 0, FP_COUNT * sizeof *m);
	for (e = p->child; e != NULL; e = e->next) {
		if (e->string == NULL)
			continue;
		for (i = 0; i < FP_COUNT; i++) {
			if (e->string[0] == feed_prop_names[i][0] &&
			    strcmp(e->string, feed_prop_names[i]) == 0)
				break;
		}
		if (i < FP_COUNT && m[i] == NULL)
			m[i] = e;
	}
	for (i = 0; i < FP_COUNT; i++)
		m[i] = feed_value(m[i]);
}

/*
 * Validate one feature into *r.  Returns 0, or -1 with the first reason
 * found; r->id holds the clean id as soon as it is known.  server_time
 * (epoch s, NAN when absent) bounds how far ahead a report may be.
 */
static int
feed_feature(const cJSON *f, const char *const side_codes[NSIDES],
    double server_time, struct report *r, char *reason, size_t rlen)
{
	const cJSON	*e, *id = NULL, *type = NULL, *geom = NULL,
			*props = NULL, *m[FP_COUNT];
	const char	*bad;
	double		 radius_m;

	memset(r, 0, sizeof *r);
	r->seq = -1;
	r->time = r->stale_at = r->heading_deg = r->speed_kmh = NAN;
	r->radius_km = r->ce_m = NAN;

	if (!cJSON_IsObject(f)) {
		bc_why(reason, rlen, "not an object but %s",
		    feed_type_name(f));
		return (-1);
	}
	for (e = f->child; e != NULL; e = e->next) {
		if (e->string == NULL)
			continue;
		if (id == NULL && strcmp(e->string, "id") == 0)
			id = e;
		else if (type == NULL && strcmp(e->string, "type") == 0)
			type = e;
		else if (geom == NULL && strcmp(e->string, "geometry") == 0)
			geom = e;
		else if (props == NULL &&
		    strcmp(e->string, "properties") == 0)
			props = e;
	}
	if ((bad = feed_id(feed_value(id), r->id, sizeof r->id)) != NULL) {
		bc_why(reason, rlen, "id: %s", bad);
		return (-1);
	}
	if (!cJSON_IsString(type) ||
	    strcmp(type->valuestring, "Feature") != 0) {
		bc_why(reason, rlen, "type: not 'Feature'");
		return (-1);
	}
	if (feed_geometry(feed_value(geom), r, reason, rlen) != 0)
		return (-1);

	if ((props = feed_value(props)) == NULL) {
		bc_why(reason, rlen, "properties: missing");
		return (-1);
	}
	if (!cJSON_IsObject(props)) {
		bc_why(reason, rlen, "properties: not an object");
		return (-1);
	}
	feed_props(props, m);
	if (feed_side(m[FP_SIDE], side_codes, r, reason, rlen) != 0)
		return (-1);
	switch (feed_time(m[FP_TIME], "time", &r->time, reason, rlen)) {
	case 1:
		bc_why(reason, rlen, "properties.time: missing");
		return (-1);
	case -1:
		return (-1);
	}
	if (r->time - server_time > FEED_AHEAD_MAX) {
		bc_why(reason, rlen, "properties.time: %.0f s ahead of "
		    "server_time", ceil(r->time - server_time));
		return (-1);
	}
	if (feed_time(m[FP_STALE_AT], "stale_at", &r->stale_at, reason,
	    rlen) == -1)
		return (-1);
	if (feed_seq(m[FP_SEQ], r, reason, rlen) == -1)
		return (-1);

	if (feed_text(m[FP_AGENCY], "agency", r->agency, sizeof r->agency,
	    reason, rlen) == -1 ||
	    feed_text(m[FP_CALLSIGN], "callsign", r->callsign,
	    sizeof r->callsign, reason, rlen) == -1 ||
	    feed_text(m[FP_KIND], "kind", r->kind_text, sizeof r->kind_text,
	    reason, rlen) == -1 ||
	    feed_text(m[FP_STATUS], "status", r->status_text,
	    sizeof r->status_text, reason, rlen) == -1)
		return (-1);
	r->kind = unit_kind_from_name(r->kind_text);
	if (r->status_text[0] == '\0') {
		r->status = STATUS_PATROL;
		snprintf(r->status_text, sizeof r->status_text, "%s",
		    unit_status_names[STATUS_PATROL]);
	} else
		r->status = unit_status_from_name(r->status_text);

	if (feed_number(m[FP_HEADING], "heading_deg", 0, 360, &r->heading_deg,
	    reason, rlen) == -1 ||
	    feed_number(m[FP_SPEED], "speed_kmh", 0, 2000, &r->speed_kmh,
	    reason, rlen) == -1 ||
	    feed_number(m[FP_RADIUS], "radius_m", 1, 200000, &radius_m,
	    reason, rlen) == -1 ||
	    feed_number(m[FP_CE], "ce_m", 0, INFINITY, &r->ce_m, reason,
	    rlen) == -1)
		return (-1);
	r->radius_km = radius_m / 1000.0;	/* NAN stays NAN */
	return (0);
}

static void
feed_reject(struct feed_msg *msg, size_t *cap, size_t index, const char *id,
    const char *reason)
{
	struct rejected	*rj;

	if (msg->nrejected == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		msg->rejected = xreallocarray(msg->rejected, *cap,
		    sizeof *msg->rejected);
	}
	rj = &msg->rejected[msg->nrejected++];
	rj->index = index;
	snprintf(rj->id, sizeof rj->id, "%s", id);
	snprintf(rj->reason, sizeof rj->reason, "%s", reason);
}

static int
feed_cmp_rejected(const void *a, const void *b)
{
	const struct rejected	*x = a, *y = b;

	return (x->index < y->index ? -1 : x->index > y->index);
}

/* Whether report a should win over b (same rule as the unit table). */
static int
feed_newer(const struct report *a, const struct report *b)
{
	if (a->seq >= 0 && b->seq >= 0)
		return (a->seq > b->seq);
	return (a->time > b->time);
}

static void
feed_acc_init(struct feed_acc *acc, struct feed_msg *msg,
    const char *const side_codes[NSIDES], size_t n)
{
	memset(acc, 0, sizeof *acc);
	acc->msg = msg;
	acc->side_codes = side_codes;
	acc->cap = n + 1;
	msg->reports = xreallocarray(NULL, acc->cap, sizeof *msg->reports);
	acc->index = xreallocarray(NULL, acc->cap, sizeof *acc->index);
	acc->dropped = xcalloc(acc->cap, 1);
}

static void
feed_acc_done(struct feed_acc *acc)
{
	free(acc->index);
	free(acc->dropped);
	acc->index = NULL;
	acc->dropped = NULL;
}

/* Validate feature number index, keeping it or setting it aside. */
static void
feed_take(struct feed_acc *acc, const cJSON *f, size_t index)
{
	struct feed_msg	*msg = acc->msg;
	struct report	*r;
	char		 reason[FEED_REASON_MAX];

	if (acc->n == acc->cap) {
		acc->cap *= 2;
		msg->reports = xreallocarray(msg->reports, acc->cap,
		    sizeof *msg->reports);
		acc->index = xreallocarray(acc->index, acc->cap,
		    sizeof *acc->index);
		acc->dropped = xreallocarray(acc->dropped, acc->cap, 1);
	}
	r = &msg->reports[acc->n];
	if (feed_feature(f, acc->side_codes, msg->server_time, r, reason,
	    sizeof reason) == 0) {
		acc->index[acc->n] = index;
		acc->dropped[acc->n] = 0;
		acc->n++;
	} else
		feed_reject(msg, &acc->rcap, index, r->id, reason);
}

/*
 * Within one message an id may appear once: keep the newest report (by
 * seq, else time; the first on a tie) and reject the others.  Reports are
 * met in feature order, each against the best of its id so far.
 */
static void
feed_dedup(struct feed_acc *acc)
{
	struct feed_msg	*msg = acc->msg;
	struct report	*r = msg->reports;
	size_t		*slot, cap, i, h, b, drop;

	if (acc->n < 2)
		return;
	for (cap = 16; cap < 2 * acc->n; cap *= 2)
		/* nothing */;
	slot = xcalloc(cap, sizeof *slot);
	for (i = 0; i < acc->n; i++) {
		h = (size_t)hash_str(r[i].id) & (cap - 1);
		while (slot[h] != 0 && strcmp(r[slot[h] - 1].id, r[i].id) != 0)
			h = (h + 1) & (cap - 1);
		if (slot[h] == 0) {
			slot[h] = i + 1;
			continue;
		}
		b = slot[h] - 1;
		if (feed_newer(&r[i], &r[b])) {
			drop = b;
			slot[h] = i + 1;
		} else
			drop = i;
		acc->dropped[drop] = 1;
		feed_reject(msg, &acc->rcap, acc->index[drop], r[drop].id,
		    "duplicate id in this message");
	}
	free(slot);
}

/* Set the duplicates aside and close the lists. */
static void
feed_finish(struct feed_acc *acc)
{
	struct feed_msg	*msg = acc->msg;
	size_t		 i, k;

	feed_dedup(acc);
	if (msg->nrejected > 1)
		qsort(msg->rejected, msg->nrejected, sizeof *msg->rejected,
		    feed_cmp_rejected);
	for (k = 0, i = 0; i < acc->n; i++) {
		if (acc->dropped[i])
			continue;
		if (k != i)
			msg->reports[k] = msg->reports[i];
		k++;
	}
	msg->nreports = k;
	feed_acc_done(acc);
}

/* The removed ids: an array of ids, each as a feature id would be. */
static enum bc_status
feed_removed(const cJSON *j, struct feed_msg *msg, char *why, size_t whylen)
{
	const cJSON	*e;
	const char	*bad;
	char		 id[UNIT_ID_MAX + 1];
	size_t		 i;

	if (j == NULL)
		return (BC_OK);
	if (!cJSON_IsArray(j)) {
		bc_why(why, whylen, "removed: not an array");
		return (BC_FORMAT);
	}
	if ((size_t)cJSON_GetArraySize(j) > FEED_MAX_REMOVED) {
		bc_why(why, whylen, "removed: %d ids, more than the limit of %d",
		    cJSON_GetArraySize(j), FEED_MAX_REMOVED);
		return (BC_TOOBIG);
	}
	msg->removed = xcalloc((size_t)cJSON_GetArraySize(j) + 1,
	    sizeof *msg->removed);
	i = 0;
	cJSON_ArrayForEach(e, j) {
		if ((bad = feed_id(e, id, sizeof id)) != NULL) {
			bc_why(why, whylen, "removed[%zu]: %s", i, bad);
			return (BC_FORMAT);
		}
		msg->removed[msg->nremoved++] = xstrdup(id);
		i++;
	}
	return (BC_OK);
}

/* The message's own members: api, server_time, cursor, full, removed. */
static enum bc_status
feed_header(const cJSON *root, struct feed_msg *msg, char *why,
    size_t whylen)
{
	const cJSON	*j;
	const char	*s;
	size_t		 n;

	if ((j = feed_get(root, "api")) != NULL) {
		if (!cJSON_IsString(j)) {
			bc_why(why, whylen, "api: not a string");
			return (BC_FORMAT);
		}
		s = j->valuestring;
		n = strlen(FEED_API);
		if (strncmp(s, FEED_API, n) != 0 ||
		    (s[n] >= '0' && s[n] <= '9') || feed_has_nul(s)) {
			str_clean(msg->api, sizeof msg->api, s, strlen(s));
			bc_why(why, whylen, "api: '%s' is not %s", msg->api,
			    FEED_API);
			msg->api[0] = '\0';
			return (BC_FORMAT);
		}
		str_clean(msg->api, sizeof msg->api, s, strlen(s));
	}
	if ((j = feed_get(root, "server_time")) != NULL) {
		if (!cJSON_IsString(j) || time_parse_rfc3339(j->valuestring,
		    &msg->server_time) != 0) {
			msg->server_time = NAN;
			bc_why(why, whylen, "server_time: not an RFC 3339 "
			    "date-time");
			return (BC_FORMAT);
		}
	}
	if ((j = feed_get(root, "cursor")) != NULL) {
		if (!cJSON_IsString(j)) {
			bc_why(why, whylen, "cursor: not a string");
			return (BC_FORMAT);
		}
		if (strlen(j->valuestring) > FEED_CURSOR_MAX) {
			bc_why(why, whylen, "cursor: longer than %d bytes",
			    FEED_CURSOR_MAX);
			return (BC_FORMAT);
		}
		if ((s = str_unclean_why(j->valuestring)) != NULL) {
			bc_why(why, whylen, "cursor: %s", s);
			return (BC_FORMAT);
		}
		msg->cursor = xstrdup(j->valuestring);
	}
	if ((j = feed_get(root, "full")) != NULL) {
		if (!cJSON_IsBool(j)) {
			bc_why(why, whylen, "full: not a boolean");
			return (BC_FORMAT);
		}
		msg->full = cJSON_IsTrue(j);
	}
	return (feed_removed(feed_get(root, "removed"), msg, why, whylen));
}

static void
feed_msg_empty(struct feed_msg *msg)
{
	memset(msg, 0, sizeof *msg);
	msg->server_time = NAN;
	msg->full = 1;
}

/*
 * The checks on the message as a whole once it is known to be JSON: a
 * FeatureCollection with a features array of at most the limit, and its
 * own members.  nfeatures is how many elements the array has.
 */
static enum bc_status
feed_root(const cJSON *root, size_t nfeatures, struct feed_msg *msg,
    char *why, size_t whylen)
{
	const cJSON	*type, *features;
	char		 shown[40];
	enum bc_status	 st;

	if (!cJSON_IsObject(root)) {
		bc_why(why, whylen, "not a FeatureCollection: the body is %s",
		    feed_type_name(root));
		return (BC_FORMAT);
	}
	type = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsString(type)) {
		bc_why(why, whylen, "not a FeatureCollection: no \"type\"");
		return (BC_FORMAT);
	}
	if (strcmp(type->valuestring, "FeatureCollection") != 0) {
		str_clean(shown, sizeof shown, type->valuestring,
		    strlen(type->valuestring));
		bc_why(why, whylen, "not a FeatureCollection: \"type\" is '%s'",
		    shown);
		return (BC_FORMAT);
	}
	features = cJSON_GetObjectItemCaseSensitive(root, "features");
	if (features == NULL) {
		bc_why(why, whylen, "features: missing");
		return (BC_FORMAT);
	}
	if (!cJSON_IsArray(features)) {
		bc_why(why, whylen, "features: not an array but %s",
		    feed_type_name(features));
		return (BC_FORMAT);
	}
	if (nfeatures > FEED_MAX_FEATURES) {
		bc_why(why, whylen, "%zu features, more than the limit of %d",
		    nfeatures, FEED_MAX_FEATURES);
		return (BC_TOOBIG);
	}
	if ((st = feed_header(root, msg, why, whylen)) != BC_OK) {
		feed_msg_done(msg);
		return (st);
	}
	return (BC_OK);
}

/*
 * Every cJSON tree is built through these hooks, which hold it to a
 * budget: ignored members, a long "removed" or a features array cJSON
 * must read whole all become nodes of some 80 bytes for a byte or two of
 * body each, so that 32 MiB of "[0,0,0,..." would take more than a
 * gigabyte.  A tree that would go over FEED_TREE_BYTES (counting each
 * allocation with the 16 bytes malloc keeps) or FEED_TREE_NODES values
 * stops there, and the message is refused naming the budget.  The hooks
 * are cJSON's global ones, set for the length of one feed_parse (the
 * program parses on one thread).
 *
 * A feature's small tree (some twenty allocations, all freed together)
 * comes from an arena that is reset after each feature; what does not
 * fit (a feature with a huge string) comes from malloc as usual.
 */
#define FEED_ARENA_BYTES	(64 * 1024)

static struct {
	unsigned char	*p;
	size_t		 used;
	int		 on;		/* the features' loop */
	size_t		 bytes;		/* of the tree being built */
	size_t		 nodes;
	int		 over;		/* the budget ran out */
} feed_arena;

static void *
feed_hook_malloc(size_t n)
{
	size_t	at = (feed_arena.used + 15) & ~(size_t)15;

	if (feed_arena.over || n > FEED_TREE_BYTES - 16 ||
	    feed_arena.bytes > FEED_TREE_BYTES - 16 - n ||
	    (n == sizeof(cJSON) && feed_arena.nodes >= FEED_TREE_NODES)) {
		feed_arena.over = 1;
		return (NULL);
	}
	feed_arena.bytes += n + 16;
	if (n == sizeof(cJSON))
		feed_arena.nodes++;
	if (feed_arena.on && n <= FEED_ARENA_BYTES &&
	    at <= FEED_ARENA_BYTES - n) {
		feed_arena.used = at + n;
		return (feed_arena.p + at);
	}
	return (malloc(n));
}

static void
feed_hook_free(void *q)
{
	unsigned char	*u = q;

	if (feed_arena.p != NULL && u >= feed_arena.p &&
	    u < feed_arena.p + FEED_ARENA_BYTES)
		return;		/* the block is reset, not freed */
	free(q);
}

static void
feed_hooks_on(void)
{
	cJSON_Hooks	h = { feed_hook_malloc, feed_hook_free };

	cJSON_InitHooks(&h);
}

static void
feed_hooks_off(void)
{
	cJSON_InitHooks(NULL);
	feed_arena.on = 0;
	feed_arena.used = 0;
}

/* A new tree: a whole budget for it. */
static void
feed_tree_new(void)
{
	feed_arena.bytes = feed_arena.nodes = 0;
	feed_arena.over = 0;
	feed_arena.used = 0;
}

static enum bc_status
feed_over_budget(char *why, size_t whylen)
{
	bc_why(why, whylen, "over the parse budget: a tree of more than %u "
	    "bytes or %u values", FEED_TREE_BYTES, FEED_TREE_NODES);
	return (BC_TOOBIG);
}

static void
feed_arena_begin(void)
{
	if (feed_arena.p == NULL)
		feed_arena.p = xmalloc(FEED_ARENA_BYTES);
	feed_arena.used = 0;
	feed_arena.on = 1;
}

static void
feed_arena_end(void)
{
	feed_arena.on = 0;
	feed_arena.used = 0;
}

/*
 * The reference path: the body (as patched) parsed as one tree.  It gives
 * every verdict and every error text; the piecewise path falls back on it
 * for any body it does not accept.
 */
static enum bc_status
feed_parse_whole(const char *buf, size_t len, const struct feed_scan *sc,
    const char *orig, size_t origlen, const char *const side_codes[NSIDES],
    struct feed_msg *msg, char *why, size_t whylen)
{
	struct feed_acc	 acc;
	cJSON		*root;
	const cJSON	*features, *f;
	const char	*end = NULL;
	size_t		 i, n;
	enum bc_status	 st;

	feed_tree_new();
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL && feed_arena.over)
		return (feed_over_budget(why, whylen));
	if (root == NULL) {
		if (sc->open)
			bc_why(why, whylen, "not JSON: unexpected end of "
			    "input (truncated?)");
		else
			feed_syntax_error(orig, origlen, end == NULL ||
			    end < buf ? origlen : feed_unpatch(sc, orig,
			    (size_t)(end - buf)), "syntax error", why, whylen);
		return (BC_JSON);
	}
	while (end != NULL && (size_t)(end - buf) < len && feed_is_space(*end))
		end++;
	if (end == NULL || (size_t)(end - buf) < len) {
		feed_syntax_error(orig, origlen, end == NULL ? origlen :
		    feed_unpatch(sc, orig, (size_t)(end - buf)),
		    "unexpected data after the value", why, whylen);
		cJSON_Delete(root);
		return (BC_JSON);
	}

	features = cJSON_GetObjectItemCaseSensitive(root, "features");
	n = 0;
	if (cJSON_IsArray(features)) {
		for (f = features->child; f != NULL; f = f->next)
			n++;
	}
	if ((st = feed_root(root, n, msg, why, whylen)) != BC_OK) {
		cJSON_Delete(root);
		return (st);
	}
	feed_acc_init(&acc, msg, side_codes, n);
	i = 0;
	for (f = features->child; f != NULL; f = f->next)
		feed_take(&acc, f, i++);
	cJSON_Delete(root);
	feed_finish(&acc);
	return (BC_OK);
}

#define FEED_FALLBACK	(-1)

/*
 * Element i of the features array as cJSON reads it, or NULL when it is
 * not exactly one JSON value between its separators.
 */
static cJSON *
feed_piece(const char *buf, const struct feed_scan *sc, size_t i)
{
	const char	*p, *e, *end = NULL;
	cJSON		*j;

	p = buf + (i == 0 ? sc->arr_open : sc->cut[i - 1]) + 1;
	e = buf + sc->cut[i];
	while (p < e && feed_is_jspace((unsigned char)*p))
		p++;
	/* cJSON would skip a byte order mark at the start of its input. */
	if (p == e || strchr("{[\"-0123456789tfn", *p) == NULL)
		return (NULL);
	feed_tree_new();
	if ((j = cJSON_ParseWithLengthOpts(p, (size_t)(e - p), &end, 0)) ==
	    NULL)
		return (NULL);
	while (end != NULL && end < e && feed_is_jspace((unsigned char)*end))
		end++;
	if (end != e) {
		cJSON_Delete(j);
		return (NULL);
	}
	return (j);
}

/* How many elements the features array has (0 for white space only). */
static size_t
feed_npieces(const char *buf, const struct feed_scan *sc)
{
	size_t	i;

	if (sc->ncut > 1)
		return (sc->ncut);
	for (i = sc->arr_open + 1; i < sc->cut[0]; i++) {
		if (!feed_is_jspace((unsigned char)buf[i]))
			return (1);
	}
	return (0);
}

/*
 * The piecewise path (see the top of this file).  Returns FEED_FALLBACK,
 * with *msg empty, whenever the body is not JSON, so that the whole parse
 * reports it.
 */
static int
feed_parse_pieces(const char *buf, size_t len, const struct feed_scan *sc,
    const char *const side_codes[NSIDES], struct feed_msg *msg, char *why,
    size_t whylen)
{
	struct feed_acc	 acc;
	cJSON		*root, *f;
	char		*skel;
	const char	*end = NULL;
	size_t		 i, n, close, skellen;
	enum bc_status	 st;

	close = sc->cut[sc->ncut - 1];
	skellen = sc->arr_open + 1 + (len - close);
	skel = xmalloc(skellen + 1);
	memcpy(skel, buf, sc->arr_open + 1);
	memcpy(skel + sc->arr_open + 1, buf + close, len - close);
	skel[skellen] = '\0';
	feed_tree_new();
	root = cJSON_ParseWithLengthOpts(skel, skellen, &end, 0);
	if (root != NULL) {
		while (end != NULL && (size_t)(end - skel) < skellen &&
		    feed_is_space(*end))
			end++;
		if (end == NULL || (size_t)(end - skel) < skellen) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	free(skel);
	if (root == NULL && feed_arena.over)
		return ((int)feed_over_budget(why, whylen));
	if (root == NULL)
		return (FEED_FALLBACK);

	n = feed_npieces(buf, sc);
	st = feed_root(root, n, msg, why, whylen);
	cJSON_Delete(root);
	if (st != BC_OK) {
		/* Refused, unless the body is not JSON at all. */
		for (i = 0; i < n; i++) {
			if ((f = feed_piece(buf, sc, i)) == NULL)
				return (feed_arena.over ?
				    (int)feed_over_budget(why, whylen) :
				    FEED_FALLBACK);
			cJSON_Delete(f);
		}
		return (st);
	}

	feed_acc_init(&acc, msg, side_codes, n);
	feed_arena_begin();
	for (i = 0; i < n; i++) {
		if ((f = feed_piece(buf, sc, i)) == NULL) {
			feed_arena_end();
			feed_acc_done(&acc);
			feed_msg_done(msg);
			return (feed_arena.over ?
			    (int)feed_over_budget(why, whylen) :
			    FEED_FALLBACK);
		}
		feed_take(&acc, f, i);
		cJSON_Delete(f);
	}
	feed_arena_end();
	feed_finish(&acc);
	return (BC_OK);
}

enum bc_status
feed_parse(const char *buf, size_t len, const char *const side_codes[NSIDES],
    struct feed_msg *msg, char *why, size_t whylen)
{
	return (feed_parse_opts(buf, len, side_codes, 0, msg, why, whylen));
}

enum bc_status
feed_parse_opts(const char *buf, size_t len,
    const char *const side_codes[NSIDES], int flags, struct feed_msg *msg,
    char *why, size_t whylen)
{
	struct feed_scan sc, sc2;
	char		*patched = NULL;
	const char	*body = buf, *nul;
	size_t		 i, blen = len;
	int		 st;

	feed_msg_empty(msg);
	if (len > FEED_MAX_BYTES) {
		bc_why(why, whylen, "message of %zu bytes, more than the limit "
		    "of %u", len, FEED_MAX_BYTES);
		return (BC_TOOBIG);
	}
	for (i = 0; i < len && feed_is_space(buf[i]); i++)
		/* nothing */;
	if (i == len) {
		bc_why(why, whylen, "not JSON: empty body");
		return (BC_JSON);
	}
	/* Not JSON by RFC 8259, and cJSON would end a string or a key at
	   it: a sender could hide the rest from any C reader. */
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		feed_syntax_error(buf, len, (size_t)(nul - buf), "a NUL byte",
		    why, whylen);
		return (BC_JSON);
	}
	feed_scan(buf, len, FEED_MAX_DEPTH, &sc);
	if (sc.deepest > FEED_MAX_DEPTH) {
		feed_scan_done(&sc);
		bc_why(why, whylen, "arrays and objects nested deeper than %d "
		    "levels", FEED_MAX_DEPTH);
		return (BC_FORMAT);
	}
	if (sc.nsurr > 0) {
		/* Split the patched body; keep the patches for positions. */
		patched = feed_patch(buf, len, &sc, &blen);
		body = patched;
		feed_scan(body, blen, FEED_MAX_DEPTH, &sc2);
		free(sc.cut);
		sc.split = sc2.split;
		sc.arr_open = sc2.arr_open;
		sc.cut = sc2.cut;
		sc.ncut = sc2.ncut;
		sc.cutcap = sc2.cutcap;
		free(sc2.surr);
	}
	st = FEED_FALLBACK;
	feed_hooks_on();
	if (!(flags & FEED_WHOLE) && sc.split)
		st = feed_parse_pieces(body, blen, &sc, side_codes, msg, why,
		    whylen);
	if (st == FEED_FALLBACK)
		st = feed_parse_whole(body, blen, &sc, buf, len, side_codes,
		    msg, why, whylen);
	feed_hooks_off();
	feed_scan_done(&sc);
	free(patched);
	return ((enum bc_status)st);
}

enum bc_status
feed_read_file(const char *path, const char *const side_codes[NSIDES],
    struct feed_msg *msg, char *why, size_t whylen)
{
	char		*buf, inner[256];
	size_t		 len;
	enum bc_status	 st;

	feed_msg_empty(msg);
	st = file_read_all(path, FEED_MAX_BYTES, &buf, &len, why, whylen);
	if (st != BC_OK)
		return (st);
	st = feed_parse(buf, len, side_codes, msg, inner, sizeof inner);
	free(buf);
	if (st == BC_OK && !msg->full) {
		/* Nothing says which picture it would change. */
		feed_msg_done(msg);
		snprintf(inner, sizeof inner, "full is false: a feed file must "
		    "hold the whole picture");
		st = BC_FORMAT;
	}
	if (st != BC_OK)
		bc_why(why, whylen, "%s: %s", path, inner);
	return (st);
}

void
feed_msg_done(struct feed_msg *msg)
{
	size_t	i;

	free(msg->cursor);
	free(msg->reports);
	for (i = 0; i < msg->nremoved; i++)
		free(msg->removed[i]);
	free(msg->removed);
	free(msg->rejected);
	feed_msg_empty(msg);
}

int
feed_reject_note(const struct feed_msg *msg, char *buf, size_t len)
{
	const struct rejected	*rj;

	if (len > 0)
		buf[0] = '\0';
	if (msg->nrejected == 0)
		return (0);
	rj = &msg->rejected[0];
	snprintf(buf, len, "#%zu%s%s: %s", rj->index, rj->id[0] != '\0' ?
	    " " : "", rj->id, rj->reason);
	return (msg->full && msg->nreports == 0);
}

/* A full message is the whole picture; an incremental one is merged. */
void
feed_apply(const struct feed_msg *msg, struct unit_table *t)
{
	struct unit	*u;
	char		 id[UNIT_ID_MAX + 1];
	size_t		 i;

	if (!msg->full) {
		for (i = 0; i < msg->nreports; i++)
			units_merge(t, &msg->reports[i]);
		for (i = 0; i < msg->nremoved; i++)
			units_remove(t, msg->removed[i]);
		return;
	}

	/* A full answer replaces the table; units it repeats keep what was
	   derived from an unchanged position. */
	for (i = 0; i < t->n; i++)
		t->v[i].mark = 1;
	for (i = 0; i < msg->nreports; i++) {
		units_set(t, &msg->reports[i]);
		if ((u = units_find(t, msg->reports[i].id)) != NULL)
			u->mark = 0;
	}
	for (i = t->n; i > 0; i--) {
		if (t->v[i - 1].mark) {
			memcpy(id, t->v[i - 1].r.id, sizeof id);
			units_remove(t, id);
		}
	}
}
