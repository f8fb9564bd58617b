/*
 * reqfeed.c: parsing requests with cJSON (see reqfeed.h).
 *
 * Strict members (what clients send) are refused when they are not
 * already clean; lenient ones (what servers send) are cleaned with
 * str_clean() and cut to their size.  Ids are never altered: one that is
 * not already an id is refused in both modes.  No string is cut at an
 * escaped NUL: the body is read as the positions feed reads its own
 * (feed_json_patch), and a member that held U+0000 is refused in both
 * modes.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed.h"
#include "reqfeed.h"
#include "request.h"
#include "util.h"
#include "xmalloc.h"

#define RF_STRICT	1
#define RF_LENIENT	0

/* The root object of a body, or NULL with why set. */
static cJSON *
rf_root(const char *buf, size_t len, size_t max, char *why, size_t whylen)
{
	cJSON		*root;
	char		*patched;
	const char	*end = NULL;
	size_t		 plen;

	if (len > max) {
		bc_why(why, whylen, "body larger than %zu bytes", max);
		return (NULL);
	}
	if (len == 0) {
		bc_why(why, whylen, "empty body");
		return (NULL);
	}
	/* cJSON would end a string at a raw NUL and hide the rest. */
	if (memchr(buf, '\0', len) != NULL) {
		bc_why(why, whylen, "not JSON: a NUL byte");
		return (NULL);
	}
	/* And at an escaped one: read \u0000 as C0 80, refused below. */
	if ((patched = feed_json_patch(buf, len, &plen)) != NULL) {
		buf = patched;
		len = plen;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		free(patched);
		bc_why(why, whylen, "not JSON");
		return (NULL);
	}
	while (end != NULL && end < buf + len && (*end == ' ' ||
	    *end == '\t' || *end == '\r' || *end == '\n'))
		end++;
	if (end != NULL && end < buf + len && *end != '\0') {
		cJSON_Delete(root);
		free(patched);
		bc_why(why, whylen, "not JSON: text after the value");
		return (NULL);
	}
	free(patched);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		bc_why(why, whylen, "not a JSON object");
		return (NULL);
	}
	return (root);
}

static int
rf_absent(const cJSON *j)
{
	return (j == NULL || cJSON_IsNull(j));
}

/*
 * Whether a string member held U+0000 (read whole, as C0 80): then it is
 * refused by its name, in every mode and whatever it is, rather than
 * taken as the part before the NUL.
 */
static int
rf_nul(const cJSON *j, const char *name, char *why, size_t whylen)
{
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    !feed_has_nul(j->valuestring))
		return (0);
	bc_why(why, whylen, "%s: a NUL character", name);
	return (1);
}

/*
 * A string member into dst (max bytes).  Strict: longer or unclean is
 * refused.  Lenient: cleaned and cut.  In both a NUL is refused: the
 * sender cannot have meant the text a C reader would take up to it.
 * Returns 0, 1 when absent (dst empty), -1 with why set.
 */
static int
rf_string(const cJSON *obj, const char *name, char *dst, size_t max,
    int strict, char *why, size_t whylen)
{
	const cJSON	*j;
	size_t		 n;

	dst[0] = '\0';
	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (rf_absent(j))
		return (1);
	if (!cJSON_IsString(j) || j->valuestring == NULL) {
		bc_why(why, whylen, "%s: not a string", name);
		return (-1);
	}
	if (rf_nul(j, name, why, whylen))
		return (-1);
	n = strlen(j->valuestring);
	if (strict) {
		if (n > max) {
			bc_why(why, whylen, "%s: longer than %zu bytes", name,
			    max);
			return (-1);
		}
		if (!str_is_clean(j->valuestring)) {
			bc_why(why, whylen, "%s: control characters, escape "
			    "sequences or invalid UTF-8", name);
			return (-1);
		}
		memcpy(dst, j->valuestring, n + 1);
		return (0);
	}
	str_clean(dst, max + 1, j->valuestring, n);
	return (0);
}

/* An id member: present, and already an id. */
static int
rf_id(const cJSON *obj, const char *name, char *dst, char *why,
    size_t whylen)
{
	const cJSON	*j;

	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (rf_absent(j)) {
		bc_why(why, whylen, "%s: missing", name);
		return (-1);
	}
	if (rf_nul(j, name, why, whylen))
		return (-1);
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    !req_id_ok(j->valuestring)) {
		bc_why(why, whylen, "%s: want 1 to %d of A-Z a-z 0-9 . _ -",
		    name, REQ_ID_MAX);
		return (-1);
	}
	snprintf(dst, REQ_ID_MAX + 1, "%s", j->valuestring);
	return (0);
}

/* A number member; NAN when absent and not required. */
static int
rf_number(const cJSON *obj, const char *name, int required, double *out,
    char *why, size_t whylen)
{
	const cJSON	*j;

	*out = NAN;
	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (rf_absent(j)) {
		if (required) {
			bc_why(why, whylen, "%s: missing", name);
			return (-1);
		}
		return (1);
	}
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble)) {
		bc_why(why, whylen, "%s: not a number", name);
		return (-1);
	}
	*out = j->valuedouble;
	return (0);
}

static int
rf_time(const cJSON *obj, const char *name, int required, double *out,
    char *why, size_t whylen)
{
	const cJSON	*j;

	*out = NAN;
	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (rf_absent(j)) {
		if (required) {
			bc_why(why, whylen, "%s: missing", name);
			return (-1);
		}
		return (1);
	}
	if (rf_nul(j, name, why, whylen))
		return (-1);
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    time_parse_rfc3339(j->valuestring, out) != 0) {
		bc_why(why, whylen, "%s: not an RFC 3339 date-time", name);
		return (-1);
	}
	return (0);
}

/* A side code member: its index, -1 absent, -2 bad (why set). */
static int
rf_side(const cJSON *obj, const char *name, const char *const codes[NSIDES],
    char *why, size_t whylen)
{
	const cJSON	*j;
	char		 shown[24];
	int		 i;

	j = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (rf_absent(j))
		return (-1);
	if (!cJSON_IsString(j) || j->valuestring == NULL) {
		bc_why(why, whylen, "%s: not a string", name);
		return (-2);
	}
	if (rf_nul(j, name, why, whylen))
		return (-2);
	for (i = 0; i < NSIDES; i++)
		if (strcmp(j->valuestring, codes[i]) == 0)
			return (i);
	str_clean(shown, sizeof shown, j->valuestring,
	    strlen(j->valuestring));
	bc_why(why, whylen, "%s: '%s' is not %s or %s", name, shown, codes[0],
	    codes[1]);
	return (-2);
}

static int
rf_kind(const cJSON *obj, enum req_kind *out, char *why, size_t whylen)
{
	const cJSON	*j;
	int		 k;

	j = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	if (rf_absent(j)) {
		bc_why(why, whylen, "kind: missing");
		return (-1);
	}
	if (rf_nul(j, "kind", why, whylen))
		return (-1);
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    (k = req_kind_parse(j->valuestring)) < 0) {
		bc_why(why, whylen, "kind: not cover, info or message");
		return (-1);
	}
	*out = (enum req_kind)k;
	return (0);
}

static int
rf_state(const cJSON *obj, enum req_state *out, char *why, size_t whylen)
{
	const cJSON	*j;
	int		 k;

	j = cJSON_GetObjectItemCaseSensitive(obj, "state");
	if (rf_absent(j)) {
		bc_why(why, whylen, "state: missing");
		return (-1);
	}
	if (rf_nul(j, "state", why, whylen))
		return (-1);
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    (k = req_state_parse(j->valuestring)) < 0) {
		bc_why(why, whylen, "state: not a request state");
		return (-1);
	}
	*out = (enum req_state)k;
	return (0);
}

/* The members of a new request (the POST body's, and the queue's). */
static int
rf_new_members(const cJSON *obj, const char *const codes[NSIDES],
    int strict, struct request *r, int *claimed, char *why, size_t whylen)
{
	int	s;

	if (rf_id(obj, "id", r->id, why, whylen) != 0 ||
	    rf_kind(obj, &r->kind, why, whylen) != 0 ||
	    rf_number(obj, "from_km", 1, &r->a_km, why, whylen) < 0 ||
	    rf_number(obj, "to_km", 1, &r->b_km, why, whylen) < 0 ||
	    rf_string(obj, "gap", r->gap, REQ_GAP_MAX, strict, why,
	    whylen) < 0 ||
	    rf_string(obj, "sector", r->sector, REQ_SECTOR_MAX, strict, why,
	    whylen) < 0 ||
	    rf_string(obj, "text", r->text, REQ_TEXT_MAX, strict, why,
	    whylen) < 0 ||
	    rf_time(obj, "expires", 1, &r->expires, why, whylen) != 0)
		return (-1);
	if ((s = rf_side(obj, "sender", codes, why, whylen)) == -2)
		return (-1);
	*claimed = s;
	return (0);
}

enum bc_status
reqfeed_parse_new(const char *buf, size_t len,
    const char *const side_codes[NSIDES], struct request *r, int *claimed,
    char *why, size_t whylen)
{
	cJSON	*root;
	int	 rc;

	req_init(r);
	*claimed = -1;
	if ((root = rf_root(buf, len, REQ_BODY_MAX, why, whylen)) == NULL)
		return (len > REQ_BODY_MAX ? BC_TOOBIG : BC_JSON);
	rc = rf_new_members(root, side_codes, RF_STRICT, r, claimed, why,
	    whylen);
	cJSON_Delete(root);
	return (rc == 0 ? BC_OK : BC_INVALID);
}

static int
rf_answer_members(const cJSON *obj, int strict, struct req_answer *a,
    char *why, size_t whylen)
{
	if (rf_state(obj, &a->state, why, whylen) != 0 ||
	    rf_string(obj, "reason", a->reason, REQ_REASON_MAX, strict, why,
	    whylen) < 0 ||
	    rf_number(obj, "from_km", 0, &a->counter_a_km, why, whylen) < 0 ||
	    rf_number(obj, "to_km", 0, &a->counter_b_km, why, whylen) < 0)
		return (-1);
	if (isfinite(a->counter_a_km) != isfinite(a->counter_b_km)) {
		bc_why(why, whylen, "from_km, to_km: give both or neither");
		return (-1);
	}
	if (a->state == RS_DECLINED && a->reason[0] == '\0') {
		bc_why(why, whylen, "reason: a decline says why");
		return (-1);
	}
	if (a->state == RS_COUNTERED && a->reason[0] == '\0' &&
	    !isfinite(a->counter_a_km)) {
		bc_why(why, whylen, "a counter gives another stretch "
		    "(from_km, to_km) or a reason");
		return (-1);
	}
	return (0);
}

enum bc_status
reqfeed_parse_answer(const char *buf, size_t len, struct req_answer *a,
    char *why, size_t whylen)
{
	cJSON	*root;
	int	 rc;

	req_answer_init(a);
	if ((root = rf_root(buf, len, REQ_BODY_MAX, why, whylen)) == NULL)
		return (len > REQ_BODY_MAX ? BC_TOOBIG : BC_JSON);
	rc = rf_answer_members(root, RF_STRICT, a, why, whylen);
	cJSON_Delete(root);
	return (rc == 0 ? BC_OK : BC_INVALID);
}

/* One whole request, as req_write() writes it. */
static int
rf_request(const cJSON *obj, const char *const codes[NSIDES],
    struct request *r, char *why, size_t whylen)
{
	const cJSON	*h, *e, *js, *jt, *jside;
	double		 t;
	int		 claimed, s, k;

	req_init(r);
	if (!cJSON_IsObject(obj)) {
		bc_why(why, whylen, "not an object");
		return (-1);
	}
	if (rf_new_members(obj, codes, RF_LENIENT, r, &claimed, why,
	    whylen) != 0)
		return (-1);
	r->sender = claimed;
	s = rf_side(obj, "addressee", codes, why, whylen);
	if (r->sender < 0 || s < 0 || s == r->sender) {
		if (s >= -1)
			bc_why(why, whylen, "sender, addressee: want one of "
			    "each side");
		return (-1);
	}
	r->addressee = s;
	if (rf_state(obj, &r->state, why, whylen) != 0 ||
	    rf_string(obj, "reason", r->reason, REQ_REASON_MAX, RF_LENIENT,
	    why, whylen) < 0 ||
	    rf_number(obj, "counter_from_km", 0, &r->counter_a_km, why,
	    whylen) < 0 ||
	    rf_number(obj, "counter_to_km", 0, &r->counter_b_km, why,
	    whylen) < 0 ||
	    rf_number(obj, "seq", 0, &t, why, whylen) < 0)
		return (-1);
	r->seq = isfinite(t) && t >= 0 && t < 9007199254740992.0 ?
	    (uint64_t)t : 0;
	h = cJSON_GetObjectItemCaseSensitive(obj, "history");
	if (!rf_absent(h) && !cJSON_IsArray(h)) {
		bc_why(why, whylen, "history: not an array");
		return (-1);
	}
	cJSON_ArrayForEach(e, h) {
		js = cJSON_GetArrayItem(e, 0);
		jt = cJSON_GetArrayItem(e, 1);
		jside = cJSON_GetArrayItem(e, 2);
		if (rf_nul(js, "history", why, whylen) ||
		    rf_nul(jt, "history", why, whylen) ||
		    rf_nul(jside, "history", why, whylen))
			return (-1);
		if (!cJSON_IsArray(e) || !cJSON_IsString(js) ||
		    !cJSON_IsString(jt) || !cJSON_IsString(jside) ||
		    (k = req_state_parse(js->valuestring)) < 0 ||
		    time_parse_rfc3339(jt->valuestring, &t) != 0) {
			bc_why(why, whylen, "history: want [state, time, "
			    "side] items");
			return (-1);
		}
		r->stamps[k].t = t;
		r->stamps[k].side = REQ_SIDE_SERVER;
		for (s = 0; s < NSIDES; s++)
			if (strcmp(jside->valuestring, codes[s]) == 0)
				r->stamps[k].side = s;
	}
	r->created = r->stamps[RS_SENT].t;
	return (0);
}

enum bc_status
reqfeed_parse_request(const char *buf, size_t len,
    const char *const side_codes[NSIDES], struct request *r, char *why,
    size_t whylen)
{
	cJSON	*root;
	int	 rc;

	req_init(r);
	if ((root = rf_root(buf, len, REQFEED_MAX_BYTES, why, whylen)) ==
	    NULL)
		return (BC_JSON);
	rc = rf_request(root, side_codes, r, why, whylen);
	cJSON_Delete(root);
	return (rc == 0 ? BC_OK : BC_INVALID);
}

enum bc_status
reqfeed_parse_list(const char *buf, size_t len,
    const char *const side_codes[NSIDES], struct reqfeed_msg *m, char *why,
    size_t whylen)
{
	cJSON		*root;
	const cJSON	*j, *reqs, *e;
	char		 iwhy[128];
	size_t		 n;

	memset(m, 0, sizeof *m);
	m->server_time = NAN;
	m->full = 1;
	m->side = -1;
	if ((root = rf_root(buf, len, REQFEED_MAX_BYTES, why, whylen)) ==
	    NULL)
		return (len > REQFEED_MAX_BYTES ? BC_TOOBIG : BC_JSON);
	j = cJSON_GetObjectItemCaseSensitive(root, "api");
	if (rf_nul(j, "api", why, whylen))
		goto bad;
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    strncmp(j->valuestring, "bordercop-coordination/1",
	    strlen("bordercop-coordination/1")) != 0) {
		bc_why(why, whylen, "api: not bordercop-coordination/1.1");
		goto bad;
	}
	str_clean(m->api, sizeof m->api, j->valuestring,
	    strlen(j->valuestring));
	if (rf_time(root, "server_time", 0, &m->server_time, why,
	    whylen) < 0)
		goto bad;
	if ((m->side = rf_side(root, "side", side_codes, why, whylen)) == -2)
		goto bad;
	j = cJSON_GetObjectItemCaseSensitive(root, "cursor");
	if (rf_nul(j, "cursor", why, whylen))
		goto bad;
	if (!rf_absent(j)) {
		if (!cJSON_IsString(j) || j->valuestring == NULL ||
		    strlen(j->valuestring) > 256 ||
		    !str_is_clean(j->valuestring)) {
			bc_why(why, whylen, "cursor: not a clean string of at "
			    "most 256 bytes");
			goto bad;
		}
		m->cursor = xstrdup(j->valuestring);
	}
	j = cJSON_GetObjectItemCaseSensitive(root, "full");
	if (!rf_absent(j)) {
		if (!cJSON_IsBool(j)) {
			bc_why(why, whylen, "full: not a boolean");
			goto bad;
		}
		m->full = cJSON_IsTrue(j);
	}
	reqs = cJSON_GetObjectItemCaseSensitive(root, "requests");
	if (!cJSON_IsArray(reqs)) {
		bc_why(why, whylen, "requests: missing or not an array");
		goto bad;
	}
	n = (size_t)cJSON_GetArraySize(reqs);
	if (n > REQFEED_MAX_ITEMS) {
		bc_why(why, whylen, "requests: more than %d",
		    REQFEED_MAX_ITEMS);
		goto bad;
	}
	m->reqs = xcalloc(n ? n : 1, sizeof *m->reqs);
	cJSON_ArrayForEach(e, reqs) {
		if (rf_request(e, side_codes, &m->reqs[m->nreqs], iwhy,
		    sizeof iwhy) != 0) {
			if (m->nrejected++ == 0)
				snprintf(m->first_reject,
				    sizeof m->first_reject, "%s", iwhy);
			continue;
		}
		m->nreqs++;
	}
	cJSON_Delete(root);
	return (BC_OK);
bad:
	cJSON_Delete(root);
	reqfeed_msg_done(m);
	return (BC_FORMAT);
}

void
reqfeed_msg_done(struct reqfeed_msg *m)
{
	free(m->cursor);
	free(m->reqs);
	memset(m, 0, sizeof *m);
}

enum bc_status
reqfeed_parse_item(const char *buf, size_t len,
    const char *const side_codes[NSIDES], struct reqfeed_item *it,
    char *why, size_t whylen)
{
	cJSON		*root;
	const cJSON	*op;
	int		 rc, claimed;

	memset(it, 0, sizeof *it);
	req_init(&it->req);
	req_answer_init(&it->answer);
	if ((root = rf_root(buf, len, REQ_BODY_MAX, why, whylen)) == NULL)
		return (BC_JSON);
	op = cJSON_GetObjectItemCaseSensitive(root, "op");
	if (rf_nul(op, "op", why, whylen))
		rc = -1;
	else if (cJSON_IsString(op) && strcmp(op->valuestring, "new") == 0) {
		it->op = REQFEED_NEW;
		rc = rf_new_members(root, side_codes, RF_STRICT, &it->req,
		    &claimed, why, whylen);
		if (rc == 0 && claimed < 0) {
			bc_why(why, whylen, "sender: missing");
			rc = -1;
		}
		if (rc == 0) {
			it->req.sender = claimed;
			it->req.addressee = 1 - claimed;
		}
	} else if (cJSON_IsString(op) &&
	    strcmp(op->valuestring, "answer") == 0) {
		it->op = REQFEED_ANSWER;
		rc = rf_id(root, "id", it->id, why, whylen);
		if (rc == 0)
			rc = rf_answer_members(root, RF_STRICT, &it->answer,
			    why, whylen);
		/* What was known of the request answered (kind, stretch,
		   sides): shown until the server says again.  Damaged, it
		   is left out; the answer stands. */
		op = cJSON_GetObjectItemCaseSensitive(root, "req");
		if (rc == 0 && cJSON_IsObject(op)) {
			char	rwhy[160];

			if (rf_new_members(op, side_codes, RF_LENIENT,
			    &it->req, &claimed, rwhy, sizeof rwhy) == 0 &&
			    claimed >= 0 && strcmp(it->req.id, it->id) == 0) {
				it->req.sender = claimed;
				it->req.addressee = 1 - claimed;
				it->has_req = 1;
			} else
				req_init(&it->req);
		}
	} else {
		bc_why(why, whylen, "op: not new or answer");
		rc = -1;
	}
	cJSON_Delete(root);
	return (rc == 0 ? BC_OK : BC_INVALID);
}
