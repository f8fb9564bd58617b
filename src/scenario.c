/*
 * scenario.c: the seeded patrol simulation behind bordercop-sim and the
 * DEMO feed.
 *
 * Every unit lives on its own event clock (its next report, the end of a
 * dropout, the end of an off-duty spell) and draws from its own PRNG
 * stream, so the state at a time t depends only on the seed and t, never
 * on how the caller stepped there.  The only shared input is the incident
 * list, itself generated in time order from a stream of its own.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "border.h"
#include "scenario.h"
#include "unit.h"
#include "xmalloc.h"

#define SC_SHIFT_S		(8.0 * 3600)	/* shift length */
#define SC_EDGE_KM		1.0	/* keep units off the line's ends */
#define SC_DROP_P		(1.0 / 600)	/* dropout, per report */
#define SC_ACROSS_P		2e-5	/* across the line, per report */
#define SC_SIGNOFF_P		0.15	/* at a shift change: leave feed */
#define SC_OFFDUTY_P		0.45	/* at a shift change: off duty */
#define SC_TOWER_OOS_P		0.05	/* at a shift change: tower down */
#define SC_RESPOND_P		0.6	/* a unit in range responds */
#define SC_RESPOND_D_KM		0.3	/* offset held at an incident */
#define SC_US_SHARE		0.55	/* of the units, on side 0 */

/*
 * Kinds: base speed (km/h), stretch length range (km), offset range from
 * the line (km), weights on land and on river stretches.
 */
struct sc_kind {
	double	speed;
	double	len0, len1;
	double	off0, off1;
	int	w_land, w_river;
	double	respond_km;	/* how far it answers an incident */
};

static const struct sc_kind sc_kinds[KIND_COUNT] = {
	[KIND_FOOT] =	  {   4,  3,   8, 0.2, 1.5, 24, 18,   3 },
	[KIND_HORSE] =	  {   8,  6,  16, 0.3, 3.0,  7,  5,   8 },
	[KIND_ATV] =	  {  25, 10,  30, 0.3, 3.0, 13, 12,  20 },
	[KIND_VEHICLE] =  {  40, 20,  60, 0.5, 5.0, 38, 36,  40 },
	[KIND_BOAT] =	  {  20, 10,  40, 0.1, 0.3,  0, 14,  20 },
	[KIND_DRONE] =	  {  60, 15,  40, 0.5, 3.0,  6,  7,  50 },
	[KIND_AIRCRAFT] = { 200, 80, 200, 1.5, 3.0,  2,  2, 150 },
	[KIND_TOWER] =	  {   0,  0,   0, 0.3, 2.0, 10,  0,   0 },
	[KIND_OTHER] =	  {  10,  5,  10, 0.2, 1.0,  0,  0,   0 },
};

static const char *const sc_kind_names[KIND_COUNT] = {
#define X(id, name, r) name,
	UNIT_KINDS(X)
#undef X
};

static const char *const sc_status_names[] = {
#define X(id, name, active) name,
	UNIT_STATUSES(X)
#undef X
};

/*
 * River stretches of the shipped US-Mexico line (km on its 3308.513 km):
 * the Colorado limitrophe and the Rio Grande.  Scaled to the map's
 * length; used only on a map whose sides are US and MX.
 */
static const struct interval sc_rivers[] = {
	{ 228.420, 263.665 },
	{ 1124.979, 3308.513 },
};
#define SC_RIVER_REF_KM	3308.513

enum sc_mode {
	SC_ON,			/* reporting */
	SC_OFF,			/* off duty or out of service, in feed */
	SC_SIGNOFF,		/* off duty, about to leave the feed */
	SC_GONE			/* not in the feed */
};

struct sc_unit {
	uint64_t	 rng;
	int		 side;
	size_t		 sector;
	enum unit_kind	 kind;
	enum unit_status status;
	enum sc_mode	 mode;

	double		 a_km, b_km;	/* assigned stretch */
	double		 home_d_km;	/* signed offset on patrol */
	double		 speed_kmh;
	double		 s_km;		/* where it is now */
	double		 d_km;
	int		 dir;		/* +1 towards the east end */
	double		 last_t;	/* time of the last move */
	double		 next_t;	/* next event */
	double		 back_t;	/* SC_SIGNOFF: time to return */
	long		 shift;		/* shift index last seen */
	double		 across_until;
	double		 across_d_km;
	size_t		 incident;	/* responding to (index + 1) or 0 */
	size_t		 incident_seen;	/* incidents considered (count) */
	double		 target_s_km;
};

struct sc_incident {
	double	start, end;
	double	s_km;
	int	sides;		/* bit per side */
};

struct sc_sector {
	int	 side;
	char	 code[16];
	double	 a_km, b_km;
	double	 phase_s;	/* shift changes at phase + k * 8 h */
	unsigned count;		/* units numbered so far */
};

struct scenario {
	const struct border_map	*map;
	uint64_t		 seed;
	double			 now;
	uint64_t		 version;
	int			 dirty;

	struct sc_sector	*sectors;
	size_t			 nsectors;

	struct sc_unit		*u;
	struct scenario_slot	*slots;
	size_t			 n;

	struct sc_incident	*inc;
	size_t			 ninc, inccap;
	uint64_t		 inc_rng;
	double			 inc_next;

	struct interval		 rivers[2];
	size_t			 nrivers;
};

/* splitmix64: small, fast, and the same on every platform. */
static uint64_t
sc_next(uint64_t *state)
{
	uint64_t	z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A uniform double in [0, 1). */
static double
sc_unif(uint64_t *state)
{
	return ((double)(sc_next(state) >> 11) * 0x1.0p-53);
}

static double
sc_range(uint64_t *state, double lo, double hi)
{
	return (lo + (hi - lo) * sc_unif(state));
}

static uint64_t
sc_mix(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t	st;

	st = seed ^ (a * 0xd1b54a32d192ed03ULL) ^ (b * 0xabc98388fb8fac03ULL);
	return (sc_next(&st));
}

static double
sc_sign(int side)
{
	return (side == SIDE_LEFT ? 1.0 : -1.0);
}

static int
sc_is_river(const struct scenario *sc, double s)
{
	size_t	i;

	for (i = 0; i < sc->nrivers; i++)
		if (s >= sc->rivers[i].a && s <= sc->rivers[i].b)
			return (1);
	return (0);
}

static double
sc_clamp(double v, double lo, double hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* The segment holding chainage s (binary search on vertex chainages). */
static size_t
sc_segment(const struct border_map *map, double s)
{
	size_t	lo, hi, mid;

	lo = 0;
	hi = map->nverts - 1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (map->chain_km[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	return (lo);
}

/* The line's azimuth at chainage s (deg), interpolated along a segment. */
static double
sc_azimuth(const struct border_map *map, double s)
{
	size_t	seg;
	double	len, f, a1, a2, da;

	seg = sc_segment(map, s);
	len = map->chain_km[seg + 1] - map->chain_km[seg];
	f = len > 0 ? (s - map->chain_km[seg]) / len : 0;
	a1 = map->azi1[seg];
	a2 = map->azi2[seg];
	da = fmod(a2 - a1 + 540.0, 360.0) - 180.0;
	return (a1 + f * da);
}

/*
 * The position at chainage s and signed offset d (km), perpendicular to
 * the line.  Where the line bends (the Rio Grande meanders) a
 * perpendicular can land on the other side of another loop, so nearby
 * chainages and smaller offsets are tried until the point is clearly
 * (50 m, well above the 1 m of the written coordinates) on the side d
 * asks for.
 */
static void
sc_place(const struct scenario *sc, double s, double d, double *lat,
    double *lon)
{
	static const double	 ds[] = { 0, 0.3, -0.3, 0.7, -0.7, 1.5, -1.5,
				    3, -3 };
	static const double	 df[] = { 1, 0.5, 0.25 };
	const struct border_map	*map = sc->map;
	struct placement	 pl;
	double			 lat0, lon0, azi, s1, want;
	size_t			 i, j;

	want = fmin(0.05, fabs(d) / 2);
	for (j = 0; j < sizeof df / sizeof df[0]; j++) {
		for (i = 0; i < sizeof ds / sizeof ds[0]; i++) {
			s1 = sc_clamp(s + ds[i], 0, map->length_km);
			border_point_at(map, s1, &lat0, &lon0);
			azi = sc_azimuth(map, s1) - 90.0;
			border_direct(map, lat0, lon0, azi,
			    d * df[j] * 1000.0, lat, lon);
			border_locate(map, *lat, *lon, &pl);
			if (pl.beyond == 0 && (d > 0 ? pl.d_km : -pl.d_km) >=
			    want)
				return;
		}
	}
	/* Nothing clear: stand on the line itself. */
	border_point_at(map, s, lat, lon);
}

static const char *
sc_agency(const struct scenario *sc, int side)
{
	const char	*code = sc->map->sides[side].code;

	if (strcmp(code, "US") == 0)
		return ("USBP");
	if (strcmp(code, "MX") == 0)
		return ("GN");
	return (code);
}

/* Sectors per side, or the whole line when the map has none. */
static void
sc_make_sectors(struct scenario *sc)
{
	const struct border_map	*map = sc->map;
	struct sc_sector	*ss;
	const struct sector	*sec;
	const char		*p;
	size_t			 side, k, n, j;

	n = 0;
	for (side = 0; side < NSIDES; side++)
		n += map->nsectors[side] > 0 ? map->nsectors[side] : 1;
	sc->sectors = xcalloc(n, sizeof *sc->sectors);
	sc->nsectors = 0;
	for (side = 0; side < NSIDES; side++) {
		for (k = 0; k < map->nsectors[side] || k == 0; k++) {
			ss = &sc->sectors[sc->nsectors++];
			ss->side = (int)side;
			if (map->nsectors[side] == 0) {
				p = map->sides[side].code;
				ss->a_km = 0;
				ss->b_km = map->length_km;
			} else {
				sec = &map->sectors[side][k];
				p = sec->code;
				ss->a_km = sec->start_km;
				ss->b_km = sec->end_km;
			}
			/* Only letters and digits go into ids. */
			for (j = 0; *p != '\0' && j < sizeof ss->code - 1; p++)
				if ((*p >= 'A' && *p <= 'Z') ||
				    (*p >= 'a' && *p <= 'z') ||
				    (*p >= '0' && *p <= '9'))
					ss->code[j++] = *p;
			ss->phase_s = (double)(sc_mix(sc->seed, 1 + side,
			    1 + k) % 28800);
			if (map->nsectors[side] == 0)
				break;
		}
	}
}

/* How many units each sector gets: proportional to its length. */
static void
sc_share(struct scenario *sc, size_t nunits, size_t *count)
{
	size_t	side, i, want, given, best;
	double	total, quota, frac, bestfrac;
	double	*rem;

	rem = xcalloc(sc->nsectors, sizeof *rem);
	for (side = 0; side < NSIDES; side++) {
		want = side == SIDE_LEFT ?
		    (size_t)floor(nunits * SC_US_SHARE + 0.5) :
		    nunits - (size_t)floor(nunits * SC_US_SHARE + 0.5);
		total = 0;
		for (i = 0; i < sc->nsectors; i++)
			if (sc->sectors[i].side == (int)side)
				total += sc->sectors[i].b_km -
				    sc->sectors[i].a_km;
		given = 0;
		for (i = 0; i < sc->nsectors; i++) {
			if (sc->sectors[i].side != (int)side)
				continue;
			quota = total > 0 ? want * (sc->sectors[i].b_km -
			    sc->sectors[i].a_km) / total : 0;
			count[i] = (size_t)floor(quota);
			rem[i] = quota - count[i];
			given += count[i];
		}
		/* Largest remainders take what is left. */
		while (given < want) {
			best = sc->nsectors;
			bestfrac = -1;
			for (i = 0; i < sc->nsectors; i++) {
				frac = rem[i];
				if (sc->sectors[i].side == (int)side &&
				    frac > bestfrac) {
					best = i;
					bestfrac = frac;
				}
			}
			if (best == sc->nsectors)
				break;
			count[best]++;
			rem[best] = -0.5;
			given++;
		}
	}
	free(rem);
}

static enum unit_kind
sc_pick_kind(uint64_t *rng, int river)
{
	int	total, r, k;

	total = 0;
	for (k = 0; k < KIND_COUNT; k++)
		total += river ? sc_kinds[k].w_river : sc_kinds[k].w_land;
	r = (int)(sc_next(rng) % (uint64_t)total);
	for (k = 0; k < KIND_COUNT; k++) {
		r -= river ? sc_kinds[k].w_river : sc_kinds[k].w_land;
		if (r < 0)
			return ((enum unit_kind)k);
	}
	return (KIND_VEHICLE);
}

/* The river interval holding s, clipped to [a, b]. */
static void
sc_river_clip(const struct scenario *sc, double s, double *a, double *b)
{
	size_t	i;

	for (i = 0; i < sc->nrivers; i++) {
		if (s >= sc->rivers[i].a && s <= sc->rivers[i].b) {
			if (*a < sc->rivers[i].a)
				*a = sc->rivers[i].a;
			if (*b > sc->rivers[i].b)
				*b = sc->rivers[i].b;
			return;
		}
	}
}

static void
sc_init_unit(struct scenario *sc, size_t idx, size_t sector)
{
	struct sc_sector	*ss = &sc->sectors[sector];
	struct sc_unit		*u = &sc->u[idx];
	struct report		*r = &sc->slots[idx].r;
	const struct sc_kind	*k;
	double			 lo, hi, c, len, a, b;
	int			 river, tries;
	unsigned		 num;

	u->rng = sc_mix(sc->seed, 0x5c5c, idx + 1);
	u->side = ss->side;
	u->sector = sector;
	lo = sc_clamp(ss->a_km, SC_EDGE_KM, sc->map->length_km - SC_EDGE_KM);
	hi = sc_clamp(ss->b_km, SC_EDGE_KM, sc->map->length_km - SC_EDGE_KM);
	c = sc_range(&u->rng, lo, hi);
	river = sc_is_river(sc, c);
	u->kind = sc_pick_kind(&u->rng, river);
	/* A tower drawn where the sector's land is short moves to land. */
	for (tries = 0; u->kind == KIND_TOWER && river && tries < 8; tries++) {
		c = sc_range(&u->rng, lo, hi);
		river = sc_is_river(sc, c);
	}
	if (u->kind == KIND_TOWER && river)
		u->kind = KIND_VEHICLE;
	k = &sc_kinds[u->kind];

	len = sc_range(&u->rng, k->len0, k->len1);
	a = lo;
	b = hi;
	if (u->kind == KIND_BOAT)
		sc_river_clip(sc, c, &a, &b);
	if (b - a <= len) {
		u->a_km = a;
		u->b_km = b;
	} else {
		u->a_km = sc_clamp(c - len / 2, a, b - len);
		u->b_km = u->a_km + len;
	}
	u->home_d_km = sc_sign(u->side) * sc_range(&u->rng, k->off0, k->off1);
	u->speed_kmh = k->speed * sc_range(&u->rng, 0.75, 1.1);
	u->s_km = u->kind == KIND_TOWER ? c :
	    sc_range(&u->rng, u->a_km, u->b_km);
	u->d_km = u->home_d_km;
	u->dir = (sc_next(&u->rng) & 1) ? 1 : -1;
	u->status = u->kind == KIND_TOWER ? STATUS_STATIC : STATUS_PATROL;
	u->mode = SC_ON;

	num = ++ss->count;
	if (strcmp(sc->map->sides[u->side].code, "US") == 0)
		snprintf(r->id, sizeof r->id, "USBP-%s-%04u", ss->code, num);
	else
		snprintf(r->id, sizeof r->id, "%s-%s-%s-%04u",
		    sc->map->sides[u->side].code, sc_agency(sc, u->side),
		    ss->code, num);
	snprintf(r->callsign, sizeof r->callsign, "%s-%u", ss->code, num);
	snprintf(r->agency, sizeof r->agency, "%s", sc_agency(sc, u->side));
	r->side = u->side;
	r->kind = u->kind;
	snprintf(r->kind_text, sizeof r->kind_text, "%s",
	    sc_kind_names[u->kind]);
	r->seq = 0;
	r->stale_at = NAN;
	r->radius_km = NAN;
	r->ce_m = NAN;
}

/* Move the unit along its task from last_t to t. */
static void
sc_move(struct scenario *sc, struct sc_unit *u, double t)
{
	double	dist, room, target, step, dd;

	dist = u->speed_kmh * (t - u->last_t) / 3600.0;
	u->last_t = t;
	if (dist <= 0 || u->mode != SC_ON)
		return;
	switch (u->status) {
	case STATUS_PATROL:
		if (u->b_km <= u->a_km)
			break;
		/* Back and forth, turning at the stretch's ends. */
		while (dist > 0) {
			room = u->dir > 0 ? u->b_km - u->s_km :
			    u->s_km - u->a_km;
			if (dist <= room) {
				u->s_km += u->dir * dist;
				break;
			}
			u->s_km = u->dir > 0 ? u->b_km : u->a_km;
			dist -= room;
			u->dir = -u->dir;
		}
		/* Aircraft fly loops: out on one track, back on another. */
		u->d_km = u->home_d_km;
		if (u->kind == KIND_AIRCRAFT && u->dir < 0)
			u->d_km += sc_sign(u->side) * 2.0;
		break;
	case STATUS_RESPONDING:
	case STATUS_RETURNING:
		if (u->status == STATUS_RESPONDING)
			target = u->target_s_km;
		else
			target = sc_clamp(u->s_km, u->a_km, u->b_km);
		step = fabs(target - u->s_km);
		if (step > dist)
			step = dist;
		u->dir = target >= u->s_km ? 1 : -1;
		u->s_km += u->dir * step;
		dd = (u->status == STATUS_RESPONDING ?
		    sc_sign(u->side) * SC_RESPOND_D_KM : u->home_d_km);
		if (fabs(dd - u->d_km) <= dist)
			u->d_km = dd;
		else
			u->d_km += dd > u->d_km ? dist : -dist;
		if (u->status == STATUS_RETURNING &&
		    u->s_km >= u->a_km && u->s_km <= u->b_km &&
		    u->d_km == u->home_d_km)
			u->status = STATUS_PATROL;
		break;
	default:
		break;
	}
}

/* Add incidents until one starts after t. */
static void
sc_incidents_until(struct scenario *sc, double t)
{
	struct sc_incident	*in;
	double			 r;

	while (sc->inc_next <= t) {
		if (sc->ninc == sc->inccap) {
			sc->inccap = sc->inccap ? sc->inccap * 2 : 64;
			sc->inc = xreallocarray(sc->inc, sc->inccap,
			    sizeof *sc->inc);
		}
		in = &sc->inc[sc->ninc++];
		in->start = sc->inc_next;
		in->end = in->start + sc_range(&sc->inc_rng, 1200, 3600);
		in->s_km = sc_range(&sc->inc_rng, 5, sc->map->length_km - 5);
		r = sc_unif(&sc->inc_rng);
		in->sides = r < 0.35 ? 1 : r < 0.7 ? 2 : 3;
		sc->inc_next += sc_range(&sc->inc_rng, 1200, 4200);
	}
}

/* Whether the unit takes up an incident that is running at time t. */
static void
sc_consider_incidents(struct scenario *sc, struct sc_unit *u, size_t idx,
    double t)
{
	const struct sc_incident	*in;
	size_t				 i;

	for (i = u->incident_seen; i < sc->ninc; i++) {
		in = &sc->inc[i];
		if (in->start > t)
			break;
		u->incident_seen = i + 1;
		if (in->end <= t || !(in->sides & (1 << u->side)))
			continue;
		if (fabs(in->s_km - u->s_km) > sc_kinds[u->kind].respond_km)
			continue;
		if (sc_mix(sc->seed, idx + 1, i + 0x1000) % 1000 >=
		    (uint64_t)(SC_RESPOND_P * 1000))
			continue;
		u->incident = i + 1;
		u->target_s_km = in->s_km;
		u->status = STATUS_RESPONDING;
		return;
	}
}

/* Write the unit's report for time t and mark the slot changed. */
static void
sc_write(struct scenario *sc, size_t idx, double t)
{
	struct sc_unit		*u = &sc->u[idx];
	struct scenario_slot	*sl = &sc->slots[idx];
	struct report		*r = &sl->r;
	double			 d, hdg;
	int			 moving;

	sl->across = t < u->across_until;
	d = sl->across ? u->across_d_km : u->d_km;
	sc_place(sc, u->s_km, d, &r->lat, &r->lon);
	r->seq++;
	r->time = t;
	r->status = u->status;
	snprintf(r->status_text, sizeof r->status_text, "%s",
	    sc_status_names[u->status]);
	moving = u->mode == SC_ON && u->kind != KIND_TOWER &&
	    (u->status == STATUS_PATROL || u->status == STATUS_RETURNING ||
	    (u->status == STATUS_RESPONDING &&
	    u->s_km != u->target_s_km));
	if (moving) {
		hdg = sc_azimuth(sc->map, u->s_km);
		if (u->dir < 0)
			hdg += 180.0;
		hdg = fmod(hdg + 720.0, 360.0);
		r->heading_deg = floor(hdg + 0.5);
		if (r->heading_deg >= 360)
			r->heading_deg = 0;
		r->speed_kmh = floor(u->speed_kmh + 0.5);
	} else {
		r->heading_deg = NAN;
		r->speed_kmh = u->kind == KIND_TOWER ? NAN : 0;
	}
	sl->present = 1;
	sl->changed = sc->version + 1;
	sc->dirty = 1;
}

static double
sc_interval(struct sc_unit *u)
{
	if (u->kind == KIND_AIRCRAFT)
		return (sc_range(&u->rng, 30, 60));
	if (u->kind == KIND_TOWER)
		return (sc_range(&u->rng, 60, 120));
	return (sc_range(&u->rng, 30, 120));
}

/* A shift change: hand over, sign off, or carry on. */
static int
sc_shift_change(struct scenario *sc, size_t idx, double t)
{
	struct sc_unit	*u = &sc->u[idx];
	double		 r;

	r = sc_unif(&u->rng);
	u->across_until = 0;
	if (u->kind == KIND_TOWER) {
		if (r >= SC_TOWER_OOS_P)
			return (0);
		u->status = STATUS_OUT_OF_SERVICE;
		u->mode = SC_OFF;
		sc_write(sc, idx, t);
		u->next_t = t + sc_range(&u->rng, 1800, 14400);
		return (1);
	}
	if (r < SC_SIGNOFF_P) {
		u->status = STATUS_OFF_DUTY;
		u->mode = SC_SIGNOFF;
		sc_write(sc, idx, t);
		u->next_t = t + sc_range(&u->rng, 300, 900);
		u->back_t = u->next_t + sc_range(&u->rng, 1800, 10800);
		return (1);
	}
	if (r < SC_SIGNOFF_P + SC_OFFDUTY_P) {
		u->status = STATUS_OFF_DUTY;
		u->mode = SC_OFF;
		sc_write(sc, idx, t);
		u->next_t = t + sc_range(&u->rng, 900, 7200);
		return (1);
	}
	return (0);
}

/* A regular report of a unit on duty at time t. */
static void
sc_report(struct scenario *sc, size_t idx, double t)
{
	struct sc_unit		*u = &sc->u[idx];
	const struct sc_sector	*ss = &sc->sectors[u->sector];
	long			 shift;

	sc_move(sc, u, t);
	shift = (long)floor((t - ss->phase_s) / SC_SHIFT_S);
	if (shift > u->shift) {
		u->shift = shift;
		if (sc_shift_change(sc, idx, t))
			return;
	}
	if (u->kind != KIND_TOWER) {
		if (u->status == STATUS_RESPONDING &&
		    sc->inc[u->incident - 1].end <= t) {
			u->status = STATUS_RETURNING;
			u->incident = 0;
		}
		if (u->status == STATUS_PATROL)
			sc_consider_incidents(sc, u, idx, t);
		if (u->status == STATUS_PATROL && t >= u->across_until &&
		    u->kind != KIND_AIRCRAFT && u->kind != KIND_BOAT &&
		    sc_unif(&u->rng) < SC_ACROSS_P) {
			u->across_until = t + sc_range(&u->rng, 600, 1800);
			u->across_d_km = -sc_sign(u->side) *
			    sc_range(&u->rng, 0.5, 2.0);
		}
	}
	sc_write(sc, idx, t);
	if (sc_unif(&u->rng) < SC_DROP_P)
		u->next_t = t + sc_range(&u->rng, 300, 2700);
	else
		u->next_t = t + sc_interval(u);
}

/* Handle the unit's due event at u->next_t. */
static void
sc_event(struct scenario *sc, size_t idx)
{
	struct sc_unit	*u = &sc->u[idx];
	double		 t = u->next_t;

	switch (u->mode) {
	case SC_ON:
		sc_report(sc, idx, t);
		break;
	case SC_SIGNOFF:
		u->mode = SC_GONE;
		sc->slots[idx].present = 0;
		sc->slots[idx].across = 0;
		sc->slots[idx].changed = sc->version + 1;
		sc->dirty = 1;
		u->next_t = u->back_t;
		break;
	case SC_OFF:
	case SC_GONE:
		/* Back on duty: a new crew starts on the assigned stretch. */
		u->mode = SC_ON;
		u->status = u->kind == KIND_TOWER ? STATUS_STATIC :
		    STATUS_PATROL;
		u->last_t = t;
		u->incident = 0;
		u->d_km = u->home_d_km;
		u->s_km = sc_clamp(u->s_km, u->a_km, u->b_km);
		sc_write(sc, idx, t);
		u->next_t = t + sc_interval(u);
		break;
	}
}

struct scenario *
scenario_new(const struct border_map *map, uint64_t seed, size_t nunits,
    double start_time)
{
	struct scenario	*sc;
	struct sc_unit	*u;
	size_t		*count, i, j, idx;
	double		 f;

	if (nunits == 0)
		nunits = SCENARIO_DEFAULT_UNITS;
	sc = xcalloc(1, sizeof *sc);
	sc->map = map;
	sc->seed = seed;
	sc->now = start_time;
	sc->inc_rng = sc_mix(seed, 0x1c1c, 0);
	sc->inc_next = start_time + sc_range(&sc->inc_rng, 0, 1800);

	if (strcmp(map->sides[SIDE_LEFT].code, "US") == 0 &&
	    strcmp(map->sides[SIDE_RIGHT].code, "MX") == 0) {
		f = map->length_km / SC_RIVER_REF_KM;
		for (i = 0; i < sizeof sc_rivers / sizeof sc_rivers[0]; i++) {
			sc->rivers[i].a = sc_rivers[i].a * f;
			sc->rivers[i].b = sc_rivers[i].b * f;
		}
		sc->nrivers = i;
	}

	sc_make_sectors(sc);
	count = xcalloc(sc->nsectors, sizeof *count);
	sc_share(sc, nunits, count);
	sc->n = nunits;
	sc->u = xcalloc(nunits, sizeof *sc->u);
	sc->slots = xcalloc(nunits, sizeof *sc->slots);
	idx = 0;
	for (i = 0; i < sc->nsectors; i++)
		for (j = 0; j < count[i] && idx < nunits; j++)
			sc_init_unit(sc, idx++, i);
	sc->n = idx;
	free(count);

	/* Everyone has reported once by the start; a few are off duty. */
	for (i = 0; i < sc->n; i++) {
		u = &sc->u[i];
		u->shift = (long)floor((start_time -
		    sc->sectors[u->sector].phase_s) / SC_SHIFT_S);
		u->last_t = start_time - sc_range(&u->rng, 0, 120);
		if (u->kind != KIND_TOWER && sc_unif(&u->rng) < 0.05) {
			u->status = STATUS_OFF_DUTY;
			u->mode = SC_OFF;
			sc_write(sc, i, u->last_t);
			u->next_t = start_time + sc_range(&u->rng, 0, 7200);
		} else {
			sc_write(sc, i, u->last_t);
			u->next_t = start_time + sc_range(&u->rng, 0, 120);
		}
	}
	sc->version = 1;
	sc->dirty = 0;
	return (sc);
}

void
scenario_free(struct scenario *sc)
{
	if (sc == NULL)
		return;
	free(sc->sectors);
	free(sc->u);
	free(sc->slots);
	free(sc->inc);
	free(sc);
}

int
scenario_advance(struct scenario *sc, double t)
{
	size_t	i;

	if (!(t > sc->now))
		return (0);
	sc_incidents_until(sc, t);
	sc->dirty = 0;
	for (i = 0; i < sc->n; i++)
		while (sc->u[i].next_t <= t)
			sc_event(sc, i);
	sc->now = t;
	if (!sc->dirty)
		return (0);
	sc->version++;
	sc->dirty = 0;
	return (1);
}

int
scenario_advance_time(struct scenario *sc, double t)
{
	if (!(t > sc->now))
		return (0);
	if (!scenario_advance(sc, t))
		sc->version++;
	return (1);
}

double
scenario_time(const struct scenario *sc)
{
	return (sc->now);
}

uint64_t
scenario_version(const struct scenario *sc)
{
	return (sc->version);
}

const struct border_map *
scenario_map(const struct scenario *sc)
{
	return (sc->map);
}

const struct scenario_slot *
scenario_slots(const struct scenario *sc, size_t *n)
{
	*n = sc->n;
	return (sc->slots);
}

size_t
scenario_count(const struct scenario *sc)
{
	size_t	i, n;

	n = 0;
	for (i = 0; i < sc->n; i++)
		n += sc->slots[i].present;
	return (n);
}

struct report *
scenario_reports(const struct scenario *sc, size_t *n)
{
	struct report	*v;
	size_t		 i, k;

	v = xcalloc(sc->n ? sc->n : 1, sizeof *v);
	for (i = k = 0; i < sc->n; i++)
		if (sc->slots[i].present)
			v[k++] = sc->slots[i].r;
	*n = k;
	return (v);
}
