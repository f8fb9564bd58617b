/*
 * test_request.c: requests between the sides: validation with its
 * reasons, the state machine and who may move it, the JSON written and
 * read back, strict parsing of what clients send (oversize and
 * control-laden text refused) and lenient parsing of what servers send
 * (cleaned before any screen).
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

#include <sys/stat.h>
#include <unistd.h>

#include "apiwrite.h"
#include "coverage.h"
#include "events.h"
#include "map.h"
#include "picture.h"
#include "reqbook.h"
#include "reqlink.h"
#include "reqfeed.h"
#include "request.h"
#include "util.h"
#include "xmalloc.h"

static const char *const sides[NSIDES] = { "US", "MX" };

#define T0	1795824000.0	/* 2026-11-28T00:00:00Z */
#define LINE_KM	3308.513

static void
make_req(struct request *r)
{
	req_init(r);
	snprintf(r->id, sizeof r->id, "us-tca-0001");
	r->kind = REQ_COVER;
	r->sender = 0;
	r->addressee = 1;
	r->a_km = 620.5;
	r->b_km = 633.25;
	snprintf(r->gap, sizeof r->gap, "G7");
	snprintf(r->sector, sizeof r->sector, "TCA");
	snprintf(r->text, sizeof r->text, "Please cover / Favor de cubrir");
	r->expires = T0 + 3600;
}

static void
test_validate(void **state)
{
	struct request	r;
	char		why[256];

	(void)state;
	make_req(&r);
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_OK);

	snprintf(r.id, sizeof r.id, "bad id");
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "id: want 1 to 64 of A-Z a-z 0-9 . _ -");

	make_req(&r);
	r.b_km = LINE_KM + 1;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why,
	    "from_km, to_km: outside the line (0..3308.513 km)");

	make_req(&r);
	r.a_km = 700;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "from_km, to_km: from must be less than to");

	make_req(&r);
	r.b_km = r.a_km + 250;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "from_km, to_km: longer than 200 km");

	make_req(&r);
	r.expires = T0 - 1;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "expires: not in the future");
	r.expires = T0 + 2 * 86400;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "expires: more than 86400 s ahead");

	make_req(&r);
	r.addressee = 0;
	assert_int_equal(req_validate(&r, LINE_KM, T0, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "side: a request goes to the other side");
}

static void
answer(struct req_answer *a, enum req_state st)
{
	req_answer_init(a);
	a->state = st;
}

/* The whole loop, each step stamped with its time and side. */
static void
test_state_machine(void **state)
{
	struct request		r;
	struct req_answer	a;
	char			why[256];

	(void)state;
	make_req(&r);
	req_start(&r, T0);
	assert_int_equal(r.state, RS_SENT);
	assert_true(r.stamps[RS_SENT].t == T0);
	assert_int_equal(r.stamps[RS_SENT].side, 0);

	answer(&a, RS_DELIVERED);
	/* Delivery is the server's to record, not a client's. */
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_AUTH);
	assert_string_equal(why,
	    "state: only the server may make a request delivered");
	assert_int_equal(req_check(&r, &a, REQ_SIDE_SERVER, why, sizeof why),
	    BC_OK);
	assert_int_equal(req_apply(&r, &a, REQ_SIDE_SERVER, T0 + 5), 1);

	answer(&a, RS_ACCEPTED);
	/* The sender cannot accept its own request. */
	assert_int_equal(req_check(&r, &a, 0, why, sizeof why), BC_AUTH);
	assert_string_equal(why,
	    "state: only the addressee may make a request accepted");
	answer(&a, RS_SEEN);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	req_apply(&r, &a, 1, T0 + 9);
	answer(&a, RS_ACCEPTED);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	assert_int_equal(req_apply(&r, &a, 1, T0 + 20), 1);
	/* A retry of the same answer changes nothing. */
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	assert_int_equal(req_apply(&r, &a, 1, T0 + 25), 0);
	assert_true(r.stamps[RS_ACCEPTED].t == T0 + 20);

	/* Backwards is refused with both states named. */
	answer(&a, RS_SEEN);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_INVALID);
	assert_string_equal(why, "state: seen cannot follow accepted");

	/* Covering from either side's client; the other's repeat is fine. */
	answer(&a, RS_COVERING);
	assert_int_equal(req_check(&r, &a, 0, why, sizeof why), BC_OK);
	req_apply(&r, &a, 0, T0 + 600);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	assert_int_equal(req_apply(&r, &a, 1, T0 + 610), 0);
	answer(&a, RS_CLOSED);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	req_apply(&r, &a, 1, T0 + 900);
	assert_int_equal(r.state, RS_CLOSED);
	assert_true(req_state_terminal(r.state));
	assert_int_equal(r.stamps[RS_COVERING].side, 0);
	assert_int_equal(r.stamps[RS_CLOSED].side, 1);

	/* Nothing follows a terminal state, not even expiry. */
	answer(&a, RS_EXPIRED);
	assert_int_equal(req_check(&r, &a, REQ_SIDE_SERVER, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "state: expired cannot follow closed");
}

/* Every transition of the table: who may make it, and nobody else. */
static void
test_transition_table(void **state)
{
	int	from, to, n = 0;

	(void)state;
	for (from = 0; from < REQ_STATE_COUNT; from++) {
		for (to = 0; to < REQ_STATE_COUNT; to++) {
			unsigned who = req_transition_who(from, to);

			if (req_state_terminal(from))
				assert_int_equal(who, 0);
			if (to == RS_SENT)
				assert_int_equal(who, 0);
			if (to == RS_ACCEPTED || to == RS_DECLINED ||
			    to == RS_COUNTERED || to == RS_SEEN)
				assert_true(who == 0 ||
				    who == REQ_BY_ADDRESSEE);
			if (to == RS_DELIVERED || to == RS_EXPIRED)
				assert_true(who == 0 || who == REQ_BY_SERVER);
			n += who != 0;
		}
	}
	assert_int_equal(n, 28);
}

static void
test_decline_counter(void **state)
{
	struct request		r;
	struct req_answer	a;
	char			why[256];
	const char		*body;

	(void)state;
	make_req(&r);
	req_start(&r, T0);
	body = "{\"state\":\"declined\"}";
	assert_int_equal(reqfeed_parse_answer(body, strlen(body), &a, why,
	    sizeof why), BC_INVALID);
	assert_string_equal(why, "reason: a decline says why");
	body = "{\"state\":\"declined\",\"reason\":\"no unit free\"}";
	assert_int_equal(reqfeed_parse_answer(body, strlen(body), &a, why,
	    sizeof why), BC_OK);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	req_apply(&r, &a, 1, T0 + 30);
	assert_string_equal(r.reason, "no unit free");

	make_req(&r);
	req_start(&r, T0);
	body = "{\"state\":\"countered\",\"from_km\":625,\"to_km\":630,"
	    "\"reason\":\"only this part\"}";
	assert_int_equal(reqfeed_parse_answer(body, strlen(body), &a, why,
	    sizeof why), BC_OK);
	assert_int_equal(req_check(&r, &a, 1, why, sizeof why), BC_OK);
	req_apply(&r, &a, 1, T0 + 30);
	assert_true(r.counter_a_km == 625 && r.counter_b_km == 630);
	body = "{\"state\":\"countered\",\"from_km\":625}";
	assert_int_equal(reqfeed_parse_answer(body, strlen(body), &a, why,
	    sizeof why), BC_INVALID);
	assert_string_equal(why, "from_km, to_km: give both or neither");
}

/* What the server writes, a client reads back the same. */
static void
test_write_read(void **state)
{
	struct request		r, back;
	struct req_answer	a;
	struct apibuf		b;
	char			why[256];

	(void)state;
	make_req(&r);
	req_start(&r, T0);
	answer(&a, RS_DELIVERED);
	req_apply(&r, &a, REQ_SIDE_SERVER, T0 + 5);
	answer(&a, RS_COUNTERED);
	snprintf(a.reason, sizeof a.reason, "west half \"only\"");
	a.counter_a_km = 620.5;
	a.counter_b_km = 626;
	req_apply(&r, &a, 1, T0 + 60);
	r.seq = 42;
	apibuf_init(&b);
	req_write(&b, &r, sides);
	assert_int_equal(reqfeed_parse_request(b.p, b.len, sides, &back, why,
	    sizeof why), BC_OK);
	assert_string_equal(back.id, r.id);
	assert_int_equal(back.kind, REQ_COVER);
	assert_int_equal(back.sender, 0);
	assert_int_equal(back.addressee, 1);
	assert_true(back.a_km == 620.5 && back.b_km == 633.25);
	assert_string_equal(back.gap, "G7");
	assert_string_equal(back.sector, "TCA");
	assert_string_equal(back.text, r.text);
	assert_true(back.expires == r.expires);
	assert_int_equal(back.state, RS_COUNTERED);
	assert_string_equal(back.reason, "west half \"only\"");
	assert_true(back.counter_b_km == 626);
	assert_int_equal(back.seq, 42);
	assert_true(back.stamps[RS_SENT].t == T0);
	assert_int_equal(back.stamps[RS_SENT].side, 0);
	assert_int_equal(back.stamps[RS_DELIVERED].side, REQ_SIDE_SERVER);
	assert_true(back.stamps[RS_COUNTERED].t == T0 + 60);
	assert_int_equal(back.stamps[RS_COUNTERED].side, 1);
	assert_true(isnan(back.stamps[RS_ACCEPTED].t));
	apibuf_done(&b);
}

/* The wire sizes the issue sets: a request <= 400 B, an answer <= 150. */
static void
test_wire_size(void **state)
{
	struct request		r;
	struct req_answer	a;
	struct apibuf		b;

	(void)state;
	make_req(&r);
	memset(r.text, 'x', 200);	/* a long text, well past typical */
	r.text[200] = '\0';
	apibuf_init(&b);
	req_write_new(&b, &r, sides);
	assert_true(b.len <= 400);
	apibuf_done(&b);
	answer(&a, RS_DECLINED);
	snprintf(a.reason, sizeof a.reason, "no unit free in this sector "
	    "until 0400");
	apibuf_init(&b);
	req_write_answer(&b, &a);
	assert_true(b.len <= 150);
	apibuf_done(&b);
}

static void
test_parse_new_strict(void **state)
{
	struct request	r;
	char		why[256], body[1024], big[400];
	int		claimed;

	(void)state;
#define NEWB(extra) "{\"id\":\"us-1\",\"kind\":\"cover\",\"from_km\":10," \
	"\"to_km\":12.5,\"expires\":\"2026-11-28T01:00:00Z\"" extra "}"
	snprintf(body, sizeof body, "%s", NEWB(",\"sender\":\"MX\""));
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_OK);
	assert_int_equal(claimed, 1);	/* reported, never taken */
	assert_int_equal(r.sender, -1);
	assert_true(r.a_km == 10 && r.b_km == 12.5);

	/* Text with an escape sequence: refused, not cleaned silently. */
	snprintf(body, sizeof body, "%s",
	    NEWB(",\"text\":\"cover \\u001b[2Jnow\""));
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);
	assert_string_equal(why,
	    "text: control characters, escape sequences or invalid UTF-8");
	snprintf(body, sizeof body, "%s", NEWB(",\"text\":\"a\\nb\""));
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);

	/* 281 bytes of text: one too many. */
	memset(big, 'a', 281);
	big[281] = '\0';
	snprintf(body, sizeof body, "{\"id\":\"us-1\",\"kind\":\"cover\","
	    "\"from_km\":10,\"to_km\":12.5,\"expires\":"
	    "\"2026-11-28T01:00:00Z\",\"text\":\"%s\"}", big);
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);
	assert_string_equal(why, "text: longer than 280 bytes");
	big[280] = '\0';
	snprintf(body, sizeof body, "{\"id\":\"us-1\",\"kind\":\"cover\","
	    "\"from_km\":10,\"to_km\":12.5,\"expires\":"
	    "\"2026-11-28T01:00:00Z\",\"text\":\"%s\"}", big);
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_OK);
	assert_int_equal(strlen(r.text), 280);

	snprintf(body, sizeof body, "%s", NEWB(",\"sender\":\"XX\""));
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);
	assert_string_equal(why, "sender: 'XX' is not US or MX");
	snprintf(body, sizeof body, "%s", "{\"id\":\"us 1\"}");
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);
	assert_string_equal(why, "id: want 1 to 64 of A-Z a-z 0-9 . _ -");
	snprintf(body, sizeof body, "%s",
	    "{\"id\":\"u\",\"kind\":\"order\"}");
	assert_int_equal(reqfeed_parse_new(body, strlen(body), sides, &r,
	    &claimed, why, sizeof why), BC_INVALID);
	assert_string_equal(why, "kind: not cover, info or message");
	assert_int_equal(reqfeed_parse_new("{", 1, sides, &r, &claimed, why,
	    sizeof why), BC_JSON);
	assert_string_equal(why, "not JSON");
#undef NEWB
}

/* tmpl with its one %s replaced by val (the templates hold JSON). */
static void
subst(char *dst, size_t len, const char *tmpl, const char *val)
{
	const char	*p = strstr(tmpl, "%s");

	assert_non_null(p);
	snprintf(dst, len, "%.*s%s%s", (int)(p - tmpl), tmpl, val, p + 2);
}

/* A server's list of one valid request (the NUL cases start from it). */
#define ITEM "{\"api\":\"bordercop-coordination/1.1\",\"requests\":" \
	"[{\"id\":\"a1\",\"sender\":\"MX\",\"addressee\":\"US\"," \
	"\"kind\":\"info\",\"from_km\":1,\"to_km\":2,\"expires\":" \
	"\"2026-11-28T01:00:00Z\",\"state\":\"declined\",\"gap\":\"G1\"," \
	"\"sector\":\"TCA\",\"text\":\"hola\",\"reason\":\"none\"," \
	"\"history\":[[\"sent\",\"2026-11-28T00:09:00Z\",\"MX\"]]}]}"

/*
 * U+0000 in any string member (escaped, as JSON must write it): the
 * member is refused by its name, never read up to the NUL, both in what
 * a client sends (strict) and in what a server answers (lenient).  Each
 * case is one member of a valid body with "\u0000..." added.
 */
static void
test_nul_members(void **state)
{
	static const struct {
		const char	*member;
		const char	*json;	/* %s: the member's value with the NUL */
		const char	*value;	/* what stands before the NUL */
	} news[] = {
		{ "id", "{\"id\":\"%s\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\"}", "t5" },
		{ "kind", "{\"id\":\"t\",\"kind\":\"%s\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\"}",
		    "cover" },
		{ "gap", "{\"id\":\"t\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\","
		    "\"gap\":\"%s\"}", "G1" },
		{ "sector", "{\"id\":\"t\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\","
		    "\"sector\":\"%s\"}", "TCA" },
		{ "text", "{\"id\":\"t\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\","
		    "\"text\":\"%s\"}", "ab" },
		{ "expires", "{\"id\":\"t\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"%s\"}", "2026-11-28T01:00:00Z" },
		{ "sender", "{\"id\":\"t\",\"kind\":\"cover\",\"from_km\":1,"
		    "\"to_km\":2,\"expires\":\"2026-11-28T01:00:00Z\","
		    "\"sender\":\"%s\"}", "US" },
	}, answers[] = {
		{ "state", "{\"state\":\"%s\",\"reason\":\"busy\"}",
		    "declined" },
		{ "reason", "{\"state\":\"declined\",\"reason\":\"%s\"}",
		    "no" },
	}, items[] = {
		/* json: the text in ITEM to put the NUL in, after value */
		{ "id", "\"id\":\"a1\"", "a1" },
		{ "sender", "\"sender\":\"MX\"", "MX" },
		{ "addressee", "\"addressee\":\"US\"", "US" },
		{ "kind", "\"kind\":\"info\"", "info" },
		{ "gap", "\"gap\":\"G1\"", "G1" },
		{ "sector", "\"sector\":\"TCA\"", "TCA" },
		{ "text", "\"text\":\"hola\"", "hola" },
		{ "expires", "\"expires\":\"2026-11-28T01:00:00Z\"",
		    "2026-11-28T01:00:00Z" },
		{ "state", "\"state\":\"declined\"", "declined" },
		{ "reason", "\"reason\":\"none\"", "none" },
		{ "history", "[\"sent\"", "sent" },
		{ "history", "\"2026-11-28T00:09:00Z\"",
		    "2026-11-28T00:09:00Z" },
		{ "history", "\"MX\"]", "MX" },
	}, tops[] = {
		{ "api", "{\"api\":\"%s\",\"requests\":[]}",
		    "bordercop-coordination/1.1" },
		{ "side", "{\"api\":\"bordercop-coordination/1.1\","
		    "\"side\":\"%s\",\"requests\":[]}", "US" },
		{ "cursor", "{\"api\":\"bordercop-coordination/1.1\","
		    "\"cursor\":\"%s\",\"requests\":[]}", "r5" },
		{ "server_time", "{\"api\":\"bordercop-coordination/1.1\","
		    "\"server_time\":\"%s\",\"requests\":[]}",
		    "2026-11-28T00:10:00Z" },
	};
	struct request		r;
	struct req_answer	a;
	struct reqfeed_msg	m;
	struct reqfeed_item	it;
	char			body[1024], tmpl[512], val[128], why[256],
			 want[64];
	const char		*p;
	size_t			i;
	int			claimed;

	(void)state;
	for (i = 0; i < sizeof news / sizeof news[0]; i++) {
		/* Without the NUL the body is good: the NUL is the fault. */
		subst(body, sizeof body, news[i].json, news[i].value);
		assert_int_equal(reqfeed_parse_new(body, strlen(body), sides,
		    &r, &claimed, why, sizeof why), BC_OK);
		snprintf(val, sizeof val, "%s\\u0000x", news[i].value);
		subst(body, sizeof body, news[i].json, val);
		snprintf(want, sizeof want, "%s: a NUL character",
		    news[i].member);
		if (reqfeed_parse_new(body, strlen(body), sides, &r, &claimed,
		    why, sizeof why) != BC_INVALID || strcmp(why, want) != 0)
			fail_msg("%s: got '%s'", body, why);
		/* The queue's new items are read the same way. */
		snprintf(tmpl, sizeof tmpl, "%.*s,\"op\":\"new\",\"sender\":"
		    "\"US\"}", (int)strlen(news[i].json) - 1, news[i].json);
		subst(body, sizeof body, tmpl, val);
		if (reqfeed_parse_item(body, strlen(body), sides, &it, why,
		    sizeof why) != BC_INVALID || strcmp(why, want) != 0)
			fail_msg("%s: got '%s'", body, why);
	}
	for (i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		subst(body, sizeof body, answers[i].json, answers[i].value);
		assert_int_equal(reqfeed_parse_answer(body, strlen(body), &a,
		    why, sizeof why), BC_OK);
		snprintf(val, sizeof val, "%s\\u0000 hidden part",
		    answers[i].value);
		subst(body, sizeof body, answers[i].json, val);
		snprintf(want, sizeof want, "%s: a NUL character",
		    answers[i].member);
		if (reqfeed_parse_answer(body, strlen(body), &a, why,
		    sizeof why) != BC_INVALID || strcmp(why, want) != 0)
			fail_msg("%s: got '%s'", body, why);
	}
	/* A server's list: the item is skipped and counted, by name. */
	assert_int_equal(reqfeed_parse_list(ITEM, strlen(ITEM), sides, &m,
	    why, sizeof why), BC_OK);
	assert_int_equal(m.nreqs, 1);
	reqfeed_msg_done(&m);
	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		p = strstr(ITEM, items[i].json);
		assert_non_null(p);
		p += strstr(items[i].json, items[i].value) - items[i].json +
		    strlen(items[i].value);
		snprintf(body, sizeof body, "%.*s\\u0000x%s", (int)(p - ITEM),
		    ITEM, p);
		snprintf(want, sizeof want, "%s: a NUL character",
		    items[i].member);
		assert_int_equal(reqfeed_parse_list(body, strlen(body), sides,
		    &m, why, sizeof why), BC_OK);
		assert_int_equal(m.nreqs, 0);
		assert_int_equal(m.nrejected, 1);
		if (strcmp(m.first_reject, want) != 0)
			fail_msg("%s: got '%s'", body, m.first_reject);
		reqfeed_msg_done(&m);
	}
	for (i = 0; i < sizeof tops / sizeof tops[0]; i++) {
		subst(body, sizeof body, tops[i].json, tops[i].value);
		assert_int_equal(reqfeed_parse_list(body, strlen(body), sides,
		    &m, why, sizeof why), BC_OK);
		reqfeed_msg_done(&m);
		snprintf(val, sizeof val, "%s\\u0000x", tops[i].value);
		subst(body, sizeof body, tops[i].json, val);
		snprintf(want, sizeof want, "%s: a NUL character",
		    tops[i].member);
		if (reqfeed_parse_list(body, strlen(body), sides, &m, why,
		    sizeof why) != BC_FORMAT || strcmp(why, want) != 0)
			fail_msg("%s: got '%s'", body, why);
	}

	/* A raw NUL byte is not JSON: refused whole, not read up to it. */
	memcpy(body, "{\"state\":\"seen\",\"reason\":\"a\0b\"}", 32);
	assert_int_equal(reqfeed_parse_answer(body, 31, &a, why, sizeof why),
	    BC_JSON);
	assert_string_equal(why, "not JSON: a NUL byte");
}
#undef ITEM

/* A hostile server's list: strings cleaned, bad items skipped. */
static void
test_parse_list_lenient(void **state)
{
	struct reqfeed_msg	 m;
	char			 why[256];
	const char		*body;

	(void)state;
	body = "{\"api\":\"bordercop-coordination/1.1\","
	    "\"server_time\":\"2026-11-28T00:10:00Z\",\"cursor\":\"r5.t\","
	    "\"full\":true,\"requests\":["
	    "{\"id\":\"a1\",\"sender\":\"MX\",\"addressee\":\"US\","
	    "\"kind\":\"info\",\"from_km\":1,\"to_km\":2,"
	    "\"expires\":\"2026-11-28T01:00:00Z\",\"state\":\"sent\","
	    "\"text\":\"hola\\u001b]0;pwned\\u0007 amigos\","
	    "\"history\":[[\"sent\",\"2026-11-28T00:09:00Z\",\"MX\"]]},"
	    "{\"id\":\"bad id\",\"sender\":\"MX\"},"
	    "{\"id\":\"a2\",\"sender\":\"US\",\"addressee\":\"US\","
	    "\"kind\":\"info\",\"from_km\":1,\"to_km\":2,"
	    "\"expires\":\"2026-11-28T01:00:00Z\",\"state\":\"sent\"}]}";
	assert_int_equal(reqfeed_parse_list(body, strlen(body), sides, &m,
	    why, sizeof why), BC_OK);
	assert_int_equal(m.nreqs, 1);
	assert_int_equal(m.nrejected, 2);
	assert_string_equal(m.first_reject,
	    "id: want 1 to 64 of A-Z a-z 0-9 . _ -");
	assert_string_equal(m.reqs[0].text, "hola amigos");
	assert_true(str_is_clean(m.reqs[0].text));
	assert_int_equal(m.reqs[0].sender, 1);
	assert_int_equal(m.reqs[0].stamps[RS_SENT].side, 1);
	assert_string_equal(m.cursor, "r5.t");
	reqfeed_msg_done(&m);

	body = "{\"api\":\"other/2\",\"requests\":[]}";
	assert_int_equal(reqfeed_parse_list(body, strlen(body), sides, &m,
	    why, sizeof why), BC_FORMAT);
	assert_string_equal(why, "api: not bordercop-coordination/1.1");
}

static void
test_queue_items(void **state)
{
	struct reqfeed_item	it;
	char			why[256];
	const char		*line;

	(void)state;
	line = "{\"op\":\"new\",\"id\":\"us-9\",\"sender\":\"US\","
	    "\"kind\":\"cover\",\"from_km\":5,\"to_km\":9,"
	    "\"expires\":\"2026-11-28T01:00:00Z\"}";
	assert_int_equal(reqfeed_parse_item(line, strlen(line), sides, &it,
	    why, sizeof why), BC_OK);
	assert_int_equal(it.op, REQFEED_NEW);
	assert_int_equal(it.req.sender, 0);
	assert_int_equal(it.req.addressee, 1);
	line = "{\"op\":\"answer\",\"id\":\"mx-3\",\"state\":\"accepted\"}";
	assert_int_equal(reqfeed_parse_item(line, strlen(line), sides, &it,
	    why, sizeof why), BC_OK);
	assert_int_equal(it.op, REQFEED_ANSWER);
	assert_string_equal(it.id, "mx-3");
	assert_int_equal(it.answer.state, RS_ACCEPTED);
	line = "{\"op\":\"answer\",\"id\":\"mx-3\",\"state\":\"acc";
	assert_int_equal(reqfeed_parse_item(line, strlen(line), sides, &it,
	    why, sizeof why), BC_JSON);
}

/* A book with its queue in a fresh temporary directory. */
static void
book_open(struct reqbook *b, const char *dir, int side)
{
	struct reqbook_config	c;
	char			path[256], why[256];

	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = side;
	c.seed = 7;
	snprintf(path, sizeof path, "%s/requests.queue", dir);
	c.queue_path = path;
	if (reqbook_init(b, &c, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
}

static size_t
queued(const struct reqbook *b)
{
	size_t	i, n = 0;

	for (i = 0; i < b->n; i++)
		n += b->v[i].pending_new + b->v[i].pending_answer;
	return (n);
}

/* The queue survives a restart: the same request, the same id, once. */
static void
test_queue_restart(void **state)
{
	struct reqbook	b;
	struct apibuf	body;
	char		dir[] = "/tmp/test_request.XXXXXX", id[REQ_ID_MAX + 1];
	char		id2[REQ_ID_MAX + 1], why[256], cmd[64];
	long		i;
	int		create;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* The queue's directory is made by the first write, mode 0700. */
	assert_int_equal(rmdir(dir), 0);
	book_open(&b, dir, -1);
	assert_int_equal(access(dir, F_OK), -1);
	/* No side yet: nothing can be composed. */
	assert_int_equal(reqbook_compose(&b, REQ_COVER, 620, 633, "G7",
	    "TCA", "cover", NAN, T0, LINE_KM, id, why, sizeof why),
	    BC_INVALID);
	assert_string_equal(why, "our side is not known yet: wait for the "
	    "server, or set --side");
	reqbook_set_side(&b, 0);
	assert_int_equal(reqbook_compose(&b, REQ_COVER, 620, 633, "G7",
	    "TCA", "cubrir \033[2J ya", NAN, T0, LINE_KM, id, why,
	    sizeof why), BC_OK);
	assert_int_equal(reqbook_compose(&b, REQ_INFO, 10, 12, NULL, NULL,
	    NULL, T0 + 600, T0, LINE_KM, id2, why, sizeof why), BC_OK);
	assert_string_not_equal(id, id2);
	{
		struct stat	sb;

		assert_int_equal(stat(dir, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0700);
	}
	assert_memory_equal(id, "us-", 3);
	assert_string_equal(reqbook_state_text(&b.v[0]), "queued");
	assert_string_equal(b.v[0].r.text, "cubrir  ya");	/* cleaned */
	assert_true(b.v[0].r.expires == T0 + REQBOOK_EXPIRY_S);
	reqbook_done(&b);

	/* Restarted: both still queued, with their ids and contents. */
	book_open(&b, dir, 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(queued(&b), 2);
	assert_non_null(reqbook_find(&b, id));
	assert_string_equal(reqbook_find(&b, id)->r.gap, "G7");
	apibuf_init(&body);
	i = reqbook_next(&b, &create, &body);
	assert_true(i >= 0 && create);
	assert_non_null(strstr(body.p, id));
	apibuf_done(&body);
	/* The server took the first: it leaves the queue for good. */
	assert_int_equal(reqbook_sent(&b, i, create, 201, ""), 1);
	/* The second got no answer: it stays. */
	apibuf_init(&body);
	i = reqbook_next(&b, &create, &body);
	assert_int_equal(reqbook_sent(&b, i, create, 0, ""), 0);
	assert_int_equal(reqbook_sent(&b, i, create, 503, ""), 0);
	apibuf_done(&body);
	reqbook_done(&b);
	book_open(&b, dir, 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.v[0].r.id, id2);
	/* Refused for good (400): off the queue, the reason kept. */
	assert_int_equal(reqbook_sent(&b, 0, 1, 400,
	    "expires: not in the future"), 1);
	assert_string_equal(b.v[0].error, "expires: not in the future");
	assert_string_equal(reqbook_state_text(&b.v[0]), "refused");
	reqbook_done(&b);
	book_open(&b, dir, 0);
	assert_int_equal(b.n, 0);
	reqbook_done(&b);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A list as the server sends it, with one request in it. */
static void
server_says(struct reqbook *b, const struct request *r, double pnow,
    struct event_log *log)
{
	struct reqfeed_msg	m;

	memset(&m, 0, sizeof m);
	m.side = -1;
	m.reqs = (struct request *)(uintptr_t)r;
	m.nreqs = 1;
	reqbook_merge(b, &m, pnow, log);
}

/* Covering is measured in the picture, closed after the hold. */
static void
test_measure_covering(void **state)
{
	struct reqbook		 b;
	struct request		 r;
	struct req_answer	 a;
	struct picture		 pic;
	struct event_log	 log;
	char			 dir[] = "/tmp/test_request.XXXXXX", cmd[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	book_open(&b, dir, 0);
	events_init(&log, 32);
	picture_init(&pic);
	make_req(&r);
	req_start(&r, T0);
	answer(&a, RS_ACCEPTED);
	req_apply(&r, &a, 1, T0 + 30);
	r.seq = 3;
	server_says(&b, &r, T0 + 40, &log);
	assert_int_equal(log.total, 1);
	assert_non_null(strstr(events_get(&log, 0)->text,
	    "accepted by MX"));

	/* MX covers part of the stretch: not covering. */
	ivlist_add(&pic.cov[1], 600, 630);
	reqbook_measure(&b, &pic, T0 + 60, &log);
	assert_int_equal(queued(&b), 0);
	/* The US side covering it does not count: it is MX's to cover. */
	ivlist_add(&pic.cov[0], 600, 700);
	reqbook_measure(&b, &pic, T0 + 60, &log);
	assert_int_equal(queued(&b), 0);
	/* MX covers all of it, but the picture is frozen (unknown): what
	   it shows is not now, so nothing is measured. */
	ivlist_add(&pic.cov[1], 629, 640);
	ivlist_normalize(&pic.cov[1], 0);
	pic.unknown = 1;
	reqbook_measure(&b, &pic, T0 + 80, &log);
	assert_int_equal(queued(&b), 0);
	pic.unknown = 0;
	reqbook_measure(&b, &pic, T0 + 90, &log);
	assert_int_equal(queued(&b), 1);
	assert_int_equal(b.v[0].answer.state, RS_COVERING);
	{
		struct apibuf	body;
		int		create;

		apibuf_init(&body);
		assert_int_equal(reqbook_next(&b, &create, &body), 0);
		apibuf_done(&body);
	}
	assert_int_equal(reqbook_sent(&b, 0, 0, 200, ""), 1);
	answer(&a, RS_COVERING);
	req_apply(&r, &a, 0, T0 + 95);
	r.seq = 4;
	server_says(&b, &r, T0 + 100, &log);
	/* Covered since T0 + 90: not closed before the hold is over. */
	reqbook_measure(&b, &pic, T0 + 90 + REQBOOK_HOLD_S - 1, &log);
	assert_int_equal(queued(&b), 0);
	reqbook_measure(&b, &pic, T0 + 90 + REQBOOK_HOLD_S, &log);
	assert_int_equal(queued(&b), 1);
	assert_int_equal(b.v[0].answer.state, RS_CLOSED);

	picture_done(&pic);
	events_done(&log);
	reqbook_done(&b);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* An incoming cover request: an event at once, in the inbox. */
static void
test_incoming(void **state)
{
	struct reqbook		 b;
	struct reqbook_config	 c;
	struct request		 r;
	struct req_answer	 a;
	struct event_log	 log;
	const struct event	*e;
	char			 why[256];
	size_t			 in, out;

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = 1;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	events_init(&log, 32);
	make_req(&r);
	req_start(&r, T0);
	answer(&a, RS_DELIVERED);
	req_apply(&r, &a, REQ_SIDE_SERVER, T0 + 2);
	server_says(&b, &r, T0 + 2, &log);
	assert_non_null(e = events_get(&log, 0));
	assert_int_equal(e->type, EVENT_REQ_IN);
	assert_non_null(strstr(e->text, "US->MX cover 620.5-633.2 km TCA"));
	assert_true(b.v[0].is_new);
	reqbook_unanswered(&b, &in, &out);
	assert_true(in == 1 && out == 0);
	/* The addressee is not told to phone: it is the one to answer. */
	reqbook_measure(&b, NULL, T0 + 2 * REQBOOK_ESCALATE_S, &log);
	assert_int_equal(log.total, 1);

	/* Seen goes out; accept is given while it is on its way: when seen
	   is taken, accept is still queued, and the state is seen. */
	answer(&a, RS_SEEN);
	assert_int_equal(reqbook_answer(&b, "us-tca-0001", &a, why,
	    sizeof why), BC_OK);
	{
		struct apibuf	body;
		long		i;
		int		create;

		apibuf_init(&body);
		i = reqbook_next(&b, &create, &body);
		assert_true(i == 0 && !create);
		assert_non_null(strstr(body.p, "\"seen\""));
		answer(&a, RS_ACCEPTED);
		assert_int_equal(reqbook_answer(&b, "us-tca-0001", &a, why,
		    sizeof why), BC_OK);
		assert_int_equal(reqbook_sent(&b, i, 0, 200, ""), 1);
		assert_int_equal(b.v[0].r.state, RS_SEEN);
		assert_true(b.v[0].pending_answer);
		body.len = 0;
		assert_int_equal(reqbook_next(&b, &create, &body), 0);
		assert_non_null(strstr(body.p, "\"accepted\""));
		assert_int_equal(reqbook_sent(&b, 0, 0, 200, ""), 1);
		assert_int_equal(b.v[0].r.state, RS_ACCEPTED);
		assert_false(b.v[0].pending_answer);
		apibuf_done(&body);
	}
	reqbook_done(&b);
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	server_says(&b, &r, T0 + 2, &log);

	/* Answering: only what the addressee may do. */
	answer(&a, RS_COVERING);
	assert_int_equal(reqbook_answer(&b, "us-tca-0001", &a, why,
	    sizeof why), BC_INVALID);
	answer(&a, RS_ACCEPTED);
	assert_int_equal(reqbook_answer(&b, "us-tca-0001", &a, why,
	    sizeof why), BC_OK);
	reqbook_unanswered(&b, &in, &out);
	assert_int_equal(in, 0);
	events_done(&log);
	reqbook_done(&b);
}

static const char *
voice(void *arg, int side, const char *sector)
{
	(void)arg;
	return (side == 1 && strcmp(sector, "TCA") == 0 ?
	    "+52 631 555 0100" : NULL);
}

/* Our cover request unanswered for 5 min: call the voice line, once;
   the acknowledgement is an event. */
static void
test_escalation(void **state)
{
	struct reqbook		 b;
	struct reqbook_config	 c;
	struct request		 r;
	struct req_answer	 a;
	struct event_log	 log;
	const struct event	*e;
	char			 why[256];

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = 0;
	c.voice = voice;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	events_init(&log, 32);
	make_req(&r);
	req_start(&r, T0);
	answer(&a, RS_DELIVERED);
	req_apply(&r, &a, REQ_SIDE_SERVER, T0 + 2);
	server_says(&b, &r, T0 + 2, &log);
	assert_int_equal(log.total, 1);
	reqbook_measure(&b, NULL, T0 + REQBOOK_ESCALATE_S - 1, &log);
	assert_int_equal(log.total, 1);
	reqbook_measure(&b, NULL, T0 + REQBOOK_ESCALATE_S, &log);
	assert_int_equal(log.total, 2);
	e = events_get(&log, 0);
	assert_int_equal(e->type, EVENT_REQ_ESCALATE);
	/* The number first, so that a narrow footer keeps it. */
	assert_string_equal(e->text, "+52 631 555 0100 (TCA): us-tca-0001 "
	    "unanswered for 5 min");
	assert_string_equal(b.v[0].voice, "+52 631 555 0100");
	/* Once only; the acknowledgement is an event too. */
	reqbook_measure(&b, NULL, T0 + 2 * REQBOOK_ESCALATE_S, &log);
	assert_int_equal(log.total, 2);
	assert_int_equal(reqbook_ack(&b, "us-tca-0001", &log, T0 + 700), 1);
	assert_int_equal(events_get(&log, 0)->type, EVENT_REQ_ACK);
	assert_int_equal(reqbook_ack(&b, "us-tca-0001", &log, T0 + 701), 0);
	/* Answered in time: no escalation. */
	make_req(&r);
	snprintf(r.id, sizeof r.id, "us-tca-0002");
	req_start(&r, T0);
	answer(&a, RS_ACCEPTED);
	req_apply(&r, &a, 1, T0 + 60);
	server_says(&b, &r, T0 + 60, &log);
	reqbook_measure(&b, NULL, T0 + 3 * REQBOOK_ESCALATE_S, &log);
	assert_int_not_equal(events_get(&log, 0)->type, EVENT_REQ_ESCALATE);
	events_done(&log);
	reqbook_done(&b);
}

/*
 * The voice line of the escalation: the --voice setting first, else the
 * map's sector property "voice" (bordercop-map(5)).
 */
static void
test_voice_from_map(void **state)
{
	struct border_map	*map;
	struct reqlink_config	 rc;
	struct reqlink		*rl;
	struct request		 r;
	struct event_log	 log;
	char			*buf, *q, why[256], dir[] = "/tmp/test_request.XXXXXX";
	char			 cmd[64];
	size_t			 len;
	const char		*at = "\"code\": \"S1\",";

	(void)state;
	assert_int_equal(file_read_all(SRCDIR "/tests/data/maps/small.geojson",
	    1 << 20, &buf, &len, why, sizeof why), BC_OK);
	/* Give sector S1 a voice line. */
	assert_non_null(q = strstr(buf, at));
	q = xmalloc(len + 64);
	snprintf(q, len + 64, "%.*s\"voice\": \"+52 555 0199\", %s",
	    (int)(strstr(buf, at) - buf), buf, strstr(buf, at));
	if (map_load_buffer(q, strlen(q), "small", &map, why, sizeof why) !=
	    BC_OK)
		fail_msg("%s", why);
	free(buf);
	free(q);
	assert_string_equal(map->sectors[1][0].code, "S1");
	assert_string_equal(map->sectors[1][0].voice, "+52 555 0199");
	assert_null(map->sectors[0][0].voice);

	assert_non_null(mkdtemp(dir));
	memset(&rc, 0, sizeof rc);
	rc.map = map;
	rc.base_url = "http://127.0.0.1:9/";
	rc.side = "NO";
	rc.voice = "N1=+1 555 0100";
	rc.state_dir = dir;
	assert_int_equal(reqlink_new(&rc, &rl, why, sizeof why), BC_OK);
	assert_string_equal(reqlink_voice(rl, "N1"), "+1 555 0100");
	events_init(&log, 8);
	req_init(&r);
	snprintf(r.id, sizeof r.id, "no-1");
	r.kind = REQ_COVER;
	r.sender = 0;
	r.addressee = 1;
	r.a_km = 1;
	r.b_km = 2;
	snprintf(r.sector, sizeof r.sector, "S1");
	r.expires = T0 + 3600;
	req_start(&r, T0);
	server_says(&rl->book, &r, T0, &log);
	reqbook_measure(&rl->book, NULL, T0 + REQBOOK_ESCALATE_S, &log);
	assert_string_equal(events_get(&log, 0)->text,
	    "+52 555 0199 (S1): no-1 unanswered for 5 min");
	events_done(&log);
	reqlink_free(rl);
	border_free(map);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_decline_counter),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_wire_size),
		cmocka_unit_test(test_parse_new_strict),
		cmocka_unit_test(test_parse_list_lenient),
		cmocka_unit_test(test_nul_members),
		cmocka_unit_test(test_queue_items),
		cmocka_unit_test(test_queue_restart),
		cmocka_unit_test(test_measure_covering),
		cmocka_unit_test(test_incoming),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_voice_from_map),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
