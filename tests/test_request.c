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

#include "apiwrite.h"
#include "reqfeed.h"
#include "request.h"
#include "util.h"

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
		cmocka_unit_test(test_queue_items),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
