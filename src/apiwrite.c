/*
 * apiwrite.c: writing coordination API v1 messages by hand.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiwrite.h"
#include "util.h"
#include "xmalloc.h"

void
apibuf_init(struct apibuf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void
apibuf_done(struct apibuf *b)
{
	free(b->p);
	apibuf_init(b);
}

static void
apibuf_grow(struct apibuf *b, size_t more)
{
	size_t	want;

	want = b->len + more + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < want)
		b->cap *= 2;
	b->p = xreallocarray(b->p, b->cap, 1);
}

void
apibuf_add(struct apibuf *b, const void *p, size_t n)
{
	apibuf_grow(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
apibuf_str(struct apibuf *b, const char *s)
{
	apibuf_add(b, s, strlen(s));
}

void
apibuf_json_string(struct apibuf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	char			 esc[6];

	apibuf_add(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			apibuf_add(b, "\\\"", 2);
			break;
		case '\\':
			apibuf_add(b, "\\\\", 2);
			break;
		case '\n':
			apibuf_add(b, "\\n", 2);
			break;
		case '\t':
			apibuf_add(b, "\\t", 2);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				apibuf_add(b, esc, 6);
			} else
				apibuf_add(b, p, 1);
			break;
		}
	}
	apibuf_add(b, "\"", 1);
}

/* Digits by integer arithmetic: no locale, no platform printf rounding. */
void
apibuf_number(struct apibuf *b, double v, int ndec)
{
	char		 tmp[48], *q;
	long long	 scale, x, ip, fp;
	int		 i, neg;

	if (!isfinite(v)) {
		apibuf_str(b, "null");
		return;
	}
	if (ndec < 0)
		ndec = 0;
	if (ndec > 9)
		ndec = 9;
	for (scale = 1, i = 0; i < ndec; i++)
		scale *= 10;
	if (fabs(v) * scale >= 9e18) {
		apibuf_str(b, "null");
		return;
	}
	neg = v < 0;
	x = llround(fabs(v) * (double)scale);
	ip = x / scale;
	fp = x % scale;
	q = tmp + sizeof tmp;
	*--q = '\0';
	if (fp != 0) {
		i = ndec;
		while (fp % 10 == 0) {
			fp /= 10;
			i--;
		}
		for (; i > 0; i--) {
			*--q = (char)('0' + fp % 10);
			fp /= 10;
		}
		*--q = '.';
	}
	do {
		*--q = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	if (neg && x != 0)
		*--q = '-';
	apibuf_str(b, q);
}

static void
apibuf_key(struct apibuf *b, const char *key)
{
	apibuf_add(b, ",\"", 2);
	apibuf_str(b, key);
	apibuf_add(b, "\":", 2);
}

void
apiwrite_feature(struct apibuf *b, const struct report *r,
    const char *const side_codes[NSIDES])
{
	char	tbuf[40];

	apibuf_str(b, "{\"type\":\"Feature\",\"id\":");
	apibuf_json_string(b, r->id);
	apibuf_str(b, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
	apibuf_number(b, r->lon, 5);
	apibuf_add(b, ",", 1);
	apibuf_number(b, r->lat, 5);
	apibuf_str(b, "]},\"properties\":{\"side\":");
	if (r->side >= 0 && r->side < NSIDES)
		apibuf_json_string(b, side_codes[r->side]);
	else
		apibuf_str(b, "null");
	if (r->agency[0] != '\0') {
		apibuf_key(b, "agency");
		apibuf_json_string(b, r->agency);
	}
	if (r->callsign[0] != '\0') {
		apibuf_key(b, "callsign");
		apibuf_json_string(b, r->callsign);
	}
	apibuf_key(b, "kind");
	apibuf_json_string(b, r->kind_text);
	apibuf_key(b, "status");
	apibuf_json_string(b, r->status_text);
	if (r->seq >= 0) {
		apibuf_key(b, "seq");
		apibuf_number(b, (double)r->seq, 0);
	}
	time_format_rfc3339(r->time, tbuf, sizeof tbuf);
	apibuf_key(b, "time");
	apibuf_json_string(b, tbuf);
	if (isfinite(r->stale_at)) {
		time_format_rfc3339(r->stale_at, tbuf, sizeof tbuf);
		apibuf_key(b, "stale_at");
		apibuf_json_string(b, tbuf);
	}
	if (isfinite(r->heading_deg)) {
		apibuf_key(b, "heading_deg");
		apibuf_number(b, r->heading_deg, 0);
	}
	if (isfinite(r->speed_kmh)) {
		apibuf_key(b, "speed_kmh");
		apibuf_number(b, r->speed_kmh, 0);
	}
	if (isfinite(r->radius_km)) {
		apibuf_key(b, "radius_m");
		apibuf_number(b, r->radius_km * 1000.0, 0);
	}
	if (isfinite(r->ce_m)) {
		apibuf_key(b, "ce_m");
		apibuf_number(b, r->ce_m, 0);
	}
	apibuf_str(b, "}}");
}

void
apiwrite_positions(struct apibuf *b, const struct apiwrite_msg *m)
{
	const struct scenario_slot	*sl;
	char				 tbuf[40];
	size_t				 i;
	int				 first;

	apibuf_str(b, "{\"type\":\"FeatureCollection\",\"api\":\""
	    APIWRITE_API "\",\"server_time\":");
	time_format_rfc3339(m->server_time, tbuf, sizeof tbuf);
	apibuf_json_string(b, tbuf);
	if (m->cursor != NULL) {
		apibuf_key(b, "cursor");
		apibuf_json_string(b, m->cursor);
	}
	if (m->partition != NULL) {
		apibuf_key(b, "partition");
		apibuf_json_string(b, m->partition);
	}
	apibuf_key(b, "full");
	apibuf_str(b, m->full ? "true" : "false");
	apibuf_key(b, "features");
	apibuf_add(b, "[", 1);
	first = 1;
	for (i = 0; i < m->nslots; i++) {
		sl = &m->slots[i];
		if (!sl->present || (!m->full && sl->changed <= m->since))
			continue;
		if (!first)
			apibuf_add(b, ",", 1);
		first = 0;
		apiwrite_feature(b, &sl->r, m->side_codes);
	}
	apibuf_add(b, "]", 1);
	if (!m->full) {
		apibuf_key(b, "removed");
		apibuf_add(b, "[", 1);
		first = 1;
		for (i = 0; i < m->nslots; i++) {
			sl = &m->slots[i];
			if (sl->present || sl->changed <= m->since)
				continue;
			if (!first)
				apibuf_add(b, ",", 1);
			first = 0;
			apibuf_json_string(b, sl->r.id);
		}
		apibuf_add(b, "]", 1);
	}
	apibuf_add(b, "}", 1);
}

void
apiwrite_cursor(char *buf, size_t len, uint64_t version, const char *tag)
{
	static const char	 digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char			 tmp[24], *q;

	q = tmp + sizeof tmp;
	*--q = '\0';
	do {
		*--q = digits[version % 36];
		version /= 36;
	} while (version != 0);
	snprintf(buf, len, "%s.%s", q, tag);
}

int
apiwrite_cursor_parse(const char *s, const char *tag, uint64_t *version)
{
	uint64_t	v;
	const char	*p;
	int		 d, n;

	v = 0;
	n = 0;
	for (p = s; *p != '\0' && *p != '.'; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'z')
			d = *p - 'a' + 10;
		else
			return (-1);
		if (++n > 12)
			return (-1);
		v = v * 36 + (uint64_t)d;
	}
	if (n == 0 || *p != '.' || strcmp(p + 1, tag) != 0)
		return (-1);
	*version = v;
	return (0);
}
