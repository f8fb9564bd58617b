/*
 * gaptrack.h: what changed between two pictures, as events.
 *
 * A gap keeps its identity (a small number, never reused) from one
 * picture to the next while it overlaps its previous extent, and keeps
 * the time it opened, by the rules of bordercop(1) GAP IDENTITY (see
 * gaptrack_gaps).  The tracker writes pic->gaps[i].id, .open_since and
 * .open_before, and appends to an event log:
 *   - GAP_OPEN for a gap that overlaps no previous gap;
 *   - GAP_CLOSE for a gap that overlaps no current gap;
 *   - GAP_CHANGE when an end moved by more than GAPTRACK_CHANGE_KM since
 *     the gap was last reported, at most once in GAPTRACK_COALESCE_S
 *     unless it crossed the alert length, and on a split or a merge;
 *   - gap events that expose border past alert_km carry exposed = 1;
 *   - UNIT_STALE (fresh to stale), UNIT_LOST (to lost), UNIT_BACK (stale
 *     or lost to fresh) and ACROSS (newly across the line), from a small
 *     per-id state map;
 *   - LINK_DOWN and LINK_UP from link status changes.
 *
 * The first picture is a baseline: gaps get ids, open_before = 1 and
 * open_since = its clock (open at least since then), and no gap or unit
 * event is raised.
 */
#ifndef BORDERCOP_GAPTRACK_H
#define BORDERCOP_GAPTRACK_H

#include <stddef.h>

#include "events.h"
#include "link.h"
#include "picture.h"

#define GAPTRACK_CHANGE_KM	0.5	/* an end moving further is a change */
#define GAPTRACK_ALERT_KM	10.0	/* --alert-gap's default */
#define GAPTRACK_COALESCE_S	60.0	/* at most one change event a gap in
					   this long (s), unless it merged or
					   crossed the alert length */

struct gaptrack_gap {
	unsigned	id;
	double		a, b;			/* km */
	double		open_since;		/* epoch s, picture clock */
	int		open_before;		/* open at the start: then
						   open_since is a bound */
	int		big;			/* reached alert_km once */
	double		rep_a, rep_b;		/* extent last reported, km */
	double		rep_at;			/* when (picture clock) */
	int		sector[NSIDES];		/* as last seen */
	char		near[96];
};

struct gaptrack_unit {
	char		 id[UNIT_ID_MAX + 1];
	enum unit_state	 state;
	int		 across;
};

struct gaptrack {
	struct gaptrack_gap	*gaps;		/* previous picture's gaps */
	size_t			 ngaps;
	struct gaptrack_unit	*units;		/* sorted by id */
	size_t			 nunits;
	unsigned		 next_id;
	double			 alert_km;	/* exposure that alerts */
	int			 primed;	/* a baseline has been taken */

	enum link_state		 link;		/* last link state seen */
	double			 down_since;	/* event time of LINK_DOWN */
};

void	 gaptrack_init(struct gaptrack *);
void	 gaptrack_done(struct gaptrack *);
/* Compare pic with the previous picture; fill gap ids and open_since in
   pic; append events (log may be NULL). */
void	 gaptrack_update(struct gaptrack *, struct picture *,
	    struct event_log *);
/* Raise LINK_DOWN / LINK_UP on a change of the link state; now is the
   event's time (picture clock). */
void	 gaptrack_link(struct gaptrack *, const struct link_status *,
	    double now, struct event_log *);

#endif
