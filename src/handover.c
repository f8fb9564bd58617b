/*
 * handover.c: the shift-handover report (see handover.h).
 *
 * The JSON is printed with cJSON, as the coverage report is; the text
 * keeps within 80 columns: names are cut, lists are capped and each says
 * how many it left out.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cop.h"
#include "coverage.h"
#include "events.h"
#include "gaptrack.h"
#include "handover.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define HANDOVER_EPS_KM		1e-9
#define HANDOVER_LOG		4096	/* events of one picture, at most */

static const char *const handover_item_keys[HITEM_COUNT] = {
#define X(id, key) key,
	HANDOVER_ITEMS(X)
#undef X
};

void
handover_init(struct handover *h)
{
	memset(h, 0, sizeof *h);
}

void
handover_done(struct handover *h)
{
	int	s;

	for (s = 0; s < NSIDES; s++) {
		free(h->own_s[s]);
		free(h->joint_s[s]);
	}
	free(h->gaps);
	free(h->open);
	free(h->outages);
	free(h->alerts);
	free(h->units);
	free(h->timeline);
	free(h->reqs);
	memset(h, 0, sizeof *h);
}

static void *
handover_grow(void *v, size_t n, size_t size)
{
	/* Capacity doubles at powers of two: n is the count held. */
	if (n == 0 || (n & (n - 1)) == 0)
		v = xreallocarray(v, n == 0 ? 1 : 2 * n, size);
	return (v);
}

static void
handover_hm(double t, char *buf, size_t len)
{
	time_t		s = (time_t)floor(t);
	struct tm	tm;

	if (!isfinite(t) || gmtime_r(&s, &tm) == NULL)
		snprintf(buf, len, "--:--:--");
	else
		strftime(buf, len, "%H:%M:%S", &tm);
}

static void
handover_note(struct handover *h, double t, enum handover_item kind,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
handover_note(struct handover *h, double t, enum handover_item kind,
    const char *fmt, ...)
{
	struct handover_event	*e;
	va_list			 ap;
	char			 raw[400];

	h->timeline = handover_grow(h->timeline, h->ntimeline,
	    sizeof *h->timeline);
	e = &h->timeline[h->ntimeline++];
	e->time = t;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	str_clean(e->text, sizeof e->text, raw, strlen(raw));
}

/* Whether a list of gap stretches meets [a, b] by more than nothing. */
static int
handover_meets(const struct ivlist *l, double a, double b)
{
	return (ivlist_length_in(l, a, b) > HANDOVER_EPS_KM);
}

/* The stretches of the complement of cov on the line, min_gap or more. */
static void
handover_uncovered(const struct ivlist *cov, double len_km, double min_km,
    struct ivlist *out)
{
	struct ivlist	all;
	size_t		i;

	ivlist_init(&all);
	ivlist_complement(cov, 0, len_km, &all);
	out->n = 0;
	for (i = 0; i < all.n; i++)
		if (all.v[i].b - all.v[i].a >= min_km - HANDOVER_EPS_KM)
			ivlist_add(out, all.v[i].a, all.v[i].b);
	ivlist_done(&all);
}

/* Add dt s to each sector that the picture leaves uncovered. */
static void
handover_sectors(struct handover *h, const struct picture *pic, double dt)
{
	const struct border_map	*map = h->cfg.map;
	const struct sector	*sec;
	struct ivlist		 both, gaps;
	size_t			 k, i;
	int			 s;

	ivlist_init(&both);
	ivlist_init(&gaps);
	for (s = 0; s < NSIDES; s++)
		for (i = 0; i < pic->cov[s].n; i++)
			ivlist_add(&both, pic->cov[s].v[i].a,
			    pic->cov[s].v[i].b);
	ivlist_normalize(&both, 0);
	handover_uncovered(&both, map->length_km, pic->cfg.min_gap_km, &gaps);
	for (s = 0; s < NSIDES; s++)
		for (k = 0; k < map->nsectors[s]; k++) {
			sec = &map->sectors[s][k];
			if (handover_meets(&gaps, sec->start_km, sec->end_km))
				h->joint_s[s][k] += dt;
		}
	for (s = 0; s < NSIDES; s++) {
		handover_uncovered(&pic->cov[s], map->length_km,
		    pic->cfg.min_gap_km, &gaps);
		for (k = 0; k < map->nsectors[s]; k++) {
			sec = &map->sectors[s][k];
			if (handover_meets(&gaps, sec->start_km, sec->end_km))
				h->own_s[s][k] += dt;
		}
	}
	ivlist_done(&both);
	ivlist_done(&gaps);
}

static struct handover_gap *
handover_gap_find(struct handover *h, unsigned id)
{
	size_t	i;

	for (i = 0; i < h->ngaps; i++)
		if (h->gaps[i].id == id)
			return (&h->gaps[i]);
	return (NULL);
}

/* Follow the picture's gaps over (a, b]; first: the replay's first. */
static void
handover_gaps(struct handover *h, const struct picture *pic, double a,
    double b, int first)
{
	struct handover_gap	*g;
	const struct gap	*pg;
	int			 inwin = b > h->cfg.from;
	size_t			 i;

	for (i = 0; i < h->ngaps; i++)
		h->gaps[i].seen = 0;
	for (i = 0; i < pic->ngaps; i++) {
		pg = &pic->gaps[i];
		if ((g = handover_gap_find(h, pg->id)) == NULL) {
			h->gaps = handover_grow(h->gaps, h->ngaps,
			    sizeof *h->gaps);
			g = &h->gaps[h->ngaps++];
			memset(g, 0, sizeof *g);
			g->id = pg->id;
			g->opened = first ? NAN : a;
			g->closed = NAN;
			if (!first && a >= h->cfg.from &&
			    pg->b - pg->a >= h->cfg.alert_gap_km)
				handover_note(h, a, HITEM_GAP_OPEN,
				    "gap #%u opened, %.1f km, %s", pg->id,
				    pg->b - pg->a, pg->near);
		}
		g->seen = 1;
		g->closed = NAN;
		if (inwin)
			g->open_s += b - fmax(a, h->cfg.from);
		if (pg->b - pg->a >= g->b - g->a) {
			g->a = pg->a;
			g->b = pg->b;
			memcpy(g->sector, pg->sector, sizeof g->sector);
			snprintf(g->near, sizeof g->near, "%s", pg->near);
		}
	}
	for (i = 0; i < h->ngaps; i++) {
		g = &h->gaps[i];
		if (g->seen || isfinite(g->closed))
			continue;
		g->closed = a;
		if (a >= h->cfg.from && g->b - g->a >= h->cfg.alert_gap_km)
			handover_note(h, a, HITEM_GAP_CLOSE, "gap #%u closed, "
			    "%s", g->id, g->near);
	}
}

/* Units that went stale or lost, from the tracker's new events. */
static void
handover_units(struct handover *h, const struct event_log *log,
    unsigned long before, double a)
{
	const struct event	*e;
	struct handover_unit	*u;
	unsigned long		 n = log->total - before, i;
	size_t			 k;

	if (n > log->n)
		n = log->n;
	for (i = 0; i < n; i++) {
		e = events_get(log, (size_t)i);
		if (e->type != EVENT_UNIT_STALE && e->type != EVENT_UNIT_LOST)
			continue;
		/* Each unit once: when it first went stale, and whether it
		   was lost in the end. */
		for (k = 0; k < h->nunits; k++)
			if (strcmp(h->units[k].id, e->unit_id) == 0)
				break;
		if (k < h->nunits) {
			u = &h->units[k];
			if (u->lost || e->type != EVENT_UNIT_LOST)
				continue;
			u->lost = 1;
			h->nstale--;
			h->nlost++;
			handover_note(h, a, HITEM_UNIT_LOST, "unit %s lost",
			    e->unit_id);
			continue;
		}
		h->units = handover_grow(h->units, h->nunits,
		    sizeof *h->units);
		u = &h->units[h->nunits++];
		u->time = a;
		snprintf(u->id, sizeof u->id, "%s", e->unit_id);
		u->lost = e->type == EVENT_UNIT_LOST;
		if (u->lost) {
			h->nlost++;
			handover_note(h, a, HITEM_UNIT_LOST, "unit %s lost",
			    e->unit_id);
		} else
			h->nstale++;
	}
}

/* The next time after t at which a unit of the table changes state. */
static double
handover_next_change(const struct unit_table *t,
    const struct picture_config *cfg, double after)
{
	const struct report	*r;
	double			 next = INFINITY, c[3];
	size_t			 i;
	int			 k;

	for (i = 0; i < t->n; i++) {
		r = &t->v[i].r;
		c[0] = isnan(r->stale_at) ? r->time + cfg->stale_after_s :
		    r->stale_at;
		c[1] = r->time + cfg->lost_after_s;
		c[2] = r->time;		/* a report dated ahead: age 0 */
		for (k = 0; k < 3; k++)
			if (c[k] > after && c[k] < next)
				next = c[k];
	}
	return (next);
}

static void
handover_alert_rec(struct handover *h, const struct journal_rec *rec)
{
	struct journal_alert_rec	 a;
	struct handover_alert		*ha;
	char				 t[16];
	size_t				 i;

	if (journal_decode_alert(rec, &a) != BC_OK)
		return;
	if (rec->type == JOURNAL_ALERT) {
		h->alerts = handover_grow(h->alerts, h->nalerts,
		    sizeof *h->alerts);
		ha = &h->alerts[h->nalerts++];
		ha->id = a.id;
		ha->time = rec->time;
		ha->acked = NAN;
		snprintf(ha->text, sizeof ha->text, "%s", a.text);
		handover_note(h, rec->time, HITEM_ALERT, "alert %u: %s", a.id,
		    a.text);
		return;
	}
	for (i = h->nalerts; i > 0; i--) {
		ha = &h->alerts[i - 1];
		if (ha->id == a.id && isnan(ha->acked)) {
			ha->acked = rec->time;
			h->nacked++;
			handover_hm(ha->time, t, sizeof t);
			handover_note(h, rec->time, HITEM_ACK,
			    "alert %u of %s acknowledged", a.id, t);
			return;
		}
	}
	handover_note(h, rec->time, HITEM_ACK, "alert %u acknowledged", a.id);
}

static void
handover_link_rec(struct handover *h, const struct journal_rec *rec,
    int *down)
{
	struct journal_link_rec	 l;
	struct handover_outage	*o;
	int			 inwin = rec->time >= h->cfg.from;

	if (journal_decode_link(rec, &l) != BC_OK)
		return;
	if (l.state == LINK_DOWN && !*down) {
		*down = 1;
		h->outages = handover_grow(h->outages, h->noutages,
		    sizeof *h->outages);
		o = &h->outages[h->noutages++];
		o->from = rec->time;
		o->to = NAN;
		snprintf(o->error, sizeof o->error, "%s", l.error);
		if (inwin)
			handover_note(h, rec->time, HITEM_LINK_DOWN,
			    "link down: %s", l.error[0] != '\0' ? l.error :
			    "no answer");
	} else if (l.state != LINK_DOWN && *down) {
		*down = 0;
		h->outages[h->noutages - 1].to = rec->time;
		if (inwin)
			handover_note(h, rec->time, HITEM_LINK_UP, "link up");
	}
}

/* Drop what lies wholly outside the window: outages, alerts. */
static void
handover_clip(struct handover *h)
{
	size_t	i, n;

	for (i = n = 0; i < h->noutages; i++) {
		if (h->outages[i].from >= h->cfg.to ||
		    (isfinite(h->outages[i].to) &&
		    h->outages[i].to <= h->cfg.from))
			continue;
		h->outages[n++] = h->outages[i];
	}
	h->noutages = n;
	for (i = n = 0; i < h->nalerts; i++)
		if (h->alerts[i].time >= h->cfg.from &&
		    h->alerts[i].time < h->cfg.to)
			h->alerts[n++] = h->alerts[i];
	h->nalerts = n;
	for (i = h->nacked = 0; i < h->nalerts; i++)
		if (isfinite(h->alerts[i].acked) &&
		    h->alerts[i].acked < h->cfg.to)
			h->nacked++;
	for (i = n = 0; i < h->ngaps; i++)
		if (h->gaps[i].open_s > 0)
			h->gaps[n++] = h->gaps[i];
	h->ngaps = n;
	for (i = n = 0; i < h->ntimeline; i++)
		if (h->timeline[i].time >= h->cfg.from &&
		    h->timeline[i].time < h->cfg.to)
			h->timeline[n++] = h->timeline[i];
	h->ntimeline = n;
}

static int
handover_cmp_gap(const void *x, const void *y)
{
	const struct handover_gap	*a = x, *b = y;

	if (a->open_s != b->open_s)
		return (a->open_s < b->open_s ? 1 : -1);
	return (a->id < b->id ? -1 : a->id > b->id);
}

static int
handover_cmp_event(const void *x, const void *y)
{
	const struct handover_event	*a = x, *b = y;

	return (a->time < b->time ? -1 : a->time > b->time);
}

/* ------------------------------------------------------------------ */
/* Requests. */

const char *
handover_req_state_name(int st)
{
	if (st == HREQ_QUEUED)
		return ("queued");
	if (st == HREQ_REFUSED)
		return ("refused");
	if (st >= 0 && st < REQ_STATE_COUNT)
		return (req_state_names[st]);
	return ("?");
}

static int
handover_req_state(const struct journal_req_rec *q)
{
	if (q->local == JREQ_QUEUED || q->local == JREQ_ANSWER)
		return (HREQ_QUEUED);
	if (q->local == JREQ_REFUSED)
		return (HREQ_REFUSED);
	return ((int)q->state);
}

/* Open: waits for someone (queued counts; refused does not). */
static int
handover_req_open(int st)
{
	if (st == HREQ_QUEUED)
		return (1);
	if (st == HREQ_REFUSED)
		return (0);
	return (req_state_open((enum req_state)st));
}

static const char *
handover_side(const struct handover *h, int side)
{
	return (side >= 0 && side < NSIDES ? h->cfg.map->sides[side].code :
	    "?");
}

/* When it was asked: the server's stamp, else when first recorded. */
static double
handover_req_asked(const struct handover_req *r)
{
	return (isfinite(r->q.created) ? r->q.created : r->first);
}

/* The answer's state and time (accepted, declined, countered), or -1. */
static int
handover_req_answer(const struct journal_req_rec *q, double *t)
{
	static const enum req_state	 answers[] = { RS_ACCEPTED,
					    RS_DECLINED, RS_COUNTERED };
	size_t				 k;
	int				 best = -1;

	*t = NAN;
	for (k = 0; k < sizeof answers / sizeof answers[0]; k++)
		if (isfinite(q->stamps[answers[k]].t) && (best == -1 ||
		    q->stamps[answers[k]].t < *t)) {
			best = (int)answers[k];
			*t = q->stamps[answers[k]].t;
		}
	return (best);
}

static int
handover_cmp_req(const void *x, const void *y)
{
	const struct handover_req	*a = x, *b = y;
	int				 oa, ob;
	double				 ta, tb;

	oa = handover_req_open(a->state);
	ob = handover_req_open(b->state);
	if (oa != ob)
		return (ob - oa);
	ta = handover_req_asked(a);
	tb = handover_req_asked(b);
	if (ta != tb)
		return (ta < tb ? -1 : 1);
	return (strcmp(a->q.id, b->q.id));
}

/*
 * The REQUEST records up to the window's end: each request's last state,
 * kept when it changed in the window or was open as it began; its
 * changes in the window go on the timeline.
 */
static void
handover_requests(struct handover *h, const struct journal_reader *rd)
{
	const struct journal_rec	*rec;
	struct journal_req_rec		 q;
	struct handover_req		*r;
	size_t				 i, k, n;
	int				 st, prev, ans;

	for (i = 0; i < rd->n; i++) {
		rec = &rd->v[i];
		if (rec->type != JOURNAL_REQUEST || rec->time >= h->cfg.to ||
		    journal_decode_request(rec, &q) != BC_OK)
			continue;
		for (k = 0; k < h->nreqs; k++)
			if (strcmp(h->reqs[k].q.id, q.id) == 0)
				break;
		if (k == h->nreqs) {
			h->reqs = handover_grow(h->reqs, h->nreqs,
			    sizeof *h->reqs);
			r = &h->reqs[h->nreqs++];
			memset(r, 0, sizeof *r);
			r->first = rec->time;
			prev = -1;
		} else {
			r = &h->reqs[k];
			prev = r->state;
		}
		st = handover_req_state(&q);
		r->q = q;
		r->state = st;
		if (rec->time < h->cfg.from) {
			r->open_at_start = handover_req_open(st);
			continue;
		}
		r->in_window = 1;
		/* An answer of ours on its way is told when the server
		   takes it. */
		if (st == prev || q.local == JREQ_ANSWER)
			continue;
		ans = st >= 0 && st < REQ_STATE_COUNT &&
		    isfinite(q.stamps[st].t) ? q.stamps[st].side : -2;
		/* The stretch is in the list: the line names the rest. */
		handover_note(h, rec->time, HITEM_REQUEST, "request %s %s>%s "
		    "%s%s%s: %s%s%s%s%s", q.id,
		    handover_side(h, q.sender), handover_side(h, q.addressee),
		    req_kind_names[q.kind],
		    q.sector[0] != '\0' ? " " : "", q.sector,
		    handover_req_state_name(st), ans >= -1 ? " by " : "",
		    ans >= -1 ? (ans == -1 ? "server" : handover_side(h,
		    ans)) : "", q.reason[0] != '\0' ? " - " : "", q.reason);
	}
	for (i = n = 0; i < h->nreqs; i++) {
		r = &h->reqs[i];
		if (!r->in_window && !r->open_at_start)
			continue;
		h->reqs[n++] = *r;
		h->req_by[r->state][r->q.dir]++;
		h->req_dir[r->q.dir]++;
		if (handover_req_open(r->state))
			h->req_open++;
		if (r->q.flags & JREQ_ESCALATED)
			h->req_escalated++;
	}
	h->nreqs = n;
	if (n > 1)
		qsort(h->reqs, n, sizeof *h->reqs, handover_cmp_req);
}

enum bc_status
handover_build(const struct journal_reader *rd,
    const struct handover_config *cfg, struct handover *h, char *why,
    size_t whylen)
{
	const struct border_map	*map = cfg->map;
	struct journal_decoder	 dec;
	struct cop_config	 cc;
	struct cop		 cop;
	const struct journal_rec *rec;
	unsigned long		 before;
	double			 t, tend, tn, a, b, m, last, dt;
	size_t			 i, i0;
	int			 s, have = 0, down = 0, ended = 0, first = 1;
	int			 known = 0, built = 0;

	handover_init(h);
	h->cfg = *cfg;
	for (s = 0; s < NSIDES; s++) {
		h->own_s[s] = xcalloc(map->nsectors[s] + 1, sizeof(double));
		h->joint_s[s] = xcalloc(map->nsectors[s] + 1, sizeof(double));
	}
	if (!(cfg->to > cfg->from)) {
		bc_why(why, whylen, "handover: the window ends before it "
		    "starts");
		return (BC_USAGE);
	}
	i0 = journal_key_before(rd, cfg->from);
	if (i0 == rd->n)
		for (i0 = 0; i0 < rd->n; i0++)
			if (rd->v[i0].type == JOURNAL_KEY)
				break;
	if (i0 == rd->n || rd->v[i0].time >= cfg->to) {
		bc_why(why, whylen, "handover: the journal has no picture "
		    "in that window");
		return (BC_FORMAT);
	}
	/* Link and alert records before the keyframe still count. */
	for (i = 0; i < i0; i++) {
		if (rd->v[i].type == JOURNAL_LINK)
			handover_link_rec(h, &rd->v[i], &down);
		else if (rd->v[i].type == JOURNAL_ALERT ||
		    rd->v[i].type == JOURNAL_ACK)
			handover_alert_rec(h, &rd->v[i]);
	}
	last = rd->v[rd->n - 1].time;

	/* The engine, fed the journal's tables: the same picture and gap
	   tracking as the live program. */
	journal_decoder_init(&dec);
	cop_config_defaults(&cc);
	cc.map = map;
	cc.pcfg = cfg->pcfg;
	cc.events = HANDOVER_LOG;
	cop_init(&cop, &cc, NULL);

	/* Time before the first keyframe of the window is unknown. */
	if (rd->v[i0].time > cfg->from)
		h->unknown_s += fmin(rd->v[i0].time, cfg->to) - cfg->from;
	t = rd->v[i0].time;
	i = i0;
	for (;;) {
		for (; i < rd->n && rd->v[i].time <= t; i++) {
			rec = &rd->v[i];
			switch (rec->type) {
			case JOURNAL_KEY:
			case JOURNAL_DELTA:
				if (journal_apply(&dec, rec, &cop.units, why,
				    whylen) == BC_OK)
					have = 1;
				ended = 0;
				break;
			case JOURNAL_SESSION:
			case JOURNAL_END:
				/* Until the session's keyframe: unknown. */
				ended = 1;
				dec.keyed = 0;
				break;
			case JOURNAL_LINK:
				handover_link_rec(h, rec, &down);
				break;
			case JOURNAL_ALERT:
			case JOURNAL_ACK:
				handover_alert_rec(h, rec);
				break;
			default:
				break;
			}
		}
		known = have && !down && !ended && dec.keyed;
		if (i < rd->n)
			tend = rd->v[i].time;
		else if (known)
			/* The journal stops: known for stale_after more. */
			tend = fmax(t, last + cfg->pcfg.stale_after_s);
		else
			tend = cfg->to;
		tend = fmin(tend, cfg->to);
		while (t < tend) {
			tn = tend;
			if (known)
				tn = fmin(tn, handover_next_change(&cop.units,
				    &cfg->pcfg, t));
			a = t;
			b = tn;
			t = tn;
			dt = b - fmax(a, cfg->from);
			if (!known) {
				if (dt > 0)
					h->unknown_s += dt;
				continue;
			}
			m = a + (b - a) / 2;
			before = cop.log.total;
			cop_rebuild(&cop, m);
			handover_gaps(h, &cop.pic, a, b, first);
			if (a >= cfg->from)
				handover_units(h, &cop.log, before, a);
			first = 0;
			built = 1;
			if (dt > 0) {
				h->known_s += dt;
				handover_sectors(h, &cop.pic, dt);
			}
		}
		if (t >= cfg->to)
			break;
		if (i == rd->n) {
			/* Past the journal's end: unknown to the window's. */
			h->unknown_s += cfg->to - fmax(t, cfg->from);
			known = 0;
			break;
		}
	}
	h->end_known = known;

	/* Link outages within the window. */
	for (i = 0; i < h->noutages; i++) {
		a = fmax(h->outages[i].from, cfg->from);
		b = fmin(isfinite(h->outages[i].to) ? h->outages[i].to :
		    cfg->to, cfg->to);
		if (b > a)
			h->outage_s += b - a;
	}
	/* Gaps open at the end: the last picture's, when it is known. */
	if (built) {
		h->open = xcalloc(cop.pic.ngaps + 1, sizeof *h->open);
		for (i = 0; i < cop.pic.ngaps; i++) {
			struct handover_gap *g = handover_gap_find(h,
			    cop.pic.gaps[i].id);

			if (g == NULL)
				continue;
			h->open[h->nopen] = *g;
			h->open[h->nopen].a = cop.pic.gaps[i].a;
			h->open[h->nopen].b = cop.pic.gaps[i].b;
			snprintf(h->open[h->nopen].near,
			    sizeof h->open[h->nopen].near, "%s",
			    cop.pic.gaps[i].near);
			h->nopen++;
		}
	}
	handover_requests(h, rd);
	handover_clip(h);
	qsort(h->gaps, h->ngaps, sizeof *h->gaps, handover_cmp_gap);
	if (h->ntimeline > 1)
		qsort(h->timeline, h->ntimeline, sizeof *h->timeline,
		    handover_cmp_event);

	cop_done(&cop);
	journal_decoder_done(&dec);
	return (BC_OK);
}

/* ------------------------------------------------------------------ */
/* Text. */

/* Print s fitted to width terminal columns (a wide character counts
   two, as in every other sink); pad: fill them. */
static void
handover_cell(FILE *f, const char *s, size_t width, int pad)
{
	char	buf[256];
	int	cols;

	cols = text_fit(s, 1, (int)width, buf, sizeof buf);
	fputs(buf, f);
	for (; pad && cols < (int)width; cols++)
		fputc(' ', f);
}

static void
handover_cut(FILE *f, const char *s, size_t width)
{
	handover_cell(f, s, width, 0);
}

static void
handover_gap_line(FILE *f, const struct handover_gap *g)
{
	char	a[16], b[16], d[32];

	handover_hm(g->opened, a, sizeof a);
	handover_hm(g->closed, b, sizeof b);
	text_dur(g->open_s, d, sizeof d);
	fprintf(f, "  #%-4u %-10s %-8s %-8s %6.1f km  ", g->id, d,
	    isfinite(g->opened) ? a : "earlier", isfinite(g->closed) ? b :
	    "open", g->b - g->a);
	handover_cut(f, g->near, 26);
	fputc('\n', f);
}

static void
handover_more(FILE *f, size_t shown, size_t total)
{
	if (total > shown)
		fprintf(f, "  ... %zu more not shown\n", total - shown);
}

/* HH:MM of t, or "-". */
static void
handover_hhmm(double t, char *buf, size_t len)
{
	char	hms[16];

	if (!isfinite(t)) {
		snprintf(buf, len, "-");
		return;
	}
	handover_hm(t, hms, sizeof hms);
	snprintf(buf, len, "%.5s", hms);
}

/* The requests: counts by state and direction, then a capped list of
   one line each (78 columns). */
static void
handover_req_text(FILE *f, const struct handover *h)
{
	const struct handover_req	*r;
	const struct journal_req_rec	*q;
	char				 buf[64], t1[16], t2[16], t3[16];
	size_t				 i, n;
	int				 st, other, ans;
	double				 at;

	if (h->nreqs == 0) {
		fprintf(f, "\nREQUESTS (none recorded in the window)\n");
		return;
	}
	other = h->req_dir[JREQ_DIR_UNKNOWN] > 0;
	fprintf(f, "\nREQUESTS (%zu: ours %zu, theirs %zu", h->nreqs,
	    h->req_dir[JREQ_OURS], h->req_dir[JREQ_THEIRS]);
	if (other)
		fprintf(f, ", side unknown %zu", h->req_dir[JREQ_DIR_UNKNOWN]);
	fprintf(f, "; open at the end %zu", h->req_open);
	if (h->req_escalated > 0)
		fprintf(f, ", escalated %zu", h->req_escalated);
	fprintf(f, ")\n");
	fprintf(f, "  state at the end   ours  theirs%s\n", other ?
	    "  unknown" : "");
	for (st = 0; st < HREQ_STATES; st++) {
		if (h->req_by[st][JREQ_OURS] + h->req_by[st][JREQ_THEIRS] +
		    h->req_by[st][JREQ_DIR_UNKNOWN] == 0)
			continue;
		fprintf(f, "  %-16s %6zu %7zu", handover_req_state_name(st),
		    h->req_by[st][JREQ_OURS], h->req_by[st][JREQ_THEIRS]);
		if (other)
			fprintf(f, " %8zu", h->req_by[st][JREQ_DIR_UNKNOWN]);
		fputc('\n', f);
	}
	fprintf(f, "  %-15s %-5s %-7s %-13s %-4s %-9s %-5s %-5s %s\n", "id",
	    "who", "kind", "km", "sect", "state", "asked", "answd", "cover");
	n = h->nreqs < HANDOVER_REQS ? h->nreqs : HANDOVER_REQS;
	for (i = 0; i < n; i++) {
		r = &h->reqs[i];
		q = &r->q;
		fputs("  ", f);
		handover_cell(f, q->id, 15, 1);
		fputc(' ', f);
		snprintf(buf, sizeof buf, "%s>%s", handover_side(h, q->sender),
		    handover_side(h, q->addressee));
		handover_cell(f, buf, 5, 1);
		fputc(' ', f);
		handover_cell(f, req_kind_names[q->kind], 7, 1);
		fputc(' ', f);
		snprintf(buf, sizeof buf, "%.1f-%.1f", q->a_km, q->b_km);
		handover_cell(f, buf, 13, 1);
		fputc(' ', f);
		handover_cell(f, q->sector[0] != '\0' ? q->sector : "-", 4, 1);
		fputc(' ', f);
		handover_cell(f, handover_req_state_name(r->state), 9, 1);
		handover_hhmm(handover_req_asked(r), t1, sizeof t1);
		ans = handover_req_answer(q, &at);
		handover_hhmm(ans >= 0 ? at : NAN, t2, sizeof t2);
		handover_hhmm(q->stamps[RS_COVERING].t, t3, sizeof t3);
		fprintf(f, " %-5s %-5s %s\n", t1, t2, t3);
	}
	handover_more(f, n, h->nreqs);
}

enum bc_status
handover_text(FILE *f, const struct handover *h)
{
	const struct border_map	*map = h->cfg.map;
	const struct sector	*sec;
	char			 a[32], b[32], d[32], d2[32];
	size_t			 i, k, n;
	int			 s;

	time_format_rfc3339(h->cfg.from, a, sizeof a);
	time_format_rfc3339(h->cfg.to, b, sizeof b);
	text_dur(h->cfg.to - h->cfg.from, d, sizeof d);
	fprintf(f, "SHIFT HANDOVER  %s to %s (%s)\n", a, b, d);
	fprintf(f, "journal ");
	handover_cut(f, h->cfg.journal != NULL ? h->cfg.journal : "-", 50);
	fprintf(f, "; gaps of %g km or more\n", h->cfg.pcfg.min_gap_km);
	text_dur(h->known_s, d, sizeof d);
	text_dur(h->unknown_s, d2, sizeof d2);
	fprintf(f, "picture known %s, unknown %s (link down %s)\n", d, d2,
	    (text_dur(h->outage_s, a, sizeof a), a));

	fprintf(f, "\nMINUTES UNCOVERED PER SECTOR     own side    joint\n");
	for (s = 0; s < NSIDES; s++) {
		for (k = 0; k < map->nsectors[s]; k++) {
			sec = &map->sectors[s][k];
			fputs("  ", f);
			handover_cell(f, map->sides[s].code, 3, 1);
			fputc(' ', f);
			handover_cell(f, sec->code, 4, 1);
			fputc(' ', f);
			handover_cell(f, sec->name, 18, 1);
			fprintf(f, "  %9.1f %8.1f\n", h->own_s[s][k] / 60,
			    h->joint_s[s][k] / 60);
		}
	}

	n = h->ngaps < HANDOVER_LONGEST ? h->ngaps : HANDOVER_LONGEST;
	fprintf(f, "\nLONGEST GAPS (%zu of %zu)      opened   closed\n", n,
	    h->ngaps);
	for (i = 0; i < n; i++)
		handover_gap_line(f, &h->gaps[i]);
	fprintf(f, "\nGAPS OPEN AT THE END (%zu)%s\n", h->nopen,
	    h->end_known ? "" : ": the end is unknown; as last known");
	n = h->nopen < HANDOVER_LIST ? h->nopen : HANDOVER_LIST;
	for (i = 0; i < n; i++)
		handover_gap_line(f, &h->open[i]);
	handover_more(f, n, h->nopen);

	fprintf(f, "\nALERTS  raised %zu, acknowledged %zu, open %zu\n",
	    h->nalerts, h->nacked, h->nalerts - h->nacked);
	n = h->nalerts < HANDOVER_LIST ? h->nalerts : HANDOVER_LIST;
	for (i = 0; i < n; i++) {
		handover_hm(h->alerts[i].time, a, sizeof a);
		handover_hm(h->alerts[i].acked, b, sizeof b);
		fprintf(f, "  %s  %-9s ", a, isfinite(h->alerts[i].acked) &&
		    h->alerts[i].acked < h->cfg.to ? b : "open");
		handover_cut(f, h->alerts[i].text, 58);
		fputc('\n', f);
	}
	handover_more(f, n, h->nalerts);

	text_dur(h->outage_s, d, sizeof d);
	fprintf(f, "\nLINK OUTAGES (%zu, %s, counted as unknown)\n",
	    h->noutages, d);
	n = h->noutages < HANDOVER_LIST ? h->noutages : HANDOVER_LIST;
	for (i = 0; i < n; i++) {
		handover_hm(h->outages[i].from, a, sizeof a);
		handover_hm(h->outages[i].to, b, sizeof b);
		text_dur((isfinite(h->outages[i].to) ? h->outages[i].to :
		    h->cfg.to) - h->outages[i].from, d, sizeof d);
		fprintf(f, "  %s-%s %-10s ", a,
		    isfinite(h->outages[i].to) ? b : "end     ", d);
		handover_cut(f, h->outages[i].error, 48);
		fputc('\n', f);
	}
	handover_more(f, n, h->noutages);

	fprintf(f, "\nUNITS THAT WENT STALE OR LOST  stale %zu, lost %zu\n",
	    h->nstale, h->nlost);
	n = h->nunits < HANDOVER_LIST ? h->nunits : HANDOVER_LIST;
	for (i = 0; i < n; i++) {
		handover_hm(h->units[i].time, a, sizeof a);
		fprintf(f, "  %s  %-5s ", a, h->units[i].lost ? "lost" :
		    "stale");
		handover_cut(f, h->units[i].id, 64);
		fputc('\n', f);
	}
	handover_more(f, n, h->nunits);

	handover_req_text(f, h);

	n = h->ntimeline < HANDOVER_TIMELINE ? h->ntimeline :
	    HANDOVER_TIMELINE;
	fprintf(f, "\nTIMELINE (%zu of %zu)\n", n, h->ntimeline);
	for (i = 0; i < n; i++) {
		handover_hm(h->timeline[i].time, a, sizeof a);
		fprintf(f, "  %s  ", a);
		handover_cut(f, h->timeline[i].text, 68);
		fputc('\n', f);
	}
	handover_more(f, n, h->ntimeline);
	return (ferror(f) ? BC_IO : BC_OK);
}

/* ------------------------------------------------------------------ */
/* JSON. */

static void
handover_json_time(cJSON *o, const char *key, double t)
{
	char	buf[32];

	if (!isfinite(t)) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	time_format_rfc3339(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static double
handover_round(double v, double unit)
{
	return (round(v / unit) * unit);
}

static cJSON *
handover_json_gap(const struct border_map *map, const struct handover_gap *g)
{
	cJSON	*o = cJSON_CreateObject(), *sec;
	char	 key[32];
	int	 s;

	cJSON_AddNumberToObject(o, "id", g->id);
	handover_json_time(o, "opened", g->opened);
	handover_json_time(o, "closed", g->closed);
	cJSON_AddNumberToObject(o, "open_min", handover_round(g->open_s / 60,
	    0.01));
	cJSON_AddNumberToObject(o, "from_km", handover_round(g->a, 0.01));
	cJSON_AddNumberToObject(o, "to_km", handover_round(g->b, 0.01));
	cJSON_AddNumberToObject(o, "length_km", handover_round(g->b - g->a,
	    0.01));
	cJSON_AddStringToObject(o, "near", g->near);
	sec = cJSON_AddObjectToObject(o, "sectors");
	for (s = 0; s < NSIDES; s++) {
		snprintf(key, sizeof key, "%s", map->sides[s].code);
		if (g->sector[s] >= 0 &&
		    (size_t)g->sector[s] < map->nsectors[s])
			cJSON_AddStringToObject(sec, key,
			    map->sectors[s][g->sector[s]].code);
		else
			cJSON_AddNullToObject(sec, key);
	}
	return (o);
}

static const char *const handover_dir_keys[JREQ_DIR_UNKNOWN + 1] = {
	"ours", "theirs", "unknown"
};

static void
handover_json_km(cJSON *o, const char *key, double km)
{
	if (isfinite(km))
		cJSON_AddNumberToObject(o, key, handover_round(km, 0.001));
	else
		cJSON_AddNullToObject(o, key);
}

static void
handover_json_str(cJSON *o, const char *key, const char *s)
{
	if (s[0] != '\0')
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
handover_json_req(const struct handover *h, const struct handover_req *r)
{
	const struct journal_req_rec	*q = &r->q;
	cJSON				*o = cJSON_CreateObject();
	double				 at;
	int				 ans;

	cJSON_AddStringToObject(o, "id", q->id);
	cJSON_AddStringToObject(o, "direction", handover_dir_keys[q->dir]);
	cJSON_AddStringToObject(o, "from_side", handover_side(h, q->sender));
	cJSON_AddStringToObject(o, "to_side", handover_side(h, q->addressee));
	cJSON_AddStringToObject(o, "kind", req_kind_names[q->kind]);
	handover_json_km(o, "from_km", q->a_km);
	handover_json_km(o, "to_km", q->b_km);
	handover_json_km(o, "counter_from_km", q->counter_a_km);
	handover_json_km(o, "counter_to_km", q->counter_b_km);
	handover_json_str(o, "gap", q->gap);
	handover_json_str(o, "sector", q->sector);
	cJSON_AddStringToObject(o, "state", handover_req_state_name(r->state));
	cJSON_AddBoolToObject(o, "open", handover_req_open(r->state));
	handover_json_time(o, "asked", handover_req_asked(r));
	ans = handover_req_answer(q, &at);
	if (ans >= 0)
		cJSON_AddStringToObject(o, "answer", req_state_names[ans]);
	else
		cJSON_AddNullToObject(o, "answer");
	handover_json_time(o, "answered", at);
	handover_json_time(o, "covering", q->stamps[RS_COVERING].t);
	handover_json_time(o, "closed", q->stamps[RS_CLOSED].t);
	handover_json_time(o, "expired", q->stamps[RS_EXPIRED].t);
	handover_json_time(o, "last_change", q->time);
	cJSON_AddBoolToObject(o, "escalated", (q->flags & JREQ_ESCALATED) !=
	    0);
	handover_json_str(o, "reason", q->reason);
	handover_json_str(o, "error", q->error);
	cJSON_AddStringToObject(o, "text", q->text);
	return (o);
}

static void
handover_json_reqs(cJSON *root, const struct handover *h)
{
	cJSON	*o, *by, *x, *arr;
	size_t	 i;
	int	 st, d;

	o = cJSON_AddObjectToObject(root, "requests");
	cJSON_AddNumberToObject(o, "total", (double)h->nreqs);
	for (d = 0; d <= JREQ_DIR_UNKNOWN; d++)
		cJSON_AddNumberToObject(o, handover_dir_keys[d],
		    (double)h->req_dir[d]);
	cJSON_AddNumberToObject(o, "open_at_end", (double)h->req_open);
	cJSON_AddNumberToObject(o, "escalated", (double)h->req_escalated);
	by = cJSON_AddObjectToObject(o, "by_state");
	for (st = 0; st < HREQ_STATES; st++) {
		x = cJSON_AddObjectToObject(by, handover_req_state_name(st));
		for (d = 0; d <= JREQ_DIR_UNKNOWN; d++)
			cJSON_AddNumberToObject(x, handover_dir_keys[d],
			    (double)h->req_by[st][d]);
	}
	arr = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < h->nreqs; i++)
		cJSON_AddItemToArray(arr, handover_json_req(h, &h->reqs[i]));
}

enum bc_status
handover_json(FILE *f, const struct handover *h)
{
	const struct border_map	*map = h->cfg.map;
	cJSON			*root, *arr, *o, *x;
	char			*text;
	size_t			 i, k;
	int			 s, rc;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "handover", "bordercop-handover/1");
	if (h->cfg.program != NULL)
		cJSON_AddStringToObject(root, "program", h->cfg.program);
	handover_json_time(root, "from", h->cfg.from);
	handover_json_time(root, "to", h->cfg.to);
	cJSON_AddNumberToObject(root, "min_gap_km", h->cfg.pcfg.min_gap_km);
	cJSON_AddNumberToObject(root, "known_min",
	    handover_round(h->known_s / 60, 0.01));
	cJSON_AddNumberToObject(root, "unknown_min",
	    handover_round(h->unknown_s / 60, 0.01));
	cJSON_AddNumberToObject(root, "link_down_min",
	    handover_round(h->outage_s / 60, 0.01));

	arr = cJSON_AddArrayToObject(root, "sectors");
	for (s = 0; s < NSIDES; s++)
		for (k = 0; k < map->nsectors[s]; k++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "side", map->sides[s].code);
			cJSON_AddStringToObject(o, "code",
			    map->sectors[s][k].code);
			cJSON_AddStringToObject(o, "name",
			    map->sectors[s][k].name);
			cJSON_AddNumberToObject(o, "own_uncovered_min",
			    handover_round(h->own_s[s][k] / 60, 0.001));
			cJSON_AddNumberToObject(o, "joint_uncovered_min",
			    handover_round(h->joint_s[s][k] / 60, 0.001));
			cJSON_AddItemToArray(arr, o);
		}

	arr = cJSON_AddArrayToObject(root, "gaps");
	for (i = 0; i < h->ngaps; i++)
		cJSON_AddItemToArray(arr, handover_json_gap(map, &h->gaps[i]));
	cJSON_AddBoolToObject(root, "end_known", h->end_known);
	arr = cJSON_AddArrayToObject(root, "open_at_end");
	for (i = 0; i < h->nopen; i++)
		cJSON_AddItemToArray(arr, handover_json_gap(map, &h->open[i]));

	o = cJSON_AddObjectToObject(root, "alerts");
	cJSON_AddNumberToObject(o, "raised", (double)h->nalerts);
	cJSON_AddNumberToObject(o, "acknowledged", (double)h->nacked);
	arr = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < h->nalerts; i++) {
		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "id", h->alerts[i].id);
		handover_json_time(x, "time", h->alerts[i].time);
		handover_json_time(x, "acked", h->alerts[i].acked);
		cJSON_AddStringToObject(x, "text", h->alerts[i].text);
		cJSON_AddItemToArray(arr, x);
	}

	arr = cJSON_AddArrayToObject(root, "link_outages");
	for (i = 0; i < h->noutages; i++) {
		x = cJSON_CreateObject();
		handover_json_time(x, "from", h->outages[i].from);
		handover_json_time(x, "to", h->outages[i].to);
		cJSON_AddStringToObject(x, "error", h->outages[i].error);
		cJSON_AddItemToArray(arr, x);
	}

	o = cJSON_AddObjectToObject(root, "units");
	cJSON_AddNumberToObject(o, "stale", (double)h->nstale);
	cJSON_AddNumberToObject(o, "lost", (double)h->nlost);
	arr = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < h->nunits; i++) {
		x = cJSON_CreateObject();
		handover_json_time(x, "time", h->units[i].time);
		cJSON_AddStringToObject(x, "id", h->units[i].id);
		cJSON_AddStringToObject(x, "state", h->units[i].lost ? "lost" :
		    "stale");
		cJSON_AddItemToArray(arr, x);
	}

	handover_json_reqs(root, h);

	arr = cJSON_AddArrayToObject(root, "timeline");
	for (i = 0; i < h->ntimeline; i++) {
		x = cJSON_CreateObject();
		handover_json_time(x, "time", h->timeline[i].time);
		cJSON_AddStringToObject(x, "kind",
		    handover_item_keys[h->timeline[i].kind]);
		cJSON_AddStringToObject(x, "text", h->timeline[i].text);
		cJSON_AddItemToArray(arr, x);
	}

	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return (BC_IO);
	rc = fprintf(f, "%s\n", text);
	free(text);
	return (rc < 0 || ferror(f) ? BC_IO : BC_OK);
}
