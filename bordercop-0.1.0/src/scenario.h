/*
 * scenario.h: a seeded, deterministic simulation of both sides' patrols.
 *
 * The engine places units of both countries on a border map (per sector,
 * in numbers proportional to sector length), moves them back and forth
 * along assigned stretches near their own side of the line, and makes
 * them report every 30 to 120 s of simulated time.  Shift changes take
 * units off duty (some sign off and leave the feed) and bring them back;
 * radio dropouts silence a unit for 5 to 45 minutes; incidents make
 * nearby units converge on a point; rarely a unit reports from across the
 * line.  It is the source behind bordercop-sim and the embedded DEMO
 * feed.
 *
 * Promises: the same map, seed, unit count, start time and sequence of
 * scenario_advance() calls give the same reports, bit for bit.  The
 * engine has its own PRNG and never reads a clock: the caller passes the
 * simulated time.  The state reached at a time t does not depend on how
 * the caller stepped to t (only the version numbers do).  It includes no
 * curses, curl or cJSON.
 *
 * Change tracking: every advance that changes anything bumps the
 * version.  Each slot remembers the version of its last change, so the
 * answer "what changed since version V" is: the present slots with
 * changed > V (features) and the absent slots with changed > V (removed
 * ids).  Any V from 0 to the current version is answerable.
 *
 * Times are seconds since the Unix epoch (simulated), as doubles.
 */
#ifndef BORDERCOP_SCENARIO_H
#define BORDERCOP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "border.h"
#include "unit.h"

#define SCENARIO_DEFAULT_UNITS	300

struct scenario;

/* One unit of the scenario: its latest report and its change record. */
struct scenario_slot {
	struct report	 r;		/* the latest report (valid if ever
					   present); side is the map side */
	uint64_t	 changed;	/* version of the last change */
	int		 present;	/* in the feed now (0: removed) */
	int		 across;	/* 1: deliberately across the line */
};

/*
 * Create a scenario on a map (borrowed: it must outlive the scenario).
 * nunits 0 means SCENARIO_DEFAULT_UNITS.  start_time is the simulated
 * time of the first picture (epoch s); every unit has reported by then.
 * The version after creation is 1.
 */
struct scenario	*scenario_new(const struct border_map *, uint64_t seed,
		    size_t nunits, double start_time);
void		 scenario_free(struct scenario *);

/*
 * Run the simulation up to simulated time t (epoch s).  A t earlier than
 * the current time does nothing.  Returns 1 if anything changed (and the
 * version was bumped), 0 otherwise.
 */
int		 scenario_advance(struct scenario *, double t);
/*
 * Run up to t like scenario_advance(), and bump the version if the time
 * moved even when no unit changed: for a server whose answers carry the
 * time (server_time), so that one version is one content.  Returns 1 if
 * the version was bumped.
 */
int		 scenario_advance_time(struct scenario *, double t);

/* The current simulated time (epoch s) and version. */
double		 scenario_time(const struct scenario *);
uint64_t	 scenario_version(const struct scenario *);
const struct border_map *scenario_map(const struct scenario *);

/*
 * All slots (present or not), in a stable order; *n is their count.
 * The array is valid until the next scenario_advance() or
 * scenario_free().
 */
const struct scenario_slot *scenario_slots(const struct scenario *,
		    size_t *n);

/*
 * Convenience views: the number of present units, and a fresh array of
 * their reports (caller frees it with free()).
 */
size_t		 scenario_count(const struct scenario *);
struct report	*scenario_reports(const struct scenario *, size_t *n);

#endif
