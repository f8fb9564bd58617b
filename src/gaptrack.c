/*
 * gaptrack.c: gap identity across pictures, and the events of what
 * changed (gaps, units, link).  See gaptrack.h for the rules.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaptrack.h"
#include "text.h"
#include "xmalloc.h"

void
gaptrack_init(struct gaptrack *gt)
{
	memset(gt, 0, sizeof *gt);
	gt->next_id = 1;
	gt->link = LINK_WAIT;
	gt->alert_km = GAPTRACK_ALERT_KM;
}

void
gaptrack_done(struct gaptrack *gt)
{
	free(gt->gaps);
	free(gt->units);
	memset(gt, 0, sizeof *gt);
}

static double
gaptrack_overlap(double a0, double b0, double a1, double b1)
{
	double	a = a0 > a1 ? a0 : a1, b = b0 < b1 ? b0 : b1;

	return (b - a);
}

/* A duration in words for event texts: "45 s", "12 min", "3 h 05 min"
   (an unknown one as "0 s"). */
static void
gaptrack_duration(double s, char *buf, size_t len)
{
	text_dur(isfinite(s) ? floor(s) : 0, buf, len);
}

static const char *
gaptrack_sector_code(const struct picture *pic, int side, int idx)
{
	const struct border_map	*map = pic->map;

	if (map == NULL || side < 0 || side >= NSIDES || idx < 0 ||
	    (size_t)idx >= map->nsectors[side])
		return ("?");
	return (map->sectors[side][idx].code);
}

static const char *
gaptrack_side_code(const struct picture *pic, int side)
{
	if (pic->map == NULL || side < 0 || side >= NSIDES)
		return (side == SIDE_LEFT ? "L" : side == SIDE_RIGHT ? "R" :
		    "?");
	return (pic->map->sides[side].code);
}

/* "#12 1423.4–1431.0 km (7.6 km) BBT/CH" and ", 12 km SE of Roma" (or
   ", at Boca Chica") when known: the id as every view and report shows
   it. */
static void
gaptrack_gap_phrase(const struct picture *pic, const struct gap *g,
    char *buf, size_t len)
{
	snprintf(buf, len, "#%u %.1f\xe2\x80\x93%.1f km (%.1f km) %s/%s%s%s",
	    g->id, g->a, g->b, g->b - g->a,
	    gaptrack_sector_code(pic, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    gaptrack_sector_code(pic, SIDE_RIGHT, g->sector[SIDE_RIGHT]),
	    g->near[0] != '\0' ? ", " : "", g->near);
}

static struct event *
gaptrack_gap_event(struct event_log *log, const struct picture *pic,
    enum event_type type, const struct gap *g, const char *extra)
{
	struct event	*e;
	char		 phrase[200];

	if (log == NULL)
		return (NULL);
	gaptrack_gap_phrase(pic, g, phrase, sizeof phrase);
	e = events_add(log, pic->now, type, "%s %s%s",
	    event_type_texts[type], phrase, extra);
	e->km = (g->a + g->b) / 2;
	e->gap_id = g->id;
	return (e);
}

/* Append to a string in a buffer, cut if it is full. */
static void __attribute__((format(printf, 3, 4)))
gaptrack_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t	o = strlen(buf);
	va_list	ap;

	if (o + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
}

/* Whether gap x is older than gap y: open at the start first, then by
   opening time, then by id. */
static int
gaptrack_older(const struct gaptrack_gap *x, const struct gaptrack_gap *y)
{
	if (x->open_before != y->open_before)
		return (x->open_before);
	if (x->open_since != y->open_since)
		return (x->open_since < y->open_since);
	return (x->id < y->id);
}

static void
gaptrack_close_event(struct event_log *log, const struct picture *pic,
    const struct gaptrack_gap *pg)
{
	struct gap	closed;
	char		extra[64], dur[32];

	memset(&closed, 0, sizeof closed);
	closed.a = pg->a;
	closed.b = pg->b;
	closed.id = pg->id;
	memcpy(closed.sector, pg->sector, sizeof closed.sector);
	memcpy(closed.near, pg->near, sizeof closed.near);
	gaptrack_duration(pic->now - pg->open_since, dur, sizeof dur);
	snprintf(extra, sizeof extra, " after %s%s", pg->open_before ?
	    "\xe2\x89\xa5 " : "", dur);
	gaptrack_gap_event(log, pic, EVENT_GAP_CLOSE, &closed, extra);
}

/* What was last said of a gap: its extent then, and when. */
static void
gaptrack_reported(struct gaptrack_gap *r, const struct gap *g, double now)
{
	r->rep_a = g->a;
	r->rep_b = g->b;
	r->rep_at = now;
}

/*
 * Gap identity, by the rules of bordercop(1) GAP IDENTITY:
 *  - each previous gap hands its identity to the current gap it overlaps
 *    most (its heir; the western one on a tie);
 *  - a current gap that is heir to one gap keeps its id (it grew, shrank
 *    or moved); heir to several (a merge), it keeps the oldest one's id
 *    (opened first; one open at the start counts as oldest; then the
 *    lower id), and the others end in its GAP_CHANGE event, not closed;
 *  - a current gap that overlaps previous gaps but is heir to none (a
 *    piece split off) gets a new id and the opened_at of the oldest gap
 *    it overlaps: it is not new border;
 *  - one that overlaps none is new (GAP_OPEN, opened_at = now); a
 *    previous gap that overlaps none closed (GAP_CLOSE).
 * A gap is "exposed" (the event says so, and alerts) when it is new and
 * at least alert_km long, or when it reaches alert_km while none of the
 * gaps it came from had: border that was covered is uncovered now.
 */
static void
gaptrack_gaps(struct gaptrack *gt, struct picture *pic,
    struct event_log *log, int quiet)
{
	struct gaptrack_gap	*prev = gt->gaps, *next;
	size_t			 np = gt->ngaps, nc = pic->ngaps, i, j;
	size_t			*heir;		/* per prev: cur + 1, or 0 */
	size_t			*keep;		/* per cur: prev + 1, or 0 */
	size_t			 nmerged;
	struct gap		*g;
	struct event		*e;
	double			 ov, *bestov;
	int			 crossing;
	size_t			 oldest;
	double			 alert = gt->alert_km;
	int			*big;		/* per cur: reached alert */
	struct gaptrack_gap	*rep;		/* per cur: last reported */
	char			 extra[160];

	heir = xcalloc(np + 1, sizeof *heir);
	keep = xcalloc(nc + 1, sizeof *keep);
	bestov = xcalloc(np + 1, sizeof *bestov);
	big = xcalloc(nc + 1, sizeof *big);
	rep = xcalloc(nc + 1, sizeof *rep);
	/* Both lists are sorted and disjoint: a sweep finds the pairs. */
	for (j = 0, i = 0; j < np; j++) {
		while (i > 0 && pic->gaps[i - 1].b > prev[j].a)
			i--;
		for (; i < nc && pic->gaps[i].a < prev[j].b; i++) {
			ov = gaptrack_overlap(pic->gaps[i].a, pic->gaps[i].b,
			    prev[j].a, prev[j].b);
			if (ov > bestov[j]) {
				bestov[j] = ov;
				heir[j] = i + 1;
			}
		}
	}
	for (j = 0; j < np; j++) {
		if (heir[j] == 0)
			continue;
		i = heir[j] - 1;
		if (keep[i] == 0 || gaptrack_older(&prev[j],
		    &prev[keep[i] - 1]))
			keep[i] = j + 1;
	}

	for (i = 0; i < nc; i++) {
		g = &pic->gaps[i];
		extra[0] = '\0';
		if (keep[i] != 0) {
			/* Grew, shrank, moved, or merged. */
			j = keep[i] - 1;
			g->id = prev[j].id;
			g->open_since = prev[j].open_since;
			g->open_before = prev[j].open_before;
			big[i] = prev[j].big;
			rep[i] = prev[j];
			nmerged = 0;
			for (size_t k = 0; k < np; k++) {
				if (heir[k] != i + 1 || k == j)
					continue;
				big[i] |= prev[k].big;
				if (nmerged < 4)
					gaptrack_append(extra, sizeof extra,
					    "%s#%u", nmerged == 0 ?
					    " (merged with " : ", ",
					    prev[k].id);
				else if (nmerged == 4)
					gaptrack_append(extra, sizeof extra,
					    ", ...");
				nmerged++;
			}
			if (nmerged > 0)
				gaptrack_append(extra, sizeof extra, ")");
			if (quiet) {
				big[i] |= g->b - g->a >= alert;
				gaptrack_reported(&rep[i], g, pic->now);
				continue;
			}
			/* Compared with what was last said of it, so that
			   small steps add up. */
			if (nmerged == 0 && fabs(g->a - rep[i].rep_a) <=
			    GAPTRACK_CHANGE_KM && fabs(g->b - rep[i].rep_b) <=
			    GAPTRACK_CHANGE_KM)
				continue;
			crossing = !big[i] && g->b - g->a >= alert;
			/* Coalesced: at most one change a minute for a gap,
			   unless it merged or crossed the alert length. */
			if (nmerged == 0 && !crossing &&
			    pic->now - rep[i].rep_at < GAPTRACK_COALESCE_S)
				continue;
			gaptrack_append(extra, sizeof extra, ", was %.1f km",
			    rep[i].rep_b - rep[i].rep_a);
			e = gaptrack_gap_event(log, pic, EVENT_GAP_CHANGE, g,
			    extra);
			gaptrack_reported(&rep[i], g, pic->now);
			if (crossing) {
				big[i] = 1;
				if (e != NULL)
					e->exposed = 1;
			}
			continue;
		}
		/* A piece split off: the oldest gap it overlaps. */
		g->id = gt->next_id++;
		oldest = np;
		for (j = 0; j < np; j++) {
			if (gaptrack_overlap(g->a, g->b, prev[j].a,
			    prev[j].b) <= 0)
				continue;
			if (oldest == np || gaptrack_older(&prev[j],
			    &prev[oldest]))
				oldest = j;
		}
		if (oldest < np) {
			g->open_since = prev[oldest].open_since;
			g->open_before = prev[oldest].open_before;
			big[i] = prev[oldest].big;
			gaptrack_reported(&rep[i], g, pic->now);
			snprintf(extra, sizeof extra, " (split from #%u)",
			    prev[oldest].id);
			if (!quiet)
				gaptrack_gap_event(log, pic, EVENT_GAP_CHANGE,
				    g, extra);
			continue;
		}
		/* New border uncovered; at the start, open since before. */
		g->open_since = pic->now;
		gaptrack_reported(&rep[i], g, pic->now);
		if (quiet) {
			g->open_before = 1;
			big[i] = g->b - g->a >= alert;
			continue;
		}
		e = gaptrack_gap_event(log, pic, EVENT_GAP_OPEN, g, "");
		if (g->b - g->a >= alert) {
			big[i] = 1;
			if (e != NULL)
				e->exposed = 1;
		}
	}
	for (j = 0; j < np; j++)
		if (heir[j] == 0 && !quiet)
			gaptrack_close_event(log, pic, &prev[j]);

	next = nc > 0 ? xreallocarray(NULL, nc, sizeof *next) : NULL;
	for (i = 0; i < nc; i++) {
		next[i].id = pic->gaps[i].id;
		next[i].a = pic->gaps[i].a;
		next[i].b = pic->gaps[i].b;
		next[i].open_since = pic->gaps[i].open_since;
		next[i].open_before = pic->gaps[i].open_before;
		next[i].big = big[i];
		next[i].rep_a = rep[i].rep_a;
		next[i].rep_b = rep[i].rep_b;
		next[i].rep_at = rep[i].rep_at;
		memcpy(next[i].sector, pic->gaps[i].sector,
		    sizeof next[i].sector);
		memcpy(next[i].near, pic->gaps[i].near, sizeof next[i].near);
	}
	free(gt->gaps);
	gt->gaps = next;
	gt->ngaps = nc;
	free(heir);
	free(keep);
	free(bestov);
	free(big);
	free(rep);
}

static int
gaptrack_unit_cmp(const void *va, const void *vb)
{
	const struct gaptrack_unit	*a = va, *b = vb;

	return (strcmp(a->id, b->id));
}

static struct event *
gaptrack_unit_event(struct event_log *log, const struct picture *pic,
    enum event_type type, const struct pic_unit *u)
{
	struct event	*e;
	char		 dur[32];
	int		 side = u->r.side;

	gaptrack_duration(u->age_s, dur, sizeof dur);
	if (type == EVENT_ACROSS)
		e = events_add(log, pic->now, type,
		    "%s: %s %s at %.1f km, %.2f km into %s",
		    event_type_texts[type], u->r.callsign,
		    gaptrack_side_code(pic, side), u->pl.s_km,
		    fabs(u->pl.d_km), gaptrack_side_code(pic,
		    side == SIDE_LEFT ? SIDE_RIGHT : SIDE_LEFT));
	else
		e = events_add(log, pic->now, type,
		    "%s: %s %s %s at %.1f km, last report %s ago",
		    event_type_texts[type], u->r.callsign,
		    gaptrack_side_code(pic, side),
		    gaptrack_sector_code(pic, side,
		    side >= 0 && side < NSIDES ? u->sector[side] : -1),
		    u->pl.s_km, dur);
	e->side = side;
	e->km = u->pl.s_km;
	snprintf(e->unit_id, sizeof e->unit_id, "%s", u->r.id);
	return (e);
}

static void
gaptrack_units(struct gaptrack *gt, struct picture *pic,
    struct event_log *log, int quiet)
{
	const struct pic_units	*t = pic->units;
	struct gaptrack_unit	*next, key, *old;
	const struct pic_unit	*u;
	enum unit_state		 was;
	size_t			 i, n = t != NULL ? t->n : 0;

	next = n > 0 ? xreallocarray(NULL, n, sizeof *next) : NULL;
	for (i = 0; i < n; i++) {
		u = &t->v[i];
		snprintf(next[i].id, sizeof next[i].id, "%s", u->r.id);
		next[i].state = u->state;
		next[i].across = u->across;
		if (quiet || log == NULL)
			continue;

		memcpy(key.id, next[i].id, sizeof key.id);
		old = gt->nunits > 0 ? bsearch(&key, gt->units, gt->nunits,
		    sizeof *gt->units, gaptrack_unit_cmp) : NULL;
		if (old == NULL) {
			if (u->across)
				gaptrack_unit_event(log, pic, EVENT_ACROSS, u);
			continue;
		}
		was = old->state;
		if (was == STATE_FRESH && u->state == STATE_STALE)
			gaptrack_unit_event(log, pic, EVENT_UNIT_STALE, u);
		else if ((was == STATE_FRESH || was == STATE_STALE) &&
		    u->state == STATE_LOST)
			gaptrack_unit_event(log, pic, EVENT_UNIT_LOST, u);
		else if ((was == STATE_STALE || was == STATE_LOST) &&
		    u->state == STATE_FRESH)
			gaptrack_unit_event(log, pic, EVENT_UNIT_BACK, u);
		if (u->across && !old->across)
			gaptrack_unit_event(log, pic, EVENT_ACROSS, u);
	}
	if (n > 1)
		qsort(next, n, sizeof *next, gaptrack_unit_cmp);
	free(gt->units);
	gt->units = next;
	gt->nunits = n;
}

void
gaptrack_update(struct gaptrack *gt, struct picture *pic,
    struct event_log *log)
{
	int	quiet = !gt->primed;

	gaptrack_gaps(gt, pic, log, quiet);
	gaptrack_units(gt, pic, log, quiet);
	gt->primed = 1;
}

void
gaptrack_link(struct gaptrack *gt, const struct link_status *ls,
    double now, struct event_log *log)
{
	enum link_state	 was = gt->link;
	char		 dur[32];

	gt->link = ls->state;
	if (was == ls->state)
		return;
	if (ls->state == LINK_DOWN) {
		gt->down_since = now;
		if (log != NULL)
			events_add(log, now, EVENT_LINK_DOWN, "%s: %s: %s",
			    event_type_texts[EVENT_LINK_DOWN], ls->source,
			    ls->error[0] != '\0' ? ls->error : "no answer");
	} else if (was == LINK_DOWN &&
	    (ls->state == LINK_OK || ls->state == LINK_SLOW)) {
		gaptrack_duration(now - gt->down_since, dur, sizeof dur);
		if (log != NULL)
			events_add(log, now, EVENT_LINK_UP,
			    "%s: %s after %s down",
			    event_type_texts[EVENT_LINK_UP], ls->source, dur);
	}
}
