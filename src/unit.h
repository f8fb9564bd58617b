/*
 * unit.h: position reports and the unit table.
 *
 * The table owns every string of every unit (copied, already sanitized by
 * the feed parser).  Merging follows coordination API v1: a report with an
 * older seq never overwrites a newer one; a full message replaces the
 * table; removed ids are dropped.
 *
 * Times are seconds since the Unix epoch, UTC, as doubles (sub-second
 * precision from RFC 3339 fractions).
 */
#ifndef BORDERCOP_UNIT_H
#define BORDERCOP_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "border.h"

#define UNIT_ID_MAX	64	/* bytes, excluding the NUL */
#define UNIT_TEXT_MAX	64	/* callsign, agency, status, kind */

/* Unit kinds with their default coverage radius (km). */
#define UNIT_KINDS(X)				\
	X(FOOT,		"foot",		1.5)	\
	X(HORSE,	"horse",	3.0)	\
	X(ATV,		"atv",		4.0)	\
	X(VEHICLE,	"vehicle",	5.0)	\
	X(BOAT,		"boat",		3.0)	\
	X(DRONE,	"drone",	8.0)	\
	X(AIRCRAFT,	"aircraft",	15.0)	\
	X(TOWER,	"tower",	12.0)	\
	X(OTHER,	"other",	2.0)

enum unit_kind {
#define X(id, name, r) KIND_##id,
	UNIT_KINDS(X)
#undef X
	KIND_COUNT
};

/* Statuses; whether a unit in it is active (can cover). */
#define UNIT_STATUSES(X)				\
	X(PATROL,		"patrol",		1)	\
	X(RESPONDING,		"responding",		1)	\
	X(STATIC,		"static",		1)	\
	X(RETURNING,		"returning",		1)	\
	X(OFF_DUTY,		"off-duty",		0)	\
	X(OUT_OF_SERVICE,	"out-of-service",	0)

enum unit_status {
#define X(id, name, active) STATUS_##id,
	UNIT_STATUSES(X)
#undef X
	STATUS_UNKNOWN,		/* kept and shown as the feed wrote it */
	STATUS_COUNT
};

enum unit_state {
	STATE_FRESH,
	STATE_STALE,
	STATE_LOST,
	STATE_INACTIVE,		/* off-duty or out-of-service */
	STATE_COUNT
};

/* One position report as it came from the feed (validated, clean). */
struct report {
	char		 id[UNIT_ID_MAX + 1];
	int		 side;		/* SIDE_LEFT / SIDE_RIGHT of the map */
	char		 agency[UNIT_TEXT_MAX + 1];
	char		 callsign[UNIT_TEXT_MAX + 1];
	char		 kind_text[UNIT_TEXT_MAX + 1];
	char		 status_text[UNIT_TEXT_MAX + 1];
	enum unit_kind	 kind;
	enum unit_status status;
	double		 lat, lon;
	int64_t		 seq;		/* -1 when absent */
	double		 time;		/* report time, epoch s */
	double		 stale_at;	/* epoch s, or NAN when absent */
	double		 heading_deg;	/* NAN when absent */
	double		 speed_kmh;	/* NAN when absent */
	double		 radius_km;	/* NAN when absent: kind default */
	double		 ce_m;		/* NAN when absent */
};

/*
 * A unit in the table: its latest report, and counters that tell the
 * picture (which owns everything derived: placement, state, footprint)
 * whether what it derived last time still holds.
 */
struct unit {
	struct report	 r;
	uint64_t	 serial;		/* unique to this unit's entry,
						   never reused in a process */
	uint64_t	 rev;			/* bumped when r changes */
	uint64_t	 pos_rev;		/* bumped when lat/lon change */
	int		 mark;			/* scratch for full replaces */
};

struct unit_table {
	struct unit	*v;
	size_t		 n;
	size_t		 cap;
	size_t		*hash;		/* open addressing: index+1, 0 empty */
	size_t		 hashcap;
	uint64_t	 generation;	/* bumped on every change */
};

enum unit_merge {
	MERGE_NEW,		/* a unit not seen before */
	MERGE_UPDATED,		/* newer report applied */
	MERGE_OLDER,		/* older seq: ignored */
	MERGE_SAME		/* same seq: ignored */
};

extern const char *const unit_kind_names[KIND_COUNT];
extern const double unit_kind_radius_km[KIND_COUNT];
extern const char *const unit_status_names[STATUS_COUNT];
extern const char *const unit_state_names[STATE_COUNT];

enum unit_kind	 unit_kind_from_name(const char *);
enum unit_status unit_status_from_name(const char *);
int		 unit_status_active(enum unit_status);

void		 units_init(struct unit_table *);
void		 units_done(struct unit_table *);
void		 units_clear(struct unit_table *);
enum unit_merge	 units_merge(struct unit_table *, const struct report *);
/* Take r as the unit's report whatever its seq (a full answer). */
enum unit_merge	 units_set(struct unit_table *, const struct report *);
int		 units_remove(struct unit_table *, const char *id);
struct unit	*units_find(struct unit_table *, const char *id);

#endif
