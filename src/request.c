/*
 * request.c: the request model, its validation, its state machine and
 * its JSON (see request.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiwrite.h"
#include "request.h"
#include "util.h"

const char *const req_kind_names[REQ_KIND_COUNT] = {
#define X(id, name, help) name,
	REQ_KINDS(X)
#undef X
};

const char *const req_state_names[REQ_STATE_COUNT] = {
#define X(id, name, term) name,
	REQ_STATES(X)
#undef X
};

static const int req_terminal[REQ_STATE_COUNT] = {
#define X(id, name, term) term,
	REQ_STATES(X)
#undef X
};

static const struct {
	enum req_state	from, to;
	unsigned	who;
} req_transitions[] = {
#define X(from, to, who) { RS_##from, RS_##to, who },
	REQ_TRANSITIONS(X)
#undef X
};

int
req_kind_parse(const char *s)
{
	int	k;

	for (k = 0; k < REQ_KIND_COUNT; k++)
		if (strcmp(s, req_kind_names[k]) == 0)
			return (k);
	return (-1);
}

int
req_state_parse(const char *s)
{
	int	k;

	for (k = 0; k < REQ_STATE_COUNT; k++)
		if (strcmp(s, req_state_names[k]) == 0)
			return (k);
	return (-1);
}

int
req_state_terminal(enum req_state s)
{
	return ((unsigned)s < REQ_STATE_COUNT && req_terminal[s]);
}

int
req_state_open(enum req_state s)
{
	return (!req_state_terminal(s) && s != RS_DECLINED);
}

void
req_init(struct request *r)
{
	size_t	i;

	memset(r, 0, sizeof *r);
	r->a_km = r->b_km = NAN;
	r->expires = r->created = NAN;
	r->counter_a_km = r->counter_b_km = NAN;
	r->sender = r->addressee = -1;
	for (i = 0; i < REQ_STATE_COUNT; i++) {
		r->stamps[i].t = NAN;
		r->stamps[i].side = REQ_SIDE_SERVER;
	}
}

void
req_answer_init(struct req_answer *a)
{
	memset(a, 0, sizeof *a);
	a->counter_a_km = a->counter_b_km = NAN;
}

int
req_id_ok(const char *id)
{
	size_t	n;

	n = strlen(id);
	if (n == 0 || n > REQ_ID_MAX)
		return (0);
	return (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n);
}

enum bc_status
req_validate(const struct request *r, double line_km, double now, char *why,
    size_t whylen)
{
	if (!req_id_ok(r->id)) {
		bc_why(why, whylen, "id: want 1 to %d of A-Z a-z 0-9 . _ -",
		    REQ_ID_MAX);
		return (BC_INVALID);
	}
	if ((unsigned)r->kind >= REQ_KIND_COUNT) {
		bc_why(why, whylen, "kind: not cover, info or message");
		return (BC_INVALID);
	}
	if (r->sender < 0 || r->sender >= NSIDES || r->addressee < 0 ||
	    r->addressee >= NSIDES || r->sender == r->addressee) {
		bc_why(why, whylen, "side: a request goes to the other side");
		return (BC_INVALID);
	}
	if (!isfinite(r->a_km) || !isfinite(r->b_km)) {
		bc_why(why, whylen, "from_km, to_km: missing");
		return (BC_INVALID);
	}
	if (r->a_km < 0 || r->b_km > line_km) {
		bc_why(why, whylen, "from_km, to_km: outside the line "
		    "(0..%.3f km)", line_km);
		return (BC_INVALID);
	}
	if (!(r->a_km < r->b_km)) {
		bc_why(why, whylen, "from_km, to_km: from must be less than "
		    "to");
		return (BC_INVALID);
	}
	if (r->b_km - r->a_km > REQ_STRETCH_MAX_KM) {
		bc_why(why, whylen, "from_km, to_km: longer than %.0f km",
		    REQ_STRETCH_MAX_KM);
		return (BC_INVALID);
	}
	if (!isfinite(r->expires) || r->expires <= now) {
		bc_why(why, whylen, "expires: not in the future");
		return (BC_INVALID);
	}
	if (r->expires > now + REQ_EXPIRY_MAX_S) {
		bc_why(why, whylen, "expires: more than %.0f s ahead",
		    REQ_EXPIRY_MAX_S);
		return (BC_INVALID);
	}
	return (BC_OK);
}

unsigned
req_transition_who(enum req_state from, enum req_state to)
{
	size_t	i;

	for (i = 0; i < sizeof req_transitions / sizeof req_transitions[0];
	    i++)
		if (req_transitions[i].from == from &&
		    req_transitions[i].to == to)
			return (req_transitions[i].who);
	return (0);
}

enum bc_status
req_check(const struct request *r, const struct req_answer *a, int side,
    char *why, size_t whylen)
{
	unsigned	who, mine;
	size_t		i;

	if ((unsigned)a->state >= REQ_STATE_COUNT) {
		bc_why(why, whylen, "state: unknown");
		return (BC_INVALID);
	}
	if (side == REQ_SIDE_SERVER)
		mine = REQ_BY_SERVER;
	else if (side == r->sender)
		mine = REQ_BY_SENDER;
	else if (side == r->addressee)
		mine = REQ_BY_ADDRESSEE;
	else
		mine = 0;
	if (a->state == r->state) {
		/* A retry, or the other side's client saying the same:
		   nothing to do, if this side may make such a move. */
		for (i = 0; i < sizeof req_transitions /
		    sizeof req_transitions[0]; i++)
			if (req_transitions[i].to == a->state &&
			    (req_transitions[i].who & mine) != 0)
				return (BC_OK);
	}
	who = req_transition_who(r->state, a->state);
	if (who == 0) {
		bc_why(why, whylen, "state: %s cannot follow %s",
		    req_state_names[a->state], req_state_names[r->state]);
		return (BC_INVALID);
	}
	if ((who & mine) == 0) {
		bc_why(why, whylen, "state: only the %s may make a request %s",
		    (who & REQ_BY_ADDRESSEE) ? "addressee" :
		    (who & REQ_BY_SENDER) ? "sender" : "server",
		    req_state_names[a->state]);
		return (BC_AUTH);
	}
	if (a->state == RS_COUNTERED && isfinite(a->counter_a_km) &&
	    !(a->counter_a_km < a->counter_b_km)) {
		bc_why(why, whylen, "from_km, to_km: from must be less than "
		    "to");
		return (BC_INVALID);
	}
	return (BC_OK);
}

int
req_apply(struct request *r, const struct req_answer *a, int side, double t)
{
	if (a->state == r->state)
		return (0);
	r->state = a->state;
	r->stamps[a->state].t = t;
	r->stamps[a->state].side = side;
	if (a->state == RS_DECLINED || a->state == RS_COUNTERED)
		snprintf(r->reason, sizeof r->reason, "%s", a->reason);
	if (a->state == RS_COUNTERED) {
		r->counter_a_km = a->counter_a_km;
		r->counter_b_km = a->counter_b_km;
	}
	return (1);
}

void
req_start(struct request *r, double t)
{
	r->state = RS_SENT;
	r->created = t;
	r->stamps[RS_SENT].t = t;
	r->stamps[RS_SENT].side = r->sender;
}

static void
req_key(struct apibuf *b, const char *key)
{
	apibuf_add(b, ",\"", 2);
	apibuf_str(b, key);
	apibuf_add(b, "\":", 2);
}

static void
req_time(struct apibuf *b, double t)
{
	char	buf[40];

	time_format_rfc3339(t, buf, sizeof buf);
	apibuf_json_string(b, buf);
}

static const char *
req_side_code(const char *const side_codes[NSIDES], int side)
{
	return (side >= 0 && side < NSIDES ? side_codes[side] : "server");
}

/* The members a client sends and the server keeps alike. */
static void
req_write_common(struct apibuf *b, const struct request *r)
{
	req_key(b, "kind");
	apibuf_json_string(b, req_kind_names[r->kind]);
	req_key(b, "from_km");
	apibuf_number(b, r->a_km, 3);
	req_key(b, "to_km");
	apibuf_number(b, r->b_km, 3);
	if (r->gap[0] != '\0') {
		req_key(b, "gap");
		apibuf_json_string(b, r->gap);
	}
	if (r->sector[0] != '\0') {
		req_key(b, "sector");
		apibuf_json_string(b, r->sector);
	}
	if (r->text[0] != '\0') {
		req_key(b, "text");
		apibuf_json_string(b, r->text);
	}
	req_key(b, "expires");
	req_time(b, r->expires);
}

void
req_write(struct apibuf *b, const struct request *r,
    const char *const side_codes[NSIDES])
{
	char	num[24];
	size_t	i;
	int	first;

	apibuf_str(b, "{\"id\":");
	apibuf_json_string(b, r->id);
	req_key(b, "sender");
	apibuf_json_string(b, req_side_code(side_codes, r->sender));
	req_key(b, "addressee");
	apibuf_json_string(b, req_side_code(side_codes, r->addressee));
	req_write_common(b, r);
	req_key(b, "state");
	apibuf_json_string(b, req_state_names[r->state]);
	if (r->reason[0] != '\0') {
		req_key(b, "reason");
		apibuf_json_string(b, r->reason);
	}
	if (isfinite(r->counter_a_km)) {
		req_key(b, "counter_from_km");
		apibuf_number(b, r->counter_a_km, 3);
		req_key(b, "counter_to_km");
		apibuf_number(b, r->counter_b_km, 3);
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)r->seq);
	req_key(b, "seq");
	apibuf_str(b, num);
	/* The history: one [state, time, side] per transition, in order of
	   the states (a request only moves forward). */
	req_key(b, "history");
	apibuf_add(b, "[", 1);
	first = 1;
	for (i = 0; i < REQ_STATE_COUNT; i++) {
		if (!isfinite(r->stamps[i].t))
			continue;
		if (!first)
			apibuf_add(b, ",", 1);
		first = 0;
		apibuf_add(b, "[", 1);
		apibuf_json_string(b, req_state_names[i]);
		apibuf_add(b, ",", 1);
		req_time(b, r->stamps[i].t);
		apibuf_add(b, ",", 1);
		apibuf_json_string(b, req_side_code(side_codes,
		    r->stamps[i].side));
		apibuf_add(b, "]", 1);
	}
	apibuf_str(b, "]}");
}

void
req_write_new(struct apibuf *b, const struct request *r,
    const char *const side_codes[NSIDES])
{
	apibuf_str(b, "{\"id\":");
	apibuf_json_string(b, r->id);
	if (r->sender >= 0 && r->sender < NSIDES) {
		req_key(b, "sender");
		apibuf_json_string(b, side_codes[r->sender]);
	}
	req_write_common(b, r);
	apibuf_add(b, "}", 1);
}

void
req_write_answer(struct apibuf *b, const struct req_answer *a)
{
	apibuf_str(b, "{\"state\":");
	apibuf_json_string(b, req_state_names[a->state]);
	if (a->reason[0] != '\0') {
		req_key(b, "reason");
		apibuf_json_string(b, a->reason);
	}
	if (isfinite(a->counter_a_km)) {
		req_key(b, "from_km");
		apibuf_number(b, a->counter_a_km, 3);
		req_key(b, "to_km");
		apibuf_number(b, a->counter_b_km, 3);
	}
	apibuf_add(b, "}", 1);
}
