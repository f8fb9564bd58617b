/*
 * test_feed.c: coordination API v1 parsing: good messages, every
 * rejection reason with its exact text, whole-message refusals, hostile
 * strings, and applying messages to the unit table.
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
#include <unistd.h>

#include <cmocka.h>

#include "feed.h"
#include "util.h"
#include "xmalloc.h"

static const char *const sides[NSIDES] = { "US", "MX" };

#define GEOM	"\"geometry\":{\"type\":\"Point\"," \
		"\"coordinates\":[-110.94,31.33]}"
#define PROPS(x) "\"properties\":{\"side\":\"US\"," \
		"\"time\":\"2026-11-28T01:59:30Z\"" x "}"
#define FEAT(id, geom, props) \
		"{\"type\":\"Feature\"," id "," geom "," props "}"
#define GOOD	FEAT("\"id\":\"G-1\"", GEOM, PROPS(""))
#define GOOD2	FEAT("\"id\":\"G-2\"", GEOM, PROPS(""))
#define COORDS(c) "\"geometry\":{\"type\":\"Point\",\"coordinates\":" c "}"

static void
parse_ok(const char *body, struct feed_msg *msg)
{
	char	why[256] = "";

	if (feed_parse(body, strlen(body), sides, msg, why, sizeof why) !=
	    BC_OK)
		fail_msg("refused: %s", why);
}

static void
path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/tests/data/feeds/%s", SRCDIR, name);
}

static void
test_full_message(void **state)
{
	struct feed_msg	 msg;
	struct report	*r;
	char		 path[1024], why[256];

	path_of(path, sizeof path, "full.json");
	assert_int_equal(feed_read_file(path, sides, &msg, why, sizeof why),
	    BC_OK);
	assert_string_equal(msg.api, "bordercop-coordination/1");
	assert_true(msg.server_time == 1795831200);
	assert_string_equal(msg.cursor, "c-1187");
	assert_int_equal(msg.full, 1);
	assert_int_equal(msg.nreports, 4);
	assert_int_equal(msg.nremoved, 0);

	r = &msg.reports[0];
	assert_string_equal(r->id, "USBP-TCA-0042");
	assert_int_equal(r->side, SIDE_LEFT);
	assert_string_equal(r->agency, "USBP");
	assert_string_equal(r->callsign, "TCA-42");
	assert_int_equal(r->kind, KIND_VEHICLE);
	assert_string_equal(r->kind_text, "vehicle");
	assert_int_equal(r->status, STATUS_PATROL);
	assert_true(r->lon == -110.94 && r->lat == 31.33);
	assert_int_equal(r->seq, 1187);
	assert_true(r->time == 1795831170);
	assert_true(isnan(r->stale_at));
	assert_true(r->heading_deg == 87 && r->speed_kmh == 35);
	assert_true(r->radius_km == 5.0 && r->ce_m == 10);

	r = &msg.reports[1];
	assert_string_equal(r->id, "MX-GN-SON-0007");
	assert_int_equal(r->side, SIDE_RIGHT);
	assert_int_equal(r->kind, KIND_DRONE);
	assert_int_equal(r->status, STATUS_RESPONDING);
	assert_string_equal(r->callsign, "Sonora 7");
	assert_true(r->time == 1795831080);	/* -07:00 offset */
	assert_true(r->stale_at == 1795831800);
	assert_true(r->radius_km == 8.0);
	assert_true(isnan(r->heading_deg) && isnan(r->ce_m));

	r = &msg.reports[2];
	assert_string_equal(r->id, "4711");	/* integer id */
	assert_string_equal(r->callsign, "");
	assert_int_equal(r->kind, KIND_OTHER);
	assert_string_equal(r->kind_text, "submarine");
	assert_int_equal(r->status, STATUS_UNKNOWN);
	assert_string_equal(r->status_text, "lunch");
	assert_int_equal(r->seq, -1);
	assert_true(r->time == 1795827600.5);
	assert_true(isnan(r->radius_km));

	r = &msg.reports[3];
	assert_int_equal(r->status, STATUS_OFF_DUTY);
	assert_int_equal(r->kind, KIND_OTHER);
	assert_int_equal(r->seq, -1);

	/* The bad one is named; the rest was used. */
	assert_int_equal(msg.nrejected, 1);
	assert_int_equal(msg.rejected[0].index, 4);
	assert_string_equal(msg.rejected[0].id, "BAD-0001");
	assert_string_equal(msg.rejected[0].reason,
	    "coordinates: latitude 91 out of range (-90..90)");
	feed_msg_done(&msg);
	assert_int_equal(msg.nreports, 0);
	assert_null(msg.reports);
}

static void
test_apply(void **state)
{
	struct unit_table	 t;
	struct feed_msg		 msg;
	struct unit		*u;
	char			 path[1024], why[256], *body;
	size_t			 len;

	units_init(&t);
	/* Something from before is dropped by a full message. */
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"OLD\"", GEOM, PROPS("")) "]}", &msg);
	assert_int_equal(msg.full, 1);		/* absent means full */
	assert_true(isnan(msg.server_time));
	assert_null(msg.cursor);
	feed_apply(&msg, &t);
	feed_msg_done(&msg);
	assert_non_null(units_find(&t, "OLD"));

	path_of(path, sizeof path, "full.json");
	assert_int_equal(feed_read_file(path, sides, &msg, why, sizeof why),
	    BC_OK);
	feed_apply(&msg, &t);
	feed_msg_done(&msg);
	assert_int_equal(t.n, 4);
	assert_null(units_find(&t, "OLD"));

	/* A feed file is a whole picture: an incremental one is refused
	   as a file (nothing says what it applies to), and parsed as a
	   polled body would be. */
	path_of(path, sizeof path, "incremental.json");
	assert_int_equal(feed_read_file(path, sides, &msg, why, sizeof why),
	    BC_FORMAT);
	assert_non_null(strstr(why, "incremental.json: full is false: a "
	    "feed file must hold the whole picture"));
	assert_int_equal(file_read_all(path, FEED_MAX_BYTES, &body, &len, why,
	    sizeof why), BC_OK);
	parse_ok(body, &msg);
	free(body);
	assert_int_equal(msg.full, 0);
	assert_int_equal(msg.nremoved, 3);
	assert_string_equal(msg.removed[1], "4711");
	feed_apply(&msg, &t);
	feed_msg_done(&msg);

	/* Newer seq applied. */
	u = units_find(&t, "USBP-TCA-0042");
	assert_non_null(u);
	assert_int_equal(u->r.seq, 1190);
	assert_true(u->r.lon == -110.90);
	/* Older time (no seq) ignored. */
	u = units_find(&t, "MX-SEDENA-0001");
	assert_non_null(u);
	assert_true(u->r.lon == -99.5);
	/* New one added, removed ones gone, unknown removal harmless. */
	assert_non_null(units_find(&t, "MX-GN-CHH-0003"));
	assert_null(units_find(&t, "MX-GN-SON-0007"));
	assert_null(units_find(&t, "4711"));
	assert_int_equal(t.n, 3);
	units_done(&t);
}

struct reject_case {
	const char	*feature;
	const char	*id;
	const char	*reason;
};

#define ID65	"A234567890123456789012345678901234567890" \
		"123456789012345678901234X"

static const struct reject_case reject_cases[] = {
	{ "42", "", "not an object but a number" },
	{ "[]", "", "not an object but an array" },
	{ FEAT("\"x\":1", GEOM, PROPS("")), "", "id: missing" },
	{ FEAT("\"id\":null", GEOM, PROPS("")), "", "id: missing" },
	{ FEAT("\"id\":\"\"", GEOM, PROPS("")), "", "id: empty" },
	{ FEAT("\"id\":\"" ID65 "\"", GEOM, PROPS("")),
	    "A234567890123456789012345678901234567890123456789012345678901234",
	    "id: longer than 64 bytes" },
	{ FEAT("\"id\":1.5", GEOM, PROPS("")), "",
	    "id: not a string or an integer" },
	{ FEAT("\"id\":true", GEOM, PROPS("")), "",
	    "id: not a string or an integer" },
	{ FEAT("\"id\":1e999", GEOM, PROPS("")), "",
	    "id: not a string or an integer" },
	{ FEAT("\"id\":\"A\\u001b[31mB\"", GEOM, PROPS("")), "AB",
	    "id: control characters or invalid UTF-8" },
	{ "{\"type\":\"Point\",\"id\":\"X\"," GEOM "," PROPS("") "}", "X",
	    "type: not 'Feature'" },
	{ "{\"id\":\"X\"," GEOM "," PROPS("") "}", "X",
	    "type: not 'Feature'" },
	{ FEAT("\"id\":\"X\"", "\"g\":1", PROPS("")), "X",
	    "geometry: missing" },
	{ FEAT("\"id\":\"X\"", "\"geometry\":\"here\"", PROPS("")), "X",
	    "geometry: not an object" },
	{ FEAT("\"id\":\"X\"", "\"geometry\":{\"type\":\"LineString\","
	    "\"coordinates\":[[1,2],[3,4]]}", PROPS("")), "X",
	    "geometry: not a Point" },
	{ FEAT("\"id\":\"X\"", "\"geometry\":{\"type\":\"Point\"}",
	    PROPS("")), "X", "coordinates: not an array" },
	{ FEAT("\"id\":\"X\"", COORDS("[1]"), PROPS("")), "X",
	    "coordinates: length 1, expected 2 or 3" },
	{ FEAT("\"id\":\"X\"", COORDS("[1,2,3,4]"), PROPS("")), "X",
	    "coordinates: length 4, expected 2 or 3" },
	{ FEAT("\"id\":\"X\"", COORDS("[\"-110\",31]"), PROPS("")), "X",
	    "coordinates: longitude not a number" },
	{ FEAT("\"id\":\"X\"", COORDS("[-110,null]"), PROPS("")), "X",
	    "coordinates: latitude not a number" },
	{ FEAT("\"id\":\"X\"", COORDS("[1e999,31]"), PROPS("")), "X",
	    "coordinates: longitude not finite" },
	{ FEAT("\"id\":\"X\"", COORDS("[-110,-1e999]"), PROPS("")), "X",
	    "coordinates: latitude not finite" },
	{ FEAT("\"id\":\"X\"", COORDS("[-110,31,1e400]"), PROPS("")), "X",
	    "coordinates: altitude not finite" },
	{ FEAT("\"id\":\"X\"", COORDS("[181,31]"), PROPS("")), "X",
	    "coordinates: longitude 181 out of range (-180..180)" },
	{ FEAT("\"id\":\"X\"", COORDS("[-110,91]"), PROPS("")), "X",
	    "coordinates: latitude 91 out of range (-90..90)" },
	{ FEAT("\"id\":\"X\"", COORDS("[-110,-90.5]"), PROPS("")), "X",
	    "coordinates: latitude -90.5 out of range (-90..90)" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"p\":{}"), "X",
	    "properties: missing" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":[]"), "X",
	    "properties: not an object" },
	{ FEAT("\"id\":\"X\"", GEOM,
	    "\"properties\":{\"time\":\"2026-11-28T01:59:30Z\"}"), "X",
	    "properties.side: missing" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":{\"side\":1}"), "X",
	    "properties.side: not a string" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":{\"side\":\"XX\"}"), "X",
	    "properties.side: 'XX' is not US or MX" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":{\"side\":\"us\"}"), "X",
	    "properties.side: 'us' is not US or MX" },
	{ FEAT("\"id\":\"X\"", GEOM,
	    "\"properties\":{\"side\":\"\\u001b[2JUS\"}"), "X",
	    "properties.side: control characters or invalid UTF-8" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":{\"side\":\"US\"}"), "X",
	    "properties.time: missing" },
	{ FEAT("\"id\":\"X\"", GEOM,
	    "\"properties\":{\"side\":\"US\",\"time\":\"yesterday\"}"), "X",
	    "properties.time: not an RFC 3339 date-time" },
	{ FEAT("\"id\":\"X\"", GEOM,
	    "\"properties\":{\"side\":\"US\",\"time\":1795831200}"), "X",
	    "properties.time: not an RFC 3339 date-time" },
	{ FEAT("\"id\":\"X\"", GEOM, "\"properties\":{\"side\":\"US\","
	    "\"time\":\"2026-02-29T00:00:00Z\"}"), "X",
	    "properties.time: not an RFC 3339 date-time" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"stale_at\":\"soon\"")), "X",
	    "properties.stale_at: not an RFC 3339 date-time" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"seq\":1.5")), "X",
	    "properties.seq: not an integer" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"seq\":\"7\"")), "X",
	    "properties.seq: not an integer" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"seq\":-1")), "X",
	    "properties.seq: -1 out of range (0..9007199254740991)" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"agency\":5")), "X",
	    "properties.agency: not a string" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"callsign\":{}")), "X",
	    "properties.callsign: not a string" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"kind\":3")), "X",
	    "properties.kind: not a string" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"status\":false")), "X",
	    "properties.status: not a string" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"heading_deg\":361")), "X",
	    "properties.heading_deg: 361 out of range (0..360)" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"heading_deg\":\"N\"")), "X",
	    "properties.heading_deg: not a number" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"speed_kmh\":-1")), "X",
	    "properties.speed_kmh: -1 out of range (0..2000)" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"speed_kmh\":1e999")), "X",
	    "properties.speed_kmh: not finite" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"radius_m\":0")), "X",
	    "properties.radius_m: 0 out of range (1..200000)" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"radius_m\":200001")), "X",
	    "properties.radius_m: 200001 out of range (1..200000)" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"radius_m\":[]")), "X",
	    "properties.radius_m: not a number" },
	{ FEAT("\"id\":\"X\"", GEOM, PROPS(",\"ce_m\":-5")), "X",
	    "properties.ce_m: -5 out of range (>= 0)" },
};

static void
test_rejections(void **state)
{
	struct feed_msg	 msg;
	char		*body;
	size_t		 i;

	for (i = 0; i < sizeof reject_cases / sizeof reject_cases[0]; i++) {
		const struct reject_case *c = &reject_cases[i];

		xasprintf(&body, "{\"type\":\"FeatureCollection\","
		    "\"features\":[" GOOD ",%s," GOOD2 "]}", c->feature);
		parse_ok(body, &msg);
		free(body);
		if (msg.nrejected != 1)
			fail_msg("case %zu: %zu rejected", i, msg.nrejected);
		if (strcmp(msg.rejected[0].reason, c->reason) != 0)
			fail_msg("case %zu: reason \"%s\", want \"%s\"", i,
			    msg.rejected[0].reason, c->reason);
		assert_string_equal(msg.rejected[0].id, c->id);
		assert_int_equal(msg.rejected[0].index, 1);
		/* The rest of the message is still used. */
		assert_int_equal(msg.nreports, 2);
		assert_string_equal(msg.reports[0].id, "G-1");
		assert_string_equal(msg.reports[1].id, "G-2");
		feed_msg_done(&msg);
	}
}

static void
test_optional_nulls(void **state)
{
	struct feed_msg	msg;

	parse_ok("{\"type\":\"FeatureCollection\",\"api\":null,"
	    "\"server_time\":null,\"cursor\":null,\"full\":null,"
	    "\"removed\":null,\"features\":[" FEAT("\"id\":\"N\"", GEOM,
	    PROPS(",\"agency\":null,\"callsign\":null,\"kind\":null,"
	    "\"status\":null,\"seq\":null,\"stale_at\":null,"
	    "\"heading_deg\":null,\"speed_kmh\":null,\"radius_m\":null,"
	    "\"ce_m\":null,\"future\":{\"x\":[1]}")) "],\"future\":7}",
	    &msg);
	assert_int_equal(msg.nreports, 1);
	assert_int_equal(msg.nrejected, 0);
	assert_int_equal(msg.full, 1);
	assert_int_equal(msg.reports[0].status, STATUS_PATROL);
	assert_string_equal(msg.reports[0].status_text, "patrol");
	assert_int_equal(msg.reports[0].seq, -1);
	assert_true(isnan(msg.reports[0].radius_km));
	assert_true(isnan(msg.reports[0].stale_at));
	feed_msg_done(&msg);

	/* Range edges are inside. */
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":-7", COORDS("[180,-90,0]"), PROPS(",\"seq\":0,"
	    "\"heading_deg\":360,\"speed_kmh\":2000,\"radius_m\":1,"
	    "\"ce_m\":0")) "]}", &msg);
	assert_int_equal(msg.nreports, 1);
	assert_string_equal(msg.reports[0].id, "-7");
	assert_true(msg.reports[0].radius_km == 0.001);
	feed_msg_done(&msg);
}

static void
test_duplicates(void **state)
{
	struct feed_msg	msg;

	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"D\"", COORDS("[-110,31]"), PROPS(",\"seq\":5")) ","
	    FEAT("\"id\":\"D\"", COORDS("[-111,31]"), PROPS(",\"seq\":9")) ","
	    GOOD ","
	    FEAT("\"id\":\"D\"", COORDS("[-112,31]"), PROPS(",\"seq\":7")) ","
	    FEAT("\"id\":\"E\"", COORDS("[-113,31]"), PROPS("")) ","
	    FEAT("\"id\":\"E\"", COORDS("[-114,31]"), PROPS(""))
	    "]}", &msg);
	assert_int_equal(msg.nreports, 3);
	assert_int_equal(msg.nrejected, 3);
	/* D: the highest seq wins; E: equal times, the first wins. */
	assert_string_equal(msg.reports[0].id, "D");
	assert_true(msg.reports[0].lon == -111);
	assert_string_equal(msg.reports[1].id, "G-1");
	assert_string_equal(msg.reports[2].id, "E");
	assert_true(msg.reports[2].lon == -113);
	assert_int_equal(msg.rejected[0].index, 0);
	assert_int_equal(msg.rejected[1].index, 3);
	assert_int_equal(msg.rejected[2].index, 5);
	assert_string_equal(msg.rejected[0].id, "D");
	assert_string_equal(msg.rejected[2].id, "E");
	assert_string_equal(msg.rejected[1].reason,
	    "duplicate id in this message");
	feed_msg_done(&msg);
}

struct refuse_case {
	const char	*body;
	enum bc_status	 st;
	const char	*why;
};

#define FC(x)	"{\"type\":\"FeatureCollection\",\"features\":[]" x "}"

static const struct refuse_case refuse_cases[] = {
	{ "", BC_JSON, "not JSON: empty body" },
	{ " \r\n\t", BC_JSON, "not JSON: empty body" },
	{ "{", BC_JSON, "not JSON: unexpected end of input (truncated?)" },
	{ "{\"type\":\"FeatureCollection\",\"features\":[" GOOD, BC_JSON,
	    "not JSON: unexpected end of input (truncated?)" },
	{ "{\"type\":\"FeatureCollection\",\"feat", BC_JSON,
	    "not JSON: unexpected end of input (truncated?)" },
	{ "nope", BC_JSON, "not JSON: syntax error at line 1, column 1" },
	{ "{\n  \"type\": 'x'\n}", BC_JSON,
	    "not JSON: syntax error at line 2, column 11" },
	{ FC("") " x", BC_JSON,
	    "not JSON: unexpected data after the value at line 1, column 44" },
	{ "{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"X\"", COORDS("[NaN,31]"), PROPS("")) "]}", BC_JSON,
	    "not JSON: syntax error at line 1, column 110" },
	{ "{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"X\"", COORDS("[-110,Infinity]"), PROPS("")) "]}",
	    BC_JSON, "not JSON: syntax error at line 1, column 115" },
	{ "{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"X\"", COORDS("[-Infinity,31]"), PROPS("")) "]}",
	    BC_JSON, "not JSON: syntax error at line 1, column 110" },
	{ "[]", BC_FORMAT, "not a FeatureCollection: the body is an array" },
	{ "\"FeatureCollection\"", BC_FORMAT,
	    "not a FeatureCollection: the body is a string" },
	{ "null", BC_FORMAT, "not a FeatureCollection: the body is null" },
	{ "{}", BC_FORMAT, "not a FeatureCollection: no \"type\"" },
	{ GOOD, BC_FORMAT,
	    "not a FeatureCollection: \"type\" is 'Feature'" },
	{ "{\"type\":\"FeatureCollection\"}", BC_FORMAT, "features: missing" },
	{ "{\"type\":\"FeatureCollection\",\"features\":{}}", BC_FORMAT,
	    "features: not an array but an object" },
	{ "{\"type\":\"FeatureCollection\",\"features\":null}", BC_FORMAT,
	    "features: not an array but null" },
	{ FC(",\"api\":\"bordercop-coordination/2\""), BC_FORMAT,
	    "api: 'bordercop-coordination/2' is not "
	    "bordercop-coordination/1" },
	{ FC(",\"api\":\"bordercop-coordination/10\""), BC_FORMAT,
	    "api: 'bordercop-coordination/10' is not "
	    "bordercop-coordination/1" },
	{ FC(",\"api\":1"), BC_FORMAT, "api: not a string" },
	{ FC(",\"server_time\":\"now\""), BC_FORMAT,
	    "server_time: not an RFC 3339 date-time" },
	{ FC(",\"cursor\":5"), BC_FORMAT, "cursor: not a string" },
	{ FC(",\"cursor\":\"a\\u001b[0m\""), BC_FORMAT,
	    "cursor: control characters or invalid UTF-8" },
	{ FC(",\"full\":\"yes\""), BC_FORMAT, "full: not a boolean" },
	{ FC(",\"removed\":\"A\""), BC_FORMAT, "removed: not an array" },
	{ FC(",\"removed\":[\"A\",1.5]"), BC_FORMAT,
	    "removed[1]: not a string or an integer" },
	{ FC(",\"removed\":[\"\"]"), BC_FORMAT, "removed[0]: empty" },
	{ FC(",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]"), BC_FORMAT,
	    "arrays and objects nested deeper than 32 levels" },
};

static void
test_refusals(void **state)
{
	struct feed_msg	msg;
	char		why[256];
	size_t		i;
	enum bc_status	st;

	for (i = 0; i < sizeof refuse_cases / sizeof refuse_cases[0]; i++) {
		const struct refuse_case *c = &refuse_cases[i];

		why[0] = '\0';
		st = feed_parse(c->body, strlen(c->body), sides, &msg, why,
		    sizeof why);
		if (st != c->st || strcmp(why, c->why) != 0)
			fail_msg("case %zu: %d \"%s\", want %d \"%s\"", i, st,
			    why, c->st, c->why);
		assert_int_equal(msg.nreports, 0);
		assert_null(msg.reports);
		assert_null(msg.removed);
		assert_null(msg.cursor);
	}
	/* Accepted: a minor version, and a cursor at the limit. */
	parse_ok(FC(",\"api\":\"bordercop-coordination/1.4\""), &msg);
	assert_string_equal(msg.api, "bordercop-coordination/1.4");
	feed_msg_done(&msg);
}

static void
test_limits(void **state)
{
	struct feed_msg	 msg;
	char		*body, *p, why[256], cur[300], path[] =
			    "/tmp/test_feed.XXXXXX";
	size_t		 i, n;
	int		 fd;

	/* A cursor of 256 bytes is fine, 257 is not. */
	memset(cur, 'c', 257);
	cur[256] = '\0';
	xasprintf(&body, FC(",\"cursor\":\"%s\""), cur);
	parse_ok(body, &msg);
	assert_int_equal(strlen(msg.cursor), 256);
	feed_msg_done(&msg);
	free(body);
	cur[256] = 'c';
	cur[257] = '\0';
	xasprintf(&body, FC(",\"cursor\":\"%s\""), cur);
	assert_int_equal(feed_parse(body, strlen(body), sides, &msg, why,
	    sizeof why), BC_FORMAT);
	assert_string_equal(why, "cursor: longer than 256 bytes");
	free(body);

	/* Deep nesting, far past cJSON's own limit: no crash, refused. */
	n = 200000;
	body = xmalloc(2 * n + 1);
	memset(body, '[', n);
	memset(body + n, ']', n);
	body[2 * n] = '\0';
	assert_int_equal(feed_parse(body, 2 * n, sides, &msg, why,
	    sizeof why), BC_FORMAT);
	free(body);

	/* Too many bytes: refused before anything is parsed. */
	n = FEED_MAX_BYTES + 1;
	body = xmalloc(n);
	memset(body, ' ', n);
	assert_int_equal(feed_parse(body, n, sides, &msg, why, sizeof why),
	    BC_TOOBIG);
	assert_string_equal(why, "message of 33554433 bytes, more than the "
	    "limit of 33554432");
	free(body);

	/* And from a file, without reading it all into memory twice. */
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(ftruncate(fd, FEED_MAX_BYTES + 100), 0);
	close(fd);
	assert_int_equal(feed_read_file(path, sides, &msg, why, sizeof why),
	    BC_TOOBIG);
	unlink(path);

	/* Too many features. */
	n = FEED_MAX_FEATURES + 1;
	body = xmalloc(64 + 3 * n);
	p = body + sprintf(body, "{\"type\":\"FeatureCollection\","
	    "\"features\":[");
	for (i = 0; i < n; i++) {
		memcpy(p, i == 0 ? "{}" : ",{}", i == 0 ? 2 : 3);
		p += i == 0 ? 2 : 3;
	}
	strcpy(p, "]}");
	assert_int_equal(feed_parse(body, strlen(body), sides, &msg, why,
	    sizeof why), BC_TOOBIG);
	assert_string_equal(why, "200001 features, more than the limit of "
	    "200000");
	free(body);

	/* A missing file names the path. */
	assert_int_equal(feed_read_file("/nonexistent/feed.json", sides, &msg,
	    why, sizeof why), BC_IO);
	assert_non_null(strstr(why, "/nonexistent/feed.json"));
}

/* Every string of every report, rejection and the header is clean. */
static void
assert_msg_clean(const struct feed_msg *msg)
{
	size_t	i;

#define CLEAN(s) do {						\
	assert_true(str_is_clean(s));				\
	assert_null(strchr((s), 0x1b));				\
} while (0)
	CLEAN(msg->api);
	if (msg->cursor != NULL)
		CLEAN(msg->cursor);
	for (i = 0; i < msg->nreports; i++) {
		CLEAN(msg->reports[i].id);
		CLEAN(msg->reports[i].agency);
		CLEAN(msg->reports[i].callsign);
		CLEAN(msg->reports[i].kind_text);
		CLEAN(msg->reports[i].status_text);
	}
	for (i = 0; i < msg->nrejected; i++) {
		CLEAN(msg->rejected[i].id);
		CLEAN(msg->rejected[i].reason);
	}
	for (i = 0; i < msg->nremoved; i++)
		CLEAN(msg->removed[i]);
#undef CLEAN
}

static void
test_hostile_strings(void **state)
{
	struct feed_msg	 msg;
	char		 path[1024], why[256];

	path_of(path, sizeof path, "hostile.json");
	assert_int_equal(feed_read_file(path, sides, &msg, why, sizeof why),
	    BC_OK);
	assert_msg_clean(&msg);
	assert_int_equal(msg.nreports, 2);
	assert_int_equal(msg.nrejected, 2);
	assert_string_equal(msg.api, "bordercop-coordination/1");
	assert_string_equal(msg.cursor, "c\xc3\xa9");
	assert_string_equal(msg.reports[0].agency, "USBP");
	assert_string_equal(msg.reports[0].callsign, "TCA 42  evil");
	assert_string_equal(msg.reports[0].kind_text, "vehicle");
	assert_int_equal(msg.reports[0].kind, KIND_VEHICLE);
	assert_string_equal(msg.reports[0].status_text, "patrol");
	assert_string_equal(msg.reports[1].agency, "GN");
	assert_string_equal(msg.reports[1].callsign, "\xf0\x90\x80\x80x");
	assert_string_equal(msg.reports[1].kind_text, "boat");
	assert_string_equal(msg.reports[1].status_text, "lunch");
	assert_int_equal(msg.reports[1].status, STATUS_UNKNOWN);
	assert_string_equal(msg.rejected[0].id, "H-3");
	assert_string_equal(msg.rejected[0].reason,
	    "id: control characters or invalid UTF-8");
	assert_string_equal(msg.rejected[1].id, "H-4");
	assert_string_equal(msg.removed[0], "H-\xc3\xa9");
	feed_msg_done(&msg);
}

/* Raw bytes that JSON escapes cannot express: ESC, C1, invalid UTF-8. */
static void
test_raw_bytes(void **state)
{
	struct feed_msg	 msg;
	char		*body;
	int		 c;

	for (c = 0x01; c <= 0xff; c++) {
		if (c == '"' || c == '\\')
			continue;
		xasprintf(&body, "{\"type\":\"FeatureCollection\",\"features\":"
		    "[" FEAT("\"id\":\"R\"", GEOM, PROPS(",\"callsign\":"
		    "\"a%c[31mb\xc0\xaf\xed\xa0\x80\x9b" "1m%c\"")) "]}", c, c);
		parse_ok(body, &msg);
		assert_msg_clean(&msg);
		assert_int_equal(msg.nreports, 1);
		feed_msg_done(&msg);
		free(body);
	}
}

static void
test_huge_string(void **state)
{
	struct feed_msg	 msg;
	char		*body, *p;
	size_t		 big = 10 * 1024 * 1024, i;
	static const char unit[] = "\\u001b[31mA\\u001b]0;t\\u0007\xc3\xa9";

	/* A 10 MB callsign full of escapes, and a 10 MB id. */
	body = xmalloc(2 * big + 1024);
	p = body + sprintf(body, "{\"type\":\"FeatureCollection\","
	    "\"features\":[{\"type\":\"Feature\",\"id\":\"BIG\"," GEOM ","
	    "\"properties\":{\"side\":\"US\",\"time\":"
	    "\"2026-11-28T01:59:30Z\",\"callsign\":\"");
	for (i = 0; i + sizeof unit < big; i += sizeof unit - 1) {
		memcpy(p, unit, sizeof unit - 1);
		p += sizeof unit - 1;
	}
	p += sprintf(p, "\"}},{\"type\":\"Feature\",\"id\":\"");
	memset(p, 'I', big);
	p += big;
	strcpy(p, "\"," GEOM "," PROPS("") "}]}");
	parse_ok(body, &msg);
	free(body);
	assert_msg_clean(&msg);
	assert_int_equal(msg.nreports, 1);
	assert_true(strlen(msg.reports[0].callsign) <= UNIT_TEXT_MAX);
	assert_true(strncmp(msg.reports[0].callsign, "A\xc3\xa9" "A", 4) == 0);
	assert_int_equal(msg.nrejected, 1);
	assert_string_equal(msg.rejected[0].reason, "id: longer than 64 bytes");
	assert_int_equal(strlen(msg.rejected[0].id), UNIT_ID_MAX);
	feed_msg_done(&msg);
}

/* A report time more than an hour ahead of server_time is rejected. */
static void
test_future(void **state)
{
	struct feed_msg	msg;

#define FUT(t, st) "{\"type\":\"FeatureCollection\"" st ",\"features\":[" \
	FEAT("\"id\":\"F\"", GEOM, "\"properties\":{\"side\":\"US\"," \
	"\"time\":\"" t "\"}") "]}"
#define ST ",\"server_time\":\"2026-11-28T02:00:00Z\""
	parse_ok(FUT("2026-11-28T03:00:00Z", ST), &msg);
	assert_int_equal(msg.nreports, 1);
	feed_msg_done(&msg);
	parse_ok(FUT("2026-11-28T03:00:00.5Z", ST), &msg);
	assert_int_equal(msg.nreports, 0);
	assert_int_equal(msg.nrejected, 1);
	assert_string_equal(msg.rejected[0].id, "F");
	assert_string_equal(msg.rejected[0].reason,
	    "properties.time: 3601 s ahead of server_time");
	feed_msg_done(&msg);
	parse_ok(FUT("2027-11-28T02:00:00+01:00", ST), &msg);
	assert_string_equal(msg.rejected[0].reason,
	    "properties.time: 31532400 s ahead of server_time");
	feed_msg_done(&msg);
	/* Without server_time there is nothing to measure it against. */
	parse_ok(FUT("2027-11-28T02:00:00Z", ""), &msg);
	assert_int_equal(msg.nreports, 1);
	feed_msg_done(&msg);
#undef ST
#undef FUT
}

/* Numbers in reasons: as %g when exact, else with the digits it takes. */
static void
test_reason_numbers(void **state)
{
	static const struct {
		const char	*coords, *extra, *reason;
	} cases[] = {
		{ "[180.0000001,31]", "", "coordinates: longitude "
		  "180.0000001 out of range (-180..180)" },
		{ "[-110,-90.000000000000014]", "", "coordinates: latitude "
		  "-90.00000000000001 out of range (-90..90)" },
		{ "[-110,31]", ",\"seq\":1e300", "properties.seq: 1e+300 "
		  "out of range (0..9007199254740991)" },
		{ "[-110,31]", ",\"seq\":9007199254740994", "properties.seq: "
		  "9007199254740994 out of range (0..9007199254740991)" },
		/* 2^53 + 1 reads as 2^53: refused, never taken as 2^53. */
		{ "[-110,31]", ",\"seq\":9007199254740993", "properties.seq: "
		  "9007199254740992 out of range (0..9007199254740991)" },
		{ "[-110,31]", ",\"seq\":9007199254740991", NULL },
		{ "[-110,31]", ",\"heading_deg\":-1e-300", "properties."
		  "heading_deg: -1e-300 out of range (0..360)" },
		{ "[-110,31]", ",\"radius_m\":1e308", "properties.radius_m: "
		  "1e+308 out of range (1..200000)" },
		{ "[-110,31]", ",\"ce_m\":-0.1", "properties.ce_m: -0.1 "
		  "out of range (>= 0)" },
	};
	struct feed_msg	 msg;
	char		*body;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xasprintf(&body, "{\"type\":\"FeatureCollection\","
		    "\"features\":[{\"type\":\"Feature\",\"id\":\"N\","
		    "\"geometry\":{\"type\":\"Point\",\"coordinates\":%s},"
		    "\"properties\":{\"side\":\"US\",\"time\":"
		    "\"2026-11-28T01:59:30Z\"%s}}]}",
		    cases[i].coords, cases[i].extra);
		parse_ok(body, &msg);
		if (cases[i].reason == NULL) {
			/* The largest exact integer is kept as written. */
			assert_int_equal(msg.nrejected, 0);
			assert_true(msg.reports[0].seq == 9007199254740991LL);
		} else {
			assert_int_equal(msg.nrejected, 1);
			assert_string_equal(msg.rejected[0].reason,
			    cases[i].reason);
		}
		feed_msg_done(&msg);
		free(body);
	}
}

/* Member names are exact (case-sensitive), and the first one counts. */
static void
test_member_names(void **state)
{
	struct feed_msg	msg;

	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"K\"", GEOM, "\"properties\":{\"Side\":\"US\","
	    "\"time\":\"2026-11-28T01:59:30Z\"}") "]}", &msg);
	assert_string_equal(msg.rejected[0].reason,
	    "properties.side: missing");
	feed_msg_done(&msg);
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"K\"", GEOM, "\"properties\":{\"side\":\"CA\","
	    "\"side\":\"US\",\"time\":\"2026-11-28T01:59:30Z\"}") "]}", &msg);
	assert_string_equal(msg.rejected[0].reason,
	    "properties.side: 'CA' is not US or MX");
	feed_msg_done(&msg);
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    "{\"TYPE\":\"x\",\"type\":\"Feature\",\"ID\":\"no\",\"id\":\"K\","
	    GEOM "," PROPS(",\"Seq\":-5,\"seq\":null,\"CALLSIGN\":1") "}]}",
	    &msg);
	assert_int_equal(msg.nreports, 1);
	assert_string_equal(msg.reports[0].id, "K");
	assert_int_equal(msg.reports[0].seq, -1);
	feed_msg_done(&msg);
	/* A null first member hides a later one, as cJSON finds it. */
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"K\"", GEOM, PROPS(",\"callsign\":null,"
	    "\"callsign\":\"B\"")) "]}", &msg);
	assert_string_equal(msg.reports[0].callsign, "");
	feed_msg_done(&msg);
	/* Only the first features array is the features. */
	parse_ok("{\"type\":\"FeatureCollection\",\"features\":[" GOOD "],"
	    "\"features\":[" GOOD "," GOOD2 "]}", &msg);
	assert_int_equal(msg.nreports, 1);
	feed_msg_done(&msg);
	parse_ok("{\"type\":\"FeatureCollection\",\"feat\\u0075res\":["
	    GOOD "],\"features\":[" GOOD "," GOOD2 "]}", &msg);
	assert_int_equal(msg.nreports, 1);
	feed_msg_done(&msg);
}

/* Lone surrogate escapes: only their string suffers; errors still placed. */
static void
test_lone_surrogates(void **state)
{
	struct feed_msg	 msg;
	char		 why[256], want[128];
	const char	*body;

	parse_ok("{\"type\":\"FeatureCollection\",\"x\":\"\\udfff\","
	    "\"features\":[" FEAT("\"id\":\"S\\ud800\"", GEOM, PROPS(""))
	    "," FEAT("\"id\":\"S\"", GEOM, PROPS(",\"agency\":"
	    "\"\\ud800\\ud800\\udc00\"")) "]}", &msg);
	assert_int_equal(msg.nreports, 1);
	assert_string_equal(msg.reports[0].agency,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xf0\x90\x80\x80");
	assert_int_equal(msg.nrejected, 1);
	assert_string_equal(msg.rejected[0].reason,
	    "id: control characters or invalid UTF-8");
	feed_msg_done(&msg);

	/* A syntax error after patched escapes is placed in the body as
	   received, piecewise or whole. */
	body = "{\"type\":\"FeatureCollection\",\"features\":["
	    FEAT("\"id\":\"\\ud800\\udbff\"", COORDS("[NaN,31]"), PROPS(""))
	    "]}";
	snprintf(want, sizeof want, "not JSON: syntax error at line 1, "
	    "column %zu", (size_t)(strstr(body, "NaN") - body + 1));
	assert_int_equal(feed_parse(body, strlen(body), sides, &msg, why,
	    sizeof why), BC_JSON);
	assert_string_equal(why, want);
	assert_int_equal(feed_parse_opts(body, strlen(body), sides,
	    FEED_WHOLE, &msg, why, sizeof why), BC_JSON);
	assert_string_equal(why, want);
}

static void
assert_same_report(const struct report *a, const struct report *b)
{
	assert_string_equal(a->id, b->id);
	assert_int_equal(a->side, b->side);
	assert_string_equal(a->agency, b->agency);
	assert_string_equal(a->callsign, b->callsign);
	assert_string_equal(a->kind_text, b->kind_text);
	assert_string_equal(a->status_text, b->status_text);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->seq, b->seq);
	assert_memory_equal(&a->lat, &b->lat, sizeof a->lat);
	assert_memory_equal(&a->lon, &b->lon, sizeof a->lon);
	assert_memory_equal(&a->time, &b->time, sizeof a->time);
	assert_memory_equal(&a->stale_at, &b->stale_at, sizeof a->stale_at);
	assert_memory_equal(&a->heading_deg, &b->heading_deg,
	    sizeof a->heading_deg);
	assert_memory_equal(&a->speed_kmh, &b->speed_kmh,
	    sizeof a->speed_kmh);
	assert_memory_equal(&a->radius_km, &b->radius_km,
	    sizeof a->radius_km);
	assert_memory_equal(&a->ce_m, &b->ce_m, sizeof a->ce_m);
}

/* The piecewise parse and the whole parse agree on body (len bytes). */
static void
assert_same_verdict(const char *body, size_t len)
{
	struct feed_msg	 a, b;
	char		 wa[256] = "", wb[256] = "";
	enum bc_status	 sa, sb;
	size_t		 i;

	sa = feed_parse_opts(body, len, sides, 0, &a, wa, sizeof wa);
	sb = feed_parse_opts(body, len, sides, FEED_WHOLE, &b, wb, sizeof wb);
	if (sa != sb || (sa != BC_OK && strcmp(wa, wb) != 0))
		fail_msg("piecewise %d '%s', whole %d '%s' on '%.*s'", sa, wa,
		    sb, wb, (int)len, body);
	if (sa != BC_OK)
		return;
	assert_string_equal(a.api, b.api);
	assert_memory_equal(&a.server_time, &b.server_time,
	    sizeof a.server_time);
	assert_int_equal(a.cursor == NULL, b.cursor == NULL);
	if (a.cursor != NULL)
		assert_string_equal(a.cursor, b.cursor);
	assert_int_equal(a.full, b.full);
	assert_int_equal(a.nreports, b.nreports);
	for (i = 0; i < a.nreports; i++)
		assert_same_report(&a.reports[i], &b.reports[i]);
	assert_int_equal(a.nremoved, b.nremoved);
	for (i = 0; i < a.nremoved; i++)
		assert_string_equal(a.removed[i], b.removed[i]);
	assert_int_equal(a.nrejected, b.nrejected);
	for (i = 0; i < a.nrejected; i++) {
		assert_int_equal(a.rejected[i].index, b.rejected[i].index);
		assert_string_equal(a.rejected[i].id, b.rejected[i].id);
		assert_string_equal(a.rejected[i].reason,
		    b.rejected[i].reason);
	}
	feed_msg_done(&a);
	feed_msg_done(&b);
}

static uint32_t	diff_rng = 20261128u;

static uint32_t
diff_next(void)
{
	diff_rng ^= diff_rng << 13;
	diff_rng ^= diff_rng >> 17;
	diff_rng ^= diff_rng << 5;
	return (diff_rng);
}

/*
 * Differential: thousands of mutations of good messages (bytes replaced
 * by JSON's own characters, inserted, deleted, spans repeated) give the
 * same verdict, text and contents piecewise as parsed whole.
 */
static void
test_piecewise_same_as_whole(void **state)
{
	static const char *const seeds[] = {
		"{\"type\":\"FeatureCollection\",\"api\":"
		"\"bordercop-coordination/1\",\"server_time\":"
		"\"2026-11-28T02:00:00Z\",\"cursor\":\"c-1\",\"full\":false,"
		"\"features\":[" GOOD ",\n " GOOD2 "," FEAT("\"id\":7", GEOM,
		PROPS(",\"seq\":3,\"callsign\":\"a\\\"b\\\\\",\"x\":[{}]"))
		"],\"removed\":[\"R\",2]}",
		"\xef\xbb\xbf {\"features\" : [ " GOOD " , null,[],\"s\",1 ] ,"
		"\"type\":\"FeatureCollection\"}\r\n",
		"{\"type\":\"FeatureCollection\",\"features\":[]}",
		"{\"features\":[" GOOD "],\"type\":\"FeatureCollection\","
		"\"features\":{}}",
	};
	static const char alphabet[] = "{}[],:\"\\ u0dD8e.-1tfn\x01\xef";
	char		*buf;
	size_t		 s, k, m, len, cap, at, n, from;
	int		 round;

	for (s = 0; s < sizeof seeds / sizeof seeds[0]; s++)
		assert_same_verdict(seeds[s], strlen(seeds[s]));
	cap = 4096;
	buf = xmalloc(cap);
	for (round = 0; round < 6000; round++) {
		s = diff_next() % (sizeof seeds / sizeof seeds[0]);
		len = strlen(seeds[s]);
		memcpy(buf, seeds[s], len);
		m = 1 + diff_next() % 3;
		for (k = 0; k < m && len > 0; k++) {
			at = diff_next() % len;
			switch (diff_next() % 4) {
			case 0:
				buf[at] = alphabet[diff_next() %
				    (sizeof alphabet - 1)];
				break;
			case 1:
				if (len + 1 >= cap)
					break;
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = alphabet[diff_next() %
				    (sizeof alphabet - 1)];
				len++;
				break;
			case 2:
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			case 3:
				from = diff_next() % len;
				n = 1 + diff_next() % 40;
				if (from + n > len)
					n = len - from;
				if (len + n >= cap)
					break;
				memmove(buf + at + n, buf + at, len - at);
				memmove(buf + at, buf + (from >= at ? from + n :
				    from), n);
				len += n;
				break;
			}
		}
		assert_same_verdict(buf, len);
	}
	free(buf);
}

/*
 * Six ids that look the same on a screen: USBP-1 alone, then with U+200B
 * after and before it, U+FEFF, U+FE0F and the tag U+E0041.  Only the
 * first is a unit; the five others are refused by name, not cleaned
 * into a second USBP-1.
 */
static void
test_lookalike_ids(void **state)
{
	static const char *const ids[6] = {
		"USBP-1", "USBP-1\\u200b", "\\u200bUSBP-1", "USBP-1\\ufeff",
		"USBP-1\\ufe0f", "USBP-1\\udb40\\udc41"
	};
	struct feed_msg		 msg;
	struct unit_table	 t;
	char			 body[4096], why[256];
	size_t			 i, o;

	o = (size_t)snprintf(body, sizeof body, "{\"type\":"
	    "\"FeatureCollection\",\"features\":[");
	for (i = 0; i < 6; i++)
		o += (size_t)snprintf(body + o, sizeof body - o, "%s{\"type\":"
		    "\"Feature\",\"id\":\"%s\",\"geometry\":{\"type\":"
		    "\"Point\",\"coordinates\":[-110.9,31.3]},\"properties\":"
		    "{\"side\":\"US\",\"time\":\"2026-11-28T01:59:00Z\"}}",
		    i == 0 ? "" : ",", ids[i]);
	snprintf(body + o, sizeof body - o, "]}");
	assert_int_equal(feed_parse(body, strlen(body), sides, &msg, why,
	    sizeof why), BC_OK);
	units_init(&t);
	feed_apply(&msg, &t);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].r.id, "USBP-1");
	assert_int_equal(msg.nrejected, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(msg.rejected[i].index, i + 1);
		assert_string_equal(msg.rejected[i].reason,
		    "id: invisible characters");
		/* Named by the id as it shows, never with the invisible. */
		assert_string_equal(msg.rejected[i].id, "USBP-1");
	}
	units_done(&t);
	feed_msg_done(&msg);
}

/*
 * "ID-A\u0000spoof" with a higher seq must not stand for ID-A: it is
 * refused, and ID-A stays where it was.
 */
static void
test_nul_spoof(void **state)
{
	static const char body[] = "{\"type\":\"FeatureCollection\","
	    "\"full\":false,\"features\":[{\"type\":\"Feature\","
	    "\"id\":\"ID-A\\u0000spoof\",\"geometry\":{\"type\":\"Point\","
	    "\"coordinates\":[-106.4,31.7]},\"properties\":{\"side\":\"US\","
	    "\"seq\":99,\"time\":\"2026-11-28T01:59:00Z\"}}]}";
	struct feed_msg		 msg;
	char			 why[256];

	assert_int_equal(feed_parse(body, strlen(body), sides, &msg, why,
	    sizeof why), BC_OK);
	assert_int_equal(msg.nreports, 0);
	assert_int_equal(msg.nrejected, 1);
	assert_string_equal(msg.rejected[0].reason,
	    "id: control characters or invalid UTF-8");
	feed_msg_done(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_message),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_optional_nulls),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_raw_bytes),
		cmocka_unit_test(test_huge_string),
		cmocka_unit_test(test_future),
		cmocka_unit_test(test_reason_numbers),
		cmocka_unit_test(test_member_names),
		cmocka_unit_test(test_lone_surrogates),
		cmocka_unit_test(test_piecewise_same_as_whole),
		cmocka_unit_test(test_lookalike_ids),
		cmocka_unit_test(test_nul_spoof),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
