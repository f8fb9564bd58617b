/*
 * cop.h: the engine, one for every way of showing the picture.
 *
 * A struct cop owns the unit table, the picture, the gap tracker, the
 * event log and the offset of the picture clock from the local clock.
 * Sources fill it (source.h: API, file, DEMO) and sinks read it: the
 * terminal (live.c), --watch (watch.c) and --report (main.c) all drive it
 * with the same call,
 *
 *	changed = cop_step(cop, src, now);
 *
 * where now is the caller's clock (epoch s, local), always passed in so
 * that every sink can be run on a fake clock.  One step takes what the
 * source has (a message, a 304, a failure, or nothing yet), and when
 * something finished or the age tick is due: moves the picture clock,
 * records link changes, rebuilds the picture at the picture clock and
 * compares it with the last one (gap tracks, unit states), appending
 * events.  While the link is down the picture is not rebuilt (nothing is
 * learnt of the units).  When no new data came for longer than stale_after (the link is
 * down, the file stopped changing, the server's clock stands still), the
 * picture is unknown: it is no longer rebuilt, so units are not reported
 * lost one by one and its gaps stay as they were; one FROZEN event says
 * so, and one LIVE event when data returns, after which the gap tracker
 * compares the new picture with the last known one.  Then the one alert
 * detector reads the new events (and how long
 * the link has been down) and queues alerts by the rules of bordercop(1)
 * ALERTS.  It returns what changed as COP_* bits.  Sinks only read the
 * members below after a step; none of them writes into the engine.
 */
#ifndef BORDERCOP_COP_H
#define BORDERCOP_COP_H

#include <stddef.h>

#include "border.h"
#include "events.h"
#include "gaptrack.h"
#include "picture.h"
#include "recency.h"
#include "trails.h"
#include "source.h"
#include "status.h"
#include "unit.h"

#define COP_EVENTS_DEFAULT	1000	/* events kept */
#define COP_TICK_S		5.0	/* rebuilt at least this often (s), so
					   that units go stale on time */
#define COP_LINK_ALERT_S	60.0	/* a link down this long alerts (s) */

/* What a step changed (a bit mask). */
#define COP_PICTURE	0x01	/* the picture was rebuilt */
#define COP_LINK	0x02	/* the link state changed */
#define COP_EVENTS	0x04	/* events were appended */
#define COP_FAILED	0x08	/* the source's step failed: cop->why */
#define COP_POLLED	0x10	/* an answer or a failure came (not a tick) */
#define COP_ALERTS	0x20	/* an alert was raised */

struct cop_config {
	const struct border_map	*map;		/* borrowed */
	struct picture_config	 pcfg;
	size_t			 events;	/* ring size, 0: the default */
	double			 now_fixed;	/* --now: the picture clock is
						   fixed there; 0: the feed's */
	double			 tick_s;	/* 0: COP_TICK_S */
	double			 alert_gap_km;	/* exposure that alerts: 10 */
	double			 link_alert_s;	/* COP_LINK_ALERT_S */
	double			 sector_floor;	/* own coverage %, 0: off */
};

struct cop {
	struct cop_config	 cfg;
	struct unit_table	 units;
	struct picture		 pic;
	struct gaptrack		 gt;
	struct event_log	 log;
	struct alert_queue	 alerts;	/* unacknowledged */
	struct recency		 rec;		/* when each stretch was last
						   covered, per side */
	struct trails		 trails;	/* units' recent positions */

	double			 offset;	/* picture clock - local, s */
	int			 basis;		/* source_clock_basis seen */
	int			 built;		/* pic holds a picture */
	double			 built_at;	/* local s of the last build */
	enum link_state		 link_was;
	unsigned long		 steps;		/* steps taken */
	int			 link_alerted;	/* this outage alerted */
	double			 as_of;		/* picture clock of the newest
						   data, 0 none */
	double			 as_of_local;	/* local time it came */
	int			 unknown;	/* frozen: see cop_step */
	unsigned char		*below[NSIDES];	/* per sector: under the
						   floor at the last build */
	char			 why[256];	/* the last failure, clean */
};

void		 cop_config_defaults(struct cop_config *);
void		 cop_init(struct cop *, const struct cop_config *,
		    const struct source *);
void		 cop_done(struct cop *);
/* One step at local time now; returns COP_* bits (0: nothing to show). */
int		 cop_step(struct cop *, struct source *, double now);
/* The picture, or NULL while the source has applied no message: an
   empty table is not a border without patrols. */
const struct picture *cop_picture(const struct cop *);
/* The picture clock at local time now (epoch s). */
double		 cop_clock(const struct cop *, double now);
/*
 * For one-shot sinks (--report): step until the source has applied a
 * message (BC_OK) or its first answer failed (why says what; the
 * status is the poller's for the API, BC_IO otherwise).  clock is the
 * caller's.
 */
enum bc_status	 cop_once(struct cop *, struct source *,
		    double (*clock)(void), char *why, size_t whylen);
/* Build the picture again at picture clock pnow (the report's clock). */
void		 cop_rebuild(struct cop *, double pnow);
/*
 * The picture at pnow when its newest data, at as_of, is older than
 * stale_after: unknown since as_of, the last known picture (built at
 * as_of, not aged) with its clock at pnow, as the terminal keeps it.
 * The report of a moment past a journal's end.
 */
void		 cop_rebuild_unknown(struct cop *, double as_of, double pnow);
/* Acknowledge the oldest alert at local time now: an ACK event.  Returns
   0 when none was queued. */
int		 cop_ack(struct cop *, double now);
/*
 * Events another part appended to the log since total (requests, from
 * reqlink.c) go through the same alert detector; returns 1 when an
 * alert was raised.
 */
int		 cop_notice(struct cop *, unsigned long total, double now);

#endif
