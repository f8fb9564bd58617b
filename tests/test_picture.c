/*
 * test_picture.c: the picture (picture.c) on small synthetic maps.
 *
 * The straight map runs along the equator, where chainage is exactly
 * a * longitude (a = WGS84 equatorial radius) and a unit on the line with
 * radius r covers exactly [s - r, s + r]; so gaps, overlaps and sector
 * figures have exact expected values.  A zig-zag map checks that a unit
 * touching two legs covers two intervals.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "feed.h"
#include "picture.h"
#include "util.h"

#define A_KM	6378.137		/* WGS84 equatorial radius */
#define LEN_KM	100.0			/* the straight map */
#define TOL	1e-6			/* km: 1 mm */
#define T0	1795831200.0		/* 2026-11-28T02:00:00Z */

#define assert_near(x, y, eps)						\
	assert_near_at((x), (y), (eps), __FILE__, __LINE__)

static void
assert_near_at(double x, double y, double eps, const char *file, int line)
{
	if (!(fabs(x - y) <= eps)) {
		print_error("%.9f != %.9f (eps %g)\n", x, y, eps);
		_fail(file, line);
	}
}

/* Longitude (deg) of chainage s (km) on the equator. */
static double
lon_at(double s)
{
	return (s / A_KM * 180 / M_PI);
}

static struct border_map *
straight_map(void)
{
	struct border_map	*m;
	double			 lat[11], lon[11];
	char			 why[256];
	size_t			 i;

	for (i = 0; i < 11; i++) {
		lat[i] = 0;
		lon[i] = lon_at(LEN_KM * (double)i / 10);
	}
	m = border_new();
	assert_int_equal(border_build(m, lat, lon, 11, why, sizeof why),
	    BC_OK);
	m->accuracy_km = 0.25;
	strcpy(m->sides[0].code, "NO");
	strcpy(m->sides[0].name, "Northland");
	strcpy(m->sides[1].code, "SO");
	strcpy(m->sides[1].name, "Southland");
	assert_int_equal(border_add_sector(m, 0, "AA", "Alpha", 0, lon_at(0),
	    0, lon_at(40), why, sizeof why), BC_OK);
	assert_int_equal(border_add_sector(m, 0, "BB", "Bravo", 0,
	    lon_at(40), 0, lon_at(100), why, sizeof why), BC_OK);
	assert_int_equal(border_add_sector(m, 1, "XX", "Xray", 0, lon_at(0),
	    0, lon_at(70), why, sizeof why), BC_OK);
	assert_int_equal(border_add_sector(m, 1, "YY", "Yankee", 0,
	    lon_at(70), 0, lon_at(100), why, sizeof why), BC_OK);
	assert_int_equal(border_check_sectors(m, why, sizeof why), BC_OK);
	border_add_place(m, "Midtown", "Mid N", "Mid S", 0.05, lon_at(50));
	return (m);
}

static struct report
mkreport(const char *id, int side, double lat, double lon, double r_km,
    double time)
{
	struct report	r;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	snprintf(r.callsign, sizeof r.callsign, "%s", id);
	r.side = side;
	r.kind = KIND_VEHICLE;
	r.status = STATUS_PATROL;
	snprintf(r.status_text, sizeof r.status_text, "patrol");
	r.lat = lat;
	r.lon = lon;
	r.seq = 1;
	r.time = time;
	r.stale_at = NAN;
	r.heading_deg = NAN;
	r.speed_kmh = NAN;
	r.radius_km = r_km;
	r.ce_m = NAN;
	return (r);
}

/* A fresh unit on the straight line at chainage s with radius r. */
static void
put(struct unit_table *t, const char *id, int side, double s, double r)
{
	struct report	rep = mkreport(id, side, 0, lon_at(s), r, T0);

	units_merge(t, &rep);
}

static void
check_gaps(const struct picture *p, const double *ab, size_t n)
{
	size_t	i;

	if (p->ngaps != n) {
		for (i = 0; i < p->ngaps; i++)
			print_error("gap %.6f-%.6f\n", p->gaps[i].a,
			    p->gaps[i].b);
	}
	assert_int_equal(p->ngaps, n);
	for (i = 0; i < n; i++) {
		assert_near(p->gaps[i].a, ab[2 * i], TOL);
		assert_near(p->gaps[i].b, ab[2 * i + 1], TOL);
	}
}

/*
 * Left covers [5,15] [17.5,23.5] [55,65]; right covers [8,16] [30,50]
 * [60,64].
 */
static void
policy_scenario(struct unit_table *t)
{
	units_init(t);
	put(t, "L1", 0, 10, 5);
	put(t, "L2", 0, 20.5, 3);
	put(t, "L3", 0, 60, 5);
	put(t, "R1", 1, 12, 4);
	put(t, "R2", 1, 40, 10);
	put(t, "R3", 1, 62, 2);
}

static void
test_policies(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	const double		 either[] = { 0, 5, 16, 17.5, 23.5, 30, 50, 55,
				     65, 100 };
	const double		 both[] = { 0, 8, 15, 60, 64, 100 };
	const double		 left[] = { 0, 5, 15, 17.5, 23.5, 55, 65, 100 };
	const double		 right[] = { 0, 8, 16, 30, 50, 60, 64, 100 };
	const double		 either2[] = { 0, 5, 23.5, 30, 50, 55, 65,
				     100 };

	policy_scenario(&t);
	picture_init(&p);
	picture_config_defaults(&cfg);

	picture_build(&p, m, &t, &cfg, T0);
	assert_near(m->length_km, LEN_KM, TOL);
	assert_near(ivlist_length(&p.cov[0]), 10 + 6 + 10, TOL);
	assert_near(ivlist_length(&p.cov[1]), 8 + 20 + 4, TOL);
	check_gaps(&p, either, 5);
	/* Joint classes add up to the line. */
	assert_near(p.joint_km[JOINT_BOTH], 7 + 4, TOL);
	assert_near(p.joint_km[JOINT_LEFT], 3 + 6 + 5 + 1, TOL);
	assert_near(p.joint_km[JOINT_RIGHT], 1 + 20, TOL);
	assert_near(p.joint_km[0] + p.joint_km[1] + p.joint_km[2] +
	    p.joint_km[3], LEN_KM, TOL);
	assert_near(p.joint_km[JOINT_NONE], 5 + 1.5 + 6.5 + 5 + 35, TOL);
	/* Runs are contiguous, alternate classes and span the line. */
	{
		size_t	i;

		assert_near(p.runs[0].a, 0, 0);
		assert_near(p.runs[p.nruns - 1].b, LEN_KM, TOL);
		for (i = 1; i < p.nruns; i++) {
			assert_true(p.runs[i].a == p.runs[i - 1].b);
			assert_int_not_equal(p.runs[i].cls,
			    p.runs[i - 1].cls);
		}
	}

	cfg.policy = POLICY_BOTH;
	picture_build(&p, m, &t, &cfg, T0);
	check_gaps(&p, both, 3);
	cfg.policy = POLICY_LEFT;
	picture_build(&p, m, &t, &cfg, T0);
	check_gaps(&p, left, 4);
	cfg.policy = POLICY_RIGHT;
	picture_build(&p, m, &t, &cfg, T0);
	check_gaps(&p, right, 4);

	/* min_gap: the 1.5 km stretch goes at 2 km, stays at exactly 1.5. */
	cfg.policy = POLICY_EITHER;
	cfg.min_gap_km = 2;
	picture_build(&p, m, &t, &cfg, T0);
	check_gaps(&p, either2, 4);
	cfg.min_gap_km = 1.5 - 1e-9;
	picture_build(&p, m, &t, &cfg, T0);
	check_gaps(&p, either, 5);

	picture_done(&p);
	units_done(&t);
	border_free(m);
}

static void
test_gap_sectors_and_stats(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	const struct sector_stats *st;
	double			 sum_len, sum_own, sum_joint;
	size_t			 k, units;
	int			 s, i;

	policy_scenario(&t);
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);

	/* Gap 65-100: midpoint 82.5, in BB and YY; near the only place. */
	assert_int_equal(p.gaps[4].sector[0], 1);
	assert_int_equal(p.gaps[4].sector[1], 1);
	assert_int_equal(p.gaps[0].sector[0], 0);
	assert_int_equal(p.gaps[0].sector[1], 0);
	assert_non_null(strstr(p.gaps[4].near, "Mid N"));
	assert_true(isnan(p.gaps[0].open_since));

	/* Left AA = [0,40]: own [5,15] [17.5,23.5] = 16; other [8,16]
	   [30,40] = 18; joint [8,15] = 7; gaps 0-5, 16-17.5, 23.5-30. */
	st = &p.stats[0][0];
	assert_near(st->len_km, 40, TOL);
	assert_near(st->own_km, 16, TOL);
	assert_near(st->other_km, 18, TOL);
	assert_near(st->joint_km, 7, TOL);
	assert_int_equal(st->gaps, 3);
	assert_near(st->longest_gap_km, 6.5, TOL);
	assert_int_equal(st->units[STATE_FRESH], 2);
	/* Right YY = [70,100]: the gap 65-100 counts only its 30 km. */
	st = &p.stats[1][1];
	assert_near(st->len_km, 30, TOL);
	assert_int_equal(st->gaps, 1);
	assert_near(st->longest_gap_km, 30, TOL);
	assert_int_equal(st->units[STATE_FRESH], 0);

	for (s = 0; s < NSIDES; s++) {
		sum_len = sum_own = sum_joint = 0;
		units = 0;
		for (k = 0; k < m->nsectors[s]; k++) {
			st = &p.stats[s][k];
			sum_len += st->len_km;
			sum_own += st->own_km;
			sum_joint += st->joint_km;
			for (i = 0; i < STATE_COUNT; i++)
				units += st->units[i];
		}
		assert_near(sum_len, LEN_KM, TOL);
		assert_near(sum_own, ivlist_length(&p.cov[s]), TOL);
		assert_near(sum_joint, p.joint_km[JOINT_BOTH], TOL);
		assert_int_equal(units, 3);
		assert_int_equal(p.count[s][STATE_FRESH], 3);
	}
	assert_int_equal(p.units->v[0].sector[0], 0);
	assert_int_equal(p.units->v[2].sector[0], 1);	/* L3 at 60 km: BB */
	assert_int_equal(p.units->v[2].sector[1], 0);	/* and XX */

	picture_done(&p);
	units_done(&t);
	border_free(m);
}

static int
has_id(const struct overlap *o, const char *id)
{
	size_t	i;

	for (i = 0; i < o->nids; i++) {
		if (strcmp(o->ids[i], id) == 0)
			return (1);
	}
	return (0);
}

static void
test_overlaps(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct report		 r;

	units_init(&t);
	put(&t, "A", 0, 30, 5);		/* [25,35] */
	put(&t, "B", 0, 33, 5);		/* [28,38] */
	put(&t, "C", 0, 37, 3);		/* [34,40] */
	put(&t, "E", 1, 31, 10);	/* other side: in no left overlap */
	put(&t, "F", 0, 45, 2);		/* [43,47] */
	put(&t, "G", 0, 46.5, 1);	/* [45.5,47.5]: overlap 1.5 km */
	put(&t, "J", 0, 60, 2);		/* [58,62] */
	put(&t, "K", 0, 64, 2);		/* [62,66]: only touches J */
	r = mkreport("H", 0, 0, lon_at(30), 5, T0 - 301);	/* stale */
	units_merge(&t, &r);
	r = mkreport("I", 0, 0, lon_at(30), 5, T0);
	r.status = STATUS_OFF_DUTY;
	units_merge(&t, &r);

	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.noverlaps, 2);
	assert_int_equal(p.overlaps[0].side, 0);
	assert_near(p.overlaps[0].a, 28, TOL);
	assert_near(p.overlaps[0].b, 38, TOL);
	assert_int_equal(p.overlaps[0].nids, 3);
	/* Sorted ids. */
	assert_string_equal(p.overlaps[0].ids[0], "A");
	assert_string_equal(p.overlaps[0].ids[1], "B");
	assert_string_equal(p.overlaps[0].ids[2], "C");
	assert_false(has_id(&p.overlaps[0], "E"));
	assert_false(has_id(&p.overlaps[0], "H"));
	assert_false(has_id(&p.overlaps[0], "I"));
	assert_near(p.overlaps[1].a, 45.5, TOL);
	assert_near(p.overlaps[1].b, 47, TOL);
	assert_int_equal(p.overlaps[1].nids, 2);
	assert_true(has_id(&p.overlaps[1], "F"));
	assert_true(has_id(&p.overlaps[1], "G"));

	/* Stale and inactive units have no footprint and do not cover. */
	assert_int_equal(picture_unit(&p, "H")->state, STATE_STALE);
	assert_int_equal(picture_unit(&p, "H")->nfp, 0);
	assert_int_equal(picture_unit(&p, "I")->state, STATE_INACTIVE);
	assert_int_equal(picture_unit(&p, "I")->nfp, 0);
	assert_int_equal(p.count[0][STATE_STALE], 1);
	assert_int_equal(p.count[0][STATE_INACTIVE], 1);

	cfg.min_overlap_km = 2;
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.noverlaps, 1);
	assert_int_equal(p.overlaps[0].nids, 3);

	picture_done(&p);
	units_done(&t);
	border_free(m);
}

static void
test_inactive_does_not_cover(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct report		 r;

	units_init(&t);
	r = mkreport("OFF", 0, 0, lon_at(50), 60, T0);
	r.status = STATUS_OUT_OF_SERVICE;
	units_merge(&t, &r);
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.cov[0].n, 0);
	assert_int_equal(p.ngaps, 1);
	assert_near(p.gaps[0].a, 0, 0);
	assert_near(p.gaps[0].b, LEN_KM, TOL);
	assert_near(p.joint_km[JOINT_NONE], LEN_KM, TOL);

	/* Back on patrol it covers everything. */
	r.status = STATUS_PATROL;
	r.seq = 2;
	units_merge(&t, &r);
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.ngaps, 0);
	assert_near(ivlist_length(&p.cov[0]), LEN_KM, TOL);
	picture_done(&p);
	units_done(&t);
	border_free(m);
}

static void
test_states(void **state)
{
	struct picture_config	cfg;
	struct report		r = mkreport("S", 0, 0, 0, NAN, 1000);
	double			age;

	picture_config_defaults(&cfg);
	assert_near(cfg.stale_after_s, 300, 0);
	assert_near(cfg.lost_after_s, 1800, 0);
	assert_near(cfg.min_gap_km, 1, 0);
	assert_near(cfg.radius_km[KIND_DRONE], 8, 0);
	assert_int_equal(cfg.policy, POLICY_EITHER);

	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 300, &age),
	    STATE_FRESH);
	assert_near(age, 300, 0);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 301, &age),
	    STATE_STALE);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 1800, &age),
	    STATE_STALE);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 1801, &age),
	    STATE_LOST);
	assert_near(age, 1801, 0);

	/* From the future: age 0, fresh. */
	assert_int_equal(picture_unit_state(&r, &cfg, 900, &age),
	    STATE_FRESH);
	assert_near(age, 0, 0);

	/* stale_at overrides stale_after, either way. */
	r.stale_at = 1100;
	assert_int_equal(picture_unit_state(&r, &cfg, 1100, &age),
	    STATE_FRESH);
	assert_int_equal(picture_unit_state(&r, &cfg, 1101, &age),
	    STATE_STALE);
	r.stale_at = 2000;
	assert_int_equal(picture_unit_state(&r, &cfg, 1999, &age),
	    STATE_FRESH);
	assert_int_equal(picture_unit_state(&r, &cfg, 2001, &age),
	    STATE_STALE);
	assert_int_equal(picture_unit_state(&r, &cfg, 2801, &age),
	    STATE_LOST);
	/* A report dated ahead of the clock whose stale_at has passed is
	   stale: stale_at wins over the age-0 rule. */
	r.stale_at = 890;
	assert_int_equal(picture_unit_state(&r, &cfg, 900, &age),
	    STATE_STALE);
	assert_near(age, 0, 0);

	/* A ghost: stale_at in 9999 is not believed.  Stale after
	   stale_after, lost after lost_after, like a report without it. */
	assert_int_equal(time_parse_rfc3339("9999-12-31T23:59:59Z",
	    &r.stale_at), 0);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 300, &age),
	    STATE_FRESH);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 301, &age),
	    STATE_STALE);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 1801, &age),
	    STATE_LOST);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 365 * 86400.0,
	    &age), STATE_LOST);
	/* At most lost_after it is believed, and still lost after it. */
	r.stale_at = 1000 + 1800;
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 1800, &age),
	    STATE_FRESH);
	assert_int_equal(picture_unit_state(&r, &cfg, 1000 + 1801, &age),
	    STATE_LOST);

	/* Inactive whatever the age; unknown statuses stay active. */
	r.stale_at = NAN;
	r.status = STATUS_OFF_DUTY;
	assert_int_equal(picture_unit_state(&r, &cfg, 1000, &age),
	    STATE_INACTIVE);
	r.status = STATUS_UNKNOWN;
	assert_int_equal(picture_unit_state(&r, &cfg, 1000, &age),
	    STATE_FRESH);
}

static void
test_radius_and_across(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct report		 r;
	const struct pic_unit	*u;

	units_init(&t);
	/* A right-side unit 1.1 km on the left side: across. */
	r = mkreport("X1", 1, 0.01, lon_at(50), NAN, T0);
	r.kind = KIND_FOOT;
	units_merge(&t, &r);
	/* A left-side unit 0.2 km on the right: within the map's 0.25. */
	r = mkreport("X2", 0, -0.2 / 110.574, lon_at(20), NAN, T0);
	r.kind = KIND_DRONE;
	units_merge(&t, &r);
	/* Right side on its own side. */
	r = mkreport("X3", 1, -0.05, lon_at(80), 3, T0);
	units_merge(&t, &r);

	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	u = picture_unit(&p, "X1");
	assert_true(u->across);
	assert_near(u->pl.d_km, 1.106, 0.01);
	assert_near(u->pl.s_km, 50, 0.001);
	assert_near(u->radius_km, 1.5, 0);	/* foot default */
	u = picture_unit(&p, "X2");
	assert_false(u->across);
	assert_near(u->radius_km, 8, 0);	/* drone default */
	assert_near(ivlist_length(&p.cov[0]), 16, 0.01);
	u = picture_unit(&p, "X3");
	assert_false(u->across);
	assert_near(u->radius_km, 3, 0);	/* the report's own */
	assert_int_equal(p.across, 1);

	/* A tighter tolerance flags X2 too; a wide one clears X1. */
	cfg.across_tol_km = 0.1;
	picture_build(&p, m, &t, &cfg, T0);
	assert_true(picture_unit(&p, "X2")->across);
	assert_int_equal(p.across, 2);
	cfg.across_tol_km = 2;
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.across, 0);

	/* Configured kind radius. */
	cfg.radius_km[KIND_DRONE] = 4;
	picture_build(&p, m, &t, &cfg, T0);
	assert_near(picture_unit(&p, "X2")->radius_km, 4, 0);

	picture_done(&p);
	units_done(&t);
	border_free(m);
}

/*
 * Placement and footprints are kept while a unit does not move, and are
 * recomputed when it moves, when its radius changes or when a full answer
 * repeats it elsewhere.
 */
static void
test_cache_follows_moves(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct feed_msg		 msg;
	struct report		 r[2];
	const struct pic_unit	*u;
	struct interval		*fp;

	units_init(&t);
	put(&t, "M1", 0, 30, 2);
	put(&t, "M2", 0, 70, 2);
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	u = picture_unit(&p, "M1");
	fp = u->fp;
	assert_near(u->fp[0].a, 28, 0.001);

	/* Same position, newer report: the footprint is the same object. */
	r[0] = mkreport("M1", 0, 0, lon_at(30), 2, T0 + 10);
	r[0].seq = 2;
	assert_int_equal(units_merge(&t, &r[0]), MERGE_UPDATED);
	picture_build(&p, m, &t, &cfg, T0 + 10);
	u = picture_unit(&p, "M1");
	assert_ptr_equal(u->fp, fp);

	/* Moved 5 km east: placement and footprint follow. */
	r[0] = mkreport("M1", 0, 0, lon_at(35), 2, T0 + 20);
	r[0].seq = 3;
	units_merge(&t, &r[0]);
	picture_build(&p, m, &t, &cfg, T0 + 20);
	u = picture_unit(&p, "M1");
	assert_near(u->pl.s_km, 35, 0.001);
	assert_near(u->fp[0].a, 33, 0.001);
	assert_near(u->fp[0].b, 37, 0.001);

	/* A new radius for the same kind. */
	cfg.radius_km[KIND_VEHICLE] = 1;
	r[0].radius_km = NAN;
	r[0].seq = 4;
	units_merge(&t, &r[0]);
	picture_build(&p, m, &t, &cfg, T0 + 20);
	assert_near(picture_unit(&p, "M1")->fp[0].a, 34, 0.001);

	/* A full answer with an older seq still replaces (it is the whole
	   truth), moves M1 back and drops M2. */
	memset(&msg, 0, sizeof msg);
	msg.full = 1;
	r[0] = mkreport("M1", 0, 0, lon_at(60), 1, T0 + 30);
	r[0].seq = 1;
	msg.reports = r;
	msg.nreports = 1;
	feed_apply(&msg, &t);
	assert_int_equal(t.n, 1);
	assert_null(units_find(&t, "M2"));
	picture_build(&p, m, &t, &cfg, T0 + 30);
	u = picture_unit(&p, "M1");
	assert_near(u->pl.s_km, 60, 0.001);
	assert_near(u->fp[0].a, 59, 0.001);

	picture_done(&p);
	units_done(&t);
	border_free(m);
}

/*
 * Who can close a gap: the nearest active unit of each side at each end,
 * with its distance along the line; lost and off-duty units cannot.
 */
static void
test_nearest(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct report		 r;
	const struct gap	*g;
	const struct pic_unit	*u;

	(void)state;
	units_init(&t);
	put(&t, "W1", 0, 10, 10);	/* covers 0-20 */
	put(&t, "W2", 0, 5, 1);		/* further west */
	put(&t, "E1", 0, 70, 30);	/* covers 40-100 */
	r = mkreport("MXL", 1, 0, lon_at(30), 1, T0 - 7200);	/* lost */
	units_merge(&t, &r);
	r = mkreport("MXO", 1, 0, lon_at(25), 1, T0);
	r.status = STATUS_OFF_DUTY;
	units_merge(&t, &r);
	r = mkreport("MXS", 1, 0, lon_at(52), 1, T0 - 400);	/* stale */
	units_merge(&t, &r);
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.ngaps, 1);
	g = &p.gaps[0];
	assert_near(g->a, 20, 0.01);
	assert_near(g->b, 40, 0.01);

	u = &p.units->v[g->nearest[GAP_WEST][0].unit - 1];
	assert_string_equal(u->r.id, "W1");
	assert_near(g->nearest[GAP_WEST][0].dist_km, 10, 0.01);
	u = &p.units->v[g->nearest[GAP_EAST][0].unit - 1];
	assert_string_equal(u->r.id, "E1");
	assert_near(g->nearest[GAP_EAST][0].dist_km, 30, 0.01);
	/* MX: the lost unit at 30 and the off-duty one at 25 cannot; the
	   stale one at 52 can, 12 km east. */
	assert_int_equal(g->nearest[GAP_WEST][1].unit, 0);
	u = &p.units->v[g->nearest[GAP_EAST][1].unit - 1];
	assert_string_equal(u->r.id, "MXS");
	assert_int_equal(u->state, STATE_STALE);
	assert_near(g->nearest[GAP_EAST][1].dist_km, 12, 0.01);
	picture_done(&p);
	units_done(&t);
	border_free(m);
}

/* A hairpin: east 30 km, north ~6.6 km, back west 30 km. */
static void
test_zigzag(void **state)
{
	struct border_map	*m;
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct report		 r;
	const struct pic_unit	*u;
	double			 lat[] = { 0, 0, 0.06, 0.06 };
	double			 lon[] = { 0, lon_at(30), lon_at(30), 0 };
	char			 why[256];

	m = border_new();
	assert_int_equal(border_build(m, lat, lon, 4, why, sizeof why),
	    BC_OK);
	strcpy(m->sides[0].code, "NO");
	strcpy(m->sides[1].code, "SO");
	assert_int_equal(border_add_sector(m, 0, "A", "A", lat[0], lon[0],
	    lat[3], lon[3], why, sizeof why), BC_OK);
	assert_int_equal(border_add_sector(m, 1, "B", "B", lat[0], lon[0],
	    lat[3], lon[3], why, sizeof why), BC_OK);
	assert_int_equal(border_check_sectors(m, why, sizeof why), BC_OK);

	units_init(&t);
	/* Between the legs, 3.3 km from each: a 5 km circle hits both. */
	r = mkreport("Z", 0, 0.03, lon_at(10), 5, T0);
	units_merge(&t, &r);
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	u = picture_unit(&p, "Z");
	assert_int_equal(u->nfp, 2);
	assert_int_equal(p.cov[0].n, 2);
	/* Gaps: before, between the two touches, after. */
	assert_int_equal(p.ngaps, 3);
	assert_near(p.gaps[0].b, u->fp[0].a, TOL);
	assert_near(p.gaps[1].a, u->fp[0].b, TOL);
	assert_near(p.gaps[1].b, u->fp[1].a, TOL);
	assert_near(p.gaps[2].b, m->length_km, TOL);
	/* One unit twice over the line is no overlap. */
	assert_int_equal(p.noverlaps, 0);
	picture_done(&p);
	units_done(&t);
	border_free(m);
}

static void
test_many_units(void **state)
{
	struct border_map	*m = straight_map();
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	char			 id[32];
	size_t			 i;

	/* 2,000 units, every 0.02 km with 0.1 km radius: one long run of
	   overlap naming all of them; the sweep must not go quadratic. */
	units_init(&t);
	for (i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "U%04zu", i);
		put(&t, id, 0, 0.02 * (double)i + 0.1, 0.1);
	}
	picture_init(&p);
	picture_config_defaults(&cfg);
	picture_build(&p, m, &t, &cfg, T0);
	assert_int_equal(p.cov[0].n, 1);
	assert_near(p.cov[0].v[0].b, 0.02 * 1999 + 0.2, TOL);
	assert_int_equal(p.noverlaps, 1);
	assert_int_equal(p.overlaps[0].nids, 2000);
	assert_int_equal(p.ngaps, 1);
	picture_done(&p);
	units_done(&t);
	border_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_gap_sectors_and_stats),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_inactive_does_not_cover),
		cmocka_unit_test(test_radius_and_across),
		cmocka_unit_test(test_zigzag),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_many_units),
		cmocka_unit_test(test_cache_follows_moves),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
