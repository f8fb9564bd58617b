/*
 * live.h: the terminal COP's main loop, a sink of the engine (cop.h).
 *
 * One wait point (source_wait on the terminal and the network), then, in
 * order: one engine step (feed, picture, gap tracking, events), keys,
 * clock tick, one frame.  A failed step keeps the last good picture; its
 * age shows.  The clock is passed in, so that the loop runs in tests on a
 * fake clock and any terminal (live_loop).
 */
#ifndef BORDERCOP_LIVE_H
#define BORDERCOP_LIVE_H

#include <stddef.h>

#include "border.h"
#include "cop.h"
#include "journal.h"
#include "cot.h"
#include "picture.h"
#include "reqlink.h"
#include "source.h"
#include "status.h"
#include "ui.h"

struct live_config {
	const struct border_map	*map;
	struct picture_config	 pcfg;
	double			(*clock)(void);	/* epoch s; NULL: the wall */
	double			 now_fixed;	/* --now: picture clock, or 0 */
	double			 sector_floor;	/* --sector-floor %, 0: off */
	unsigned long		 max_steps;	/* 0: until q or a signal */
	struct reqlink		*reqs;		/* requests, or NULL */
	struct journal		*journal;	/* records the feed, or NULL */
	struct cot		*cot;		/* --cot sink, or NULL */
};

void		 live_config_defaults(struct live_config *);
/* The program: take the terminal, run until q or a signal. */
enum bc_status	 live_run(struct source *, const struct live_config *,
		    const struct ui_options *, char *why, size_t whylen);
/* The loop on a ui and an engine the caller made (cop_init with src). */
void		 live_loop(struct ui *, struct cop *, struct source *,
		    const struct live_config *);

#endif
