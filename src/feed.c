/*
 * feed.c: the coordination API v1 parser (see bordercop-api(7)).
 *
 * This is the only place where feed JSON is read.  It refuses a message as
 * a whole only when it is not an API v1 FeatureCollection at all (or too
 * big or too deep); otherwise every feature is checked alone, and a bad one
 * is set aside with its index, its id when it has a usable one, and the
 * first reason found.  Every string that leaves here went through
 * str_clean(): valid UTF-8, no control characters, no escape sequences.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed.h"
#include "util.h"
#include "xmalloc.h"

#define FEED_API		"bordercop-coordination/1"
#define FEED_INT_MAX		9007199254740992.0	/* 2^53 */

/* A report being built, with the feature index it came from. */
struct feed_item {
	struct report	r;
	size_t		index;
	int		dropped;
};

/*
 * Scan the body's structure before cJSON does, so that its recursion is
 * bounded by us: returns the deepest nesting of arrays and objects (or
 * max + 1 as soon as it goes past max), and whether the body ends inside
 * a string or an unclosed array or object (*open).
 */
static int
feed_scan(const char *buf, size_t len, int max, int *open)
{
	size_t	i;
	int	depth = 0, deepest = 0, instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		switch (buf[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > deepest)
				deepest = depth;
			if (depth > max)
				return (deepest);
			break;
		case ']':
		case '}':
			depth--;
			break;
		}
	}
	*open = instr || depth > 0;
	return (deepest);
}

static int
feed_is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/* Describe where a syntax error is, by line and column (from 1). */
static void
feed_syntax_error(const char *buf, size_t len, const char *at, const char *what,
    char *why, size_t whylen)
{
	size_t	off, i, line = 1, col = 1;

	if (at == NULL || at < buf || (size_t)(at - buf) >= len)
		at = buf + len - 1;
	off = (size_t)(at - buf);
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

/*
 * An id as a clean string: a JSON string, or an integer (RFC 7946 allows
 * numeric ids).  Returns NULL on success, or the reason; *id is filled as
 * far as it can be, so that a rejection can still name the feature.
 */
static const char *
feed_id(const cJSON *j, char *id, size_t idlen)
{
	size_t	len;

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
	str_clean(id, idlen, j->valuestring, len);
	if (len == 0)
		return ("empty");
	if (len > UNIT_ID_MAX)
		return ("longer than 64 bytes");
	if (!str_is_clean(j->valuestring))
		return ("control characters or invalid UTF-8");
	return (NULL);
}

/*
 * An optional number in [lo, hi]: 1 when absent or null (*out = NAN), 0
 * when good, -1 with the reason when not.
 */
static int
feed_number(const cJSON *p, const char *name, double lo, double hi,
    double *out, char *reason, size_t rlen)
{
	const cJSON	*j;
	double		 v;

	*out = NAN;
	if ((j = feed_get(p, name)) == NULL)
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
		if (isinf(hi))
			bc_why(reason, rlen, "properties.%s: %g out of range "
			    "(>= %g)", name, v, lo);
		else
			bc_why(reason, rlen, "properties.%s: %g out of range "
			    "(%g..%g)", name, v, lo, hi);
		return (-1);
	}
	*out = v;
	return (0);
}

/* An optional string, cleaned into dst ("" when absent or null). */
static int
feed_text(const cJSON *p, const char *name, char *dst, size_t dstlen,
    char *reason, size_t rlen)
{
	const cJSON	*j;

	dst[0] = '\0';
	if ((j = feed_get(p, name)) == NULL)
		return (1);
	if (!cJSON_IsString(j)) {
		bc_why(reason, rlen, "properties.%s: not a string", name);
		return (-1);
	}
	str_clean(dst, dstlen, j->valuestring, strlen(j->valuestring));
	return (0);
}

/* An RFC 3339 time: 1 absent, 0 good, -1 bad (with the reason). */
static int
feed_time(const cJSON *p, const char *name, double *out, char *reason,
    size_t rlen)
{
	const cJSON	*j;

	*out = NAN;
	if ((j = feed_get(p, name)) == NULL)
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
feed_geometry(const cJSON *f, struct report *r, char *reason, size_t rlen)
{
	static const char *const names[3] = {
		"longitude", "latitude", "altitude"
	};
	const cJSON	*g, *t, *c, *e;
	double		 v[3];
	int		 n, i;

	if ((g = feed_get(f, "geometry")) == NULL) {
		bc_why(reason, rlen, "geometry: missing");
		return (-1);
	}
	if (!cJSON_IsObject(g)) {
		bc_why(reason, rlen, "geometry: not an object");
		return (-1);
	}
	t = cJSON_GetObjectItemCaseSensitive(g, "type");
	if (!cJSON_IsString(t) || strcmp(t->valuestring, "Point") != 0) {
		bc_why(reason, rlen, "geometry: not a Point");
		return (-1);
	}
	c = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
	if (!cJSON_IsArray(c)) {
		bc_why(reason, rlen, "coordinates: not an array");
		return (-1);
	}
	n = cJSON_GetArraySize(c);
	if (n < 2 || n > 3) {
		bc_why(reason, rlen, "coordinates: length %d, expected 2 or 3",
		    n);
		return (-1);
	}
	i = 0;
	cJSON_ArrayForEach(e, c) {
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
		bc_why(reason, rlen, "coordinates: longitude %g out of range "
		    "(-180..180)", v[0]);
		return (-1);
	}
	if (v[1] < -90 || v[1] > 90) {
		bc_why(reason, rlen, "coordinates: latitude %g out of range "
		    "(-90..90)", v[1]);
		return (-1);
	}
	r->lon = v[0];
	r->lat = v[1];
	return (0);
}

/* The side code: exactly one of the map's two. */
static int
feed_side(const cJSON *p, const char *const side_codes[NSIDES],
    struct report *r, char *reason, size_t rlen)
{
	const cJSON	*j;
	char		 shown[24];
	int		 i;

	if ((j = feed_get(p, "side")) == NULL) {
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
	if (!str_is_clean(j->valuestring)) {
		bc_why(reason, rlen, "properties.side: control characters or "
		    "invalid UTF-8");
		return (-1);
	}
	str_clean(shown, sizeof shown, j->valuestring, strlen(j->valuestring));
	bc_why(reason, rlen, "properties.side: '%s' is not %s or %s", shown,
	    side_codes[SIDE_LEFT], side_codes[SIDE_RIGHT]);
	return (-1);
}

static int
feed_seq(const cJSON *p, struct report *r, char *reason, size_t rlen)
{
	const cJSON	*j;
	double		 v;

	r->seq = -1;
	if ((j = feed_get(p, "seq")) == NULL)
		return (1);
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble) ||
	    j->valuedouble != floor(j->valuedouble)) {
		bc_why(reason, rlen, "properties.seq: not an integer");
		return (-1);
	}
	v = j->valuedouble;
	if (v < 0 || v > FEED_INT_MAX) {
		bc_why(reason, rlen, "properties.seq: %.0f out of range "
		    "(0..%.0f)", v, FEED_INT_MAX);
		return (-1);
	}
	r->seq = (int64_t)v;
	return (0);
}

/*
 * Validate one feature into *r.  Returns 0, or -1 with the first reason
 * found; r->id holds the clean id as soon as it is known.
 */
static int
feed_feature(const cJSON *f, const char *const side_codes[NSIDES],
    struct report *r, char *reason, size_t rlen)
{
	const cJSON	*p, *t;
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
	if ((bad = feed_id(feed_get(f, "id"), r->id, sizeof r->id)) != NULL) {
		bc_why(reason, rlen, "id: %s", bad);
		return (-1);
	}
	t = cJSON_GetObjectItemCaseSensitive(f, "type");
	if (!cJSON_IsString(t) || strcmp(t->valuestring, "Feature") != 0) {
		bc_why(reason, rlen, "type: not 'Feature'");
		return (-1);
	}
	if (feed_geometry(f, r, reason, rlen) != 0)
		return (-1);

	if ((p = feed_get(f, "properties")) == NULL) {
		bc_why(reason, rlen, "properties: missing");
		return (-1);
	}
	if (!cJSON_IsObject(p)) {
		bc_why(reason, rlen, "properties: not an object");
		return (-1);
	}
	if (feed_side(p, side_codes, r, reason, rlen) != 0)
		return (-1);
	switch (feed_time(p, "time", &r->time, reason, rlen)) {
	case 1:
		bc_why(reason, rlen, "properties.time: missing");
		return (-1);
	case -1:
		return (-1);
	}
	if (feed_time(p, "stale_at", &r->stale_at, reason, rlen) == -1)
		return (-1);
	if (feed_seq(p, r, reason, rlen) == -1)
		return (-1);

	if (feed_text(p, "agency", r->agency, sizeof r->agency, reason,
	    rlen) == -1 ||
	    feed_text(p, "callsign", r->callsign, sizeof r->callsign, reason,
	    rlen) == -1 ||
	    feed_text(p, "kind", r->kind_text, sizeof r->kind_text, reason,
	    rlen) == -1 ||
	    feed_text(p, "status", r->status_text, sizeof r->status_text,
	    reason, rlen) == -1)
		return (-1);
	r->kind = unit_kind_from_name(r->kind_text);
	if (r->status_text[0] == '\0') {
		r->status = STATUS_PATROL;
		snprintf(r->status_text, sizeof r->status_text, "%s",
		    unit_status_names[STATUS_PATROL]);
	} else
		r->status = unit_status_from_name(r->status_text);

	if (feed_number(p, "heading_deg", 0, 360, &r->heading_deg, reason,
	    rlen) == -1 ||
	    feed_number(p, "speed_kmh", 0, 2000, &r->speed_kmh, reason,
	    rlen) == -1 ||
	    feed_number(p, "radius_m", 1, 200000, &radius_m, reason,
	    rlen) == -1 ||
	    feed_number(p, "ce_m", 0, INFINITY, &r->ce_m, reason, rlen) == -1)
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
feed_cmp_item_id(const void *a, const void *b)
{
	const struct feed_item	*x = *(struct feed_item *const *)a;
	const struct feed_item	*y = *(struct feed_item *const *)b;
	int			 c;

	if ((c = strcmp(x->r.id, y->r.id)) != 0)
		return (c);
	return (x->index < y->index ? -1 : x->index > y->index);
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

/*
 * Within one message an id may appear once: keep the newest report (by
 * seq, else time; the first on a tie) and reject the others.
 */
static void
feed_dedup(struct feed_item *items, size_t n, struct feed_msg *msg,
    size_t *rcap)
{
	struct feed_item	**by;
	size_t			  i, j, k, best;

	if (n < 2)
		return;
	by = xreallocarray(NULL, n, sizeof *by);
	for (i = 0; i < n; i++)
		by[i] = &items[i];
	qsort(by, n, sizeof *by, feed_cmp_item_id);
	for (i = 0; i < n; i = j) {
		best = i;
		for (j = i + 1; j < n && strcmp(by[j]->r.id, by[i]->r.id) == 0;
		    j++) {
			if (feed_newer(&by[j]->r, &by[best]->r))
				best = j;
		}
		for (k = i; k < j; k++) {
			if (k == best)
				continue;
			by[k]->dropped = 1;
			feed_reject(msg, rcap, by[k]->index, by[k]->r.id,
			    "duplicate id in this message");
		}
	}
	free(by);
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
		    (s[n] >= '0' && s[n] <= '9')) {
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
		if (!str_is_clean(j->valuestring)) {
			bc_why(why, whylen, "cursor: control characters or "
			    "invalid UTF-8");
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

enum bc_status
feed_parse(const char *buf, size_t len, const char *const side_codes[NSIDES],
    struct feed_msg *msg, char *why, size_t whylen)
{
	cJSON			*root;
	const cJSON		*type, *features, *f;
	const char		*end = NULL;
	struct feed_item	*items;
	char			 reason[FEED_REASON_MAX];
	size_t			 i, n, nitems, rcap = 0, k;
	enum bc_status		 st;
	int			 open = 0;

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
	if (feed_scan(buf, len, FEED_MAX_DEPTH, &open) > FEED_MAX_DEPTH) {
		bc_why(why, whylen, "arrays and objects nested deeper than %d "
		    "levels", FEED_MAX_DEPTH);
		return (BC_FORMAT);
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		if (open)
			bc_why(why, whylen, "not JSON: unexpected end of "
			    "input (truncated?)");
		else
			feed_syntax_error(buf, len, end, "syntax error", why,
			    whylen);
		return (BC_JSON);
	}
	while (end != NULL && (size_t)(end - buf) < len && feed_is_space(*end))
		end++;
	if (end == NULL || (size_t)(end - buf) < len) {
		feed_syntax_error(buf, len, end, "unexpected data after the "
		    "value", why, whylen);
		cJSON_Delete(root);
		return (BC_JSON);
	}

	if (!cJSON_IsObject(root)) {
		bc_why(why, whylen, "not a FeatureCollection: the body is %s",
		    feed_type_name(root));
		cJSON_Delete(root);
		return (BC_FORMAT);
	}
	type = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsString(type)) {
		bc_why(why, whylen, "not a FeatureCollection: no \"type\"");
		cJSON_Delete(root);
		return (BC_FORMAT);
	}
	if (strcmp(type->valuestring, "FeatureCollection") != 0) {
		str_clean(reason, 40, type->valuestring,
		    strlen(type->valuestring));
		bc_why(why, whylen, "not a FeatureCollection: \"type\" is '%s'",
		    reason);
		cJSON_Delete(root);
		return (BC_FORMAT);
	}
	features = cJSON_GetObjectItemCaseSensitive(root, "features");
	if (features == NULL) {
		bc_why(why, whylen, "features: missing");
		cJSON_Delete(root);
		return (BC_FORMAT);
	}
	if (!cJSON_IsArray(features)) {
		bc_why(why, whylen, "features: not an array but %s",
		    feed_type_name(features));
		cJSON_Delete(root);
		return (BC_FORMAT);
	}
	n = 0;
	cJSON_ArrayForEach(f, features)
		n++;
	if (n > FEED_MAX_FEATURES) {
		bc_why(why, whylen, "%zu features, more than the limit of %d",
		    n, FEED_MAX_FEATURES);
		cJSON_Delete(root);
		return (BC_TOOBIG);
	}
	if ((st = feed_header(root, msg, why, whylen)) != BC_OK) {
		cJSON_Delete(root);
		feed_msg_done(msg);
		return (st);
	}

	items = xreallocarray(NULL, n + 1, sizeof *items);
	nitems = 0;
	i = 0;
	cJSON_ArrayForEach(f, features) {
		if (feed_feature(f, side_codes, &items[nitems].r, reason,
		    sizeof reason) == 0) {
			items[nitems].index = i;
			items[nitems].dropped = 0;
			nitems++;
		} else
			feed_reject(msg, &rcap, i, items[nitems].r.id, reason);
		i++;
	}
	cJSON_Delete(root);

	feed_dedup(items, nitems, msg, &rcap);
	if (msg->nrejected > 1)
		qsort(msg->rejected, msg->nrejected, sizeof *msg->rejected,
		    feed_cmp_rejected);
	msg->reports = xreallocarray(NULL, nitems + 1, sizeof *msg->reports);
	for (k = 0, i = 0; i < nitems; i++) {
		if (!items[i].dropped)
			msg->reports[k++] = items[i].r;
	}
	msg->nreports = k;
	free(items);
	return (BC_OK);
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
