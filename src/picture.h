/*
 * picture.h: the read-only picture that every view and the report consume.
 *
 * picture_build() reads the unit table (never writes it), the map, the
 * configuration and the clock ("now", normally the feed's server_time) and
 * derives everything, which the picture owns: a copy of each unit's
 * report with its placement, state, footprint and across-the-line flag
 * (placement and footprint are kept from the last build for a unit whose
 * position did not change, so a poll that moves few units costs little);
 * each
 * side's coverage; the joint class along the line; gaps under the policy;
 * same-side overlaps with unit ids; per-sector figures.  Views and the
 * report only read it.  Gap tracking across polls lives in gaptrack.h.
 */
#ifndef BORDERCOP_PICTURE_H
#define BORDERCOP_PICTURE_H

#include <stddef.h>

#include "border.h"
#include "coverage.h"
#include "unit.h"

struct picture_config {
	double		stale_after_s;		/* 300 */
	double		lost_after_s;		/* 1800 */
	enum gap_policy	policy;			/* POLICY_EITHER */
	double		min_gap_km;		/* 1 */
	double		min_overlap_km;		/* 1 */
	double		across_tol_km;		/* < 0: the map's accuracy */
	double		radius_km[KIND_COUNT];	/* defaults per kind */
};

/* A unit that could close a gap, at one of its ends. */
struct gap_unit {
	size_t		unit;			/* index in units->v + 1, or
						   0 when none */
	double		dist_km;		/* along the line to the gap */
};

#define GAP_WEST	0
#define GAP_EAST	1

struct gap {
	double		a, b;			/* km */
	int		sector[NSIDES];		/* at the midpoint, or -1 */
	char		near[96];		/* "12 km W of Nogales" */
	double		open_since;		/* epoch s, from gap tracking;
						   NAN when not tracked */
	unsigned	id;			/* gap track id, 0 untracked */
	int		open_before;		/* open when the program
						   started: open_since is
						   when it was first seen */
	/* Every sector the gap crosses on each side: indices first..last
	   of map->sectors[side] (sorted along the line), -1 when none. */
	int		sec_first[NSIDES], sec_last[NSIDES];
	/* Who can close it: the nearest active unit (fresh or stale) of
	   each side at each end, [GAP_WEST or GAP_EAST][side]: west of the
	   gap's middle for the west end, east of it for the east. */
	struct gap_unit	nearest[2][NSIDES];
};

/* A unit as the picture sees it: its report (a copy) and what the
   picture derived from it at the picture's clock. */
struct pic_unit {
	struct report	 r;
	struct placement pl;
	int		 sector[NSIDES];	/* index per side, or -1 */
	enum unit_state	 state;
	double		 age_s;
	double		 radius_km;		/* effective */
	int		 across;		/* on the other side's side */
	struct interval	*fp;			/* footprint, owned */
	size_t		 nfp;

	/* The cache: which table entry, report and position these are
	   for (struct unit's serial, rev and pos_rev). */
	uint64_t	 serial, rev, pos_rev;
	int		 fp_valid;		/* fp is for fp_radius_km */
	double		 fp_radius_km;
};

/* The picture's units, in the order of the table they were built from. */
struct pic_units {
	struct pic_unit	*v;
	size_t		 n;
	size_t		 cap;
};

struct overlap {
	int		  side;
	double		  a, b;
	char		**ids;			/* borrowed from pic->units */
	size_t		  nids;
};

struct sector_stats {
	double		len_km;
	double		own_km;			/* covered by the sector's side */
	double		other_km;		/* covered by the other side */
	double		joint_km;		/* covered by both */
	size_t		gaps;			/* gaps touching the sector */
	double		longest_gap_km;		/* part inside the sector */
	size_t		units[STATE_COUNT];	/* own-side units in it */
};

struct picture {
	const struct border_map	*map;
	struct pic_units	*units;		/* owned; NULL before a build */
	struct picture_config	 cfg;
	double			 now;		/* epoch s */

	struct ivlist		 cov[NSIDES];	/* side coverage */
	struct joint_run	*runs;		/* joint class along the line */
	size_t			 nruns;
	double			 joint_km[4];	/* km per joint class */

	struct gap		*gaps;
	size_t			 ngaps;
	struct overlap		*overlaps;
	size_t			 noverlaps;

	struct sector_stats	*stats[NSIDES];	/* per map sector */
	size_t			 count[NSIDES][STATE_COUNT];
	size_t			 across;	/* units across the line */

	/* Set by the engine (cop.h), which owns the picture: the time of
	   its newest data (picture clock, NAN unknown) and whether it is
	   unknown (frozen: no data for longer than stale_after). */
	double			 as_of;
	int			 unknown;
	double			 unknown_since;	/* epoch s, picture clock */
};

void	 picture_config_defaults(struct picture_config *);
void	 picture_init(struct picture *);
void	 picture_done(struct picture *);
void	 picture_build(struct picture *, const struct border_map *,
	    const struct unit_table *, const struct picture_config *,
	    double now);
/* Where unit u is, as a phrase ("12 km W of Nogales") on its own
   side's map, into buf ("" when the map names no place). */
void	 picture_unit_near(const struct picture *, const struct pic_unit *,
	    char *buf, size_t len);
/* The picture's unit whose report has this id, or NULL. */
const struct pic_unit *picture_unit(const struct picture *, const char *id);
/* State of a report at time now under cfg (fresh/stale/lost/inactive). */
enum unit_state	 picture_unit_state(const struct report *,
	    const struct picture_config *, double now, double *age_s);

#endif
