/*
 * test_badinput.c: the bad-input catalogue.
 *
 * Every class of broken or hostile input that bordercop meets, with its
 * expected outcome, run through the path the program takes with a polled
 * body: feed_parse(), and only on BC_OK feed_apply().  Before each case
 * the unit table holds a good message (units A, B and C); each case then
 * proves that nothing already known is lost:
 *
 *   refused   the whole body is refused with a status and a text; the
 *             table is unchanged;
 *   rejected  a full message repeating A, B and C plus one bad feature X:
 *             X is rejected with its reason, the table is A, B, C as
 *             before;
 *   kept      the same, but X is valid and is kept with clean strings.
 *
 * Then the cases that need two messages or the clock (duplicate ids, seq
 * going backwards, far-future and far-past times) and the map loader's
 * (one vertex, self-crossing line, overlapping sectors, a hole).
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conffile.h"
#include "feed.h"
#include "map.h"
#include "picture.h"
#include "unit.h"
#include "util.h"
#include "xmalloc.h"

static const char *const sides[NSIDES] = { "US", "MX" };

#define T_SERVER	1795831200.0	/* 2026-11-28T02:00:00Z */

#define HEAD(full)	"{\"type\":\"FeatureCollection\"," \
		"\"api\":\"bordercop-coordination/1\"," \
		"\"server_time\":\"2026-11-28T02:00:00Z\",\"cursor\":\"c-1\"," \
		"\"full\":" full ",\"features\":["
#define UNIT(id, lon, lat, side, seq) "{\"type\":\"Feature\",\"id\":\"" id \
		"\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" lon \
		"," lat "]},\"properties\":{\"side\":\"" side "\"," \
		"\"time\":\"2026-11-28T01:59:30Z\",\"seq\":" seq "," \
		"\"callsign\":\"" id "-1\"}}"
#define ABC	UNIT("A", "-110.94", "31.35", "US", "10") "," \
		UNIT("B", "-111.00", "31.30", "MX", "10") "," \
		UNIT("C", "-106.45", "31.77", "US", "10")
#define GOOD	HEAD("true") ABC "]}"

/* A full message: A, B and C as in GOOD, then feature X. */
#define WITH_X(x)	HEAD("true") ABC "," x "]}"
/* Feature X with the geometry g and the properties p. */
#define X_GP(g, p)	"{\"type\":\"Feature\",\"id\":\"X\",\"geometry\":" g \
		",\"properties\":" p "}"
#define PT(c)		"{\"type\":\"Point\",\"coordinates\":" c "}"
#define PT_OK		PT("[-110.5,31.33]")
#define PR(extra)	"{\"side\":\"US\",\"time\":\"2026-11-28T01:59:00Z\"" \
		extra "}"
#define X_COORD(c)	WITH_X(X_GP(PT(c), PR("")))
#define X_PROPS(p)	WITH_X(X_GP(PT_OK, p))
#define X_EXTRA(e)	WITH_X(X_GP(PT_OK, PR(e)))
#define WITH_X_OPEN_CALLSIGN HEAD("true") ABC ",{\"type\":\"Feature\"," \
		"\"id\":\"X\",\"geometry\":" PT_OK ",\"properties\":" \
		"{\"side\":\"US\",\"time\":\"2026-11-28T01:59:00Z\"," \
		"\"callsign\":\""
#define X_GP_X(g)	WITH_X(X_GP(g, PR("")))
#define X_ID(id)	WITH_X("{\"type\":\"Feature\",\"id\":" id \
		",\"geometry\":" PT_OK ",\"properties\":" PR("") "}")

enum outcome {
	REFUSED,
	REJECTED,
	KEPT
};

struct feed_case {
	const char	*class;
	const char	*body;		/* NULL: made by make */
	char		*(*make)(size_t *);
	enum outcome	 outcome;
	enum bc_status	 status;	/* REFUSED */
	const char	*text;		/* in why (REFUSED), the reason
					   (REJECTED) or X's callsign (KEPT) */
};

#define MB10	(10u * 1024 * 1024)

/* Append n copies of c, then the text after. */
static char *
grow(const char *before, int c, size_t n, const char *after, size_t *len)
{
	size_t	 a = strlen(before), b = strlen(after);
	char	*s;

	s = xmalloc(a + n + b + 1);
	memcpy(s, before, a);
	memset(s + a, c, n);
	memcpy(s + a + n, after, b + 1);
	*len = a + n + b;
	return (s);
}

static char *
make_truncated(size_t *len)
{
	*len = strlen(GOOD) / 2;
	return (xstrndup(GOOD, *len));
}

static char *
make_too_big(size_t *len)
{
	return (grow(GOOD, ' ', FEED_MAX_BYTES, "", len));
}

static char *
make_string_10mb_open(size_t *len)
{
	return (grow(HEAD("true") "\"", 'A', MB10, "", len));
}

static char *
make_callsign_10mb(size_t *len)
{
	return (grow(WITH_X_OPEN_CALLSIGN, 'A', MB10, "\"}}]}", len));
}

static char *
make_id_10mb(size_t *len)
{
	return (grow(HEAD("true") ABC ",{\"type\":\"Feature\",\"id\":\"", 'I',
	    MB10, "\",\"geometry\":" PT_OK ",\"properties\":" PR("") "}]}",
	    len));
}

static char *
make_deep(size_t *len)
{
	return (grow("", '[', 100000, "", len));
}

/* Nesting hidden in a member that is otherwise ignored. */
static char *
make_deep_in_props(size_t *len)
{
	char	*open, *s;
	size_t	 n;

	open = grow(HEAD("true") ABC "," X_GP(PT_OK, "{\"side\":\"US\","
	    "\"time\":\"2026-11-28T01:59:00Z\",\"extra\":"), '[', 40, "", &n);
	s = grow(open, ']', 40, "}}]}", len);
	free(open);
	return (s);
}

static char *
make_many_features(size_t *len)
{
	size_t	 i, n = FEED_MAX_FEATURES + 1;
	char	*s, *p;

	s = xmalloc(64 + 5 * n);
	p = s + sprintf(s, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (i = 0; i < n; i++)
		p += sprintf(p, i == 0 ? "null" : ",0");
	strcpy(p, "]}");
	*len = strlen(s);
	return (s);
}

/* "ID-A<NUL>spoof" as raw bytes: not JSON, and cJSON would cut it. */
static char *
make_raw_nul(size_t *len)
{
	char	*s;
	size_t	 at;

	s = xstrdup(X_ID("\"ID-A_spoof\""));
	*len = strlen(s);
	at = (size_t)(strstr(s, "_spoof") - s);
	s[at] = '\0';
	return (s);
}

/*
 * Memory amplification: bodies at the size cap made of what costs the
 * parser most, a value of one or two bytes each.
 */
static char *
make_zeros(const char *before, const char *after, size_t *len)
{
	size_t	 a = strlen(before), b = strlen(after), n, i;
	char	*s;

	n = (FEED_MAX_BYTES - a - b) / 2;
	s = xmalloc(a + 2 * n + b + 1);
	memcpy(s, before, a);
	for (i = 0; i < n; i++) {
		s[a + 2 * i] = '0';
		s[a + 2 * i + 1] = ',';
	}
	s[a + 2 * n - 1] = '0';
	memcpy(s + a + 2 * n, after, b + 1);
	*len = a + 2 * n + b;
	return (s);
}

/* An ignored member of the message (the skeleton's tree). */
static char *
make_ignored_zeros(size_t *len)
{
	return (make_zeros(HEAD("true") ABC "],\"junk\":[", "]}", len));
}

/* An ignored member of one feature (that feature's tree). */
static char *
make_feature_zeros(size_t *len)
{
	return (make_zeros(HEAD("true") ABC ",{\"type\":\"Feature\",\"id\":"
	    "\"X\",\"geometry\":" PT_OK ",\"properties\":{\"side\":\"US\","
	    "\"time\":\"2026-11-28T01:59:00Z\",\"junk\":[", "]}}]}", len));
}

/* The features array under an escaped key: parsed as one tree. */
static char *
make_escaped_key_zeros(size_t *len)
{
	return (make_zeros("{\"type\":\"FeatureCollection\",\"junk\":[",
	    "],\"\\u0066eatures\":[]}", len));
}

static char *
make_removed(size_t n, size_t *len)
{
	size_t	 i;
	char	*s, *p;

	s = xmalloc(128 + 12 * n);
	p = s + sprintf(s, "{\"type\":\"FeatureCollection\",\"full\":false,"
	    "\"features\":[],\"removed\":[");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\"R%07zu\"", i == 0 ? "" : ",", i);
	strcpy(p, "]}");
	*len = strlen(s);
	return (s);
}

static char *
make_removed_over(size_t *len)
{
	return (make_removed(FEED_MAX_REMOVED + 1, len));
}

static const struct feed_case feed_cases[] = {
	/* Not JSON, truncated, empty, huge, deep. */
	{ "not JSON: an HTML error page", "<html><body>502 Bad Gateway"
	  "</body></html>", NULL, REFUSED, BC_JSON,
	  "not JSON: syntax error at line 1, column 1" },
	{ "not JSON: data after the value", GOOD " {}", NULL, REFUSED,
	  BC_JSON, "unexpected data after the value" },
	{ "truncated", NULL, make_truncated, REFUSED, BC_JSON,
	  "not JSON: unexpected end of input (truncated?)" },
	{ "empty body", "", NULL, REFUSED, BC_JSON, "not JSON: empty body" },
	{ "white space only", " \r\n\t ", NULL, REFUSED, BC_JSON,
	  "not JSON: empty body" },
	{ "larger than 32 MiB", NULL, make_too_big, REFUSED, BC_TOOBIG,
	  "more than the limit of 33554432" },
	{ "a 10 MB string never closed", NULL, make_string_10mb_open,
	  REFUSED, BC_JSON, "truncated" },
	{ "100000 nested arrays", NULL, make_deep, REFUSED, BC_FORMAT,
	  "nested deeper than 32 levels" },
	{ "40 levels in an ignored member", NULL, make_deep_in_props,
	  REFUSED, BC_FORMAT, "nested deeper than 32 levels" },
	{ "200001 features", NULL, make_many_features, REFUSED, BC_TOOBIG,
	  "200001 features, more than the limit of 200000" },
	/* Within the size cap, but each byte or two a value of ~80 bytes. */
	{ "32 MiB of zeros in an ignored member", NULL, make_ignored_zeros,
	  REFUSED, BC_TOOBIG, "over the parse budget: a tree of more than "
	  "134217728 bytes or 2000000 values" },
	{ "32 MiB of zeros in one feature", NULL, make_feature_zeros,
	  REFUSED, BC_TOOBIG, "over the parse budget" },
	{ "32 MiB of zeros, features under an escaped key", NULL,
	  make_escaped_key_zeros, REFUSED, BC_TOOBIG, "over the parse budget" },
	{ "removed of 200001 ids", NULL, make_removed_over, REFUSED,
	  BC_TOOBIG, "removed: 200001 ids, more than the limit of 200000" },

	/* The message itself of the wrong shape or types. */
	{ "an array, not an object", "[" ABC "]", NULL, REFUSED, BC_FORMAT,
	  "not a FeatureCollection: the body is an array" },
	{ "a Feature, not a collection", UNIT("A", "-110.94", "31.35", "US",
	  "11"), NULL, REFUSED, BC_FORMAT,
	  "not a FeatureCollection: \"type\" is 'Feature'" },
	{ "features an object", "{\"type\":\"FeatureCollection\","
	  "\"features\":{}}", NULL, REFUSED, BC_FORMAT,
	  "features: not an array but an object" },
	{ "full a string", "{\"type\":\"FeatureCollection\",\"full\":\"yes\","
	  "\"features\":[]}", NULL, REFUSED, BC_FORMAT,
	  "full: not a boolean" },
	{ "removed a string", "{\"type\":\"FeatureCollection\",\"full\":false,"
	  "\"removed\":\"A\",\"features\":[]}", NULL, REFUSED, BC_FORMAT,
	  "removed: not an array" },
	{ "removed with a control character", "{\"type\":"
	  "\"FeatureCollection\",\"full\":false,\"removed\":[\"A\\u001b\"],"
	  "\"features\":[]}", NULL, REFUSED, BC_FORMAT,
	  "removed[0]: control characters or invalid UTF-8" },
	{ "server_time a number", "{\"type\":\"FeatureCollection\","
	  "\"server_time\":1795831200,\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "server_time: not an RFC 3339 date-time" },
	{ "another API", "{\"type\":\"FeatureCollection\",\"api\":"
	  "\"bordercop-coordination/2\",\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "api: 'bordercop-coordination/2' is not "
	  "bordercop-coordination/1" },
	{ "cursor with an escape sequence", "{\"type\":\"FeatureCollection\","
	  "\"cursor\":\"c\\u001b[2J\",\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "cursor: control characters or invalid UTF-8" },

	/* NaN, Infinity, 1e999, out of range, wrong types. */
	{ "NaN coordinate", X_COORD("[NaN,31.3]"), NULL, REFUSED, BC_JSON,
	  "not JSON: syntax error" },
	{ "Infinity coordinate", X_COORD("[-110.5,Infinity]"), NULL, REFUSED,
	  BC_JSON, "not JSON: syntax error" },
	{ "1e999 longitude", X_COORD("[1e999,31.3]"), NULL, REJECTED, 0,
	  "coordinates: longitude not finite" },
	{ "-1e999 latitude", X_COORD("[-110.5,-1e999]"), NULL, REJECTED, 0,
	  "coordinates: latitude not finite" },
	{ "1e999 altitude", X_COORD("[-110.5,31.3,1e999]"), NULL, REJECTED,
	  0, "coordinates: altitude not finite" },
	{ "latitude 91", X_COORD("[-110.5,91]"), NULL, REJECTED, 0,
	  "coordinates: latitude 91 out of range (-90..90)" },
	{ "longitude -180.5", X_COORD("[-180.5,31.3]"), NULL, REJECTED, 0,
	  "coordinates: longitude -180.5 out of range (-180..180)" },
	{ "coordinates as strings", X_COORD("[\"-110.5\",\"31.3\"]"), NULL,
	  REJECTED, 0, "coordinates: longitude not a number" },
	{ "one coordinate", X_COORD("[-110.5]"), NULL, REJECTED, 0,
	  "coordinates: length 1, expected 2 or 3" },
	{ "coordinates an object", X_COORD("{\"lon\":-110.5}"), NULL,
	  REJECTED, 0, "coordinates: not an array" },
	{ "geometry a LineString", WITH_X(X_GP("{\"type\":\"LineString\","
	  "\"coordinates\":[[0,0],[1,1]]}", PR(""))), NULL, REJECTED, 0,
	  "geometry: not a Point" },
	{ "feature a string", WITH_X("\"X\""), NULL, REJECTED, 0,
	  "not an object but a string" },
	{ "properties an array", X_PROPS("[]"), NULL, REJECTED, 0,
	  "properties: not an object" },
	{ "side a number", X_PROPS("{\"side\":1,\"time\":"
	  "\"2026-11-28T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.side: not a string" },
	{ "time a number", X_PROPS("{\"side\":\"US\",\"time\":1795831140}"),
	  NULL, REJECTED, 0, "properties.time: not an RFC 3339 date-time" },
	{ "time February 30", X_PROPS("{\"side\":\"US\",\"time\":"
	  "\"2026-02-30T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.time: not an RFC 3339 date-time" },
	{ "time missing", X_PROPS("{\"side\":\"US\"}"), NULL, REJECTED, 0,
	  "properties.time: missing" },
	{ "seq a string", X_EXTRA(",\"seq\":\"12\""), NULL, REJECTED, 0,
	  "properties.seq: not an integer" },
	{ "seq 1.5", X_EXTRA(",\"seq\":1.5"), NULL, REJECTED, 0,
	  "properties.seq: not an integer" },
	{ "seq negative", X_EXTRA(",\"seq\":-1"), NULL, REJECTED, 0,
	  "properties.seq: -1 out of range (0..9007199254740991)" },
	{ "seq 1e300", X_EXTRA(",\"seq\":1e300"), NULL, REJECTED, 0,
	  "properties.seq: 1e+300 out of range (0..9007199254740991)" },
	{ "radius_m a string", X_EXTRA(",\"radius_m\":\"5000\""), NULL,
	  REJECTED, 0, "properties.radius_m: not a number" },
	{ "radius_m 0", X_EXTRA(",\"radius_m\":0"), NULL, REJECTED, 0,
	  "properties.radius_m: 0 out of range (1..200000)" },
	{ "ce_m 1e999", X_EXTRA(",\"ce_m\":1e999"), NULL, REJECTED, 0,
	  "properties.ce_m: not finite" },
	{ "callsign a number", X_EXTRA(",\"callsign\":42"), NULL, REJECTED,
	  0, "properties.callsign: not a string" },
	{ "id a boolean", X_ID("true"), NULL, REJECTED, 0,
	  "id: not a string or an integer" },
	{ "id 1.5", X_ID("1.5"), NULL, REJECTED, 0,
	  "id: not a string or an integer" },
	{ "id empty", X_ID("\"\""), NULL, REJECTED, 0, "id: empty" },
	{ "id of 10 MB", NULL, make_id_10mb, REJECTED, 0,
	  "id: longer than 64 bytes" },

	/* Unknown side. */
	{ "side CA", X_PROPS("{\"side\":\"CA\",\"time\":"
	  "\"2026-11-28T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.side: 'CA' is not US or MX" },
	{ "side in lower case", X_PROPS("{\"side\":\"us\",\"time\":"
	  "\"2026-11-28T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.side: 'us' is not US or MX" },
	{ "side with an escape sequence", X_PROPS("{\"side\":"
	  "\"US\\u001b[1m\",\"time\":\"2026-11-28T01:59:00Z\"}"), NULL,
	  REJECTED, 0, "properties.side: control characters or invalid "
	  "UTF-8" },

	/* Control characters, invalid UTF-8, overlong encodings. */
	{ "id with ESC", X_ID("\"X\\u001b[2J\""), NULL, REJECTED, 0,
	  "id: control characters or invalid UTF-8" },
	{ "id with a raw invalid byte", X_ID("\"X\xff\""), NULL, REJECTED, 0,
	  "id: control characters or invalid UTF-8" },
	{ "id with an overlong '/'", X_ID("\"X\xc0\xaf\""), NULL, REJECTED, 0,
	  "id: control characters or invalid UTF-8" },
	/* A lone surrogate escape is JSON by RFC 8259's grammar (cJSON
	   refuses it): it stands for its 3 bytes, which are not UTF-8, so
	   only the string it is in is affected. */
	{ "callsign with a lone surrogate escape", X_EXTRA(",\"callsign\":"
	  "\"T\\ud800\""), NULL, KEPT, 0,
	  "T\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "callsign with a lone low surrogate escape", X_EXTRA(",\"callsign\":"
	  "\"\\udc00T\\ud83d\\ude00\""), NULL, KEPT, 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdT\xf0\x9f\x98\x80" },
	{ "id with a lone surrogate escape", X_ID("\"X\\uDBFF\""), NULL,
	  REJECTED, 0, "id: control characters or invalid UTF-8" },
	{ "callsign with CSI and BEL", X_EXTRA(",\"callsign\":"
	  "\"\\u001b[31mRED\\u0007\""), NULL, KEPT, 0, "RED" },
	{ "callsign with OSC title", X_EXTRA(",\"callsign\":"
	  "\"\\u001b]0;pwned\\u0007TCA\""), NULL, KEPT, 0, "TCA" },
	{ "callsign with 8-bit CSI", X_EXTRA(",\"callsign\":"
	  "\"\\u009b2JTCA\""), NULL, KEPT, 0, "TCA" },
	{ "callsign with raw ESC and C1", X_EXTRA(",\"callsign\":"
	  "\"\x1b[1mT\xc2\x85" "CA\""), NULL, KEPT, 0, "TCA" },
	{ "callsign with newline and tab", X_EXTRA(",\"callsign\":"
	  "\"T\\nC\\tA\""), NULL, KEPT, 0, "T C A" },
	{ "callsign with a right-to-left override", X_EXTRA(",\"callsign\":"
	  "\"\\u202eACT\""), NULL, KEPT, 0, "ACT" },
	{ "callsign with an invalid byte", X_EXTRA(",\"callsign\":"
	  "\"T\xff" "CA\""), NULL, KEPT, 0, "T\xef\xbf\xbd" "CA" },
	{ "callsign with an overlong '/'", X_EXTRA(",\"callsign\":"
	  "\"T\xc0\xaf\""), NULL, KEPT, 0,
	  "T\xef\xbf\xbd\xef\xbf\xbd" },
	{ "callsign with an overlong NUL", X_EXTRA(",\"callsign\":"
	  "\"T\xe0\x80\x80\""), NULL, KEPT, 0,
	  "T\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "callsign with a lone surrogate", X_EXTRA(",\"callsign\":"
	  "\"T\xed\xa0\x80\""), NULL, KEPT, 0,
	  "T\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	/* A NUL, escaped, in every string member: C code would read up to
	   it, so the member is refused, never cut. */
	{ "callsign with a NUL escape", X_EXTRA(",\"callsign\":"
	  "\"TCA\\u0000tail\""), NULL, REJECTED, 0,
	  "properties.callsign: a NUL character" },
	{ "agency with a NUL escape", X_EXTRA(",\"agency\":\"USBP\\u0000\""),
	  NULL, REJECTED, 0, "properties.agency: a NUL character" },
	{ "kind with a NUL escape", X_EXTRA(",\"kind\":\"drone\\u0000x\""),
	  NULL, REJECTED, 0, "properties.kind: a NUL character" },
	{ "status with a NUL escape", X_EXTRA(",\"status\":"
	  "\"off-duty\\u0000x\""), NULL, REJECTED, 0,
	  "properties.status: a NUL character" },
	{ "callsign with a raw overlong NUL", X_EXTRA(",\"callsign\":"
	  "\"T\xc0\x80\""), NULL, REJECTED, 0,
	  "properties.callsign: a NUL character" },
	{ "id with a NUL escape", X_ID("\"X\\u0000spoof\""), NULL, REJECTED, 0,
	  "id: control characters or invalid UTF-8" },
	{ "side with a NUL escape", X_PROPS("{\"side\":\"US\\u0000MX\","
	  "\"time\":\"2026-11-28T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.side: control characters or invalid UTF-8" },
	{ "time with a NUL escape", X_PROPS("{\"side\":\"US\",\"time\":"
	  "\"2026-11-28T01:59:00Z\\u0000junk\"}"), NULL, REJECTED, 0,
	  "properties.time: not an RFC 3339 date-time" },
	{ "stale_at with a NUL escape", X_EXTRA(",\"stale_at\":"
	  "\"2026-11-28T02:09:00Z\\u0000\""), NULL, REJECTED, 0,
	  "properties.stale_at: not an RFC 3339 date-time" },
	{ "type with a NUL escape", WITH_X("{\"type\":\"Feature\\u0000x\","
	  "\"id\":\"X\",\"geometry\":" PT_OK ",\"properties\":" PR("") "}"),
	  NULL, REJECTED, 0, "type: not 'Feature'" },
	{ "geometry type with a NUL escape", X_GP_X("{\"type\":"
	  "\"Point\\u0000\",\"coordinates\":[-110.5,31.33]}"), NULL,
	  REJECTED, 0, "geometry: not a Point" },
	{ "a member name with a NUL escape", X_PROPS("{\"side\\u0000x\":"
	  "\"US\",\"time\":\"2026-11-28T01:59:00Z\"}"), NULL, REJECTED, 0,
	  "properties.side: missing" },
	{ "api with a NUL escape", "{\"type\":\"FeatureCollection\",\"api\":"
	  "\"bordercop-coordination/1\\u0000\",\"features\":[]}", NULL,
	  REFUSED, BC_FORMAT, "is not bordercop-coordination/1" },
	{ "server_time with a NUL escape", "{\"type\":\"FeatureCollection\","
	  "\"server_time\":\"2026-11-28T02:00:00Z\\u0000\",\"features\":[]}",
	  NULL, REFUSED, BC_FORMAT, "server_time: not an RFC 3339 date-time" },
	{ "cursor with a NUL escape", "{\"type\":\"FeatureCollection\","
	  "\"cursor\":\"c-1\\u0000x\",\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "cursor: control characters or invalid UTF-8" },
	{ "removed with a NUL escape", "{\"type\":\"FeatureCollection\","
	  "\"full\":false,\"removed\":[\"A\\u0000x\"],\"features\":[]}",
	  NULL, REFUSED, BC_FORMAT,
	  "removed[0]: control characters or invalid UTF-8" },
	{ "collection type with a NUL escape", "{\"type\":"
	  "\"FeatureCollection\\u0000\",\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "not a FeatureCollection: \"type\" is" },
	/* Invisible characters make look-alike ids: refused, not cleaned. */
	{ "id with a zero-width space", X_ID("\"X\\u200b\""), NULL, REJECTED,
	  0, "id: invisible characters" },
	{ "id with a BOM", X_ID("\"\\ufeffX\""), NULL, REJECTED, 0,
	  "id: invisible characters" },
	{ "id with a variation selector", X_ID("\"X\\ufe0f\""), NULL,
	  REJECTED, 0, "id: invisible characters" },
	{ "id with a tag character", X_ID("\"X\\udb40\\udc41\""), NULL,
	  REJECTED, 0, "id: invisible characters" },
	{ "side with a zero-width joiner", X_PROPS("{\"side\":"
	  "\"U\\u200dS\",\"time\":\"2026-11-28T01:59:00Z\"}"), NULL,
	  REJECTED, 0, "properties.side: invisible characters" },
	{ "cursor with a word joiner", "{\"type\":\"FeatureCollection\","
	  "\"cursor\":\"c-1\\u2060\",\"features\":[]}", NULL, REFUSED,
	  BC_FORMAT, "cursor: invisible characters" },
	{ "removed with a zero-width space", "{\"type\":"
	  "\"FeatureCollection\",\"full\":false,\"removed\":"
	  "[\"A\\u200b\"],\"features\":[]}", NULL, REFUSED, BC_FORMAT,
	  "removed[0]: invisible characters" },
	{ "a raw NUL byte in a string", NULL, make_raw_nul, REFUSED, BC_JSON,
	  "not JSON: a NUL byte at line 1, column 673" },
	{ "callsign of 10 MB", NULL, make_callsign_10mb, KEPT, 0,
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
};

/* The table as left by GOOD: A, B and C. */
static void
table_good(struct unit_table *t)
{
	struct feed_msg	msg;
	char		why[256];

	units_init(t);
	assert_int_equal(feed_parse(GOOD, strlen(GOOD), sides, &msg, why,
	    sizeof why), BC_OK);
	assert_int_equal(msg.nreports, 3);
	feed_apply(&msg, t);
	feed_msg_done(&msg);
	assert_int_equal(t->n, 3);
}

/* Every report of a is in b, bit for bit (NANs included). */
static int
table_within(struct unit_table *a, struct unit_table *b)
{
	struct unit	*u;
	size_t		 i;

	for (i = 0; i < a->n; i++) {
		if ((u = units_find(b, a->v[i].r.id)) == NULL)
			return (0);
		if (memcmp(&u->r, &a->v[i].r, sizeof u->r) != 0)
			return (0);
	}
	return (1);
}

static void
assert_table_is_good(struct unit_table *t)
{
	struct unit_table	good;

	table_good(&good);
	assert_int_equal(t->n, good.n);
	assert_true(table_within(&good, t));
	assert_true(table_within(t, &good));
	units_done(&good);
}

static void
assert_report_clean(const struct report *r)
{
	assert_true(str_is_clean(r->id));
	assert_true(str_is_clean(r->agency));
	assert_true(str_is_clean(r->callsign));
	assert_true(str_is_clean(r->kind_text));
	assert_true(str_is_clean(r->status_text));
}

/* One case through parse and, on BC_OK only, apply. */
static void
run_feed_case(const struct feed_case *c)
{
	struct unit_table	 t;
	struct feed_msg		 msg;
	struct unit		*x;
	char			*body, why[512] = "";
	size_t			 len, i;
	enum bc_status		 st;

	if (c->make != NULL)
		body = c->make(&len);
	else {
		body = xstrdup(c->body);
		len = strlen(body);
	}
	table_good(&t);
	st = feed_parse(body, len, sides, &msg, why, sizeof why);
	free(body);
	if (st == BC_OK)
		feed_apply(&msg, &t);

	switch (c->outcome) {
	case REFUSED:
		if (st != c->status || strstr(why, c->text) == NULL)
			fail_msg("%s: status %d '%s', expected %d '%s'",
			    c->class, st, why, c->status, c->text);
		assert_true(str_is_clean(why));
		assert_table_is_good(&t);
		break;
	case REJECTED:
		if (st != BC_OK)
			fail_msg("%s: refused: %s", c->class, why);
		if (msg.nrejected != 1 ||
		    strstr(msg.rejected[0].reason, c->text) == NULL)
			fail_msg("%s: %zu rejected, first '%s', expected '%s'",
			    c->class, msg.nrejected, msg.nrejected > 0 ?
			    msg.rejected[0].reason : "", c->text);
		assert_int_equal(msg.rejected[0].index, 3);
		assert_true(str_is_clean(msg.rejected[0].id));
		assert_int_equal(msg.nreports, 3);
		assert_table_is_good(&t);
		break;
	case KEPT:
		if (st != BC_OK)
			fail_msg("%s: refused: %s", c->class, why);
		if (msg.nrejected != 0)
			fail_msg("%s: rejected: %s", c->class,
			    msg.rejected[0].reason);
		assert_int_equal(t.n, 4);
		x = units_find(&t, "X");
		assert_non_null(x);
		for (i = 0; i < t.n; i++)
			assert_report_clean(&t.v[i].r);
		if (strcmp(x->r.callsign, c->text) != 0)
			fail_msg("%s: callsign '%s', expected '%s'", c->class,
			    x->r.callsign, c->text);
		/* The good units are untouched beside the new one. */
		units_remove(&t, "X");
		assert_table_is_good(&t);
		break;
	}
	if (st == BC_OK)
		feed_msg_done(&msg);
	units_done(&t);
}

static void
test_feed_catalogue(void **state)
{
	size_t	i;

	for (i = 0; i < sizeof feed_cases / sizeof feed_cases[0]; i++)
		run_feed_case(&feed_cases[i]);
}

/* Apply body after GOOD; return the table (caller units_done). */
static void
apply_after_good(const char *body, struct unit_table *t,
    struct feed_msg *msg)
{
	char	why[256];

	table_good(t);
	if (feed_parse(body, strlen(body), sides, msg, why, sizeof why) !=
	    BC_OK)
		fail_msg("refused: %s", why);
	feed_apply(msg, t);
}

/* Duplicate ids in one message: the newest is kept, the other named. */
static void
test_duplicate_ids(void **state)
{
	struct unit_table	 t;
	struct feed_msg		 msg;
	struct unit		*u;

	apply_after_good(HEAD("true") ABC ","
	    UNIT("D", "-110.50", "31.33", "US", "7") ","
	    UNIT("D", "-110.60", "31.33", "US", "9") ","
	    UNIT("D", "-110.70", "31.33", "US", "8") "]}", &t, &msg);
	assert_int_equal(msg.nrejected, 2);
	assert_int_equal(msg.rejected[0].index, 3);
	assert_int_equal(msg.rejected[1].index, 5);
	assert_string_equal(msg.rejected[0].reason,
	    "duplicate id in this message");
	assert_string_equal(msg.rejected[0].id, "D");
	assert_int_equal(t.n, 4);
	u = units_find(&t, "D");
	assert_non_null(u);
	assert_int_equal(u->r.seq, 9);
	assert_true(u->r.lon == -110.60);
	units_remove(&t, "D");
	assert_table_is_good(&t);
	feed_msg_done(&msg);
	units_done(&t);
}

/* A report with a lower (or equal) seq never overwrites a newer one. */
static void
test_seq_backwards(void **state)
{
	struct unit_table	 t;
	struct feed_msg		 msg;

	/* Incremental: A goes back to seq 5 somewhere else. */
	apply_after_good(HEAD("false")
	    UNIT("A", "-109.00", "31.33", "US", "5") "]}", &t, &msg);
	assert_int_equal(msg.nreports, 1);
	assert_table_is_good(&t);
	feed_msg_done(&msg);
	units_done(&t);

	/* The same seq again with another position: ignored too. */
	apply_after_good(HEAD("false")
	    UNIT("A", "-109.00", "31.33", "US", "10") "]}", &t, &msg);
	assert_table_is_good(&t);
	feed_msg_done(&msg);
	units_done(&t);

	/* And a newer one does overwrite (the test can fail). */
	apply_after_good(HEAD("false")
	    UNIT("A", "-109.00", "31.33", "US", "11") "]}", &t, &msg);
	assert_true(units_find(&t, "A")->r.lon == -109.00);
	feed_msg_done(&msg);
	units_done(&t);
}

/*
 * Far-future and far-past times are valid RFC 3339.  A report more than
 * an hour ahead of server_time is rejected (it would stay fresh and
 * covering for ever, and without seq could never be replaced); one from
 * 1900 is kept and lost.
 */
static void
test_far_times(void **state)
{
	struct unit_table	 t;
	struct feed_msg		 msg;
	struct picture_config	 cfg;
	struct unit		*x;
	double			 age;

	picture_config_defaults(&cfg);
	apply_after_good(WITH_X(X_GP(PT_OK, "{\"side\":\"US\","
	    "\"time\":\"9999-12-31T23:59:59Z\"}")), &t, &msg);
	assert_int_equal(msg.nrejected, 1);
	assert_int_equal(msg.rejected[0].index, 3);
	assert_string_equal(msg.rejected[0].reason,
	    "properties.time: 251606469599 s ahead of server_time");
	assert_null(units_find(&t, "X"));
	assert_table_is_good(&t);
	feed_msg_done(&msg);
	units_done(&t);

	/* An hour ahead is still a clock error to live with: age 0. */
	apply_after_good(WITH_X(X_GP(PT_OK, "{\"side\":\"US\","
	    "\"time\":\"2026-11-28T03:00:00Z\"}")), &t, &msg);
	assert_int_equal(msg.nrejected, 0);
	x = units_find(&t, "X");
	assert_non_null(x);
	assert_int_equal(picture_unit_state(&x->r, &cfg, msg.server_time,
	    &age), STATE_FRESH);
	assert_true(age == 0);
	feed_msg_done(&msg);
	units_done(&t);

	apply_after_good(WITH_X(X_GP(PT_OK, "{\"side\":\"US\","
	    "\"time\":\"1900-01-01T00:00:00Z\"}")), &t, &msg);
	x = units_find(&t, "X");
	assert_non_null(x);
	assert_true(x->r.time == -2208988800.0);
	assert_int_equal(picture_unit_state(&x->r, &cfg, msg.server_time,
	    &age), STATE_LOST);
	assert_true(age == T_SERVER + 2208988800.0);
	feed_msg_done(&msg);
	units_done(&t);

	/* Year 0000 is still a date-time; only impossible dates are not. */
	apply_after_good(WITH_X(X_GP(PT_OK, "{\"side\":\"US\","
	    "\"time\":\"0000-01-01T00:00:00Z\"}")), &t, &msg);
	assert_int_equal(msg.nrejected, 0);
	assert_int_equal(picture_unit_state(&units_find(&t, "X")->r, &cfg,
	    msg.server_time, NULL), STATE_LOST);
	feed_msg_done(&msg);
	units_done(&t);
}

/* A refused poll after a good one keeps every unit (the picture stays). */
static void
test_refused_keeps_table(void **state)
{
	static const char *const bodies[] = {
		"", "{", "null", "[]", "{\"type\":\"FeatureCollection\"}",
		"{\"type\":\"FeatureCollection\",\"features\":[]}\x01",
	};
	struct unit_table	 t;
	struct feed_msg		 msg;
	char			 why[256];
	size_t			 i;

	table_good(&t);
	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		if (feed_parse(bodies[i], strlen(bodies[i]), sides, &msg, why,
		    sizeof why) == BC_OK) {
			feed_msg_done(&msg);
			fail_msg("accepted: '%s'", bodies[i]);
		}
		assert_true(why[0] != '\0');
		assert_true(str_is_clean(why));
		assert_table_is_good(&t);
	}
	units_done(&t);
}

/* Maps. */

#define MAP_HEAD	"{\"type\":\"FeatureCollection\",\"bordercop_map\":1," \
		"\"name\":\"test\",\"attribution\":\"test\",\"accuracy_km\":0.1," \
		"\"sides\":{\"left\":{\"code\":\"NO\",\"name\":\"Norland\"}," \
		"\"right\":{\"code\":\"SU\",\"name\":\"Sudland\"}},\"features\":["
#define MAP_LINE(c)	"{\"type\":\"Feature\",\"properties\":{\"role\":" \
		"\"boundary\"},\"geometry\":{\"type\":\"LineString\"," \
		"\"coordinates\":" c "}}"
#define MAP_SECTOR(side, code, a, b) "{\"type\":\"Feature\",\"properties\":" \
		"{\"role\":\"sector\",\"side\":\"" side "\",\"code\":\"" code \
		"\",\"name\":\"" code "\"},\"geometry\":{\"type\":" \
		"\"MultiPoint\",\"coordinates\":[" a "," b "]}}"
/* A line from a to b with one whole-line sector per side. */
#define MAP_WHOLE(c, a, b) MAP_HEAD MAP_LINE(c) "," \
		MAP_SECTOR("NO", "N1", a, b) "," MAP_SECTOR("SU", "S1", a, b) "]}"

struct map_case {
	const char	*class;
	const char	*body;
	enum bc_status	 status;
	const char	*text;		/* in why */
};

static const struct map_case map_cases[] = {
	{ "the good map", MAP_WHOLE("[[10,45],[10.5,45.1],[11,45]]",
	  "[10,45]", "[11,45]"), BC_OK, "" },
	{ "not JSON", "{\"type\":", BC_JSON, "map: not valid JSON at line 1" },
	{ "empty", "", BC_JSON, "map: not valid JSON" },
	{ "one vertex", MAP_WHOLE("[[10,45]]", "[10,45]", "[10,45]"),
	  BC_INVALID, "map: feature 0 (boundary): coordinates: a line needs "
	  "at least 2 positions, not 1" },
	{ "a vertex repeated", MAP_WHOLE("[[10,45],[10,45],[11,45]]",
	  "[10,45]", "[11,45]"), BC_INVALID,
	  "coordinates[1]: same as coordinates[0]" },
	{ "latitude 91", MAP_WHOLE("[[10,45],[11,91]]", "[10,45]",
	  "[11,45]"), BC_INVALID, "latitude 91 out of range" },
	{ "1e999 longitude", MAP_WHOLE("[[10,45],[1e999,45]]", "[10,45]",
	  "[11,45]"), BC_INVALID, "coordinates[1]: not a finite number" },
	{ "NaN longitude", MAP_WHOLE("[[10,45],[NaN,45]]", "[10,45]",
	  "[11,45]"), BC_JSON, "not valid JSON" },
	{ "sectors overlapping", MAP_HEAD
	  MAP_LINE("[[10,45],[10.5,45.1],[11,45],[11.5,45.2]]") ","
	  MAP_SECTOR("NO", "N1", "[10,45]", "[11,45]") ","
	  MAP_SECTOR("NO", "N2", "[10.5,45.1]", "[11.5,45.2]") ","
	  MAP_SECTOR("SU", "S1", "[10,45]", "[11.5,45.2]") "]}", BC_INVALID,
	  "map: side NO: sectors N1 and N2 overlap by 40.927 km "
	  "(40.927-81.854 km)" },
	{ "sectors leaving a hole", MAP_HEAD
	  MAP_LINE("[[10,45],[10.5,45.1],[11,45],[11.5,45.2]]") ","
	  MAP_SECTOR("NO", "N1", "[10,45]", "[10.5,45.1]") ","
	  MAP_SECTOR("NO", "N2", "[11,45]", "[11.5,45.2]") ","
	  MAP_SECTOR("SU", "S1", "[10,45]", "[11.5,45.2]") "]}", BC_INVALID,
	  "map: side NO: no sector covers 40.927-81.854 km (between N1 and "
	  "N2)" },
	{ "a side without sectors", MAP_HEAD
	  MAP_LINE("[[10,45],[11,45]]") ","
	  MAP_SECTOR("NO", "N1", "[10,45]", "[11,45]") "]}", BC_INVALID,
	  "map: side SU has no sectors" },
	{ "a sector on an unknown side", MAP_HEAD
	  MAP_LINE("[[10,45],[11,45]]") ","
	  MAP_SECTOR("NO", "N1", "[10,45]", "[11,45]") ","
	  MAP_SECTOR("SU", "S1", "[10,45]", "[11,45]") ","
	  MAP_SECTOR("XX", "X1", "[10,45]", "[11,45]") "]}", BC_INVALID,
	  "map: feature 3 (sector X1): side: unknown side \"XX\" (expected "
	  "\"NO\" or \"SU\")" },
	/* Codes that differ only in case or by an invisible character
	   would give two sides or sectors that read the same (and two
	   label_ members of one name). */
	{ "side codes differing in case", "{\"type\":\"FeatureCollection\","
	  "\"bordercop_map\":1,\"name\":\"test\",\"attribution\":\"test\","
	  "\"accuracy_km\":0.1,\"sides\":{\"left\":{\"code\":\"NO\","
	  "\"name\":\"Norland\"},\"right\":{\"code\":\"no\",\"name\":"
	  "\"Sudland\"}},\"features\":[" MAP_LINE("[[10,45],[11,45]]") "]}",
	  BC_INVALID, "map: sides: left and right have the same code" },
	{ "sector codes differing in case", MAP_HEAD
	  MAP_LINE("[[10,45],[10.5,45.1],[11,45]]") ","
	  MAP_SECTOR("NO", "N1", "[10,45]", "[10.5,45.1]") ","
	  MAP_SECTOR("NO", "n1", "[10.5,45.1]", "[11,45]") ","
	  MAP_SECTOR("SU", "S1", "[10,45]", "[11,45]") "]}", BC_INVALID,
	  "code: n1 is already a sector of side NO" },
	{ "a sector code with a zero-width space", MAP_HEAD
	  MAP_LINE("[[10,45],[11,45]]") ","
	  MAP_SECTOR("NO", "N1\\u200b", "[10,45]", "[11,45]") ","
	  MAP_SECTOR("SU", "S1", "[10,45]", "[11,45]") "]}", BC_INVALID,
	  "code: invisible characters" },
};

static void
test_map_catalogue(void **state)
{
	const struct map_case	*c;
	struct border_map	*m;
	char			 why[512];
	size_t			 i;
	enum bc_status		 st;

	for (i = 0; i < sizeof map_cases / sizeof map_cases[0]; i++) {
		c = &map_cases[i];
		why[0] = '\0';
		st = map_load_buffer(c->body, strlen(c->body), "map", &m, why,
		    sizeof why);
		if (st != c->status || strstr(why, c->text) == NULL)
			fail_msg("%s: status %d '%s', expected %d '%s'",
			    c->class, st, why, c->status, c->text);
		if (st == BC_OK)
			border_free(m);
		else
			assert_null(m);
	}
}

/*
 * A line that crosses itself makes chainage ambiguous at the crossing (a
 * unit there is on both stretches): the loader refuses it and says where.
 * So does a line that folds back on itself, or touches itself at a vertex.
 */
static void
test_map_self_crossing(void **state)
{
	static const struct map_case cases[] = {
		{ "two segments crossing", MAP_WHOLE(
		  "[[10,45],[11,45.2],[11,44.9],[10.5,45.3]]", "[10,45]",
		  "[10.5,45.3]"), BC_INVALID, "map: feature 0 (boundary): "
		  "coordinates: the line crosses itself at 45.14000, 10.70000 "
		  "(lat, lon), where segment 0-1 meets segment 2-3" },
		{ "folding back", MAP_WHOLE("[[10,45],[11,45],[10.5,45]]",
		  "[10,45]", "[10.5,45]"), BC_INVALID, "crosses itself at "
		  "45.00000, 11.00000 (lat, lon), where segment 0-1 meets "
		  "segment 1-2" },
		{ "touching at a vertex", MAP_WHOLE("[[10,45],[11,45],"
		  "[11,46],[10.5,46],[10.5,45],[10.5,44]]", "[10,45]",
		  "[10.5,44]"), BC_INVALID, "crosses itself at 45.00000, "
		  "10.50000 (lat, lon), where segment 0-1 meets segment 3-4" },
		{ "a loop closed on its start", MAP_WHOLE("[[10,45],[11,45],"
		  "[11,46],[10,45]]", "[10,45]", "[11,46]"), BC_INVALID,
		  "where segment 0-1 meets segment 2-3" },
		{ "a zigzag that does not cross", MAP_WHOLE("[[10,45],"
		  "[10.2,45.5],[10.4,45],[10.6,45.5],[10.8,45],[10.8,44]]",
		  "[10,45]", "[10.8,44]"), BC_OK, "" },
	};
	struct border_map	*m;
	char			 why[512];
	size_t			 i;
	enum bc_status		 st;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why[0] = '\0';
		st = map_load_buffer(cases[i].body, strlen(cases[i].body),
		    "map", &m, why, sizeof why);
		if (st != cases[i].status || strstr(why, cases[i].text) == NULL)
			fail_msg("%s: status %d '%s', expected %d '%s'",
			    cases[i].class, st, why, cases[i].status,
			    cases[i].text);
		if (st == BC_OK)
			border_free(m);
		else
			assert_null(m);
	}
}

/*
 * Found by fuzz_config: an error message quoting a long value is cut by
 * a fixed buffer at a byte, which can split a UTF-8 character, so the
 * message printed is not valid UTF-8.  The fix belongs in bc_why() (cut
 * at a character boundary); until then this case is reported as skipped.
 */
static void
test_config_message_cut(void **state)
{
	struct options	 o;
	char		*text, why[1024];
	size_t		 i, n = 300;

	text = xmalloc(32 + 2 * n);
	i = (size_t)sprintf(text, "min-gap = ");
	for (; n > 0; n--, i += 2)
		memcpy(text + i, "\xc3\xa9", 2);
	strcpy(text + i, "\n");
	options_init(&o);
	assert_int_equal(conffile_parse(text, "conf", &o, why, sizeof why),
	    BC_INVALID);
	options_done(&o);
	free(text);
	assert_non_null(strstr(why, "conf:1: "));
	/* A cut message never ends inside a UTF-8 character. */
	assert_true(str_is_clean(why));
}

/*
 * The budget under a memory limit (as `ulimit -v`): a body at the size
 * cap of ignored zeros is refused naming the budget, and the largest
 * allowed "removed" is parsed, in a child limited to what it holds now
 * plus 320 MiB.  Without the budget the tree wants 1.3 GB: malloc fails
 * inside cJSON and the refusal reads as a syntax error.  Not under
 * AddressSanitizer, whose shadow memory a limit on the address space
 * does not allow.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN	1
#endif
#endif

static int __attribute__((unused))
limited_parse(char *(*make)(size_t *), const char *want)
{
	struct feed_msg	 msg;
	struct rlimit	 rl;
	FILE		*f;
	char		*body, why[256];
	size_t		 len;
	unsigned long	 pages = 0;
	pid_t		 pid;
	int		 status;

	body = make(&len);
	if ((pid = fork()) == 0) {
		if ((f = fopen("/proc/self/statm", "r")) == NULL ||
		    fscanf(f, "%lu", &pages) != 1)
			_exit(3);
		fclose(f);
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages *
		    (rlim_t)sysconf(_SC_PAGESIZE) + 320u * 1024 * 1024;
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(3);
		if (feed_parse(body, len, sides, &msg, why, sizeof why) ==
		    BC_OK) {
			feed_msg_done(&msg);
			snprintf(why, sizeof why, "accepted");
		}
		if (strstr(why, want) == NULL) {
			fprintf(stderr, "under the limit: '%s'\n", why);
			_exit(1);
		}
		_exit(0);
	}
	free(body);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

static __attribute__((unused)) char *
make_removed_max(size_t *len)
{
	return (make_removed(FEED_MAX_REMOVED, len));
}

static void
test_budget_under_ulimit(void **state)
{
#ifdef TEST_ASAN
	skip();
#else
	assert_int_equal(limited_parse(make_ignored_zeros,
	    "over the parse budget"), 0);
	assert_int_equal(limited_parse(make_escaped_key_zeros,
	    "over the parse budget"), 0);
	assert_int_equal(limited_parse(make_removed_max, "accepted"), 0);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_catalogue),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_seq_backwards),
		cmocka_unit_test(test_far_times),
		cmocka_unit_test(test_refused_keeps_table),
		cmocka_unit_test(test_map_catalogue),
		cmocka_unit_test(test_map_self_crossing),
		cmocka_unit_test(test_config_message_cut),
		cmocka_unit_test(test_budget_under_ulimit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
