/*
 * replay.c: the journal played back as a source (see replay.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "replay.h"
#include "util.h"
#include "xmalloc.h"

#define REPLAY_TICK_MS	250	/* the banner's clock moves at least so */

static const double replay_speeds[] = {
	1, 2, 5, 10, 30, 60, 120, 300, 600
};
#define REPLAY_NSPEEDS	(sizeof replay_speeds / sizeof replay_speeds[0])

struct replay {
	struct journal_reader	 rd;
	struct journal_decoder	 dec;
	size_t			 next;		/* first record not applied */
	double			 first, last;	/* the replayable window */
	double			 base;		/* replayed time at anchor */
	double			 anchor;	/* local time */
	double			 speed;
	int			 paused;
	int			 rebuild;	/* from a keyframe at next step */
	int			 have;		/* a table was applied */
	double			 at;		/* replayed time of the last
					   step, NAN before the first */
	struct link_status	 link;
	struct reqbook		 book;		/* requests up to req_next */
	int			 book_init;
	size_t			 req_next;	/* records the book holds */
};

static int
replay_is_table(const struct journal_rec *r)
{
	return (r->type == JOURNAL_KEY || r->type == JOURNAL_DELTA);
}

static double
replay_clamp(const struct replay *rp, double t)
{
	if (!(t >= rp->first))
		return (rp->first);
	if (t > rp->last)
		return (rp->last);
	return (t);
}

/* "REPLAY 14:05:30Z", and paused, or "end" at the window's end (where
   the replayed time stops playing), or the speed; at most 24 columns,
   what the status line shows of a source. */
static void
replay_banner(struct replay *rp, double t)
{
	time_t		s = (time_t)floor(t);
	struct tm	tm;
	char		hms[16] = "--:--:--";

	if (isfinite(t) && gmtime_r(&s, &tm) != NULL)
		strftime(hms, sizeof hms, "%H:%M:%S", &tm);
	rp->link.replay_at = isfinite(t) ? t : 0;
	if (rp->paused)
		snprintf(rp->link.source, sizeof rp->link.source,
		    "REPLAY %sZ paused", hms);
	else if (t >= rp->last)
		snprintf(rp->link.source, sizeof rp->link.source,
		    "REPLAY %sZ end", hms);
	else if (rp->speed != 1)
		snprintf(rp->link.source, sizeof rp->link.source,
		    "REPLAY %sZ x%g", hms, rp->speed);
	else
		snprintf(rp->link.source, sizeof rp->link.source,
		    "REPLAY %sZ", hms);
}

enum bc_status
replay_new(const struct replay_config *cfg, double now, struct replay **out,
    char *why, size_t whylen)
{
	struct replay	*rp;
	size_t		 i;

	*out = NULL;
	rp = xcalloc(1, sizeof *rp);
	if (journal_read(cfg->dir, cfg->from, cfg->to, cfg->warn,
	    cfg->warn_arg, &rp->rd, why, whylen) != BC_OK) {
		free(rp);
		return (BC_FORMAT);
	}
	for (i = 0; i < rp->rd.n; i++)
		if (rp->rd.v[i].type == JOURNAL_KEY)
			break;
	if (i == rp->rd.n || (isfinite(cfg->to) && rp->rd.v[i].time >
	    cfg->to)) {
		bc_why(why, whylen, "journal %s: no picture recorded%s",
		    cfg->dir, isfinite(cfg->from) || isfinite(cfg->to) ?
		    " in that window" : "");
		journal_reader_done(&rp->rd);
		free(rp);
		return (BC_FORMAT);
	}
	rp->first = rp->rd.v[i].time;
	if (isfinite(cfg->from) && cfg->from > rp->first)
		rp->first = cfg->from;
	rp->last = rp->first;
	for (i = 0; i < rp->rd.n; i++)
		if (rp->rd.v[i].time > rp->last)
			rp->last = rp->rd.v[i].time;
	if (isfinite(cfg->to) && cfg->to < rp->last)
		rp->last = cfg->to;
	if (rp->last < rp->first) {
		bc_why(why, whylen, "journal %s: nothing recorded in that "
		    "window", cfg->dir);
		journal_reader_done(&rp->rd);
		free(rp);
		return (BC_FORMAT);
	}
	journal_decoder_init(&rp->dec);
	rp->speed = 1;
	rp->paused = cfg->paused;
	rp->base = replay_clamp(rp, isfinite(cfg->start) ? cfg->start :
	    rp->first);
	rp->anchor = now;
	rp->rebuild = 1;
	rp->at = NAN;
	rp->link.state = LINK_OK;
	replay_banner(rp, rp->base);
	*out = rp;
	return (BC_OK);
}

void
replay_free(struct replay *rp)
{
	if (rp == NULL)
		return;
	journal_decoder_done(&rp->dec);
	journal_reader_done(&rp->rd);
	if (rp->book_init)
		reqbook_done(&rp->book);
	free(rp);
}

/* A REQUEST record as the book's entry: where it stood for the client
   that recorded it. */
static void
replay_req_entry(struct reqbook *b, const struct journal_req_rec *q)
{
	struct reqbook_entry	*e = reqbook_put(b, q->id);
	struct request		*r = &e->r;

	r->kind = q->kind;
	r->sender = q->sender;
	r->addressee = q->addressee;
	r->a_km = q->a_km;
	r->b_km = q->b_km;
	r->counter_a_km = q->counter_a_km;
	r->counter_b_km = q->counter_b_km;
	memcpy(r->gap, q->gap, sizeof r->gap);
	memcpy(r->sector, q->sector, sizeof r->sector);
	memcpy(r->text, q->text, sizeof r->text);
	memcpy(r->reason, q->reason, sizeof r->reason);
	r->created = q->created;
	r->expires = q->expires;
	r->state = q->state;
	memcpy(r->stamps, q->stamps, sizeof r->stamps);
	r->seq = q->seq;
	e->on_server = q->local != JREQ_QUEUED && q->local != JREQ_REFUSED;
	e->pending_new = q->local == JREQ_QUEUED;
	e->pending_answer = q->local == JREQ_ANSWER;
	req_answer_init(&e->answer);
	e->answer.state = q->answer;
	snprintf(e->error, sizeof e->error, "%s", q->error);
	e->escalated = (q->flags & JREQ_ESCALATED) != 0;
	e->acked = (q->flags & JREQ_ACKED) != 0;
	if (b->side < 0 && q->dir == JREQ_OURS)
		reqbook_set_side(b, q->sender);
	else if (b->side < 0 && q->dir == JREQ_THEIRS)
		reqbook_set_side(b, q->addressee);
}

const struct reqbook *
replay_requests(struct replay *rp, const char *const side_codes[NSIDES],
    int *changed)
{
	struct reqbook_config	 bc;
	struct journal_req_rec	 q;
	char			 why[160];
	size_t			 i;
	int			 s;

	if (changed != NULL)
		*changed = 0;
	if (rp->book_init && rp->req_next <= rp->next) {
		/* Forward: the records since, each the last word on its
		   request. */
		for (i = rp->req_next; i < rp->next && i < rp->rd.n; i++) {
			if (rp->rd.v[i].type != JOURNAL_REQUEST ||
			    journal_decode_request(&rp->rd.v[i], &q) != BC_OK)
				continue;
			replay_req_entry(&rp->book, &q);
			if (changed != NULL)
				*changed = 1;
		}
		rp->req_next = rp->next;
		return (&rp->book);
	}
	/* Back (or the first time): again from the start. */
	if (changed != NULL)
		*changed = 1;
	if (rp->book_init)
		reqbook_done(&rp->book);
	memset(&bc, 0, sizeof bc);
	for (s = 0; s < NSIDES; s++)
		bc.side_codes[s] = side_codes[s];
	bc.side = -1;
	bc.seed = 1;		/* composes nothing: no entropy needed */
	if (reqbook_init(&rp->book, &bc, why, sizeof why) != BC_OK)
		abort();	/* no queue file: it cannot fail */
	rp->book_init = 1;
	/* Every request recorded before the replayed time, as its last
	   record says, in the order first recorded. */
	for (i = 0; i < rp->next && i < rp->rd.n; i++)
		if (rp->rd.v[i].type == JOURNAL_REQUEST &&
		    journal_decode_request(&rp->rd.v[i], &q) == BC_OK)
			replay_req_entry(&rp->book, &q);
	rp->req_next = rp->next;
	return (&rp->book);
}

double
replay_clock(const struct replay *rp, double now)
{
	if (rp->paused)
		return (rp->base);
	return (replay_clamp(rp, rp->base + (now - rp->anchor) * rp->speed));
}

double
replay_first(const struct replay *rp)
{
	return (rp->first);
}

double
replay_last(const struct replay *rp)
{
	return (rp->last);
}

int
replay_timeout_ms(const struct replay *rp, double now)
{
	double	t, ms;

	if (rp->rebuild)
		return (0);
	if (rp->paused || replay_clock(rp, now) >= rp->last)
		return (1000);
	if (rp->next >= rp->rd.n)
		return (REPLAY_TICK_MS);
	t = replay_clock(rp, now);
	ms = (rp->rd.v[rp->next].time - t) / rp->speed * 1000;
	if (ms < 0)
		return (0);
	return (ms < REPLAY_TICK_MS ? (int)ceil(ms) : REPLAY_TICK_MS);
}

static void
replay_link_rec(struct replay *rp, const struct journal_rec *r)
{
	struct journal_link_rec	l;

	if (journal_decode_link(r, &l) != BC_OK)
		return;
	/* WAIT before a first answer is, replayed, no news. */
	rp->link.state = l.state == LINK_WAIT ? LINK_OK : l.state;
	snprintf(rp->link.error, sizeof rp->link.error, "%s", l.error);
}

int
replay_step(struct replay *rp, double now, struct unit_table *t)
{
	const struct journal_rec	*r;
	double				 at = replay_clock(rp, now);
	char				 why[256];
	size_t				 i;
	int				 changed = 0;

	if (rp->rebuild) {
		rp->rebuild = 0;
		units_clear(t);
		rp->dec.keyed = 0;
		rp->link.state = LINK_OK;
		rp->link.error[0] = '\0';
		rp->next = journal_key_before(&rp->rd, at);
		if (rp->next == rp->rd.n)
			rp->next = 0;
		/* The link as recorded last before the keyframe. */
		for (i = 0; i < rp->next; i++)
			if (rp->rd.v[i].type == JOURNAL_LINK)
				replay_link_rec(rp, &rp->rd.v[i]);
		changed = 1;
	}
	for (; rp->next < rp->rd.n && rp->rd.v[rp->next].time <= at;
	    rp->next++) {
		r = &rp->rd.v[rp->next];
		if (replay_is_table(r)) {
			if (journal_apply(&rp->dec, r, t, why, sizeof why) ==
			    BC_OK) {
				rp->have = 1;
				changed = 1;
			}
		} else if (r->type == JOURNAL_LINK)
			replay_link_rec(rp, r);
	}
	rp->link.last_attempt = now;
	rp->link.last_good = now;
	rp->at = at;
	replay_banner(rp, at);
	return (changed);
}

int
replay_ended(const struct replay *rp)
{
	return (rp->at >= rp->last);
}

const struct link_status *
replay_link(const struct replay *rp)
{
	return (&rp->link);
}

int
replay_has_picture(const struct replay *rp)
{
	return (rp->have);
}

/* Fix the replayed time where it is, before a change of pace. */
static void
replay_reanchor(struct replay *rp, double now)
{
	rp->base = replay_clock(rp, now);
	rp->anchor = now;
}

void
replay_pause(struct replay *rp, double now, int paused)
{
	replay_reanchor(rp, now);
	rp->paused = paused;
	replay_banner(rp, rp->base);
}

int
replay_paused(const struct replay *rp)
{
	return (rp->paused);
}

double
replay_speed_step(struct replay *rp, double now, int dir)
{
	size_t	i;

	replay_reanchor(rp, now);
	for (i = 0; i < REPLAY_NSPEEDS && replay_speeds[i] < rp->speed; i++)
		;
	if (dir > 0 && i + 1 < REPLAY_NSPEEDS)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	if (i >= REPLAY_NSPEEDS)
		i = REPLAY_NSPEEDS - 1;
	rp->speed = replay_speeds[i];
	replay_banner(rp, rp->base);
	return (rp->speed);
}

double
replay_speed(const struct replay *rp)
{
	return (rp->speed);
}

void
replay_seek(struct replay *rp, double now, double t)
{
	rp->base = replay_clamp(rp, t);
	rp->anchor = now;
	rp->rebuild = 1;
	replay_banner(rp, rp->base);
}

int
replay_change(struct replay *rp, double now, int dir)
{
	double	cur = replay_clock(rp, now), at = NAN;
	size_t	i;

	if (dir > 0) {
		for (i = 0; i < rp->rd.n; i++)
			if (replay_is_table(&rp->rd.v[i]) &&
			    rp->rd.v[i].time > cur &&
			    rp->rd.v[i].time <= rp->last) {
				at = rp->rd.v[i].time;
				break;
			}
	} else {
		/* The change showing is the last at or before cur: back is
		   the one before it. */
		double	showing = NAN;

		for (i = rp->rd.n; i > 0; i--)
			if (replay_is_table(&rp->rd.v[i - 1]) &&
			    rp->rd.v[i - 1].time <= cur) {
				showing = rp->rd.v[i - 1].time;
				break;
			}
		for (; isfinite(showing) && i > 0; i--)
			if (replay_is_table(&rp->rd.v[i - 1]) &&
			    rp->rd.v[i - 1].time < showing &&
			    rp->rd.v[i - 1].time >= rp->first) {
				at = rp->rd.v[i - 1].time;
				break;
			}
	}
	if (!isfinite(at))
		return (0);
	rp->paused = 1;
	replay_seek(rp, now, at);
	return (1);
}

int
replay_alert(struct replay *rp, double now, int dir, char *buf, size_t len)
{
	struct journal_alert_rec	 a;
	const struct journal_rec	*r = NULL, *x;
	double				 cur = replay_clock(rp, now);
	size_t				 i;

	for (i = 0; i < rp->rd.n; i++) {
		x = &rp->rd.v[dir > 0 ? i : rp->rd.n - 1 - i];
		if (x->type != JOURNAL_ALERT || x->time < rp->first ||
		    x->time > rp->last)
			continue;
		if (dir > 0 ? x->time > cur : x->time < cur) {
			r = x;
			break;
		}
	}
	if (r == NULL || journal_decode_alert(r, &a) != BC_OK)
		return (0);
	snprintf(buf, len, "%s", a.text);
	rp->paused = 1;
	replay_seek(rp, now, r->time);
	return (1);
}

int
replay_parse_time(const char *s, double around, double *t)
{
	int	h, m, sec = 0, n = 0;

	if (time_parse_rfc3339(s, t) == 0)
		return (0);
	if ((sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) == 3 ||
	    (sec = 0, sscanf(s, "%2d:%2d%n", &h, &m, &n) == 2)) &&
	    s[n] == '\0' && h >= 0 && h < 24 && m >= 0 && m < 60 &&
	    sec >= 0 && sec < 60 && isfinite(around)) {
		*t = floor(around / 86400) * 86400 + h * 3600 + m * 60 + sec;
		return (0);
	}
	return (-1);
}
