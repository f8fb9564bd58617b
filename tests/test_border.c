/*
 * test_border.c: geodesic placement on the shipped border line.
 *
 * The reference is an exhaustive GeographicLib search written here,
 * independent of border.c's index and Newton iteration: the distance to
 * every vertex of the line, then every segment that could hold a nearer
 * point sampled densely along its geodesic and refined by golden-section
 * search.  Tolerances follow geodtest.c's habit of explicit bounds per case.
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
#include <geodesic.h>

#include "border.h"
#include "map.h"

#define DEG	(M_PI / 180)
#define MAP	SRCDIR "/maps/us-mx.geojson"
#ifndef NRANDOM_LINES
#define NRANDOM_LINES	40
#endif

static struct border_map *map;

static int
setup(void **state)
{
	char	why[512];

	if (map_load_file(MAP, &map, why, sizeof why) != BC_OK) {
		fprintf(stderr, "%s\n", why);
		return (-1);
	}
	return (0);
}

static int
teardown(void **state)
{
	border_free(map);
	return (0);
}

static double
dist_km(const struct border_map *m, double lat0, double lon0, double lat1,
    double lon1, double *azi)
{
	double	s12, a1, a2;

	geod_inverse(m->geod, lat0, lon0, lat1, lon1, &s12, &a1, &a2);
	if (azi != NULL)
		*azi = a1;
	return (s12 / 1000);
}

/* The point off km from (lat, lon) at azimuth azi. */
static void
go(const struct border_map *m, double lat, double lon, double azi,
    double km, double *olat, double *olon)
{
	geod_direct(m->geod, lat, lon, azi, km * 1000, olat, olon, NULL);
}

/* Azimuth of the line at chainage s (deg). */
static double
line_azi(const struct border_map *m, double s)
{
	double	la0, lo0, la1, lo1, azi;

	border_point_at(m, s, &la0, &lo0);
	border_point_at(m, s + 0.001, &la1, &lo1);
	dist_km(m, la0, lo0, la1, lo1, &azi);
	return (azi);
}

struct ref {
	double	s;		/* chainage, km */
	double	d;		/* signed offset, km */
};

/* Exhaustive nearest point of the line, with the side by the segment's
   direction or, at an interior vertex, by the angular sector rule. */
static void
reference(const struct border_map *m, double lat, double lon,
    struct ref *r)
{
	struct geod_geodesicline	 l;
	size_t				 n = m->nverts, i, v;
	double				*dv, best = INFINITY, bd = INFINITY;
	double				 len, x, lo, hi, s, la, lo2, az, d, azp;
	double				 m1, m2, d1, d2, rin, a, b;
	int				 j, it, left = 0, bx;
	const int			 ns = 400;

	r->s = 0;
	dv = malloc(n * sizeof *dv);
	for (i = 0; i < n; i++) {
		dv[i] = dist_km(m, m->lat[i], m->lon[i], lat, lon, NULL);
		best = fmin(best, dv[i]);
	}
	for (i = 0; i + 1 < n; i++) {
		len = m->chain_km[i + 1] - m->chain_km[i];
		/* Every point of the segment is within len/2 of an end. */
		if (fmin(dv[i], dv[i + 1]) - len / 2 > best)
			continue;
		geod_lineinit(&l, m->geod, m->lat[i], m->lon[i], m->azi1[i],
		    0);
		bx = 0;
		d1 = INFINITY;
		for (j = 0; j <= ns; j++) {
			geod_position(&l, len * 1000 * j / ns, &la, &lo2, &az);
			d = dist_km(m, la, lo2, lat, lon, NULL);
			if (d < d1) {
				d1 = d;
				bx = j;
			}
		}
		lo = fmax(0, len * (bx - 1) / ns);
		hi = fmin(len, len * (bx + 1) / ns);
		for (it = 0; it < 60; it++) {
			m1 = lo + (hi - lo) * 0.381966;
			m2 = lo + (hi - lo) * 0.618034;
			geod_position(&l, m1 * 1000, &la, &lo2, &az);
			d1 = dist_km(m, la, lo2, lat, lon, NULL);
			geod_position(&l, m2 * 1000, &la, &lo2, &az);
			d2 = dist_km(m, la, lo2, lat, lon, NULL);
			if (d1 < d2)
				hi = m2;
			else
				lo = m1;
		}
		x = (lo + hi) / 2;
		if (x < 1e-6)
			x = 0;
		if (x > len - 1e-6)
			x = len;
		geod_position(&l, x * 1000, &la, &lo2, &az);
		d = dist_km(m, la, lo2, lat, lon, &azp);
		best = fmin(best, d);
		if (d >= bd)
			continue;
		bd = d;
		s = m->chain_km[i] + x;
		v = x == 0 && i > 0 ? i : x == len && i + 2 < n ? i + 1 : 0;
		if (v != 0) {
			dist_km(m, m->lat[v], m->lon[v], lat, lon, &azp);
			rin = m->azi2[v - 1] + 180;
			a = fmod(fmod(m->azi1[v] - rin, 360) + 360, 360);
			b = fmod(fmod(azp - rin, 360) + 360, 360);
			left = b > 0 && b < a;
		} else
			left = sin((azp - az) * DEG) < 0;
		r->s = s;
	}
	r->d = left ? bd : -bd;
	free(dv);
}

static void
test_length(void **state)
{
	assert_int_equal(map->nverts, 2906);
	assert_true(fabs(map->length_km - 3308.513) <= 0.001);
}

/* 132 points along the whole line, both sides, 0.05 to 30 km off. */
static void
test_locate_reference(void **state)
{
	static const double	 off[] = { 0.05, 0.2, 1, 3, 10, 30 };
	struct placement	 pl;
	struct ref		 r;
	double			 s, la, lo, lat, lon, k0;
	int			 k, n = 132, nleft = 0;

	for (k = 0; k < n; k++) {
		s = (k + 0.37) * map->length_km / n;
		border_point_at(map, s, &la, &lo);
		k0 = off[(k / 2) % 6] * (k % 2 ? 1 : -1);
		go(map, la, lo, line_azi(map, s) - 90, k0, &lat, &lon);
		border_locate(map, lat, lon, &pl);
		reference(map, lat, lon, &r);
		if (fabs(pl.s_km - r.s) > 0.001 || fabs(pl.d_km - r.d) > 0.001)
			fail_msg("point %d (%.6f, %.6f): s %.4f d %.4f, "
			    "reference s %.4f d %.4f", k, lat, lon, pl.s_km,
			    pl.d_km, r.s, r.d);
		assert_int_equal(pl.beyond, 0);
		assert_true(fabs(dist_km(map, pl.foot_lat, pl.foot_lon, lat,
		    lon, NULL) - fabs(pl.d_km)) < 0.001);
		nleft += pl.d_km > 0;
	}
	/* Both sides were exercised. */
	assert_true(nleft > n / 4 && nleft < 3 * n / 4);
}

/*
 * Positions 60 km to a continent away (a unit reporting 0,0 after a GPS
 * failure is valid input): the same answer as the exhaustive reference.
 */
static void
test_locate_far(void **state)
{
	static const double	 pos[][2] = {
		{ 0, 0 }, { 40, -105 }, { 20, -105 }, { 29, -106 },
		{ 33.5, -112 }, { 45, -117 }, { 26, -90 }, { 31, -80 },
		{ 89, 0 }, { -30, 60 }, { 31.9, -111.2 }, { 25.2, -99.8 }
	};
	struct placement	 pl;
	struct ref		 r;
	size_t			 k;

	for (k = 0; k < sizeof pos / sizeof pos[0]; k++) {
		border_locate(map, pos[k][0], pos[k][1], &pl);
		reference(map, pos[k][0], pos[k][1], &r);
		if (fabs(pl.s_km - r.s) > 0.001 || fabs(pl.d_km - r.d) > 0.001)
			fail_msg("(%g, %g): s %.4f d %.4f, reference s %.4f "
			    "d %.4f", pos[k][0], pos[k][1], pl.s_km, pl.d_km,
			    r.s, r.d);
		assert_true(fabs(dist_km(map, pl.foot_lat, pl.foot_lon,
		    pos[k][0], pos[k][1], NULL) - fabs(pl.d_km)) < 0.001);
	}
}

/* xorshift64*: the same positions on every run. */
static uint64_t	rng_state = 20261203u;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((rng_state * 2685821657736338717ull >> 11) * 0x1.0p-53);
}

/*
 * Far units (issue 13): border_locate() leaves the grid for a search with
 * bounds of its own (sphere, Toponogov); the exhaustive reference checks
 * it on 300 seeded positions of every kind it must get right: 50 km to
 * 20,000 km straight out from the line, near the antipodes of the line's
 * points, at and near the poles, on both sides of the 180th meridian,
 * on the bisectors of two points of the line and uniform on the globe
 * (test_locate_far_equidistant has the positions equidistant from two
 * stretches).  Offset to 1 m; the chainage to
 * 1 m unless another stretch is as near (then the foot found must be as
 * near too); the side wherever the foot is the reference's.
 */
static void
test_locate_far_brute(void **state)
{
	struct placement	 pl;
	struct ref		 r;
	double			 lat, lon, la, lo, la2, lo2, s, d, azi, flat,
				 flon;
	int			 k, kind, ties = 0, n = 300;

	for (k = 0; k < n; k++) {
		kind = k % 6;
		s = rng_uniform() * map->length_km;
		border_point_at(map, s, &la, &lo);
		switch (kind) {
		case 0:		/* 50 km to 20,000 km out, either side */
			d = 50 * pow(400, rng_uniform());
			go(map, la, lo, line_azi(map, s) +
			    (rng_uniform() < 0.5 ? 90 : -90), d, &lat, &lon);
			break;
		case 1:		/* near the antipode of a point of the line */
			lat = -la + (rng_uniform() - 0.5) * 2;
			lon = lo + 180 + (rng_uniform() - 0.5) * 2;
			break;
		case 2:		/* the poles and near them */
			lat = (k / 6) % 4 == 0 ? 90 : (k / 6) % 4 == 1 ?
			    -90 : 90 - rng_uniform() * 0.5;
			if ((k / 6) % 8 == 3)
				lat = -lat;
			lon = 360 * rng_uniform() - 180;
			break;
		case 3:		/* on or near the 180th meridian */
			lat = 180 * rng_uniform() - 90;
			lon = (k / 6) % 3 == 0 ? 180 : (k / 6) % 3 == 1 ?
			    -180 : 180 - 1e-9;
			break;
		case 4:		/* on the bisector of two points of the line */
			border_point_at(map, rng_uniform() * map->length_km,
			    &la2, &lo2);
			dist_km(map, la, lo, la2, lo2, &azi);
			d = dist_km(map, la, lo, la2, lo2, NULL);
			go(map, la, lo, azi, d / 2, &flat, &flon);
			dist_km(map, flat, flon, la2, lo2, &azi);
			go(map, flat, flon, azi + (rng_uniform() < 0.5 ? 90 :
			    -90), 100 + 5000 * rng_uniform(), &lat, &lon);
			break;
		default:	/* uniform on the globe */
			lat = asin(2 * rng_uniform() - 1) / DEG;
			lon = 360 * rng_uniform() - 180;
			break;
		}
		lon = remainder(lon, 360);
		if (lon == -180 && kind == 3 && (k / 6) % 3 == 0)
			lon = 180;
		border_locate(map, lat, lon, &pl);
		reference(map, lat, lon, &r);
		if (fabs(fabs(pl.d_km) - fabs(r.d)) > 0.001)
			fail_msg("kind %d (%.9f, %.9f): d %.4f, reference %.4f",
			    kind, lat, lon, pl.d_km, r.d);
		/* The foot is a point of the line, |d| from the position. */
		assert_true(fabs(dist_km(map, pl.foot_lat, pl.foot_lon, lat,
		    lon, NULL) - fabs(pl.d_km)) < 0.001);
		border_point_at(map, pl.s_km, &la, &lo);
		assert_true(dist_km(map, la, lo, pl.foot_lat, pl.foot_lon,
		    NULL) < 0.001);
		if (fabs(pl.s_km - r.s) > 0.001) {
			/* Another stretch as near: the reference's. */
			ties++;
			continue;
		}
		if ((pl.d_km > 0) != (r.d > 0))
			fail_msg("kind %d (%.9f, %.9f): d %.4f, reference %.4f",
			    kind, lat, lon, pl.d_km, r.d);
	}
	/* Ties are rare: the comparison above is not void. */
	assert_true(ties < n / 20);
}

/*
 * Positions equidistant from two stretches of the line: on the geodesic
 * between a position whose nearest point is in the line's western half
 * and one whose nearest point is in its eastern half, bisected (by the
 * reference) to where the nearest point changes halves, so that the two
 * stretches are within a millimetre of the same distance.  The offset
 * must agree to the millimetre, and the foot must be as near as that.
 */
static void
test_locate_far_equidistant(void **state)
{
	static const double	 out[] = { 1000, 3000, -1000, 8000 };
	struct geod_geodesicline l;
	struct placement	 pl;
	struct ref		 r;
	double			 la0, lo0, la1, lo1, lat, lon, azi, len, lo,
				 hi, mid, s0, s1, half = map->length_km / 2;
	size_t			 k;
	int			 it;

	for (k = 0; k < sizeof out / sizeof out[0]; k++) {
		s0 = 150;
		s1 = map->length_km - 150;
		border_point_at(map, s0, &la0, &lo0);
		go(map, la0, lo0, line_azi(map, s0) - 90, out[k], &la0, &lo0);
		border_point_at(map, s1, &la1, &lo1);
		go(map, la1, lo1, line_azi(map, s1) - 90, out[k], &la1, &lo1);
		reference(map, la0, lo0, &r);
		assert_true(r.s < half);
		reference(map, la1, lo1, &r);
		assert_true(r.s > half);
		len = dist_km(map, la0, lo0, la1, lo1, &azi);
		geod_lineinit(&l, map->geod, la0, lo0, azi, 0);
		lo = 0;
		hi = len;
		for (it = 0; it < 40; it++) {
			mid = (lo + hi) / 2;
			geod_position(&l, mid * 1000, &lat, &lon, NULL);
			reference(map, lat, lon, &r);
			if (r.s < half)
				lo = mid;
			else
				hi = mid;
		}
		geod_position(&l, lo * 1000, &lat, &lon, NULL);
		reference(map, lat, lon, &r);
		border_locate(map, lat, lon, &pl);
		if (fabs(fabs(pl.d_km) - fabs(r.d)) > 1e-6)
			fail_msg("(%.9f, %.9f): d %.7f, reference %.7f", lat,
			    lon, pl.d_km, r.d);
		assert_true(fabs(dist_km(map, pl.foot_lat, pl.foot_lon, lat,
		    lon, NULL) - fabs(r.d)) < 1e-6);
		/* The other stretch really is as near (within 1 mm). */
		geod_position(&l, hi * 1000, &la1, &lo1, NULL);
		reference(map, la1, lo1, &r);
		assert_true(r.s > half);
		assert_true(fabs(fabs(r.d) - fabs(pl.d_km)) < 0.001);
	}
}

/*
 * The line the map fuzzer found: a vertex at the pole, the last segment
 * down a meridian from it, and positions on that meridian past the
 * line's end.  There a node's bound equals its end's distance and once
 * rounded above it, so the search dropped the node with the nearest
 * vertex and placed nothing (offset -inf).
 */
static void
test_locate_pole_extension(void **state)
{
	static const double	 vlat[] = { 45, 5.1, 40.5, 90, 45.2 };
	static const double	 vlon[] = { 10, 10.5, 11, 11, 11.5 };
	struct border_map	*m;
	struct placement	 pl;
	struct ref		 r;
	char			 why[256];
	double			 lat;
	int			 k;

	(void)state;
	m = border_new();
	assert_int_equal(border_build(m, vlat, vlon, 5, why, sizeof why),
	    BC_OK);
	for (k = 0; k < 40; k++) {
		lat = 45.2 - 0.01 * (k + 1);
		border_locate(m, lat, 11.5, &pl);
		reference(m, lat, 11.5, &r);
		if (!isfinite(pl.d_km) || fabs(fabs(pl.d_km) - fabs(r.d)) >
		    0.001 || fabs(pl.s_km - r.s) > 0.001)
			fail_msg("(%g, 11.5): s %.4f d %.4f, reference s %.4f "
			    "d %.4f", lat, pl.s_km, pl.d_km, r.s, r.d);
	}
	border_free(m);
}

/*
 * A line from the north pole down a meridian to the equator (the
 * fuzz_map input that took seconds to refuse: its grid spanned every
 * longitude, and at the pole a ring of cells is bounded by nothing): the
 * grid grows coarser, the rings hand over to the far search, and
 * placement stays exact at the pole, near it and along the line; so do
 * footprints, which the planar frame cut short at the pole (24 km of
 * 30).
 */
static void
test_locate_pole_line(void **state)
{
	static const double	 vlat[] = { 90, 0, 0, 0.5 };
	static const double	 vlon[] = { 90, -90, -89, -88 };
	static const double	 pos[][2] = {
		{ 90, 0 }, { 90, 20 }, { 89.9, 20 }, { 89.99, -90 },
		{ 45, -90.2 }, { 45, 90 }, { 10, -80 }, { -30, 60 },
		{ 0.2, -88.5 }, { -60, -89.5 }
	};
	struct border_map	*m;
	struct placement	 pl;
	struct ref		 r;
	struct interval		*iv;
	char			 why[256];
	double			 lat, lon, lo, hi, s, la, lo2;
	size_t			 k, n;
	int			 it;

	m = border_new();
	assert_int_equal(border_build(m, vlat, vlon, 4, why, sizeof why),
	    BC_OK);
	for (k = 0; k < sizeof pos / sizeof pos[0]; k++) {
		border_locate(m, pos[k][0], pos[k][1], &pl);
		reference(m, pos[k][0], pos[k][1], &r);
		if (fabs(fabs(pl.d_km) - fabs(r.d)) > 0.001 ||
		    (fabs(r.d) > 0.001 && fabs(pl.s_km - r.s) > 0.001))
			fail_msg("(%g, %g): s %.4f d %.4f, reference s %.4f "
			    "d %.4f", pos[k][0], pos[k][1], pl.s_km, pl.d_km,
			    r.s, r.d);
		assert_true(fabs(dist_km(m, pl.foot_lat, pl.foot_lon,
		    pos[k][0], pos[k][1], NULL) - fabs(pl.d_km)) < 0.001);
	}
	/* Footprints of 30 km at the pole and 1 km from it: from the
	   line's start to where its distance reaches 30 km (bisected). */
	for (k = 0; k < 2; k++) {
		lat = k == 0 ? 90 : 89.99;
		lon = 20;
		lo = 0;
		hi = 100;
		for (it = 0; it < 60; it++) {
			s = (lo + hi) / 2;
			border_point_at(m, s, &la, &lo2);
			if (dist_km(m, la, lo2, lat, lon, NULL) < 30)
				lo = s;
			else
				hi = s;
		}
		n = border_footprint(m, lat, lon, 30, &iv);
		assert_int_equal(n, 1);
		if (fabs(iv[0].a) > 1e-6 || fabs(iv[0].b - lo) > 1e-5)
			fail_msg("(%g, %g): footprint %.6f-%.6f, not 0-%.6f",
			    lat, lon, iv[0].a, iv[0].b, lo);
		free(iv);
	}
	border_free(m);
}

/*
 * Lines unlike the shipped one (random walks of 2 to 300 vertices,
 * segments of 100 m to 2,000 km, some zigzagging back on themselves,
 * some near a pole): the far search's bounds hold for any line, so
 * placement agrees with the exhaustive reference at any distance.
 */
static void
test_locate_random_lines(void **state)
{
	struct border_map	*m;
	struct placement	 pl;
	struct ref		 r;
	double			*vlat, *vlon, azi, len, lat, lon, s, d, la, lo;
	char			 why[256];
	int			 line, n, i, k, bad;

	vlat = malloc(300 * sizeof *vlat);
	vlon = malloc(300 * sizeof *vlon);
	for (line = 0; line < NRANDOM_LINES; line++) {
		do {
			n = 2 + (int)(rng_uniform() * (line % 3 == 0 ? 298 :
			    20));
			vlat[0] = line % 5 == 4 ? 80 + 9 * rng_uniform() :
			    asin(2 * rng_uniform() - 1) / DEG;
			vlon[0] = 360 * rng_uniform() - 180;
			azi = 360 * rng_uniform();
			bad = 0;
			for (i = 1; i < n && !bad; i++) {
				len = 0.1 * pow(20000, rng_uniform());
				azi += line % 2 ? 180 * rng_uniform() - 90 :
				    30 * rng_uniform() - 15;
				go(map, vlat[i - 1], vlon[i - 1], azi, len,
				    &vlat[i], &vlon[i]);
				bad = fabs(vlon[i] - vlon[i - 1]) > 180;
			}
		} while (bad);
		m = border_new();
		if (border_build(m, vlat, vlon, (size_t)n, why, sizeof why) !=
		    BC_OK)
			fail_msg("line %d: %s", line, why);
		for (k = 0; k < 8; k++) {
			if (k < 4) {
				s = rng_uniform() * m->length_km;
				border_point_at(m, s, &la, &lo);
				d = k == 0 ? 0.5 : 30 * pow(500, rng_uniform());
				go(m, la, lo, 360 * rng_uniform(), d, &lat,
				    &lon);
			} else {
				lat = asin(2 * rng_uniform() - 1) / DEG;
				lon = 360 * rng_uniform() - 180;
			}
			border_locate(m, lat, lon, &pl);
			reference(m, lat, lon, &r);
			if (fabs(fabs(pl.d_km) - fabs(r.d)) > 0.001)
				fail_msg("line %d (%d vertices), (%.9f, %.9f): "
				    "d %.4f, reference %.4f", line, n, lat, lon,
				    pl.d_km, r.d);
			assert_true(fabs(dist_km(m, pl.foot_lat, pl.foot_lon,
			    lat, lon, NULL) - fabs(pl.d_km)) < 0.001);
		}
		border_free(m);
	}
	free(vlat);
	free(vlon);
}

/*
 * Single segments seen from a quarter of the globe away or more (found by
 * test_locate_random_lines run on hundreds of lines).  Beyond a quarter
 * the distance along a segment can peak inside it, so both ends are
 * local minima and the nearer one must be found.
 */
static void
test_locate_segment_peak(void **state)
{
	static const double	 vlat[] = {
		-14.713432296103, -10.855818923206
	};
	static const double	 vlon[] = {
		-158.724624801027, -157.802271499715
	};
	static const double	 wlat[] = { 86.865738634641, -7.326449859974 };
	static const double	 wlon[] = { 22.797742775821, -16.177069321113 };
	struct border_map	*m;
	struct placement	 pl;
	struct ref		 r;
	char			 why[256];

	m = border_new();
	assert_int_equal(border_build(m, vlat, vlon, 2, why, sizeof why),
	    BC_OK);
	border_locate(m, 2.714842123, -14.764602690, &pl);
	reference(m, 2.714842123, -14.764602690, &r);
	assert_true(fabs(pl.s_km - m->length_km) < 1e-9);
	assert_true(fabs(pl.d_km - r.d) < 0.001);
	assert_true(fabs(r.d + 15855.879) < 0.001);
	border_free(m);

	/* A segment of 10,000 km a quarter of the globe away, along which
	   the distance is so flat that Newton's steps fell short (so flat
	   that the reference's chainage is good to metres only). */
	m = border_new();
	assert_int_equal(border_build(m, wlat, wlon, 2, why, sizeof why),
	    BC_OK);
	border_locate(m, -0.438906988, 73.531246137, &pl);
	reference(m, -0.438906988, 73.531246137, &r);
	if (fabs(pl.s_km - r.s) > 0.01 || fabs(pl.d_km - r.d) > 0.001)
		fail_msg("s %.4f d %.4f, reference s %.4f d %.4f", pl.s_km,
		    pl.d_km, r.s, r.d);
	border_free(m);
}

/* Points past either end clamp to it and say so. */
static void
test_beyond(void **state)
{
	struct placement	 pl;
	size_t			 e = map->nverts - 1;
	double			 lat, lon;

	go(map, map->lat[0], map->lon[0], map->azi1[0] + 180, 5, &lat, &lon);
	border_locate(map, lat, lon, &pl);
	assert_int_equal(pl.beyond, -1);
	assert_true(fabs(pl.s_km) < 1e-9);
	assert_true(fabs(fabs(pl.d_km) - 5) < 0.001);
	assert_true(fabs(pl.foot_lat - map->lat[0]) < 1e-9);

	go(map, map->lat[e], map->lon[e], map->azi2[e - 1], 8, &lat, &lon);
	border_locate(map, lat, lon, &pl);
	assert_int_equal(pl.beyond, 1);
	assert_true(fabs(pl.s_km - map->length_km) < 1e-9);
	assert_true(fabs(fabs(pl.d_km) - 8) < 0.001);

	/* Alongside, near the ends: not beyond. */
	border_point_at(map, 0.2, &lat, &lon);
	go(map, lat, lon, map->azi1[0] + 90, 0.5, &lat, &lon);
	border_locate(map, lat, lon, &pl);
	assert_int_equal(pl.beyond, 0);
	assert_true(fabs(pl.s_km - 0.2) < 0.001);
	assert_true(fabs(pl.d_km + 0.5) < 0.001);
}

/*
 * Reference rows from ../shared/data/places.csv (chainage and signed
 * offset by nearest geodesic point; coordinates approximate crossing
 * locations; the line is (c) OpenStreetMap contributors, ODbL 1.0).
 */
static const struct {
	const char	*name;
	double		 lat, lon, s, d;
} places[] = {
	{ "San Ysidro POE", 32.5422, -117.0297, 8.967, -0.031 },
	{ "Tecate POE", 32.5764, -116.6276, 46.920, 0.011 },
	{ "San Luis POE", 32.4858, -114.7823, 267.451, 0.072 },
	{ "Nogales DeConcini POE", 31.3331, -110.9425, 655.767, 0.018 },
	{ "Columbus POE", 31.7834, -107.6365, 1020.058, -0.052 },
	{ "Paso del Norte bridge", 31.7493, -106.4872, 1130.989, 0.148 },
	{ "Presidio-Ojinaga bridge", 29.5555, -104.3880, 1583.183, 0.503 },
	{ "Del Rio-Acuna bridge", 29.3265, -100.9285, 2261.881, -0.049 },
	{ "Laredo Gateway to the Americas bridge", 27.4998, -99.5074,
	    2635.087, -0.000 },
	{ "Hidalgo-Reynosa bridge", 26.0940, -98.2710, 3033.240, -0.075 },
	{ "Brownsville Gateway bridge", 25.8960, -97.4970, 3212.427, -0.068 },
	{ "Rio Grande mouth (Gulf terminus)", 25.9566, -97.1459, 3308.330,
	    -0.025 },
};

static void
test_places_reference(void **state)
{
	struct placement	 pl;
	size_t			 i, k;
	int			 found;

	for (i = 0; i < sizeof places / sizeof places[0]; i++) {
		border_locate(map, places[i].lat, places[i].lon, &pl);
		if (fabs(pl.s_km - places[i].s) > 0.01 ||
		    fabs(pl.d_km - places[i].d) > 0.01)
			fail_msg("%s: s %.3f d %.3f, expected %.3f %.3f",
			    places[i].name, pl.s_km, pl.d_km, places[i].s,
			    places[i].d);
		/* The map's places were located the same way at load. */
		found = 0;
		for (k = 0; k < map->nplaces; k++)
			if (strcmp(map->places[k].name, places[i].name) == 0) {
				assert_true(fabs(map->places[k].chainage_km -
				    places[i].s) <= 0.01);
				found = 1;
			}
		assert_true(found);
	}
}

static const char *
sector_code(int side, double lat, double lon)
{
	struct placement	pl;
	int			k;

	border_locate(map, lat, lon, &pl);
	k = border_sector_at(map, side, pl.s_km);
	assert_true(k >= 0);
	return (map->sectors[side][k].code);
}

static void
test_known_sectors(void **state)
{
	int	us, mx;

	us = border_side_by_code(map, "US");
	mx = border_side_by_code(map, "MX");
	assert_int_equal(us, SIDE_LEFT);
	assert_int_equal(mx, SIDE_RIGHT);
	assert_int_equal(border_side_by_code(map, "CA"), SIDE_NONE);

	assert_string_equal(sector_code(us, 31.3331, -110.9425), "TCA");
	assert_string_equal(sector_code(mx, 31.3331, -110.9425), "SO");
	assert_string_equal(sector_code(us, 31.7493, -106.4872), "EPT");
	assert_string_equal(sector_code(mx, 31.7493, -106.4872), "CH");
	assert_string_equal(sector_code(us, 27.4998, -99.5074), "LRT");
	assert_string_equal(sector_code(mx, 27.4998, -99.5074), "TM");
	assert_string_equal(sector_code(us, 32.5422, -117.0297), "SDC");
	assert_string_equal(sector_code(mx, 32.5422, -117.0297), "BC");

	/* The ends of the line belong to the first and last sectors. */
	assert_string_equal(map->sectors[us][border_sector_at(map, us, 0)].code,
	    "SDC");
	assert_string_equal(map->sectors[mx][border_sector_at(map, mx,
	    map->length_km)].code, "TM");
}

static void
test_near_phrase(void **state)
{
	const struct place	*p;
	char			 buf[128];
	double			 lat, lon, d, azi;

	go(map, 31.3331, -110.9425, 270, 12, &lat, &lon);
	border_near_phrase(map, lat, lon, SIDE_LEFT, buf, sizeof buf);
	assert_string_equal(buf, "12 km W of Nogales");
	p = border_nearest_place(map, lat, lon, &d, &azi);
	assert_non_null(p);
	assert_string_equal(p->name, "Nogales DeConcini POE");
	assert_true(fabs(d - 12) < 1e-6);

	go(map, 31.7493, -106.4872, 135, 5.2, &lat, &lon);
	border_near_phrase(map, lat, lon, SIDE_RIGHT, buf, sizeof buf);
	assert_string_equal(buf, "5 km SE of Ciudad Juarez");
	border_near_phrase(map, lat, lon, SIDE_NONE, buf, sizeof buf);
	assert_string_equal(buf, "5 km SE of El Paso");

	go(map, 31.3331, -110.9425, 10, 0.6, &lat, &lon);
	border_near_phrase(map, lat, lon, SIDE_LEFT, buf, sizeof buf);
	assert_string_equal(buf, "at Nogales");

	/* Beyond 50 km a place says nothing: the phrase says so. */
	go(map, 31.3331, -110.9425, 270, 49.8, &lat, &lon);
	border_near_phrase(map, lat, lon, SIDE_LEFT, buf, sizeof buf);
	assert_string_equal(buf, "50 km W of Nogales");
	go(map, 31.3331, -110.9425, 270, 50.5, &lat, &lon);
	border_near_phrase(map, lat, lon, SIDE_LEFT, buf, sizeof buf);
	assert_string_equal(buf, "no place within 50 km");
}

static void
test_side_of(void **state)
{
	assert_int_equal(border_side_of(0.3, 0.25), SIDE_LEFT);
	assert_int_equal(border_side_of(-0.3, 0.25), SIDE_RIGHT);
	assert_int_equal(border_side_of(0.25, 0.25), SIDE_NONE);
	assert_int_equal(border_side_of(-0.1, 0.25), SIDE_NONE);
	assert_int_equal(border_side_of(0.001, 0), SIDE_LEFT);
}

/*
 * A hairpin: east, then back west-south-west.  Around the apex the nearest
 * point is the vertex itself; the outside of a right turn is the left.
 * Either segment's own direction alone gets some of these wrong.
 */
static void
test_vertex_side(void **state)
{
	static const double	 lat[] = { 45.0, 45.0, 44.97 };
	static const double	 lon[] = { 10.0, 10.1, 10.0 };
	struct border_map	*m;
	struct placement	 pl;
	char			 why[256];
	double			 plat, plon, azi;
	static const double	 outside[] = { 60, 90, 120, 150 };
	size_t			 i;

	m = border_new();
	assert_int_equal(border_build(m, lat, lon, 3, why, sizeof why), BC_OK);
	for (i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		go(m, lat[1], lon[1], outside[i], 0.5, &plat, &plon);
		border_locate(m, plat, plon, &pl);
		assert_true(fabs(pl.s_km - m->chain_km[1]) < 1e-6);
		assert_true(fabs(pl.d_km - 0.5) < 1e-6);
	}
	/* Mirror: the same hairpin turning left puts the outside on the
	   right. */
	{
		static const double	 lat2[] = { 45.0, 45.0, 45.03 };
		struct border_map	*m2 = border_new();

		assert_int_equal(border_build(m2, lat2, lon, 3, why,
		    sizeof why), BC_OK);
		for (i = 0; i < sizeof outside / sizeof outside[0]; i++) {
			azi = 180 - outside[i];
			go(m2, lat2[1], lon[1], azi, 0.5, &plat, &plon);
			border_locate(m2, plat, plon, &pl);
			assert_true(fabs(pl.d_km + 0.5) < 1e-6);
		}
		border_free(m2);
	}
	/* Inside the hairpin, between the two arms: right of both. */
	go(m, lat[1], lon[1], 250, 0.3, &plat, &plon);
	border_locate(m, plat, plon, &pl);
	assert_true(pl.d_km < 0);
	border_free(m);
}

/* Check a footprint against the line sampled every step km: every sample
   inside an interval is within r, every sample outside is not (allowing
   1 m at the ends), and every inner end is at distance r (1 m). */
static void
check_footprint(double lat, double lon, double r, const struct interval *iv,
    size_t n, double from, double to, double step)
{
	double	s, la, lo, d;
	size_t	i;
	int	in, near;

	for (i = 0; i < n; i++) {
		assert_true(iv[i].a <= iv[i].b);
		if (i > 0)
			assert_true(iv[i].a > iv[i - 1].b);
		if (iv[i].a > 0) {
			border_point_at(map, iv[i].a, &la, &lo);
			assert_true(fabs(dist_km(map, la, lo, lat, lon, NULL) -
			    r) < 0.001);
		}
		if (iv[i].b < map->length_km) {
			border_point_at(map, iv[i].b, &la, &lo);
			assert_true(fabs(dist_km(map, la, lo, lat, lon, NULL) -
			    r) < 0.001);
		}
	}
	for (s = from; s <= to; s += step) {
		border_point_at(map, s, &la, &lo);
		d = dist_km(map, la, lo, lat, lon, NULL);
		in = near = 0;
		for (i = 0; i < n; i++) {
			if (s >= iv[i].a && s <= iv[i].b)
				in = 1;
			if (fabs(s - iv[i].a) < 0.001 ||
			    fabs(s - iv[i].b) < 0.001)
				near = 1;
		}
		if (!near && in != (d <= r))
			fail_msg("s %.4f: distance %.4f, radius %.4f, in %d", s,
			    d, r, in);
	}
}

/* A circle near Brownsville whose chord crosses Rio Grande loops: the
   line enters and leaves it three times. */
static void
test_footprint_meander(void **state)
{
	struct interval	*iv;
	size_t		 n;
	const double	 lat = 26.02569, lon = -97.64771, r = 1.5;

	n = border_footprint(map, lat, lon, r, &iv);
	assert_int_equal(n, 3);
	assert_true(iv[0].a > 3150 && iv[2].b < 3175);
	check_footprint(lat, lon, r, iv, n, 3150, 3175, 0.01);
	/* Nothing elsewhere on the line. */
	check_footprint(lat, lon, r, iv, n, 0, map->length_km, 2);
	free(iv);
}

/* A position 2 km off the straight land line in Arizona: one interval of
   about 2 sqrt(r^2 - 2^2) km around its foot. */
static void
test_footprint_single(void **state)
{
	struct placement	 pl;
	struct interval		*iv;
	size_t			 n;
	double			 la, lo, lat, lon, s = 560;

	border_point_at(map, s, &la, &lo);
	go(map, la, lo, line_azi(map, s) - 90, 2, &lat, &lon);
	border_locate(map, lat, lon, &pl);
	assert_true(fabs(pl.d_km - 2) < 0.001);
	n = border_footprint(map, lat, lon, 5, &iv);
	assert_int_equal(n, 1);
	assert_true(fabs(iv[0].b - iv[0].a - 2 * sqrt(21)) < 0.01);
	assert_true(iv[0].a < pl.s_km && pl.s_km < iv[0].b);
	check_footprint(lat, lon, 5, iv, n, s - 10, s + 10, 0.005);
	free(iv);

	/* Out of reach: empty. */
	n = border_footprint(map, lat, lon, 1.5, &iv);
	assert_int_equal(n, 0);
	assert_null(iv);
}

/* At the west end the footprint is clamped to chainage 0. */
static void
test_footprint_end(void **state)
{
	struct interval	*iv;
	size_t		 n;

	n = border_footprint(map, map->lat[0], map->lon[0], 3, &iv);
	assert_int_equal(n, 1);
	assert_true(iv[0].a == 0);
	check_footprint(map->lat[0], map->lon[0], 3, iv, n, 0, 10, 0.005);
	free(iv);
}

/*
 * The line as the reference walks it: geodesic lines of its own, built
 * from the vertices, and its own cumulative chainage (km).
 */
struct walk {
	struct geod_geodesicline	*line;
	double				*chain;
	size_t				 nseg;
};

static void
walk_init(struct walk *w, const struct border_map *m)
{
	double	s12, a1, a2;
	size_t	i;

	w->nseg = m->nverts - 1;
	w->line = malloc(w->nseg * sizeof *w->line);
	w->chain = malloc(m->nverts * sizeof *w->chain);
	assert_non_null(w->line);
	assert_non_null(w->chain);
	w->chain[0] = 0;
	for (i = 0; i < w->nseg; i++) {
		geod_inverse(m->geod, m->lat[i], m->lon[i], m->lat[i + 1],
		    m->lon[i + 1], &s12, &a1, &a2);
		geod_lineinit(&w->line[i], m->geod, m->lat[i], m->lon[i], a1,
		    0);
		w->chain[i + 1] = w->chain[i] + s12 / 1000;
	}
}

static void
walk_done(struct walk *w)
{
	free(w->line);
	free(w->chain);
}

/* Distance (km) from (lat, lon) to the line point at chainage s. */
static double
walk_dist(const struct border_map *m, const struct walk *w, double s,
    double lat, double lon)
{
	size_t	lo = 0, hi = w->nseg, mid;
	double	la, lo2, az;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (w->chain[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	geod_position(&w->line[lo], (s - w->chain[lo]) * 1000, &la, &lo2,
	    &az);
	return (dist_km(m, la, lo2, lat, lon, NULL));
}

/*
 * Compare a footprint with the line sampled from end to end.  Distance
 * along the line changes by at most 1 km per km of chainage, so after a
 * sample at distance d the next |d - r| km are wholly on the same side of
 * the circle: the walk steps by that much, but never by less than step
 * km, which brackets every crossing within step.  Checks: every sample
 * (and every stretch skipped) agrees with the intervals except within 1 m
 * of an end; every interior end is at distance r within 1 m; every
 * sampled crossing has an end of the right kind within 1 m of its
 * bracket.  Returns the number of sampled crossings.
 */
static int
check_sampled(const struct border_map *m, const struct walk *w, double lat,
    double lon, double r, const struct interval *iv, size_t n, double step)
{
	const double	 tol = 0.001;
	double		 s = 0, prev = 0, d, next, skip;
	double		 len = w->chain[w->nseg];
	size_t		 i;
	int		 in, was = -1, ok, ncross = 0;

	for (i = 0; i < n; i++) {
		assert_true(iv[i].a <= iv[i].b);
		assert_true(iv[i].a >= 0 && iv[i].b <= len + 1e-9);
		if (i > 0)
			assert_true(iv[i].a > iv[i - 1].b);
		if (iv[i].a > 0 && fabs(walk_dist(m, w, iv[i].a, lat, lon) -
		    r) >= tol)
			fail_msg("(%.6f, %.6f) r %.3f: start %.4f is %.6f km "
			    "away", lat, lon, r, iv[i].a,
			    walk_dist(m, w, iv[i].a, lat, lon));
		if (iv[i].b < len && fabs(walk_dist(m, w, iv[i].b, lat, lon) -
		    r) >= tol)
			fail_msg("(%.6f, %.6f) r %.3f: end %.4f is %.6f km "
			    "away", lat, lon, r, iv[i].b,
			    walk_dist(m, w, iv[i].b, lat, lon));
	}
	for (;;) {
		d = walk_dist(m, w, s, lat, lon);
		in = d <= r;
		/* The sample itself. */
		ok = 0;
		for (i = 0; i < n; i++)
			if (s >= iv[i].a - tol && s <= iv[i].b + tol &&
			    (in || s <= iv[i].a + tol || s >= iv[i].b - tol))
				ok = 1;
		if (!in && !ok)
			ok = 1;
		for (i = 0; !in && i < n; i++)
			if (s > iv[i].a + tol && s < iv[i].b - tol)
				ok = 0;
		if (!ok)
			fail_msg("(%.6f, %.6f) r %.3f: sample %.4f at %.6f km, "
			    "in %d, not matched by the footprint", lat, lon, r,
			    s, d, in);
		/* A crossing between the last sample and this one. */
		if (was != -1 && was != in) {
			ncross++;
			ok = 0;
			for (i = 0; i < n; i++) {
				if (in && iv[i].a >= prev - tol &&
				    iv[i].a <= s + tol)
					ok = 1;
				if (!in && iv[i].b >= prev - tol &&
				    iv[i].b <= s + tol)
					ok = 1;
			}
			if (!ok)
				fail_msg("(%.6f, %.6f) r %.3f: crossing in "
				    "%.4f-%.4f has no end", lat, lon, r, prev,
				    s);
		}
		if (s >= len)
			break;
		skip = fabs(d - r);
		next = fmin(s + fmax(step, skip), len);
		/* A skipped stretch is wholly on this sample's side. */
		for (i = 0; i < n && skip > step; i++) {
			if (in && !(iv[i].a <= s + tol && iv[i].b >= next -
			    tol) && iv[i].b >= s && iv[i].a <= next)
				fail_msg("(%.6f, %.6f) r %.3f: %.4f-%.4f is "
				    "inside but the footprint ends at %.4f-"
				    "%.4f", lat, lon, r, s, next, iv[i].a,
				    iv[i].b);
			if (!in && iv[i].b > s + tol && iv[i].a < next - tol)
				fail_msg("(%.6f, %.6f) r %.3f: %.4f-%.4f is "
				    "outside but in %.4f-%.4f", lat, lon, r, s,
				    next, iv[i].a, iv[i].b);
		}
		was = in;
		prev = s;
		s = next;
	}
	return (ncross);
}

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

/* Seeded uniform deviate in [0, 1). */
static double
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) / 9007199254740992.0);
}

/*
 * 200 seeded circles against the sampled line: 120 anywhere along it with
 * radius 0.3 to 20 km, up to 1.5 radii off; 40 at 25 to 60 km from a line
 * point with a radius short of that (mostly empty: the sampled line is
 * the judge, as the line may come nearer elsewhere); 40 on the Rio Grande
 * meanders of the lower valley (chainage 3050-3300 km), radius 5-20 km.
 */
static void
test_footprint_random(void **state)
{
	struct walk	 w;
	struct interval	*iv;
	size_t		 n;
	double		 s, la, lo, lat, lon, off, r, azi;
	int		 k, nempty = 0, nmany = 0, ncross = 0;

	walk_init(&w, map);
	assert_true(fabs(w.chain[w.nseg] - map->length_km) < 1e-6);
	for (k = 0; k < 200; k++) {
		azi = 360 * uniform();
		if (k < 120) {
			s = map->length_km * uniform();
			r = 0.3 * pow(20 / 0.3, uniform());
			off = 1.5 * r * uniform();
		} else if (k < 160) {
			s = map->length_km * uniform();
			off = 25 + 35 * uniform();
			r = 0.3 + (off - 25) * uniform();
		} else {
			s = 3050 + 250 * uniform();
			off = 10 * uniform();
			r = 5 + 15 * uniform();
		}
		border_point_at(map, s, &la, &lo);
		go(map, la, lo, azi, off, &lat, &lon);
		n = border_footprint(map, lat, lon, r, &iv);
		assert_true((n == 0) == (iv == NULL));
		ncross += check_sampled(map, &w, lat, lon, r, iv, n, 0.002);
		nempty += n == 0;
		nmany += n >= 3;
		free(iv);
	}
	/* Empty footprints and several-interval ones were both seen. */
	assert_true(nempty >= 25);
	assert_true(nmany >= 5);
	assert_true(ncross >= 300);
	walk_done(&w);
}

/* What is not a position is not placed, and does not crash. */
static void
test_locate_not_a_position(void **state)
{
	struct border_map	*m = map;
	struct placement	 pl;
	struct interval		*iv;

	border_locate(m, NAN, -110, &pl);
	assert_true(isnan(pl.s_km) && isnan(pl.d_km));
	border_locate(m, 31.3, INFINITY, &pl);
	assert_true(isnan(pl.s_km));
	border_locate(m, 95, -110, &pl);
	assert_true(isnan(pl.s_km));
	assert_int_equal(border_footprint(m, NAN, -110, 5, &iv), 0);
	assert_null(iv);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_locate_reference),
		cmocka_unit_test(test_locate_far),
		cmocka_unit_test(test_locate_far_brute),
		cmocka_unit_test(test_locate_far_equidistant),
		cmocka_unit_test(test_locate_pole_line),
		cmocka_unit_test(test_locate_pole_extension),
		cmocka_unit_test(test_locate_random_lines),
		cmocka_unit_test(test_locate_segment_peak),
		cmocka_unit_test(test_beyond),
		cmocka_unit_test(test_places_reference),
		cmocka_unit_test(test_known_sectors),
		cmocka_unit_test(test_near_phrase),
		cmocka_unit_test(test_side_of),
		cmocka_unit_test(test_vertex_side),
		cmocka_unit_test(test_footprint_meander),
		cmocka_unit_test(test_footprint_single),
		cmocka_unit_test(test_footprint_end),
		cmocka_unit_test(test_footprint_random),
		cmocka_unit_test(test_locate_not_a_position),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
