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
#include <string.h>

#include "cop.h"
#include "util.h"

void
cop_config_defaults(struct cop_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	picture_config_defaults(&cfg->pcfg);
	cfg->events = COP_EVENTS_DEFAULT;
	cfg->tick_s = COP_TICK_S;
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
	events_init(&cop->log, cop->cfg.events);
	cop->link_was = src != NULL ? source_link(src)->state : LINK_WAIT;
	cop->basis = src != NULL ? source_clock_basis(src) : 0;
	cop->offset = 0;	/* until the feed tells its time: local */
}

void
cop_done(struct cop *cop)
{
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

/* Rebuild at pnow and compare with the last picture. */
static void
cop_build(struct cop *cop, double pnow)
{
	picture_build(&cop->pic, cop->cfg.map, &cop->units, &cop->cfg.pcfg,
	    pnow);
	gaptrack_update(&cop->gt, &cop->pic, &cop->log);
	cop->built = 1;
}

void
cop_rebuild(struct cop *cop, double pnow)
{
	cop_build(cop, pnow);
}

int
cop_step(struct cop *cop, struct source *src, double now)
{
	const struct link_status	*ls;
	enum source_event		 ev;
	unsigned long			 total = cop->log.total;
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

	if (!(changed & (COP_POLLED | COP_LINK)) &&
	    (cop->built_at != 0 && now - cop->built_at < cop->cfg.tick_s))
		return (changed);
	cop->built_at = now;
	gaptrack_link(&cop->gt, ls, pnow, &cop->log);
	cop->link_was = ls->state;
	if (source_has_picture(src)) {
		cop_build(cop, pnow);
		changed |= COP_PICTURE;
	}
	if (cop->log.total != total)
		changed |= COP_EVENTS;
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
