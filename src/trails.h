/*
 * trails.h: each unit's recent positions, for the map's trails.
 *
 * The engine appends a unit's position whenever its report is newer than
 * the last one kept, and drops positions older than TRAILS_WINDOW_S of
 * picture clock, and units with none left.  At most TRAILS_POINTS per
 * unit (the oldest go first).  A picture clock that goes back (a replay
 * going back) starts them again.
 */
#ifndef BORDERCOP_TRAILS_H
#define BORDERCOP_TRAILS_H

#include <stddef.h>

#include "unit.h"

#define TRAILS_WINDOW_S	1800.0	/* the last 30 minutes */
#define TRAILS_POINTS	24

struct trail_point {
	double	t;		/* report time, epoch s */
	double	lat, lon;	/* degrees */
};

struct trail {
	char			 id[UNIT_ID_MAX + 1];
	int			 side;
	struct trail_point	 p[TRAILS_POINTS];	/* oldest first */
	size_t			 n;
};

struct trails {
	struct trail	*v;
	size_t		 n;
	size_t		 cap;
	size_t		*hash;		/* index + 1, 0 empty */
	size_t		 hashcap;
	double		 now;
};

void	 trails_init(struct trails *);
void	 trails_done(struct trails *);
void	 trails_update(struct trails *, const struct unit_table *,
	    double now);
const struct trail *trails_find(const struct trails *, const char *id);

#endif
