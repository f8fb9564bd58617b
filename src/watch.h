/*
 * watch.h: `bordercop --watch`, a live text view without curses.
 *
 * A sink of the engine (cop.h): after each engine step that finished a
 * poll (or demo tick) or the age tick, when what it would print changed,
 * it prints a compact block: a header line (source,
 * link state, age of the last good poll, units per side, joint coverage,
 * open gaps), one row per sector and side, and the newest events.  The
 * loop has one wait point (source_wait) and ends cleanly on SIGINT,
 * SIGTERM or SIGHUP (the handlers only set a flag), or after `count`
 * prints.  Alerts (cop.h) are printed once each as they are raised, on a
 * line of their own starting "!! ALERT".
 */
#ifndef BORDERCOP_WATCH_H
#define BORDERCOP_WATCH_H

#include <stddef.h>
#include <stdio.h>

#include "border.h"
#include "cot.h"
#include "events.h"
#include "gaptrack.h"
#include "journal.h"
#include "picture.h"
#include "reqlink.h"
#include "source.h"
#include "status.h"

#define WATCH_EVENTS	6	/* newest events shown */
#define WATCH_GAPS	5	/* longest gaps shown */

struct watch_config {
	const struct border_map	*map;
	struct picture_config	 pcfg;
	FILE			*out;		/* stdout */
	unsigned long		 count;		/* prints, 0: until a signal */
	double			 now_fixed;	/* --now: picture clock, or 0 */
	double			(*clock)(void);	/* epoch s; NULL: wall clock */
	struct reqlink		*reqs;		/* requests, or NULL */
	struct journal		*journal;	/* records the feed, or NULL */
	double			 alert_gap_km;	/* --alert-gap, 0: default */
	double			 sector_floor;	/* --sector-floor, 0: off */
	struct cot		*cot;		/* --cot sink, or NULL */
	int			 ascii;		/* lines fitted for an ASCII sink */
};

void		 watch_config_defaults(struct watch_config *);
/* Run until a signal or count prints; returns BC_IO on a write error. */
enum bc_status	 watch_run(struct source *, const struct watch_config *,
		    char *why, size_t whylen);

#endif
