/*
 * report.c: the coverage report as 80-column text or as JSON.
 *
 * The report only reads the picture.  JSON is printed with cJSON (never
 * parsed here); every string in it already passed the feed's or the map's
 * cleaning.  Distances are rounded to metres (3 decimals of km),
 * percentages to one decimal.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "report.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

static const char *const report_joint_names[4] = {
	"none", NULL, NULL, "both"	/* the sides: by their codes */
};

static double
report_km(double x)
{
	if (!isfinite(x))
		return (x);
	return (round(x * 1000) / 1000);
}

static double
report_pct(double part, double whole)
{
	if (!(whole > 0))
		return (0);
	return (round(part / whole * 1000) / 10);
}

const char *
report_policy_name(const struct border_map *map, enum gap_policy policy,
    char *buf, size_t len)
{
	const char	*code;
	size_t		 i;

	switch (policy) {
	case POLICY_LEFT:
	case POLICY_RIGHT:
		code = map->sides[policy == POLICY_LEFT ? 0 : 1].code;
		for (i = 0; code[i] != '\0' && i + 1 < len; i++)
			buf[i] = (char)tolower((unsigned char)code[i]);
		buf[i] = '\0';
		return (buf);
	case POLICY_BOTH:
		return ("both");
	default:
		return ("either");
	}
}

int
report_policy_parse(const struct border_map *map, const char *name)
{
	if (strcasecmp(name, "either") == 0)
		return (POLICY_EITHER);
	if (strcasecmp(name, "both") == 0)
		return (POLICY_BOTH);
	if (map->sides[0].code[0] != '\0' &&
	    strcasecmp(name, map->sides[0].code) == 0)
		return (POLICY_LEFT);
	if (map->sides[1].code[0] != '\0' &&
	    strcasecmp(name, map->sides[1].code) == 0)
		return (POLICY_RIGHT);
	return (-1);
}

/* The sector code of side s at index k, or NULL. */
static const char *
report_sector_code(const struct border_map *map, int s, int k)
{
	if (k < 0 || (size_t)k >= map->nsectors[s])
		return (NULL);
	return (map->sectors[s][k].code);
}

/* ------------------------------------------------------------------ */
/* Text. */

/* One "Label:   text" line, the text cut to the report's width. */
static void
report_line(FILE *f, int utf8, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report_line(FILE *f, int utf8, const char *label, const char *fmt, ...)
{
	char	buf[1024], clean[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* A file name comes from the user, not the feed: clean it too. */
	str_clean(clean, sizeof clean, buf, strlen(buf));
	fprintf(f, "%-10s", label);
	text_cell(f, clean, utf8, REPORT_WIDTH - 10, 0);
	fputc('\n', f);
}

/* Where report_wrap()'s lines go: the stream and their indent. */
struct report_wrap_arg {
	FILE	*f;
	int	 indent;
};

static void
report_wrap_line(const char *line, void *arg)
{
	struct report_wrap_arg	*a = arg;

	fprintf(a->f, "%*s%s\n", a->indent, "", line);
}

/* Text over as many lines as it needs, indented, broken at spaces. */
static void
report_wrap(FILE *f, int utf8, int indent, const char *text)
{
	struct report_wrap_arg	a = { f, indent };

	while (*text == ' ')
		text++;
	if (*text != '\0')
		text_wrap(text, utf8, REPORT_WIDTH - indent, 0,
		    report_wrap_line, &a);
}

static void
report_text_counts(FILE *f, int utf8, const struct picture *p)
{
	const struct border_map	*map = p->map;
	size_t			 total;
	int			 s;

	for (s = 0; s < NSIDES; s++) {
		total = p->count[s][STATE_FRESH] + p->count[s][STATE_STALE] +
		    p->count[s][STATE_LOST] + p->count[s][STATE_INACTIVE];
		report_line(f, utf8, s == 0 ? "Units:" : "",
		    "%s %zu: %zu fresh, %zu stale, %zu lost, %zu inactive",
		    map->sides[s].code, total, p->count[s][STATE_FRESH],
		    p->count[s][STATE_STALE], p->count[s][STATE_LOST],
		    p->count[s][STATE_INACTIVE]);
	}
}

static void
report_text_header(FILE *f, int utf8, const struct picture *p,
    const struct report_meta *m)
{
	const struct border_map	*map = p->map;
	char			 t[64], st[64], pol[16];
	char			 first[UNIT_ID_MAX + FEED_REASON_MAX + 32];

	time_format_rfc3339(p->now, t, sizeof t);
	fprintf(f, "%s coverage report\n\n", m->program);
	report_line(f, utf8, "Map:", "%s, %.1f km", map->name, map->length_km);
	if (map->attribution != NULL && map->attribution[0] != '\0')
		report_wrap(f, utf8, 10, map->attribution);
	if (isfinite(m->server_time))
		time_format_rfc3339(m->server_time, st, sizeof st);
	else
		snprintf(st, sizeof st, "none");
	report_line(f, utf8, "Feed:", "%s", m->feed != NULL ? m->feed : "(none)");
	if (m->link != NULL) {
		report_line(f, utf8, "Link:", "%s, %lu poll%s, %llu bytes on the "
		    "wire in %.2f s", link_state_names[m->link->state],
		    m->link->polls, m->link->polls == 1 ? "" : "s",
		    (unsigned long long)m->link->bytes_rx, m->transfer_s);
	}
	report_line(f, utf8, "Clock:", "%s (%s); server time %s", t,
	    m->clock_source, st);
	if (p->unknown) {
		time_format_rfc3339(p->unknown_since, st, sizeof st);
		report_line(f, utf8, "Picture:", "UNKNOWN since %s: the last "
		    "known picture follows", st);
	}
	/* Units missing for a reason the feed gave: said at the top. */
	if (m->nrejected > 0) {
		report_line(f, utf8, "Rejected:", "%s%zu feature%s, the first:",
		    p->units->n == 0 ? "WARNING: all " : "", m->nrejected,
		    m->nrejected == 1 ? "" : "s");
		snprintf(first, sizeof first, "#%zu %s: %s",
		    m->rejected[0].index, m->rejected[0].id[0] != '\0' ?
		    m->rejected[0].id : "(no id)", m->rejected[0].reason);
		report_wrap(f, utf8, 10, first);
	}
	report_line(f, utf8, "Policy:", "gaps where %s: %s; gap >= %g km, "
	    "overlap >= %g km", report_policy_name(map, p->cfg.policy, pol,
	    sizeof pol), p->cfg.policy == POLICY_EITHER ?
	    "no side covers" : p->cfg.policy == POLICY_BOTH ?
	    "some side lacks cover" : "that side lacks cover",
	    p->cfg.min_gap_km, p->cfg.min_overlap_km);
	report_line(f, utf8, "Ages:", "stale after %g s, lost after %g s",
	    p->cfg.stale_after_s, p->cfg.lost_after_s);
	report_text_counts(f, utf8, p);
	report_line(f, utf8, "Across:", "%zu unit%s across the line", p->across,
	    p->across == 1 ? "" : "s");
	report_line(f, utf8, "Line:", "%.1f km joint, %.1f km %s only, %.1f km %s "
	    "only, %.1f km none", p->joint_km[JOINT_BOTH],
	    p->joint_km[JOINT_LEFT], map->sides[0].code,
	    p->joint_km[JOINT_RIGHT], map->sides[1].code,
	    p->joint_km[JOINT_NONE]);
}

static void
report_text_sectors(FILE *f, int utf8, const struct picture *p, int s)
{
	const struct border_map		*map = p->map;
	const struct sector		*sec;
	const struct sector_stats	*st;
	char				 counts[96];
	size_t				 k;

	fprintf(f, "\n%s sectors (own side %s)\n", map->sides[s].code,
	    map->sides[s].name);
	/* 5 + 16 + 7 + 7 + 6 + 7 + 7 + 5 + 8 + 12 = 80 columns */
	fprintf(f, "%-5s%-16s%7s%7s%6s%7s%7s%5s%8s %s\n", "code", "name",
	    "len km", "own km", "own%", "other%", "joint%", "gaps",
	    "longest", "f/s/l/i");
	for (k = 0; k < map->nsectors[s]; k++) {
		sec = &map->sectors[s][k];
		st = &p->stats[s][k];
		text_cell(f, sec->code, utf8, 4, 1);
		fputc(' ', f);
		text_cell(f, sec->name, utf8, 15, 1);
		fputc(' ', f);
		fprintf(f, "%7.1f%7.1f%6.1f%7.1f%7.1f%5zu%8.1f ",
		    st->len_km, st->own_km,
		    report_pct(st->own_km, st->len_km),
		    report_pct(st->other_km, st->len_km),
		    report_pct(st->joint_km, st->len_km), st->gaps,
		    st->longest_gap_km);
		snprintf(counts, sizeof counts, "%zu/%zu/%zu/%zu",
		    st->units[STATE_FRESH], st->units[STATE_STALE],
		    st->units[STATE_LOST], st->units[STATE_INACTIVE]);
		text_cell(f, counts, utf8, 11, 0);
		fputc('\n', f);
	}
}

/* Under a gap that crosses more than one sector of a side, all of them. */
static void
report_text_crossed(FILE *f, int utf8, const struct border_map *map,
    const struct gap *g)
{
	int	s, k, more = 0;

	for (s = 0; s < NSIDES; s++)
		more |= g->sec_last[s] > g->sec_first[s];
	if (!more)
		return;
	fprintf(f, "%4s  crosses", "");
	for (s = 0; s < NSIDES; s++) {
		if (g->sec_first[s] < 0)
			continue;
		fprintf(f, "%s %s", s > 0 ? ";" : "", map->sides[s].code);
		for (k = g->sec_first[s]; k <= g->sec_last[s]; k++)
			fprintf(f, " %s", map->sectors[s][k].code);
	}
	fputc('\n', f);
}

/* Under each gap, who can close it: "nearest W: US TCA-42 fresh 3.2 km,
   +0.5", both sides on one line when they fit 80 columns. */
static void
report_text_nearest(FILE *f, int utf8, const struct picture *p,
    const struct gap *g)
{
	const struct pic_unit	*u;
	char			 item[NSIDES][128], cs[64];
	int			 end, s, n, col;

	for (end = GAP_WEST; end <= GAP_EAST; end++) {
		for (s = 0, n = 0; s < NSIDES; s++) {
			item[s][0] = '\0';
			if (g->nearest[end][s].unit == 0)
				continue;
			u = &p->units->v[g->nearest[end][s].unit - 1];
			text_cut(u->r.callsign, utf8, 16, cs, sizeof cs);
			snprintf(item[s], sizeof item[s], "%s %s %s %.1f km, "
			    "%+.1f", p->map->sides[s].code, cs,
			    unit_state_names[u->state],
			    g->nearest[end][s].dist_km, u->pl.d_km);
			n++;
		}
		if (n == 0)
			continue;
		col = fprintf(f, "      nearest %s:",
		    end == GAP_WEST ? "W" : "E");
		for (s = 0, n = 0; s < NSIDES; s++) {
			if (item[s][0] == '\0')
				continue;
			if (n > 0 && col + 2 + text_cols(item[s], utf8) >
			    REPORT_WIDTH) {
				col = fprintf(f, ";\n%17s", "") - 2;
			} else if (n > 0)
				col += fprintf(f, ";");
			col += fprintf(f, " ");
			col += text_cell(f, item[s], utf8, REPORT_WIDTH - col,
			    0);
			n++;
		}
		fputc('\n', f);
	}
}

static void
report_text_gaps(FILE *f, int utf8, const struct picture *p)
{
	const struct border_map	*map = p->map;
	const struct gap	*g;
	const char		*code;
	double			 total = 0;
	size_t			 i;
	int			 s;

	for (i = 0; i < p->ngaps; i++)
		total += p->gaps[i].b - p->gaps[i].a;
	fprintf(f, "\nGaps: %s%zu, %.1f km\n", p->unknown ? "unknown; as last "
	    "known: " : "", p->ngaps, total);
	if (p->ngaps == 0)
		return;
	/* 4 + 10 + 10 + 9 + 2 + 5 + 5 + near = 80 */
	fprintf(f, "%4s%10s%10s%9s  ", "id", "start km", "end km", "km");
	for (s = 0; s < NSIDES; s++) {
		text_cell(f, map->sides[s].code, utf8, 4, 1);
		fputc(' ', f);
	}
	fputs("near\n", f);
	for (i = 0; i < p->ngaps; i++) {
		g = &p->gaps[i];
		fprintf(f, "%4u%10.1f%10.1f%9.1f  ", g->id, g->a, g->b,
		    g->b - g->a);
		for (s = 0; s < NSIDES; s++) {
			code = report_sector_code(map, s, g->sector[s]);
			text_cell(f, code != NULL ? code : "-", utf8, 4, 1);
			fputc(' ', f);
		}
		text_cell(f, g->near, utf8, REPORT_WIDTH - 45, 0);
		fputc('\n', f);
		report_text_crossed(f, utf8, map, g);
		report_text_nearest(f, utf8, p, g);
	}
}

static void
report_text_overlaps(FILE *f, int utf8, const struct picture *p)
{
	const struct overlap	*o;
	char			 piece[UNIT_ID_MAX + 2];
	size_t			 i, j;
	int			 col, w;

	fprintf(f, "\nSame-side overlaps: %zu\n", p->noverlaps);
	if (p->noverlaps == 0)
		return;
	fprintf(f, "%4s %-4s%10s%10s%9s  %s\n", "#", "side", "start km",
	    "end km", "km", "units");
	for (i = 0; i < p->noverlaps; i++) {
		o = &p->overlaps[i];
		fprintf(f, "%4zu ", i + 1);
		text_cell(f, p->map->sides[o->side].code, utf8, 4, 1);
		fprintf(f, "%10.1f%10.1f%9.1f  ", o->a, o->b, o->b - o->a);
		/* Ids wrap under the units column (column 40). */
		col = 40;
		for (j = 0; j < o->nids; j++) {
			snprintf(piece, sizeof piece, "%s%s", o->ids[j],
			    j + 1 < o->nids ? "," : "");
			w = text_cols(piece, utf8);
			if (j > 0 && col + 1 + w > REPORT_WIDTH) {
				fprintf(f, "\n%40s", "");
				col = 40;
			} else if (j > 0) {
				fputc(' ', f);
				col++;
			}
			text_cell(f, piece, utf8, REPORT_WIDTH - col, 0);
			col += w < REPORT_WIDTH - col ? w : REPORT_WIDTH - col;
		}
		fputc('\n', f);
	}
}

static void
report_text_units(FILE *f, int utf8, const struct picture *p)
{
	const struct pic_unit	*u;
	char			 near[96];
	size_t			 i;

	if (p->across == 0)
		return;
	fprintf(f, "\nAcross the line: %zu\n", p->across);
	/* 5 + 24 + 9 + 8 + 2 + near (32) = 80 columns */
	fprintf(f, "%-5s%-24s%9s%8s  %s\n", "side", "id", "km", "off km",
	    "near");
	for (i = 0; i < p->units->n; i++) {
		u = &p->units->v[i];
		if (!u->across)
			continue;
		border_near_phrase(p->map, u->r.lat, u->r.lon, 1 - u->r.side,
		    near, sizeof near);
		text_cell(f, p->map->sides[u->r.side].code, utf8, 4, 1);
		fputc(' ', f);
		text_cell(f, u->r.id, utf8, 23, 1);
		/* A unit half a world away is 20000 km off: no decimals
		   then, so that the column keeps its 8. */
		fprintf(f, " %9.1f%8.*f  ", u->pl.s_km,
		    fabs(u->pl.d_km) < 9999.995 ? 2 : 0, u->pl.d_km);
		text_cell(f, near, utf8, REPORT_WIDTH - 48, 0);
		fputc('\n', f);
	}
}

static void
report_text_rejected(FILE *f, int utf8, const struct report_meta *m)
{
	size_t	i;
	char	line[256];

	if (m->nrejected == 0)
		return;
	fprintf(f, "\nRejected features: %zu\n", m->nrejected);
	for (i = 0; i < m->nrejected; i++) {
		snprintf(line, sizeof line, "%6zu  %s: %s",
		    m->rejected[i].index, m->rejected[i].id[0] != '\0' ?
		    m->rejected[i].id : "(no id)", m->rejected[i].reason);
		text_cell(f, line, utf8, REPORT_WIDTH, 0);
		fputc('\n', f);
	}
}

/* Open requests (and those that ended), each with its state's steps. */
static void
report_text_requests(FILE *f, int utf8, const struct picture *p,
    const struct report_meta *m)
{
	const struct reqbook		*b = m->requests;
	const struct reqbook_entry	*e;
	const struct border_map		*map = p->map;
	char				 line[800], t[40];
	size_t				 i, k, in, out, len;

	if (b == NULL)
		return;
	reqbook_unanswered(b, &in, &out);
	fprintf(f, "\nRequests (%s): %zu, unanswered %zu to us, %zu from us\n",
	    b->side >= 0 ? map->sides[b->side].code : "side unknown", b->n,
	    in, out);
	if (m->requests_error != NULL && m->requests_error[0] != '\0') {
		text_cell(f, m->requests_error, utf8, REPORT_WIDTH, 2);
		fputc('\n', f);
	}
	for (i = 0; i < b->n; i++) {
		e = &b->v[i];
		snprintf(line, sizeof line, "  %-9s %s %s->%s %-7s "
		    "%.1f-%.1f km %s", reqbook_state_text(e), e->r.id,
		    e->r.sender >= 0 ? map->sides[e->r.sender].code : "?",
		    e->r.addressee >= 0 ? map->sides[e->r.addressee].code :
		    "?", req_kind_names[e->r.kind], e->r.a_km, e->r.b_km,
		    e->r.sector);
		text_cell(f, line, utf8, REPORT_WIDTH, 0);
		fputc('\n', f);
		line[0] = '\0';
		for (k = 0; k < REQ_STATE_COUNT; k++) {
			if (!isfinite(e->r.stamps[k].t))
				continue;
			time_format_rfc3339(e->r.stamps[k].t, t, sizeof t);
			len = strlen(line);
			snprintf(line + len, sizeof line - len, "%s%s %s %s",
			    len ? ", " : "", req_state_names[k], t + 11,
			    e->r.stamps[k].side >= 0 ?
			    map->sides[e->r.stamps[k].side].code : "server");
		}
		if (line[0] != '\0') {
			fputs("            ", f);
			text_cell(f, line, utf8, REPORT_WIDTH - 12, 0);
			fputc('\n', f);
		}
		if (e->r.text[0] != '\0' || e->r.reason[0] != '\0' ||
		    e->error[0] != '\0') {
			snprintf(line, sizeof line, "            %s%s%s%s%s",
			    e->r.text, e->r.reason[0] ? " / reason: " : "",
			    e->r.reason, e->error[0] ? " / refused: " : "",
			    e->error);
			text_cell(f, line, utf8, REPORT_WIDTH, 0);
			fputc('\n', f);
		}
	}
}

enum bc_status
report_text(FILE *f, const struct picture *p, const struct report_meta *m)
{
	int	s, utf8 = !m->ascii;

	report_text_header(f, utf8, p, m);
	for (s = 0; s < NSIDES; s++)
		report_text_sectors(f, utf8, p, s);
	report_text_gaps(f, utf8, p);
	report_text_overlaps(f, utf8, p);
	report_text_units(f, utf8, p);
	report_text_rejected(f, utf8, m);
	report_text_requests(f, utf8, p, m);
	fflush(f);
	return (ferror(f) ? BC_IO : BC_OK);
}

/* ------------------------------------------------------------------ */
/* JSON. */

static void
report_json_km(cJSON *o, const char *key, double km)
{
	if (isfinite(km))
		cJSON_AddNumberToObject(o, key, report_km(km));
	else
		cJSON_AddNullToObject(o, key);
}

static void
report_json_str(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static void
report_json_time(cJSON *o, const char *key, double t)
{
	char	buf[64];

	if (isfinite(t)) {
		time_format_rfc3339(t, buf, sizeof buf);
		cJSON_AddStringToObject(o, key, buf);
	} else
		cJSON_AddNullToObject(o, key);
}

/* "us_sector", "mx_sector": the map's side codes, lower case. */
static void
report_sector_keys(const struct border_map *map, char keys[NSIDES][24])
{
	size_t	i;
	int	s;

	for (s = 0; s < NSIDES; s++) {
		for (i = 0; map->sides[s].code[i] != '\0' && i < 8; i++)
			keys[s][i] = (char)tolower(
			    (unsigned char)map->sides[s].code[i]);
		snprintf(keys[s] + i, sizeof keys[s] - i, "_sector");
	}
}

static cJSON *
report_json_units(const struct picture *p, char keys[NSIDES][24])
{
	const struct border_map	*map = p->map;
	const struct pic_unit	*u;
	cJSON			*arr, *o, *fp, *iv;
	size_t			 i, j;
	int			 s;

	arr = cJSON_CreateArray();
	for (i = 0; i < p->units->n; i++) {
		u = &p->units->v[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", u->r.id);
		cJSON_AddStringToObject(o, "side", map->sides[u->r.side].code);
		cJSON_AddStringToObject(o, "callsign", u->r.callsign);
		cJSON_AddStringToObject(o, "agency", u->r.agency);
		cJSON_AddStringToObject(o, "kind", u->r.kind_text);
		cJSON_AddStringToObject(o, "status", u->r.status_text);
		cJSON_AddNumberToObject(o, "lat", u->r.lat);
		cJSON_AddNumberToObject(o, "lon", u->r.lon);
		report_json_time(o, "time", u->r.time);
		cJSON_AddNumberToObject(o, "age_s", round(u->age_s));
		report_json_km(o, "chainage_km", u->pl.s_km);
		report_json_km(o, "offset_km", u->pl.d_km);
		for (s = 0; s < NSIDES; s++)
			report_json_str(o, keys[s],
			    report_sector_code(map, s, u->sector[s]));
		cJSON_AddStringToObject(o, "state",
		    unit_state_names[u->state]);
		cJSON_AddBoolToObject(o, "across_line", u->across);
		report_json_km(o, "radius_km", u->radius_km);
		fp = cJSON_AddArrayToObject(o, "footprint");
		for (j = 0; j < u->nfp; j++) {
			iv = cJSON_CreateArray();
			cJSON_AddItemToArray(iv,
			    cJSON_CreateNumber(report_km(u->fp[j].a)));
			cJSON_AddItemToArray(iv,
			    cJSON_CreateNumber(report_km(u->fp[j].b)));
			cJSON_AddItemToArray(fp, iv);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return (arr);
}

static cJSON *
report_json_sectors(const struct picture *p)
{
	const struct border_map		*map = p->map;
	const struct sector		*sec;
	const struct sector_stats	*st;
	cJSON				*arr, *o, *n;
	size_t				 k;
	int				 s, i;

	arr = cJSON_CreateArray();
	for (s = 0; s < NSIDES; s++) {
		for (k = 0; k < map->nsectors[s]; k++) {
			sec = &map->sectors[s][k];
			st = &p->stats[s][k];
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "side", map->sides[s].code);
			cJSON_AddStringToObject(o, "code", sec->code);
			cJSON_AddStringToObject(o, "name", sec->name);
			report_json_km(o, "start_km", sec->start_km);
			report_json_km(o, "end_km", sec->end_km);
			report_json_km(o, "length_km", st->len_km);
			report_json_km(o, "covered_own_km", st->own_km);
			report_json_km(o, "covered_other_km", st->other_km);
			report_json_km(o, "covered_joint_km", st->joint_km);
			cJSON_AddNumberToObject(o, "covered_own_pct",
			    report_pct(st->own_km, st->len_km));
			cJSON_AddNumberToObject(o, "covered_other_pct",
			    report_pct(st->other_km, st->len_km));
			cJSON_AddNumberToObject(o, "covered_joint_pct",
			    report_pct(st->joint_km, st->len_km));
			cJSON_AddNumberToObject(o, "gaps", (double)st->gaps);
			report_json_km(o, "longest_gap_km",
			    st->longest_gap_km);
			n = cJSON_AddObjectToObject(o, "units");
			for (i = 0; i < STATE_COUNT; i++)
				cJSON_AddNumberToObject(n, unit_state_names[i],
				    (double)st->units[i]);
			cJSON_AddItemToArray(arr, o);
		}
	}
	return (arr);
}

/* Who can close gap g: the nearest unit of each side at each end. */
static void
report_json_nearest(const struct picture *p, const struct gap *g,
    cJSON *arr)
{
	const struct pic_unit	*u;
	cJSON			*o;
	int			 end, s;

	for (end = GAP_WEST; end <= GAP_EAST; end++) {
		for (s = 0; s < NSIDES; s++) {
			if (g->nearest[end][s].unit == 0)
				continue;
			u = &p->units->v[g->nearest[end][s].unit - 1];
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "end", end == GAP_WEST ?
			    "west" : "east");
			cJSON_AddStringToObject(o, "side",
			    p->map->sides[s].code);
			cJSON_AddStringToObject(o, "id", u->r.id);
			cJSON_AddStringToObject(o, "callsign", u->r.callsign);
			cJSON_AddStringToObject(o, "state",
			    unit_state_names[u->state]);
			report_json_km(o, "distance_km",
			    g->nearest[end][s].dist_km);
			report_json_km(o, "offset_km", u->pl.d_km);
			cJSON_AddItemToArray(arr, o);
		}
	}
}

static cJSON *
report_json_gaps(const struct picture *p, char keys[NSIDES][24])
{
	const struct gap	*g;
	cJSON			*arr, *o, *secs;
	char			 key[64];
	size_t			 i;
	int			 s, k;

	arr = cJSON_CreateArray();
	for (i = 0; i < p->ngaps; i++) {
		g = &p->gaps[i];
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", g->id);
		/* null: open before the program saw it. */
		report_json_time(o, "opened_at", g->open_before ? NAN :
		    g->open_since);
		report_json_km(o, "start_km", g->a);
		report_json_km(o, "end_km", g->b);
		report_json_km(o, "length_km", g->b - g->a);
		for (s = 0; s < NSIDES; s++)
			report_json_str(o, keys[s],
			    report_sector_code(p->map, s, g->sector[s]));
		for (s = 0; s < NSIDES; s++) {
			snprintf(key, sizeof key, "%ss", keys[s]);
			secs = cJSON_AddArrayToObject(o, key);
			for (k = g->sec_first[s]; k >= 0 &&
			    k <= g->sec_last[s]; k++)
				cJSON_AddItemToArray(secs, cJSON_CreateString(
				    p->map->sectors[s][k].code));
		}
		cJSON_AddStringToObject(o, "near", g->near);
		report_json_nearest(p, g, cJSON_AddArrayToObject(o,
		    "nearest"));
		cJSON_AddItemToArray(arr, o);
	}
	return (arr);
}

static cJSON *
report_json_overlaps(const struct picture *p)
{
	const struct overlap	*ov;
	cJSON			*arr, *o, *ids;
	size_t			 i, j;

	arr = cJSON_CreateArray();
	for (i = 0; i < p->noverlaps; i++) {
		ov = &p->overlaps[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "side",
		    p->map->sides[ov->side].code);
		report_json_km(o, "start_km", ov->a);
		report_json_km(o, "end_km", ov->b);
		report_json_km(o, "length_km", ov->b - ov->a);
		ids = cJSON_AddArrayToObject(o, "units");
		for (j = 0; j < ov->nids; j++)
			cJSON_AddItemToArray(ids,
			    cJSON_CreateString(ov->ids[j]));
		cJSON_AddItemToArray(arr, o);
	}
	return (arr);
}

static cJSON *
report_json_summary(const struct picture *p)
{
	const struct border_map	*map = p->map;
	cJSON			*o, *side, *cls;
	double			 gap_km = 0;
	size_t			 i;
	int			 s, k;

	o = cJSON_CreateObject();
	for (s = 0; s < NSIDES; s++) {
		side = cJSON_AddObjectToObject(o, map->sides[s].code);
		for (k = 0; k < STATE_COUNT; k++)
			cJSON_AddNumberToObject(side, unit_state_names[k],
			    (double)p->count[s][k]);
		report_json_km(side, "covered_km", ivlist_length(&p->cov[s]));
	}
	cJSON_AddNumberToObject(o, "across_line", (double)p->across);
	for (i = 0; i < p->ngaps; i++)
		gap_km += p->gaps[i].b - p->gaps[i].a;
	cJSON_AddNumberToObject(o, "gaps", (double)p->ngaps);
	report_json_km(o, "gap_km", gap_km);
	cJSON_AddNumberToObject(o, "overlaps", (double)p->noverlaps);
	/* Joint classes by the map's side codes: both, us_only, mx_only,
	   none. */
	cls = cJSON_AddObjectToObject(o, "joint_km");
	for (k = 0; k < 4; k++) {
		if (k == JOINT_LEFT || k == JOINT_RIGHT) {
			char	key[32];
			size_t	j;
			int	js = k == JOINT_LEFT ? SIDE_LEFT : SIDE_RIGHT;

			for (j = 0; p->map->sides[js].code[j] != '\0' &&
			    j < 8; j++)
				key[j] = (char)tolower((unsigned char)
				    p->map->sides[js].code[j]);
			snprintf(key + j, sizeof key - j, "_only");
			report_json_km(cls, key, p->joint_km[k]);
		} else
			report_json_km(cls, report_joint_names[k],
			    p->joint_km[k]);
	}
	return (o);
}

/* Requests: each with its state, what shows it, and its history. */
static cJSON *
report_json_requests(const struct picture *p, const struct report_meta *m)
{
	const struct reqbook		*b = m->requests;
	const struct reqbook_entry	*e;
	const struct border_map		*map = p->map;
	cJSON				*arr, *o, *h, *step;
	size_t				 i, k;

	arr = cJSON_CreateArray();
	for (i = 0; i < b->n; i++) {
		e = &b->v[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", e->r.id);
		report_json_str(o, "sender", e->r.sender >= 0 ?
		    map->sides[e->r.sender].code : NULL);
		report_json_str(o, "addressee", e->r.addressee >= 0 ?
		    map->sides[e->r.addressee].code : NULL);
		cJSON_AddStringToObject(o, "kind", req_kind_names[e->r.kind]);
		report_json_km(o, "from_km", e->r.a_km);
		report_json_km(o, "to_km", e->r.b_km);
		report_json_str(o, "sector", e->r.sector[0] ? e->r.sector :
		    NULL);
		report_json_str(o, "gap", e->r.gap[0] ? e->r.gap : NULL);
		cJSON_AddStringToObject(o, "state", reqbook_state_text(e));
		cJSON_AddBoolToObject(o, "open", req_state_open(e->r.state) ||
		    e->pending_new || e->pending_answer);
		cJSON_AddBoolToObject(o, "incoming",
		    e->r.addressee == b->side);
		report_json_str(o, "text", e->r.text[0] ? e->r.text : NULL);
		report_json_str(o, "reason", e->r.reason[0] ? e->r.reason :
		    NULL);
		report_json_str(o, "refused", e->error[0] ? e->error : NULL);
		report_json_time(o, "expires", e->r.expires);
		h = cJSON_AddArrayToObject(o, "history");
		for (k = 0; k < REQ_STATE_COUNT; k++) {
			if (!isfinite(e->r.stamps[k].t))
				continue;
			step = cJSON_CreateObject();
			cJSON_AddStringToObject(step, "state",
			    req_state_names[k]);
			report_json_time(step, "time", e->r.stamps[k].t);
			cJSON_AddStringToObject(step, "by",
			    e->r.stamps[k].side >= 0 ?
			    map->sides[e->r.stamps[k].side].code : "server");
			cJSON_AddItemToArray(h, step);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return (arr);
}

enum bc_status
report_json(FILE *f, const struct picture *p, const struct report_meta *m)
{
	const struct border_map	*map = p->map;
	char			 keys[NSIDES][24], pol[16];
	cJSON			*root, *o, *arr;
	char			*text;
	size_t			 i;

	report_sector_keys(map, keys);
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "generator", m->program);
	report_json_time(root, "generated_at", p->now);
	cJSON_AddStringToObject(root, "clock_source", m->clock_source);
	report_json_time(root, "server_time", m->server_time);
	report_json_str(root, "feed", m->feed);
	/* live, or unknown (frozen) since its newest data, as_of. */
	o = cJSON_AddObjectToObject(root, "picture");
	cJSON_AddStringToObject(o, "state", p->unknown ? "unknown" : "live");
	report_json_time(o, "as_of", p->as_of);
	if (p->unknown)
		report_json_time(o, "unknown_since", p->unknown_since);
	if (m->link != NULL) {
		o = cJSON_AddObjectToObject(root, "link");
		cJSON_AddStringToObject(o, "state",
		    link_state_names[m->link->state]);
		cJSON_AddNumberToObject(o, "polls", (double)m->link->polls);
		cJSON_AddNumberToObject(o, "bytes_rx",
		    (double)m->link->bytes_rx);
		cJSON_AddNumberToObject(o, "transfer_s",
		    round(m->transfer_s * 1000) / 1000);
	}
	report_json_str(root, "map", map->name);
	report_json_str(root, "attribution", map->attribution);
	report_json_km(root, "border_km", map->length_km);
	o = cJSON_AddObjectToObject(root, "config");
	cJSON_AddStringToObject(o, "policy",
	    report_policy_name(map, p->cfg.policy, pol, sizeof pol));
	cJSON_AddNumberToObject(o, "min_gap_km", p->cfg.min_gap_km);
	cJSON_AddNumberToObject(o, "min_overlap_km", p->cfg.min_overlap_km);
	cJSON_AddNumberToObject(o, "stale_after_s", p->cfg.stale_after_s);
	cJSON_AddNumberToObject(o, "lost_after_s", p->cfg.lost_after_s);
	cJSON_AddNumberToObject(o, "across_tolerance_km",
	    p->cfg.across_tol_km < 0 ? map->accuracy_km :
	    p->cfg.across_tol_km);
	cJSON_AddItemToObject(root, "summary", report_json_summary(p));
	cJSON_AddItemToObject(root, "units", report_json_units(p, keys));
	cJSON_AddItemToObject(root, "sectors", report_json_sectors(p));
	cJSON_AddItemToObject(root, "gaps", report_json_gaps(p, keys));
	cJSON_AddItemToObject(root, "overlaps", report_json_overlaps(p));
	arr = cJSON_AddArrayToObject(root, "rejected");
	for (i = 0; i < m->nrejected; i++) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "index",
		    (double)m->rejected[i].index);
		cJSON_AddStringToObject(o, "id", m->rejected[i].id);
		cJSON_AddStringToObject(o, "reason", m->rejected[i].reason);
		cJSON_AddItemToArray(arr, o);
	}

	if (m->requests != NULL)
		cJSON_AddItemToObject(root, "requests",
		    report_json_requests(p, m));
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return (BC_IO);
	fputs(text, f);
	fputc('\n', f);
	cJSON_free(text);
	fflush(f);
	return (ferror(f) ? BC_IO : BC_OK);
}
