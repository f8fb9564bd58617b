/*
 * cop.c: the engine (see cop.h).
 *
 * The order inside a step is fixed, so that every sink sees the same
 * events for the same input: source step, picture clock, link change,
 * picture build, gap and unit tracking.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cop.h"
#include "util.h"
#include "xmalloc.h"

void
cop_config_defaults(struct cop_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	picture_config_defaults(&cfg->pcfg);
	cfg->events = COP_EVENTS_DEFAULT;
	cfg->tick_s = COP_TICK_S;
	cfg->alert_gap_km = GAPTRACK_ALERT_KM;
	cfg->link_alert_s = COP_LINK_ALERT_S;
}

void
cop_init(struct cop *cop, const struct cop_config *cfg,
    const struct source *src)
{
	memset(cop, 0, sizeof *cop);
	cop->cfg = *cfg;
	if (cop->cfg.events == 0)
		cop->cfg.events = COP_EVENTS_DEFAULT;
	if (!(cop->cfg.tick_s > 0))
		cop->cfg.tick_s = COP_TICK_S;
	units_init(&cop->units);
	picture_init(&cop->pic);
	gaptrack_init(&cop->gt);
	if (cop->cfg.alert_gap_km > 0)
		cop->gt.alert_km = cop->cfg.alert_gap_km;
	if (!(cop->cfg.link_alert_s >= 0))
		cop->cfg.link_alert_s = COP_LINK_ALERT_S;
	events_init(&cop->log, cop->cfg.events);
	alerts_init(&cop->alerts);
	recency_init(&cop->rec, cop->cfg.map != NULL ?
	    cop->cfg.map->length_km : 0);
	trails_init(&cop->trails);
	cop->link_was = src != NULL ? source_link(src)->state : LINK_WAIT;
	cop->basis = src != NULL ? source_clock_basis(src) : 0;
	cop->offset = 0;	/* until the feed tells its time: local */
}

void
cop_done(struct cop *cop)
{
	recency_done(&cop->rec);
	trails_done(&cop->trails);
	free(cop->below[0]);
	free(cop->below[1]);
	alerts_done(&cop->alerts);
	events_done(&cop->log);
	gaptrack_done(&cop->gt);
	picture_done(&cop->pic);
	units_done(&cop->units);
	memset(cop, 0, sizeof *cop);
}

const struct picture *
cop_picture(const struct cop *cop)
{
	return (cop->built ? &cop->pic : NULL);
}

double
cop_clock(const struct cop *cop, double now)
{
	if (cop->cfg.now_fixed > 0)
		return (cop->cfg.now_fixed);
	return (now + cop->offset);
}

/*
 * The picture clock became better known (the source's clock basis rose)
 * and moved by delta s against what it was: shift the times already
 * stamped with it (events, the link's down time, gaps' open-since), so
 * that the log stays in order and on one clock.
 */
static void
cop_clock_shift(struct cop *cop, double delta)
{
	struct event_log	*log = &cop->log;
	struct gaptrack		*gt = &cop->gt;
	size_t			 i;

	if (delta == 0 || !isfinite(delta))
		return;
	for (i = 0; i < log->n; i++)
		log->v[(log->head + i) % log->cap].time += delta;
	if (gt->down_since != 0)
		gt->down_since += delta;
	for (i = 0; i < gt->ngaps; i++)
		gt->gaps[i].open_since += delta;
}

/*
 * With a floor, a sector whose own-side coverage falls below it is an
 * event (SECTOR_LOW); sectors already below in the first picture are
 * taken as they are.
 */
static void
cop_sectors(struct cop *cop, int first)
{
	const struct border_map		*map = cop->cfg.map;
	const struct sector_stats	*st;
	double				 pct;
	size_t				 k;
	int				 s, low;

	if (!(cop->cfg.sector_floor > 0))
		return;
	for (s = 0; s < NSIDES; s++) {
		if (cop->below[s] == NULL)
			cop->below[s] = xcalloc(map->nsectors[s] + 1, 1);
		for (k = 0; k < map->nsectors[s]; k++) {
			st = &cop->pic.stats[s][k];
			pct = st->len_km > 0 ? 100 * st->own_km / st->len_km :
			    100;
			low = pct < cop->cfg.sector_floor;
			if (low && !cop->below[s][k] && !first)
				events_add(&cop->log, cop->pic.now,
				    EVENT_SECTOR_LOW, "%s: %s %s own coverage "
				    "%.0f%%, below %.0f%%",
				    event_type_texts[EVENT_SECTOR_LOW],
				    map->sides[s].code,
				    map->sectors[s][k].code, pct,
				    cop->cfg.sector_floor)->side = s;
			cop->below[s][k] = (unsigned char)low;
		}
	}
}

/* Rebuild at pnow and compare with the last picture. */
static void
cop_build(struct cop *cop, double pnow)
{
	int	first = !cop->built;

	picture_build(&cop->pic, cop->cfg.map, &cop->units, &cop->cfg.pcfg,
	    pnow);
	gaptrack_update(&cop->gt, &cop->pic, &cop->log);
	recency_update(&cop->rec, &cop->pic);
	trails_update(&cop->trails, &cop->units, pnow);
	cop_sectors(cop, first);
	cop->pic.as_of = cop->as_of > 0 ? cop->as_of : pnow;
	cop->pic.unknown = 0;
	cop->built = 1;
}

static void
cop_hm(double t, char *buf, size_t len)
{
	char	iso[40];

	time_format_rfc3339(t, iso, sizeof iso);
	/* "2026-11-28T06:21:30Z": HH:MMZ */
	snprintf(buf, len, "%.5sZ", strlen(iso) >= 16 ? iso + 11 : "--:--");
}

/*
 * No new data for longer than stale_after: the picture becomes unknown
 * from the time of its newest data, with one event saying why.
 */
static void
cop_freeze(struct cop *cop, const struct source *src, double now)
{
	const struct link_status	*ls = source_link(src);
	char				 since[16], why[200];
	long				 t = (long)(now - cop->as_of_local);

	cop->unknown = 1;
	cop->pic.unknown = 1;
	cop->pic.unknown_since = cop->as_of;
	cop_hm(cop->as_of, since, sizeof since);
	if (ls->state == LINK_DOWN)
		snprintf(why, sizeof why, "link down: %s", ls->error[0] !=
		    '\0' ? ls->error : "no answer");
	else if (source_kind(src) == SOURCE_FILE)
		snprintf(why, sizeof why, "the feed file has not changed for "
		    "%ld min", t / 60);
	else
		snprintf(why, sizeof why, "no new data for %ld min", t / 60);
	events_add(&cop->log, cop->as_of + (double)t, EVENT_FROZEN,
	    "%s: unknown since %s, %s", event_type_texts[EVENT_FROZEN], since,
	    why);
}

void
cop_rebuild(struct cop *cop, double pnow)
{
	cop_build(cop, pnow);
}

void
cop_rebuild_unknown(struct cop *cop, double as_of, double pnow)
{
	cop->as_of = as_of;
	cop_build(cop, as_of);
	cop->unknown = 1;
	cop->pic.unknown = 1;
	cop->pic.unknown_since = as_of;
	cop->pic.now = pnow;
}

/*
 * The one alert detector: the events appended since total (oldest first)
 * and the link's outage, at picture time pnow.  Nothing else raises.
 */
static void
cop_detect(struct cop *cop, unsigned long total, double pnow)
{
	const struct event	*e;
	struct alert		*a;
	char			 text[200], dur[32];
	size_t			 i, n;
	long			 t;

	n = cop->log.total - total;
	if (n > cop->log.n)
		n = cop->log.n;
	for (i = n; i > 0; i--) {
		e = events_get(&cop->log, i - 1);
		if (e->exposed) {
			snprintf(text, sizeof text, "%s: %s",
			    alert_kind_texts[ALERT_EXPOSED], e->text);
			a = alerts_raise(&cop->alerts, e->time, ALERT_EXPOSED,
			    text);
			a->gap_id = e->gap_id;
		} else if (e->type == EVENT_FROZEN) {
			snprintf(text, sizeof text, "%s: %s",
			    alert_kind_texts[ALERT_FROZEN], e->text +
			    strlen(event_type_texts[EVENT_FROZEN]) + 1);
			alerts_raise(&cop->alerts, e->time, ALERT_FROZEN,
			    text);
		} else if (e->type == EVENT_SECTOR_LOW) {
			snprintf(text, sizeof text, "%s: %s",
			    alert_kind_texts[ALERT_SECTOR], e->text +
			    strlen(event_type_texts[EVENT_SECTOR_LOW]) + 2);
			alerts_raise(&cop->alerts, e->time, ALERT_SECTOR,
			    text);
		} else if (e->type == EVENT_ACROSS) {
			snprintf(text, sizeof text, "%s", e->text);
			alerts_raise(&cop->alerts, e->time, ALERT_ACROSS,
			    text);
		} else if (e->type == EVENT_REQ_IN ||
		    e->type == EVENT_REQ_ESCALATE) {
			/* A request from the other side; one unanswered. */
			snprintf(text, sizeof text, "%s %s",
			    alert_kind_texts[e->type == EVENT_REQ_IN ?
			    ALERT_REQUEST : ALERT_ESCALATE], e->text);
			alerts_raise(&cop->alerts, e->time,
			    e->type == EVENT_REQ_IN ? ALERT_REQUEST :
			    ALERT_ESCALATE, text);
		}
	}
	if (cop->gt.link != LINK_DOWN)
		cop->link_alerted = 0;
	else if (!cop->link_alerted &&
	    pnow - cop->gt.down_since >= cop->cfg.link_alert_s) {
		t = (long)(pnow - cop->gt.down_since);
		if (t < 3600)
			snprintf(dur, sizeof dur, "%ld min", t / 60);
		else
			snprintf(dur, sizeof dur, "%ld h %02ld min", t / 3600,
			    t % 3600 / 60);
		snprintf(text, sizeof text, "%s for %s", alert_kind_texts[
		    ALERT_LINK], dur);
		alerts_raise(&cop->alerts, pnow, ALERT_LINK, text);
		cop->link_alerted = 1;
	}
}

int
cop_notice(struct cop *cop, unsigned long total, double now)
{
	unsigned long	raised = cop->alerts.raised;

	cop_detect(cop, total, cop_clock(cop, now));
	return (cop->alerts.raised != raised);
}

int
cop_ack(struct cop *cop, double now)
{
	struct alert	a;

	if (!alerts_ack(&cop->alerts, &a))
		return (0);
	events_add(&cop->log, cop_clock(cop, now), EVENT_ACK, "%s: %s",
	    event_type_texts[EVENT_ACK], a.text);
	return (1);
}

int
cop_step(struct cop *cop, struct source *src, double now)
{
	const struct link_status	*ls;
	enum source_event		 ev;
	unsigned long			 total = cop->log.total;
	unsigned long			 raised = cop->alerts.raised;
	char				 swhy[sizeof cop->why];
	double				 pnow;
	int				 changed = 0, basis;

	cop->steps++;
	swhy[0] = '\0';
	ev = source_step(src, now, &cop->units, swhy, sizeof swhy);
	if (ev == SOURCE_FAILED) {
		str_clean(cop->why, sizeof cop->why, swhy, strlen(swhy));
		changed |= COP_FAILED;
	}
	if (ev == SOURCE_UPDATED || ev == SOURCE_SAME || ev == SOURCE_FAILED)
		changed |= COP_POLLED;
	ls = source_link(src);
	if (ls->state != cop->link_was)
		changed |= COP_LINK;

	/* The picture clock, and times stamped before it was known. */
	if (cop->cfg.now_fixed > 0)
		pnow = cop->cfg.now_fixed;
	else {
		pnow = source_clock(src, now);
		basis = source_clock_basis(src);
		if (basis > cop->basis) {
			cop_clock_shift(cop, pnow - now - cop->offset);
			cop->basis = basis;
		}
	}
	cop->offset = pnow - now;

	/* How new the data is: the server time of the newest message.  A
	   304 tells nothing new: a server whose clock stands still (or
	   whose units all stopped reporting) ages like a silent one. */
	if (ev == SOURCE_UPDATED) {
		cop->as_of = isfinite(source_last_msg(src)->server_time) ?
		    source_last_msg(src)->server_time : pnow;
		cop->as_of_local = now;
	}

	if (!(changed & (COP_POLLED | COP_LINK)) &&
	    (cop->built_at != 0 && now - cop->built_at < cop->cfg.tick_s))
		return (changed);
	cop->built_at = now;
	gaptrack_link(&cop->gt, ls, pnow, &cop->log);
	cop->link_was = ls->state;
	if (cop->unknown && ev == SOURCE_UPDATED) {
		events_add(&cop->log, pnow, EVENT_LIVE, "%s after %ld min",
		    event_type_texts[EVENT_LIVE], (long)(pnow -
		    cop->pic.unknown_since) / 60);
		cop->unknown = 0;
	}
	if (!cop->unknown && cop->built && cop->cfg.now_fixed <= 0 &&
	    cop->as_of_local > 0 &&
	    now - cop->as_of_local > cop->cfg.pcfg.stale_after_s) {
		cop_freeze(cop, src, now);
		changed |= COP_PICTURE;
	} else if (!cop->unknown && source_has_picture(src) &&
	    (ls->state != LINK_DOWN || !cop->built)) {
		/* While the link is down nothing is learnt of the units:
		   the last picture stays as it was, rather than report them
		   going stale and lost one by one for want of data. */
		cop_build(cop, pnow);
		changed |= COP_PICTURE;
	}
	cop_detect(cop, total, pnow);
	if (cop->log.total != total)
		changed |= COP_EVENTS;
	if (cop->alerts.raised != raised)
		changed |= COP_ALERTS;
	return (changed);
}

enum bc_status
cop_once(struct cop *cop, struct source *src, double (*clock)(void),
    char *why, size_t whylen)
{
	struct poller	*p;
	double		 now;
	int		 ms, changed;

	for (;;) {
		now = clock();
		ms = source_timeout_ms(src, now);
		if (source_wait(src, -1, ms < 0 ? 1000 : ms) == -1) {
			bc_why(why, whylen, "wait failed: %s",
			    strerror(errno));
			return (BC_IO);
		}
		changed = cop_step(cop, src, clock());
		if (changed & COP_FAILED) {
			bc_why(why, whylen, "%s", cop->why);
			p = source_poller(src);
			return (p != NULL && poll_last(p)->status != BC_OK ?
			    poll_last(p)->status : BC_IO);
		}
		if ((changed & COP_POLLED) && !source_has_picture(src)) {
			/* An answer that applied nothing (a 304 to a
			   request that was not conditional). */
			bc_why(why, whylen, "%s: no answer to use",
			    source_link(src)->source);
			return (BC_FORMAT);
		}
		if (cop->built)
			return (BC_OK);
	}
}
