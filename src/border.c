/*
 * border.c: the border line and exact geodesic placement on it.
 *
 * The line's segments are WGS84 geodesics between its vertices (GeographicLib
 * through PROJ's geodesic.h); chainage is the cumulative geodesic length.
 * border_locate() finds the exact nearest point of the line (within 1 mm of
 * chainage on the foot's segment) without scanning every segment: a uniform
 * latitude/longitude grid holds each segment in the cells its bounding box
 * touches, and the search visits rings of cells outward from the position
 * until a safe lower bound on the distance to anything farther exceeds the
 * best distance found.  Inside the visited cells a cheap local planar
 * distance with an error bound picks the few segments that can hold the
 * nearest point; only those get the exact geodesic foot point.
 *
 * Beyond FAR_KM of the line the grid's rings help nothing; locate_far()
 * searches best first down a binary tree of halved vertex ranges built at
 * load.  Each node has a cheap bound (the geocentric angle to a great-
 * circle arc covering its directions, times the polar semi-axis: no
 * geodesic is shorter) and an exact one (the distances of its ends and
 * Toponogov's comparison on the sphere of the ellipsoid's least
 * curvature, less the node's proven distance from its chord).  About
 * fifteen inverse problems place any position on the globe, against one
 * per vertex and more for a scan.
 *
 * border_footprint() walks the candidate segments of the cells around the
 * circle in chainage order over knots (points on the geodesics at most
 * KNOT_KM apart).  Each knot is placed inside or outside the circle by its
 * planar distance when the frame's error bound decides it, else by one
 * inverse problem; a geodesic piece with both knots inside is wholly
 * inside, so only pieces that cross the circle are solved, by Newton on
 * the geodesic from the planar chord's crossing (usually one inverse
 * problem per crossing).
 *
 * Promises: results depend on the map only (no global state); a located
 * foot's chainage and the offset agree with an exhaustive geodesic search
 * to well under a metre; footprints are sorted, disjoint and exact to a
 * millimetre of distance at their ends.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>

#include "border.h"
#include "xmalloc.h"

#define WGS84_A		6378137.0		/* m */
#define WGS84_F		(1 / 298.257223563)
#define DEG		(M_PI / 180)

/* Smallest radius of curvature of the ellipsoid (meridian, at the
   equator), km: no geodesic is shorter than this times its angle. */
#define R_MIN_KM	6335.439
/* Mean radius, km, for the small spherical corrections. */
#define R_MEAN_KM	6371.0088
/* Safety factor on the lower bounds of the grid search. */
#define LB_SAFE		0.99
/* Grid cell size, degrees, and the most cells (or segments in cells)
   before the cells grow. */
#define CELL_DEG	0.05
#define GRID_MAX_CELLS	(1u << 21)
/* The ring search gives up (for locate_far()) after this many cells, at
   or near a pole where a ring's longitude bound is nothing. */
#define RING_MAX_CELLS	4096
/* Newton on the foot point stops below this step, km (1 mm). */
#define FOOT_TOL_KM	1e-6
/* Footprint ends are solved to this distance error, km (1 mm). */
#define EDGE_TOL_KM	1e-6
/* Beyond this distance from the line, km, border_locate() leaves the grid
   for a scan of the vertices. */
#define FAR_KM		(FRAME_MAX_KM / 2)
/* Polar semi-axis, km: every point of the ellipsoid is at least this far
   from its centre, so a geodesic is at least B_KM times the geocentric
   angle between its ends (a radial projection onto the sphere of radius
   B_KM shortens any curve). */
#define B_KM		6356.752314
/* Radius of the sphere of the ellipsoid's least Gaussian curvature (a^2/b,
   at the poles), rounded up, km: Toponogov's comparison applies. */
#define R_TOPO_KM	6399.6
/* Nodes of the far tree with this many segments or more get a cheap
   bound (struct fsph). */
#define FAR_SPH_SEGS	4
/* A node whose cheap bound is below this fraction of the best distance
   is opened without its exact bound, which would not rule it out: the
   cheap bound is within 0.34 % of the distance.  (Only the work done
   depends on it, never the answer.) */
#define FAR_REFINE	0.9966
/* Slack on the far tree's lower bounds for rounding, km (1 m). */
#define FAR_MARGIN_KM	0.001
/* Longest piece of a segment between knots, km. */
#define KNOT_KM		2.0
/* The local frame is trusted (with frame_err) out to this distance, km,
   from positions up to this latitude, deg: nearer a pole its error
   passes the bound (measured: 0.43 of it at 80 degrees, 1.8 times it at
   85, 640 times it at 89.5, for points 100 km away). */
#define FRAME_MAX_KM	100.0
#define FRAME_MAX_LAT	80.0

#define CAPS	(GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | \
	    GEOD_DISTANCE_IN)

struct border_index {
	struct geod_geodesicline *line;	/* per segment */
	double		*len_km;	/* per segment */
	double		*err_km;	/* planar bound of a segment's bulge */
	double		 lat0, lon0;	/* grid origin, deg */
	double		 cell;		/* deg */
	int		 nrow, ncol;
	uint32_t	*start;		/* nrow*ncol+1 offsets into item */
	uint32_t	*item;		/* segment numbers */

	/* Knots: points on the segments' geodesics, no more than KNOT_KM
	   apart, for planar work.  Segment i owns knots kfirst[i] to
	   kfirst[i+1]-1, the first at its start vertex; the last knot is
	   the line's last vertex.  kerr bounds the planar bulge of the
	   geodesic piece from a knot to the next. */
	uint32_t	*kfirst;	/* nseg+1 */
	double		*klat, *klon;	/* deg */
	double		*ks;		/* along the knot's segment, km */
	double		*kerr;		/* km */

	/* The far tree (far_build()): vertex ranges halved down to single
	   segments, for positions far from the line. */
	struct fnode	*far;
	size_t		 nfar;
	struct fsph	*fsph;
	size_t		 nfsph;
};

/*
 * A node of the far tree: the segments of vertices v0..v1, the shortest
 * geodesic between v0 and v1 (its chord) and a bound of the distance from
 * any point of those segments to the chord.
 */
struct fnode {
	uint32_t	v0, v1;
	uint32_t	left, right;	/* children, 0 for a single segment */
	int32_t		sph;		/* its struct fsph, or -1 */
	double		chord;		/* km */
	double		azi0, azi1;	/* the chord's azimuths at the ends */
	double		dev;		/* km */
};

/*
 * The cheap bound of a node of FAR_SPH_SEGS segments or more: every point
 * of its segments has a geocentric direction within dev (rad) of the
 * great-circle arc cos(t) a + sin(t) w, t in [tlo, tlo + span]; n = a x w
 * is the arc's pole.
 */
struct fsph {
	double		a[3], w[3], n[3];
	double		tlo, span;	/* rad */
	double		clo, slo, chi, shi;	/* cos, sin of the arc's ends */
	double		dev;		/* rad */
	int		weak;		/* no useful bound: 0 km */
};

/* A segment that may hold the nearest point, from the planar pass. */
struct cand {
	uint32_t	seg;
	double		lb;		/* lower bound on its distance, km */
	double		t;		/* planar foot, fraction of segment */
};

/* Local planar frame around a position (km per degree). */
struct frame {
	double		lat, lon;
	double		ky;		/* km per degree of latitude */
	double		kx;		/* km per degree of longitude at lat */
	double		kt;		/* d(kx)/d(lat) relative, per degree */
	double		coslat;		/* cos(lat), for lb_lon() */
	double		reach;		/* frame_err() holds out to this, km;
					   -1 when nothing is trusted */
};

/* The exact nearest point of one segment. */
struct foot {
	double		s;		/* along the segment, km */
	double		d;		/* unsigned distance, km */
	double		azi_p;		/* azimuth from the foot to P, deg */
	double		azi_l;		/* line direction at the foot, deg */
	double		lat, lon;	/* the foot, deg */
	int		end;		/* -1 at start vertex, +1 at end, 0 */
};

static double
norm180(double x)
{
	x = fmod(x, 360);
	if (x >= 180)
		x -= 360;
	else if (x < -180)
		x += 360;
	return (x);
}

static double
norm360(double x)
{
	x = fmod(x, 360);
	if (x < 0)
		x += 360;
	return (x);
}

/* Geodesic distance (km) and azimuths (deg) between two points. */
static double
inverse(const struct border_map *m, double lat1, double lon1, double lat2,
    double lon2, double *azi1, double *azi2)
{
	double	s12, a1, a2;

	geod_inverse(m->geod, lat1, lon1, lat2, lon2, &s12, &a1, &a2);
	if (azi1 != NULL)
		*azi1 = a1;
	if (azi2 != NULL)
		*azi2 = a2;
	return (s12 / 1000);
}

void
border_direct(const struct border_map *m, double lat, double lon,
    double azi_deg, double s_m, double *lat2, double *lon2)
{
	geod_direct(m->geod, lat, lon, azi_deg, s_m, lat2, lon2, NULL);
}

struct border_map *
border_new(void)
{
	struct border_map	*m;

	m = xcalloc(1, sizeof *m);
	m->geod = xcalloc(1, sizeof *m->geod);
	geod_init(m->geod, WGS84_A, WGS84_F);
	m->accuracy_km = 0.1;
	return (m);
}

static void
index_free(struct border_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->line);
	free(ix->len_km);
	free(ix->err_km);
	free(ix->start);
	free(ix->item);
	free(ix->kfirst);
	free(ix->klat);
	free(ix->klon);
	free(ix->ks);
	free(ix->kerr);
	free(ix->far);
	free(ix->fsph);
	free(ix);
}

void
border_free(struct border_map *m)
{
	size_t	i, k;
	int	side;

	if (m == NULL)
		return;
	free(m->geod);
	free(m->name);
	free(m->attribution);
	free(m->path);
	free(m->lat);
	free(m->lon);
	free(m->chain_km);
	free(m->azi1);
	free(m->azi2);
	for (side = 0; side < NSIDES; side++) {
		for (i = 0; i < m->nsectors[side]; i++) {
			free(m->sectors[side][i].code);
			free(m->sectors[side][i].name);
			free(m->sectors[side][i].voice);
		}
		free(m->sectors[side]);
	}
	for (i = 0; i < m->nplaces; i++) {
		free(m->places[i].name);
		for (k = 0; k < NSIDES; k++)
			free(m->places[i].label[k]);
	}
	free(m->places);
	index_free(m->index);
	free(m);
}

/* Local frame at a position: ellipsoid radii of curvature there. */
static void
frame_init(struct frame *fr, double lat, double lon)
{
	double	e2, s, w, mrad, nrad;

	e2 = WGS84_F * (2 - WGS84_F);
	s = sin(lat * DEG);
	w = sqrt(1 - e2 * s * s);
	mrad = WGS84_A * (1 - e2) / (w * w * w) / 1000;
	nrad = WGS84_A / w / 1000;
	fr->lat = lat;
	fr->lon = lon;
	fr->ky = mrad * DEG;
	fr->coslat = cos(lat * DEG);
	fr->kx = nrad * fr->coslat * DEG;
	fr->kt = -tan(lat * DEG) * DEG / 2;
	fr->reach = fabs(lat) <= FRAME_MAX_LAT ? FRAME_MAX_KM : -1;
}

/* Planar coordinates (km) of a point in the frame: longitude scaled at
   the mid-latitude, to first order. */
static void
frame_xy(const struct frame *fr, double lat, double lon, double *x,
    double *y)
{
	double	dlat, dlon;

	dlat = lat - fr->lat;
	dlon = lon - fr->lon;
	if (dlon > 180)
		dlon -= 360;
	else if (dlon < -180)
		dlon += 360;
	*y = dlat * fr->ky;
	*x = dlon * fr->kx * (1 + fr->kt * dlat);
}

/* Bound (km) of the frame's error on a distance of d km. */
static double
frame_err(double d)
{
	return (0.0005 + d * d * (0.01 / R_MEAN_KM +
	    d * (3 / (R_MEAN_KM * R_MEAN_KM))));
}

/* The last vertex placed in a frame: segments come in order, so the
   next one usually starts there. */
struct vxy {
	size_t		v;
	double		x, y;		/* km */
};

/* Planar distance from the frame's origin to segment i; *t is the foot as
   a fraction of the segment. */
static inline double
seg_planar(const struct border_map *m, const struct frame *fr, size_t i,
    struct vxy *last, double *t)
{
	double	ax, ay, bx, by, dx, dy, l2, u;

	if (last->v == i) {
		ax = last->x;
		ay = last->y;
	} else
		frame_xy(fr, m->lat[i], m->lon[i], &ax, &ay);
	frame_xy(fr, m->lat[i + 1], m->lon[i + 1], &bx, &by);
	last->v = i + 1;
	last->x = bx;
	last->y = by;
	dx = bx - ax;
	dy = by - ay;
	l2 = dx * dx + dy * dy;
	u = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
	if (u < 0)
		u = 0;
	else if (u > 1)
		u = 1;
	*t = u;
	ax += u * dx;
	ay += u * dy;
	return (sqrt(ax * ax + ay * ay));
}

/* Planar foot (fraction) on the chord between two points, and its
   squared distance (km^2). */
static double
chord_foot(const struct frame *fr, double lat0, double lon0, double lat1,
    double lon1, double *dist2)
{
	double	ax, ay, bx, by, dx, dy, l2, u;

	frame_xy(fr, lat0, lon0, &ax, &ay);
	frame_xy(fr, lat1, lon1, &bx, &by);
	dx = bx - ax;
	dy = by - ay;
	l2 = dx * dx + dy * dy;
	u = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	ax += u * dx;
	ay += u * dy;
	*dist2 = ax * ax + ay * ay;
	return (u);
}

/*
 * A better starting foot (fraction of segment i) for seg_foot() than the
 * segment's chord: on a long segment the geodesic leaves the chord by
 * tens of metres, which the bounds allow for but which costs Newton a
 * second inverse problem, so the guess is refined on the knots' chords
 * around the first one.  Only a guess: the foot is solved exactly from it.
 */
static double
seg_guess(const struct border_map *m, const struct frame *fr, size_t i)
{
	const struct border_index	*ix = m->index;
	size_t				 k0 = ix->kfirst[i], nk, j, jlo, jhi;
	double				 u, d2, best = INFINITY, bu, len;

	u = chord_foot(fr, m->lat[i], m->lon[i], m->lat[i + 1],
	    m->lon[i + 1], &d2);
	nk = ix->kfirst[i + 1] - k0;
	if (nk < 2)
		return (u);
	len = ix->len_km[i];
	j = (size_t)(u * nk);
	jlo = j > 0 ? j - 1 : 0;
	jhi = j + 1 < nk ? j + 1 : nk - 1;
	bu = u;
	for (j = jlo; j <= jhi; j++) {
		u = chord_foot(fr, ix->klat[k0 + j], ix->klon[k0 + j],
		    ix->klat[k0 + j + 1], ix->klon[k0 + j + 1], &d2);
		if (d2 < best) {
			best = d2;
			bu = ((j + 1 < nk ? ix->ks[k0 + j + 1] : len) * u +
			    ix->ks[k0 + j] * (1 - u)) / len;
		}
	}
	return (bu);
}

/* Lower bounds (km) on the distance from the frame's origin to any point
   at least gap degrees away in latitude, or in longitude. */
static double
lb_lat(double gap)
{
	if (gap <= 0)
		return (0);
	return (LB_SAFE * R_MIN_KM * gap * DEG);
}

/* The distance to a meridian gap away is asin(cos(lat) sin(gap)) radians;
   asin(c) >= c and sin(g) >= g - g^3/6 bound it from below without any
   call to libm. */
static double
lb_lon(const struct frame *fr, double gap)
{
	double	g;

	if (gap <= 0)
		return (0);
	if (gap >= 90)
		gap = 90;
	g = gap * DEG;
	return (LB_SAFE * R_MIN_KM * fr->coslat * g * (1 - g * g / 6));
}

/* Build the grid: each segment goes into every cell its sampled bounding
   box (widened by a margin) touches. */
static void
index_build(struct border_map *m)
{
	struct border_index	*ix = m->index;
	size_t			 nseg = m->nverts - 1, i, k, ns, ncell;
	double			*bb, la, lo, az, latmin, latmax, lonmin, lonmax;
	double			 margin = 0.002;	/* deg */
	uint32_t		*fill;
	int			 r, c, r0, r1, c0, c1, pass;

	bb = xreallocarray(NULL, nseg * 4, sizeof *bb);
	latmin = lonmin = INFINITY;
	latmax = lonmax = -INFINITY;
	for (i = 0; i < nseg; i++) {
		double	b0 = fmin(m->lat[i], m->lat[i + 1]);
		double	b1 = fmax(m->lat[i], m->lat[i + 1]);
		double	b2 = fmin(m->lon[i], m->lon[i + 1]);
		double	b3 = fmax(m->lon[i], m->lon[i + 1]);

		ns = (size_t)(ix->len_km[i] / 2) + 1;
		if (ns > 256)
			ns = 256;
		for (k = 1; k < ns; k++) {
			geod_position(&ix->line[i],
			    ix->len_km[i] * 1000 * k / ns, &la, &lo, &az);
			lo = m->lon[i] + norm180(lo - m->lon[i]);
			b0 = fmin(b0, la);
			b1 = fmax(b1, la);
			b2 = fmin(b2, lo);
			b3 = fmax(b3, lo);
		}
		bb[4 * i] = b0 - margin;
		bb[4 * i + 1] = b1 + margin;
		bb[4 * i + 2] = b2 - margin;
		bb[4 * i + 3] = b3 + margin;
		latmin = fmin(latmin, b0 - margin);
		latmax = fmax(latmax, b1 + margin);
		lonmin = fmin(lonmin, b2 - margin);
		lonmax = fmax(lonmax, b3 + margin);
	}
	ix->lat0 = latmin;
	ix->lon0 = lonmin;
	/* Cells of CELL_DEG, or coarser where the line's segments would
	   fill too many (a line from a pole spans every longitude). */
	for (ix->cell = CELL_DEG;; ix->cell *= 2) {
		ix->nrow = (int)((latmax - latmin) / ix->cell) + 1;
		ix->ncol = (int)((lonmax - lonmin) / ix->cell) + 1;
		ncell = (size_t)ix->nrow * (size_t)ix->ncol;
		if (ncell > GRID_MAX_CELLS && ix->cell < 360)
			continue;
		for (i = 0, k = 0; i < nseg && k <= GRID_MAX_CELLS; i++)
			k += (size_t)((int)(bb[4 * i + 1] / ix->cell -
			    bb[4 * i] / ix->cell) + 2) * (size_t)((int)(
			    bb[4 * i + 3] / ix->cell - bb[4 * i + 2] /
			    ix->cell) + 2);
		if (k <= GRID_MAX_CELLS || ix->cell >= 360)
			break;
	}
	ix->start = xcalloc(ncell + 1, sizeof *ix->start);
	fill = xcalloc(ncell + 1, sizeof *fill);

	/* Pass 0 counts, pass 1 fills. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < nseg; i++) {
			r0 = (int)((bb[4 * i] - ix->lat0) / ix->cell);
			r1 = (int)((bb[4 * i + 1] - ix->lat0) / ix->cell);
			c0 = (int)((bb[4 * i + 2] - ix->lon0) / ix->cell);
			c1 = (int)((bb[4 * i + 3] - ix->lon0) / ix->cell);
			if (r1 >= ix->nrow)
				r1 = ix->nrow - 1;
			if (c1 >= ix->ncol)
				c1 = ix->ncol - 1;
			for (r = r0; r <= r1; r++)
				for (c = c0; c <= c1; c++) {
					k = (size_t)r * ix->ncol + c;
					if (pass == 0)
						ix->start[k + 1]++;
					else
						ix->item[fill[k]++] =
						    (uint32_t)i;
				}
		}
		if (pass == 0) {
			for (k = 0; k < ncell; k++)
				ix->start[k + 1] += ix->start[k];
			ix->item = xreallocarray(NULL, ix->start[ncell] + 1,
			    sizeof *ix->item);
			memcpy(fill, ix->start, ncell * sizeof *fill);
		}
	}
	free(fill);
	free(bb);
}

/* Knots along every segment, so that long segments get short chords. */
static void
knots_build(struct border_map *m)
{
	struct border_index	*ix = m->index;
	size_t			 nseg = m->nverts - 1, i, k, nk, total, j;
	double			 len, piece, az, tl;

	ix->kfirst = xreallocarray(NULL, nseg + 1, sizeof *ix->kfirst);
	total = 0;
	for (i = 0; i < nseg; i++) {
		ix->kfirst[i] = (uint32_t)total;
		total += (size_t)ceil(ix->len_km[i] / KNOT_KM);
	}
	ix->kfirst[nseg] = (uint32_t)total;
	total++;
	ix->klat = xreallocarray(NULL, total, sizeof *ix->klat);
	ix->klon = xreallocarray(NULL, total, sizeof *ix->klon);
	ix->ks = xreallocarray(NULL, total, sizeof *ix->ks);
	ix->kerr = xreallocarray(NULL, total, sizeof *ix->kerr);
	for (i = 0; i < nseg; i++) {
		len = ix->len_km[i];
		nk = ix->kfirst[i + 1] - ix->kfirst[i];
		piece = len / nk;
		tl = fabs(tan(fmax(fabs(m->lat[i]), fabs(m->lat[i + 1])) *
		    DEG));
		for (k = 0; k < nk; k++) {
			j = ix->kfirst[i] + k;
			ix->ks[j] = k == 0 ? 0 : len * k / nk;
			if (k == 0) {
				ix->klat[j] = m->lat[i];
				ix->klon[j] = m->lon[i];
			} else
				geod_position(&ix->line[i], ix->ks[j] * 1000,
				    &ix->klat[j], &ix->klon[j], &az);
			/* The same bound as the segment's, for the piece. */
			ix->kerr[j] = 0.0001 + piece * piece * (1 + tl) /
			    (4 * R_MEAN_KM);
		}
	}
	j = ix->kfirst[nseg];
	ix->klat[j] = m->lat[nseg];
	ix->klon[j] = m->lon[nseg];
	ix->ks[j] = 0;
	ix->kerr[j] = 0;
}

/* Geocentric unit vector of a point of the ellipsoid. */
static void
geocentric(double lat, double lon, double u[3])
{
	double	e2, sl, cl, nr, x, y, z, r;

	e2 = WGS84_F * (2 - WGS84_F);
	sl = sin(lat * DEG);
	cl = cos(lat * DEG);
	nr = 1 / sqrt(1 - e2 * sl * sl);
	x = nr * cl * cos(lon * DEG);
	y = nr * cl * sin(lon * DEG);
	z = nr * (1 - e2) * sl;
	r = sqrt(x * x + y * y + z * z);
	u[0] = x / r;
	u[1] = y / r;
	u[2] = z / r;
}

static double
dot3(const double *x, const double *y)
{
	return (x[0] * y[0] + x[1] * y[1] + x[2] * y[2]);
}

static void
cross3(const double *x, const double *y, double *z)
{
	z[0] = x[1] * y[2] - x[2] * y[1];
	z[1] = x[2] * y[0] - x[0] * y[2];
	z[2] = x[0] * y[1] - x[1] * y[0];
}

/* Angle between two unit vectors, rad, accurate when small. */
static double
angle3(const double *x, const double *y)
{
	double	d[3] = { x[0] - y[0], x[1] - y[1], x[2] - y[2] };

	return (2 * asin(fmin(1, sqrt(dot3(d, d)) / 2)));
}

/*
 * The cheap bound of the segments of vertices v0..v1.  The path is
 * covered by its knots' directions: between two knots ell km apart the
 * geodesic, a space curve of curvature at most 1/R_MIN_KM (the
 * ellipsoid's largest normal curvature; a geodesic has no other), stays
 * within ell^2 / (8 R_MIN_KM) km of the straight chord, whose directions
 * are the great-circle arc between the knots' directions; along that arc
 * of angle D the distance to the node's great circle (a sinusoid) exceeds
 * the larger of its ends' by at most D^2 / 8.
 */
static void
fsph_init(const struct border_map *m, const double *ku, uint32_t v0,
    uint32_t v1, struct fsph *sp)
{
	const struct border_index	*ix = m->index;
	const double			*x;
	double				 r, t, prev = 0, tmin = 0, tmax = 0,
					 maxn = 0, maxd = 0, maxe = 0, dd, ell,
					 ext;
	size_t				 i, k, k0, k1;

	memset(sp, 0, sizeof *sp);
	k0 = ix->kfirst[v0];
	k1 = ix->kfirst[v1];
	memcpy(sp->a, &ku[3 * k0], sizeof sp->a);
	cross3(sp->a, &ku[3 * k1], sp->n);
	r = sqrt(dot3(sp->n, sp->n));
	if (r < 1e-9) {
		/* Ends together: any great circle through a serves. */
		static const double	 ax[3][3] = {
			{ 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }
		};

		k = fabs(sp->a[0]) < fabs(sp->a[1]) ?
		    (fabs(sp->a[0]) < fabs(sp->a[2]) ? 0 : 2) :
		    (fabs(sp->a[1]) < fabs(sp->a[2]) ? 1 : 2);
		cross3(sp->a, ax[k], sp->n);
		r = sqrt(dot3(sp->n, sp->n));
	}
	for (k = 0; k < 3; k++)
		sp->n[k] /= r;
	cross3(sp->n, sp->a, sp->w);
	for (i = v0; i < v1; i++) {
		for (k = ix->kfirst[i]; k < ix->kfirst[i + 1]; k++) {
			ell = (k + 1 < ix->kfirst[i + 1] ? ix->ks[k + 1] :
			    ix->len_km[i]) - ix->ks[k];
			dd = angle3(&ku[3 * k], &ku[3 * (k + 1)]);
			maxd = fmax(maxd, dd);
			maxe = fmax(maxe, ell * ell / (8 * R_MIN_KM) /
			    (B_KM - 1));
		}
	}
	for (k = k0; k <= k1; k++) {
		x = &ku[3 * k];
		maxn = fmax(maxn, fabs(dot3(sp->n, x)));
		t = atan2(dot3(sp->w, x), dot3(sp->a, x));
		if (k > k0) {
			while (t - prev > M_PI)
				t -= 2 * M_PI;
			while (t - prev < -M_PI)
				t += 2 * M_PI;
		}
		prev = t;
		tmin = k == k0 ? t : fmin(tmin, t);
		tmax = k == k0 ? t : fmax(tmax, t);
	}
	sp->dev = asin(fmin(1, maxn + maxd * maxd / 8)) + maxe;
	if (sp->dev + maxd > 1) {
		sp->weak = 1;
		return;
	}
	/* Every point is within maxd/2 + maxe of a knot; along the way its
	   angle t moves by at most that over the cosine of its distance
	   from the great circle. */
	ext = (maxd / 2 + maxe) / cos(sp->dev + maxd);
	sp->tlo = remainder(tmin - ext, 2 * M_PI);
	sp->span = tmax - tmin + 2 * ext;
	sp->clo = cos(sp->tlo);
	sp->slo = sin(sp->tlo);
	sp->chi = cos(sp->tlo + sp->span);
	sp->shi = sin(sp->tlo + sp->span);
}

/*
 * Upper bound (km) on the distance from any point of a shortest geodesic
 * of length p to a shortest geodesic of length q that leaves the same
 * point at an angle alpha (rad).  Toponogov's hinge comparison (Gaussian
 * curvature at least that of the sphere of R_TOPO_KM): the distance
 * between the points t and t' along the two is at most that of the same
 * hinge on the sphere, so the distance to the second is at most the
 * sphere's distance from the point t to its arc.  On the sphere that
 * distance never decreases with t (below a quarter circle): asin(sin t
 * sin alpha) while the foot is inside the arc, t itself when the foot is
 * before it, and the distance to its end once past it, whose cosine
 * cos t cos u + sin t cos alpha sin u falls as soon as tan t cos alpha >
 * tan u.  So the far end of the first geodesic gives the bound.
 */
static double
hinge_ub(double p, double q, double alpha)
{
	double	tau = p / R_TOPO_KM, u = q / R_TOPO_KM, x, y, z, phi;

	if (p > 5000 || q > 5000)
		return (INFINITY);
	x = cos(tau);
	y = sin(tau) * cos(alpha);
	z = sin(tau) * fabs(sin(alpha));
	phi = atan2(y, x);
	if (phi <= 0)
		return (p);
	if (phi <= u)
		return (R_TOPO_KM * atan2(z, sqrt(x * x + y * y)));
	return (R_TOPO_KM * acos(fmax(-1, fmin(1, x * cos(u) +
	    y * sin(u)))));
}

/* Angle between two azimuths, rad, in [0, pi]. */
static double
azi_angle(double a, double b)
{
	return (fabs(norm180(a - b)) * DEG);
}

/*
 * One node of the far tree over vertices v0..v1, and its children.  A
 * point of the left child's segments is within the child's dev of the
 * child's chord, whose points are within hinge_ub() of the node's chord
 * (the two leave v0 together); the same for the right child at v1.
 */
static uint32_t
far_node(struct border_map *m, const double *ku, uint32_t v0, uint32_t v1)
{
	struct border_index	*ix = m->index;
	struct fnode		*nd, *l, *r;
	uint32_t		 id, li, ri, mid;

	id = (uint32_t)ix->nfar++;
	nd = &ix->far[id];
	memset(nd, 0, sizeof *nd);
	nd->v0 = v0;
	nd->v1 = v1;
	nd->sph = -1;
	if (v1 - v0 == 1) {
		nd->chord = ix->len_km[v0];
		nd->azi0 = m->azi1[v0];
		nd->azi1 = m->azi2[v0];
		return (id);
	}
	nd->chord = inverse(m, m->lat[v0], m->lon[v0], m->lat[v1],
	    m->lon[v1], &nd->azi0, &nd->azi1);
	if (v1 - v0 >= FAR_SPH_SEGS) {
		nd->sph = (int32_t)ix->nfsph;
		fsph_init(m, ku, v0, v1, &ix->fsph[ix->nfsph++]);
	}
	mid = v0 + (v1 - v0) / 2;
	li = far_node(m, ku, v0, mid);
	ri = far_node(m, ku, mid, v1);
	nd = &ix->far[id];
	l = &ix->far[li];
	r = &ix->far[ri];
	nd->left = li;
	nd->right = ri;
	nd->dev = fmax(l->dev + hinge_ub(l->chord, nd->chord,
	    azi_angle(l->azi0, nd->azi0)), r->dev + hinge_ub(r->chord,
	    nd->chord, azi_angle(r->azi1, nd->azi1))) + 1e-6;
	return (id);
}

/* The far tree, from the knots' geocentric directions. */
static void
far_build(struct border_map *m)
{
	struct border_index	*ix = m->index;
	size_t			 nk = ix->kfirst[m->nverts - 1] + 1, k;
	double			*ku;

	ku = xreallocarray(NULL, nk, 3 * sizeof *ku);
	for (k = 0; k < nk; k++)
		geocentric(ix->klat[k], ix->klon[k], &ku[3 * k]);
	ix->far = xreallocarray(NULL, 2 * (m->nverts - 1), sizeof *ix->far);
	ix->fsph = xreallocarray(NULL, m->nverts, sizeof *ix->fsph);
	ix->nfar = ix->nfsph = 0;
	far_node(m, ku, 0, (uint32_t)(m->nverts - 1));
	free(ku);
}

enum bc_status
border_build(struct border_map *m, const double *lat, const double *lon,
    size_t n, char *why, size_t whylen)
{
	struct border_index	*ix;
	size_t			 i;
	double			 s12;

	if (n < 2) {
		bc_why(why, whylen, "a line needs at least 2 vertices, not %zu",
		    n);
		return (BC_INVALID);
	}
	if (n > UINT32_MAX / 2) {
		bc_why(why, whylen, "too many vertices (%zu)", n);
		return (BC_INVALID);
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(lat[i]) || !isfinite(lon[i]) ||
		    fabs(lat[i]) > 90 || fabs(lon[i]) > 180) {
			bc_why(why, whylen, "vertex %zu: coordinates out of "
			    "range", i);
			return (BC_INVALID);
		}
		if (i > 0 && fabs(lon[i] - lon[i - 1]) > 180) {
			bc_why(why, whylen, "segment %zu crosses the 180th "
			    "meridian", i - 1);
			return (BC_INVALID);
		}
	}
	m->nverts = n;
	m->lat = xreallocarray(NULL, n, sizeof *m->lat);
	m->lon = xreallocarray(NULL, n, sizeof *m->lon);
	memcpy(m->lat, lat, n * sizeof *lat);
	memcpy(m->lon, lon, n * sizeof *lon);
	m->chain_km = xreallocarray(NULL, n, sizeof *m->chain_km);
	m->azi1 = xreallocarray(NULL, n - 1, sizeof *m->azi1);
	m->azi2 = xreallocarray(NULL, n - 1, sizeof *m->azi2);
	ix = m->index = xcalloc(1, sizeof *ix);
	ix->line = xreallocarray(NULL, n - 1, sizeof *ix->line);
	ix->len_km = xreallocarray(NULL, n - 1, sizeof *ix->len_km);
	ix->err_km = xreallocarray(NULL, n - 1, sizeof *ix->err_km);

	m->chain_km[0] = 0;
	for (i = 0; i + 1 < n; i++) {
		s12 = inverse(m, lat[i], lon[i], lat[i + 1], lon[i + 1],
		    &m->azi1[i], &m->azi2[i]);
		if (!(s12 > 0)) {
			bc_why(why, whylen, "segment %zu (vertices %zu and "
			    "%zu) has zero length", i, i, i + 1);
			return (BC_INVALID);
		}
		ix->len_km[i] = s12;
		geod_lineinit(&ix->line[i], m->geod, lat[i], lon[i],
		    m->azi1[i], CAPS);
		/* A geodesic bows away from the straight chord of the local
		   frame by at most about L^2 tan(lat) / 8R. */
		ix->err_km[i] = 0.0001 + s12 * s12 *
		    (1 + fabs(tan(fmax(fabs(lat[i]), fabs(lat[i + 1])) *
		    DEG))) / (4 * R_MEAN_KM);
		m->chain_km[i + 1] = m->chain_km[i] + s12;
	}
	m->length_km = m->chain_km[n - 1];
	index_build(m);
	knots_build(m);
	far_build(m);
	return (BC_OK);
}

/* Point at s km along segment i, with the line's azimuth there. */
static void
seg_point(const struct border_map *m, size_t i, double s, double *lat,
    double *lon, double *azi)
{
	double	la, lo, az;

	if (s <= 0) {
		*lat = m->lat[i];
		*lon = m->lon[i];
		if (azi != NULL)
			*azi = m->azi1[i];
		return;
	}
	if (s >= m->index->len_km[i]) {
		*lat = m->lat[i + 1];
		*lon = m->lon[i + 1];
		if (azi != NULL)
			*azi = m->azi2[i];
		return;
	}
	geod_position(&m->index->line[i], s * 1000, &la, &lo, &az);
	*lat = la;
	*lon = lo;
	if (azi != NULL)
		*azi = az;
}

/* Remembers the last vertex measured, so that the two segments meeting at
   a vertex cost one inverse problem, not two. */
struct vmemo {
	size_t		v;
	double		d, azi;
	int		valid;
};

static double
vertex_dist(const struct border_map *m, size_t v, double lat, double lon,
    struct vmemo *memo, double *azi)
{
	if (memo->valid && memo->v == v) {
		*azi = memo->azi;
		return (memo->d);
	}
	memo->d = inverse(m, m->lat[v], m->lon[v], lat, lon, &memo->azi, NULL);
	memo->v = v;
	memo->valid = 1;
	*azi = memo->azi;
	return (memo->d);
}

/* Move km (well under a kilometre) from a point along azimuth azi, on the
   ellipsoid's local radii of curvature: off by about km^2 / R. */
static void
nudge(double lat, double lon, double azi, double km, double *olat,
    double *olon)
{
	struct frame	fr;

	frame_init(&fr, lat, lon);
	*olat = lat + km * cos(azi * DEG) / fr.ky;
	*olon = lon + km * sin(azi * DEG) / fr.kx;
}

/*
 * How far on along the line (km) the foot lies from a trial foot d km
 * from P, theta (deg) the angle between the line and the direction to P:
 * on the sphere, the point x on from it is at cos D = cos d cos x +
 * sin d sin x cos theta from P, nearest at x = atan2(sin d cos theta,
 * cos d).  That is d cos theta to within a relative (d/R)^2 when d is
 * small, and right where Newton's d cos theta is not: a quarter of the
 * globe away the distance along a long segment is so flat that its steps
 * fall twenty times short and stop early.
 */
static double
foot_step(double d, double theta)
{
	return (R_MEAN_KM * atan2(sin(d / R_MEAN_KM) * cos(theta * DEG),
	    cos(d / R_MEAN_KM)));
}

/*
 * Exact nearest point of segment i to (lat, lon), by Newton's method on
 * the distance along the geodesic: at a trial foot F the distance to P
 * changes at the rate -cos(theta), theta the angle between the line and
 * the direction to P, so the foot lies about d*cos(theta) further on
 * (foot_step()).  t is the starting guess (fraction of the segment).
 */
static void
seg_foot(const struct border_map *m, size_t i, double lat, double lon,
    double t, struct vmemo *memo, struct foot *f)
{
	double	len = m->index->len_km[i], s, d, la, lo, azl, azp, step, c;
	int	iter;

	s = t * len;
	f->end = 0;
	for (iter = 0; iter < 40; iter++) {
		if (s <= 0) {
			d = vertex_dist(m, i, lat, lon, memo, &azp);
			azl = m->azi1[i];
			step = foot_step(d, azp - azl);
			if (step <= 0) {
				f->s = 0;
				f->lat = m->lat[i];
				f->lon = m->lon[i];
				f->d = d;
				f->azi_p = azp;
				f->azi_l = azl;
				f->end = -1;
				return;
			}
			s = fmin(step, len);
			continue;
		}
		if (s >= len) {
			d = vertex_dist(m, i + 1, lat, lon, memo, &azp);
			azl = m->azi2[i];
			step = foot_step(d, azp - azl);
			if (step >= 0) {
				f->s = len;
				f->lat = m->lat[i + 1];
				f->lon = m->lon[i + 1];
				f->d = d;
				f->azi_p = azp;
				f->azi_l = azl;
				f->end = 1;
				return;
			}
			s = fmax(len + step, 0);
			if (s == 0) {
				/* The whole segment lies between: restart
				   from its middle rather than bounce. */
				s = len / 2;
			}
			continue;
		}
		geod_position(&m->index->line[i], s * 1000, &la, &lo, &azl);
		d = inverse(m, la, lo, lat, lon, &azp, NULL);
		step = foot_step(d, azp - azl);
		if (fabs(step) < FOOT_TOL_KM ||
		    (fabs(step) < 1e-3 && d < 200) ||
		    (fabs(step) < 0.01 && fabs(step) * d * d <
		    0.1 * FOOT_TOL_KM * R_MEAN_KM * R_MEAN_KM)) {
			/* One more step is below a millimetre of chainage;
			   the distance at the moved foot follows from the
			   right spherical triangle. */
			f->s = fmin(fmax(s + step, 0), len);
			if (f->s > 0 && f->s < len)
				nudge(la, lo, azl, f->s - s, &f->lat, &f->lon);
			else
				seg_point(m, i, f->s, &f->lat, &f->lon, NULL);
			if (fabs(step) >= FOOT_TOL_KM && f->s > 0 &&
			    f->s < len) {
				c = sin(d / R_MEAN_KM) *
				    fabs(sin((azp - azl) * DEG));
				d = R_MEAN_KM * asin(fmin(c, 1));
			}
			f->d = d;
			f->azi_p = azp;
			f->azi_l = azl;
			return;
		}
		s += step;
	}
	f->s = fmin(fmax(s, 0), len);
	seg_point(m, i, f->s, &la, &lo, &azl);
	f->lat = la;
	f->lon = lo;
	f->d = inverse(m, la, lo, lat, lon, &azp, NULL);
	f->azi_p = azp;
	f->azi_l = azl;
}

static int
cand_before(const struct cand *x, const struct cand *y)
{
	if (x->lb != y->lb)
		return (x->lb < y->lb);
	return (x->seg < y->seg);
}

/* A growing list of candidates, on the stack while small. */
struct clist {
	struct cand	*v;
	size_t		 n, cap;
	struct cand	 local[128];
};

static void
clist_init(struct clist *cl)
{
	cl->v = cl->local;
	cl->n = 0;
	cl->cap = sizeof cl->local / sizeof cl->local[0];
}

static void
clist_push(struct clist *cl, uint32_t seg, double lb, double t)
{
	if (cl->n == cl->cap) {
		if (cl->v == cl->local) {
			cl->v = xreallocarray(NULL, cl->cap * 2,
			    sizeof *cl->v);
			memcpy(cl->v, cl->local, sizeof cl->local);
		} else
			cl->v = xreallocarray(cl->v, cl->cap * 2,
			    sizeof *cl->v);
		cl->cap *= 2;
	}
	cl->v[cl->n].seg = seg;
	cl->v[cl->n].lb = lb;
	cl->v[cl->n].t = t;
	cl->n++;
}

static void
clist_done(struct clist *cl)
{
	if (cl->v != cl->local)
		free(cl->v);
}

/* Drop candidates whose lower bound exceeds ub (they cannot hold the
   nearest point) and sort the few left by lower bound. */
static void
cand_sort(struct clist *cl, double ub)
{
	struct cand	 c;
	size_t		 i, j, n = 0;

	for (i = 0; i < cl->n; i++)
		if (cl->v[i].lb <= ub)
			cl->v[n++] = cl->v[i];
	cl->n = n;
	for (i = 1; i < n; i++) {
		c = cl->v[i];
		for (j = i; j > 0 && cand_before(&c, &cl->v[j - 1]); j--)
			cl->v[j] = cl->v[j - 1];
		cl->v[j] = c;
	}
}

/* Grid cell of a position, clamped to the grid. */
static void
cell_of(const struct border_index *ix, double lat, double lon, int *r,
    int *c)
{
	double	fr, fc;

	fr = floor((lat - ix->lat0) / ix->cell);
	fc = floor((lon - ix->lon0) / ix->cell);
	*r = fr < 0 ? 0 : fr >= ix->nrow ? ix->nrow - 1 : (int)fr;
	*c = fc < 0 ? 0 : fc >= ix->ncol ? ix->ncol - 1 : (int)fc;
}

/* Planar pass over one cell: every segment gets a lower bound. */
static void
visit_cell(const struct border_map *m, const struct frame *fr, size_t k,
    struct vxy *last, struct clist *cl, double *ub)
{
	const struct border_index	*ix = m->index;
	size_t				 e;
	uint32_t			 seg;
	double				 da, t, err;

	for (e = ix->start[k]; e < ix->start[k + 1]; e++) {
		seg = ix->item[e];
		da = seg_planar(m, fr, seg, last, &t);
		err = ix->err_km[seg] + frame_err(da);
		if (da + err < *ub)
			*ub = da + err;
		if (da - err <= *ub)
			clist_push(cl, seg, da - err, t);
	}
}

/*
 * Candidates for the nearest segment: rings of cells outward from the
 * position until nothing outside the visited block can be nearer than the
 * best upper bound.  Returns that upper bound (km), or NaN when the line
 * is farther than FAR_KM or the rings take more than RING_MAX_CELLS cells
 * (for locate_far()).
 */
static double
gather_nearest(const struct border_map *m, const struct frame *fr,
    struct clist *cl)
{
	const struct border_index	*ix = m->index;
	struct vxy			 last = { SIZE_MAX, 0, 0 };
	double				 ub = INFINITY, lb, edge, rlb, gap,
					 span;
	size_t				 cell, nvisit = 0;
	int				 r0, c0, k, r, c, lo_r, hi_r, lo_c,
					 hi_c, step, cmin, cmax;

	cell_of(ix, fr->lat, fr->lon, &r0, &c0);
	for (k = 0;; k++) {
		lo_r = r0 - k + 1;
		hi_r = r0 + k - 1;
		lo_c = c0 - k + 1;
		hi_c = c0 + k - 1;
		if (k > 0) {
			/* Lower bound for all cells outside the block of
			   rings 0..k-1 that remain in the grid. */
			if (lo_r <= 0 && hi_r >= ix->nrow - 1 &&
			    lo_c <= 0 && hi_c >= ix->ncol - 1)
				break;
			lb = INFINITY;
			if (hi_r < ix->nrow - 1) {
				edge = ix->lat0 + (hi_r + 1) * ix->cell;
				lb = fmin(lb, lb_lat(edge - fr->lat));
			}
			if (lo_r > 0) {
				edge = ix->lat0 + lo_r * ix->cell;
				lb = fmin(lb, lb_lat(fr->lat - edge));
			}
			if (hi_c < ix->ncol - 1) {
				edge = ix->lon0 + (hi_c + 1) * ix->cell;
				lb = fmin(lb, lb_lon(fr, edge - fr->lon));
			}
			if (lo_c > 0) {
				edge = ix->lon0 + lo_c * ix->cell;
				lb = fmin(lb, lb_lon(fr, fr->lon - edge));
			}
			if (lb > ub)
				break;
			/* Nothing within the frame's reach: give up. */
			if (lb > FAR_KM && ub > FAR_KM)
				return (NAN);
		}
		/* Ring k only: its top and bottom rows, then the two
		   columns between them.  A row or a cell whose lower bound
		   exceeds the best upper bound so far holds no point near
		   enough: every segment's nearer points lie in cells of
		   their own that are visited. */
		for (r = r0 - k; r <= r0 + k; r++) {
			if (r < 0 || r >= ix->nrow)
				continue;
			if (++nvisit > RING_MAX_CELLS)
				return (NAN);
			edge = ix->lat0 + r * ix->cell;
			gap = edge - fr->lat;
			if (fr->lat - (edge + ix->cell) > gap)
				gap = fr->lat - (edge + ix->cell);
			rlb = lb_lat(gap);
			if (rlb > ub)
				continue;
			step = r == r0 - k || r == r0 + k ? 1 : 2 * k;
			cmin = c0 - k;
			cmax = c0 + k;
			/* On a full row, only the columns lb_lon() can let
			   through: within span deg, while the cubic term of
			   lb_lon() costs under 1 % (0.24 rad). */
			span = ub / (0.99 * LB_SAFE * R_MIN_KM * fr->coslat);
			if (step == 1 && fr->coslat > 0.01 && span < 0.24) {
				span /= DEG;
				c = (int)floor((fr->lon - span - ix->lon0) /
				    ix->cell) - 1;
				if (c > cmin)
					cmin = c;
				c = (int)floor((fr->lon + span - ix->lon0) /
				    ix->cell) + 1;
				if (c < cmax)
					cmax = c;
			}
			if (step == 1 && cmin < 0)
				cmin = 0;
			if (cmax > ix->ncol - 1)
				cmax = ix->ncol - 1;
			for (c = cmin; c <= cmax; c += step) {
				if (c < 0)
					continue;
				if (++nvisit > RING_MAX_CELLS)
					return (NAN);
				cell = (size_t)r * ix->ncol + c;
				if (ix->start[cell] == ix->start[cell + 1])
					continue;
				edge = ix->lon0 + c * ix->cell;
				gap = edge - fr->lon;
				if (fr->lon - (edge + ix->cell) > gap)
					gap = fr->lon - (edge + ix->cell);
				if (lb_lon(fr, gap) > ub)
					continue;
				visit_cell(m, fr, cell, &last, cl, &ub);
			}
		}
	}
	return (ub);
}

/* Whether P, at azimuth azi from interior vertex v, is on the line's left:
   left iff azi lies clockwise between the reversed incoming direction and
   the outgoing one. */
static int
vertex_left(const struct border_map *m, size_t v, double azi)
{
	double	rin, a, b;

	rin = m->azi2[v - 1] + 180;
	a = norm360(m->azi1[v] - rin);
	b = norm360(azi - rin);
	return (b > 0 && b < a);
}

/*
 * A lower bound (km) on the distance from P to a segment of length len
 * whose ends are da and db km from P (lengths of shortest geodesics),
 * and in *t where on the segment the bound is reached (a fraction).
 * Toponogov's comparison: on a complete surface of Gaussian curvature at
 * least k, the distance from a vertex of a triangle of shortest geodesics
 * to a point of the opposite side is at least the same distance in the
 * triangle of the same side lengths on the sphere of curvature k.  The
 * ellipsoid's least curvature is b^2 / a^4, the sphere of R_TOPO_KM; the
 * perimeter must stay under its circumference.  For a short segment far
 * away the bound is within metres of the distance itself; the triangle
 * inequality's (da + db - len) / 2 backs it where the comparison fails.
 */
static double
topo_lb(double da, double db, double len, double *t)
{
	double	lb, a, c, sc, px, py, pz2, e, phi;

	lb = fmax(0, (da + db - len) / 2);
	*t = da <= db ? 0 : 1;
	c = len / R_TOPO_KM;
	if (da + db + len >= 2 * M_PI * R_TOPO_KM * 0.9999 ||
	    (sc = sin(c)) < 1e-9)
		return (lb);
	/* The comparison triangle: A at (1, 0, 0), B at (cos c, sin c, 0)
	   on the unit sphere, P above the plane. */
	a = da / R_TOPO_KM;
	px = cos(a);
	py = (cos(db / R_TOPO_KM) - px * cos(c)) / sc;
	e = 8 * DBL_EPSILON / sc;	/* bound of py's rounding error */
	phi = atan2(py, px);
	if (phi < 0 || phi > c)
		return (fmax(lb, fmin(da, db)));
	*t = phi / c;
	pz2 = 1 - px * px - py * py - 2 * fabs(py) * e - e * e -
	    8 * DBL_EPSILON;
	if (pz2 <= 0)
		return (lb);
	return (fmax(lb, R_TOPO_KM * asin(fmin(1, sqrt(pz2)))));
}

/* Lower bound (km) on the distance from P (geocentric unit vector p) to
   any point of a node's segments: the angle from p to the node's arc,
   less its dev, times B_KM. */
static double
fsph_lb(const struct fsph *nd, const double *p)
{
	double	pa, pw, pn, tp, ang, c;

	if (nd->weak)
		return (0);
	pa = dot3(p, nd->a);
	pw = dot3(p, nd->w);
	pn = dot3(p, nd->n);
	tp = atan2(pw, pa);
	if (tp < nd->tlo)
		tp += 2 * M_PI;
	if (tp <= nd->tlo + nd->span)
		ang = atan2(fabs(pn), sqrt(pa * pa + pw * pw));
	else {
		/* Past the arc: its nearer end (cos(t - tp) is unimodal on
		   the circle). */
		c = fmax(nd->clo * pa + nd->slo * pw,
		    nd->chi * pa + nd->shi * pw);
		ang = acos(fmax(-1, fmin(1, c)));
	}
	ang -= nd->dev;
	return (ang > 0 ? fmax(0, B_KM * ang - FAR_MARGIN_KM) : 0);
}

/* The far search's queue: nodes and segments by lower bound. */
struct fitem {
	double		key;		/* lower bound, km */
	double		t;		/* a segment's starting foot */
	uint32_t	id;		/* node */
	int		exact;		/* key from exact distances */
};

struct fheap {
	struct fitem	*v;
	size_t		 n, cap;
	struct fitem	 local[256];
};

static void
fheap_push(struct fheap *h, double key, uint32_t id, int exact, double t)
{
	struct fitem	it = { key, t, id, exact };
	size_t		i, up;

	if (h->n == h->cap) {
		if (h->v == h->local) {
			h->v = xreallocarray(NULL, h->cap * 2, sizeof *h->v);
			memcpy(h->v, h->local, sizeof h->local);
		} else
			h->v = xreallocarray(h->v, h->cap * 2, sizeof *h->v);
		h->cap *= 2;
	}
	for (i = h->n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (h->v[up].key <= key)
			break;
		h->v[i] = h->v[up];
	}
	h->v[i] = it;
}

static void
fheap_pop(struct fheap *h, struct fitem *out)
{
	struct fitem	last;
	size_t		i, c;

	*out = h->v[0];
	last = h->v[--h->n];
	for (i = 0; (c = 2 * i + 1) < h->n; i = c) {
		if (c + 1 < h->n && h->v[c + 1].key < h->v[c].key)
			c++;
		if (last.key <= h->v[c].key)
			break;
		h->v[i] = h->v[c];
	}
	h->v[i] = last;
}

/* Exact distances to the vertices met, so that neighbouring segments
   share one inverse problem; when full, distances are just recomputed. */
#define VD_SLOTS	512

struct vdist {
	uint32_t	v[VD_SLOTS];
	double		d[VD_SLOTS];
	double		azi[VD_SLOTS];	/* at the vertex, towards P, deg */
	size_t		n;
};

static double
vdist_get(const struct border_map *m, struct vdist *vd, uint32_t v,
    double lat, double lon, double *azi)
{
	size_t	k = (v * 2654435761u) % VD_SLOTS;
	double	d, a;

	while (vd->v[k] != UINT32_MAX) {
		if (vd->v[k] == v) {
			if (azi != NULL)
				*azi = vd->azi[k];
			return (vd->d[k]);
		}
		k = (k + 1) % VD_SLOTS;
	}
	d = inverse(m, m->lat[v], m->lon[v], lat, lon, &a, NULL);
	if (vd->n < VD_SLOTS * 3 / 4) {
		vd->v[k] = v;
		vd->d[k] = d;
		vd->azi[k] = a;
		vd->n++;
	}
	if (azi != NULL)
		*azi = a;
	return (d);
}

/* A node's bound from the exact distances of its ends: the chord's
   Toponogov bound less the node's dev, and never more than its nearer
   end's distance (its ends are its own points).  Without that cap a
   position on the chord's extension, where the bound equals the end's
   distance, could round above it and the node holding the best vertex
   drop out of the search. */
static double
fnode_lb(const struct border_map *m, const struct fnode *nd,
    struct vdist *vd, double lat, double lon, double *ub, double *t)
{
	double	da, db;

	da = vdist_get(m, vd, nd->v0, lat, lon, NULL);
	db = vdist_get(m, vd, nd->v1, lat, lon, NULL);
	*ub = fmin(*ub, fmin(da, db));
	return (fmin(fmin(da, db), topo_lb(da, db, nd->chord, t) -
	    nd->dev));
}

/*
 * The nearest point for a position far from the line, where the grid's
 * rings and the planar frame help nothing: best first down the far tree.
 * A large node is first queued by its cheap bound (a few products, no
 * geodesic); when it comes out, the exact distances of its ends give its
 * Toponogov bound, and it goes back in by that; when it comes out again
 * its children go in.  A single segment that comes out by its exact bound
 * gets its exact foot.  Every bound is a true lower bound, so the search
 * stops with the exact nearest point as soon as the queue's least bound
 * passes the best distance found.
 */
static void
locate_far(const struct border_map *m, double lat, double lon,
    struct foot *best, size_t *bseg)
{
	const struct border_index	*ix = m->index;
	const struct fnode		*nd;
	struct vmemo			 memo = { 0, 0, 0, 0 };
	struct fheap			 h;
	struct fitem			 it;
	struct vdist			 vd;
	struct foot			 f;
	double				 p[3], ub = INFINITY, lb, t = 0, da, db;
	uint32_t			 kid[2];
	int				 k;

	geocentric(lat, lon, p);
	memset(vd.v, 0xff, sizeof vd.v);
	vd.n = 0;
	h.v = h.local;
	h.n = 0;
	h.cap = sizeof h.local / sizeof h.local[0];
	best->d = INFINITY;
	*bseg = 0;
	/* A first best distance: the vertex reached by the cheap bounds. */
	for (nd = &ix->far[0]; nd->left != 0 &&
	    ix->far[nd->left].sph >= 0 && ix->far[nd->right].sph >= 0;)
		nd = fsph_lb(&ix->fsph[ix->far[nd->left].sph], p) <=
		    fsph_lb(&ix->fsph[ix->far[nd->right].sph], p) ?
		    &ix->far[nd->left] : &ix->far[nd->right];
	ub = vdist_get(m, &vd, nd->v0, lat, lon, NULL);
	nd = &ix->far[0];
	if (nd->sph >= 0)
		fheap_push(&h, fsph_lb(&ix->fsph[nd->sph], p), 0, 0, 0);
	else {
		lb = fnode_lb(m, nd, &vd, lat, lon, &ub, &t);
		fheap_push(&h, lb, 0, 1, t);
	}
	while (h.n > 0) {
		fheap_pop(&h, &it);
		if (it.key > ub)
			break;
		nd = &ix->far[it.id];
		if (!it.exact && it.key >= ub * FAR_REFINE) {
			lb = fmax(it.key, fnode_lb(m, nd, &vd, lat, lon, &ub,
			    &t));
			if (lb <= ub)
				fheap_push(&h, lb, it.id, 1, t);
			continue;
		}
		if (nd->left == 0) {
			/* Starting at an end, Newton needs its distance:
			   known already. */
			memo.v = it.t < 0.5 ? nd->v0 : nd->v1;
			memo.d = vdist_get(m, &vd, (uint32_t)memo.v, lat, lon,
			    &memo.azi);
			memo.valid = 1;
			seg_foot(m, nd->v0, lat, lon, it.t, &memo, &f);
			/* Newton finds a local minimum; an end may be nearer
			   (past a quarter of the globe the distance along a
			   segment can peak inside it). */
			da = vdist_get(m, &vd, nd->v0, lat, lon, NULL);
			db = vdist_get(m, &vd, nd->v1, lat, lon, NULL);
			if (fmin(da, db) < f.d)
				seg_foot(m, nd->v0, lat, lon, da < db ? 0 : 1,
				    &memo, &f);
			if (f.d < best->d) {
				*best = f;
				*bseg = nd->v0;
			}
			ub = fmin(ub, f.d);
			continue;
		}
		kid[0] = nd->left;
		kid[1] = nd->right;
		for (k = 0; k < 2; k++) {
			nd = &ix->far[kid[k]];
			if (nd->sph >= 0) {
				lb = fsph_lb(&ix->fsph[nd->sph], p);
				if (lb <= ub)
					fheap_push(&h, lb, kid[k], 0, 0);
			} else {
				lb = fnode_lb(m, nd, &vd, lat, lon, &ub, &t);
				if (lb <= ub)
					fheap_push(&h, lb, kid[k], 1, t);
			}
		}
	}
	if (h.v != h.local)
		free(h.v);
}

/* Whether a position is a degree or more outside the grid: the rings
   would only be searched until they give up (both ways are exact). */
static int
grid_far(const struct border_index *ix, double lat, double lon)
{
	double	h = ix->ncol * ix->cell / 2;

	return (lat < ix->lat0 - 1 || lat > ix->lat0 + ix->nrow * ix->cell +
	    1 || fabs(norm180(lon - ix->lon0 - h)) > h + 1);
}

void
border_locate(const struct border_map *m, double lat, double lon,
    struct placement *pl)
{
	struct frame	 fr;
	struct clist	 cl;
	struct vmemo	 memo = { 0, 0, 0, 0 };
	struct foot	 f, best;
	size_t		 i, bseg = 0, v;
	double		 ub, sgn;
	int		 left, have = 0;

	memset(pl, 0, sizeof *pl);
	if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90) {
		/* Not a position: nothing to place (the feed refuses these). */
		pl->s_km = pl->d_km = pl->foot_lat = pl->foot_lon = NAN;
		return;
	}
	memset(&best, 0, sizeof best);
	frame_init(&fr, lat, lon);
	clist_init(&cl);
	ub = grid_far(m->index, lat, lon) || fr.reach < 0 ? NAN :
	    gather_nearest(m, &fr, &cl);
	if (isnan(ub)) {
		cl.n = 0;
		locate_far(m, lat, lon, &best, &bseg);
	} else
		cand_sort(&cl, ub);
	for (i = 0; i < cl.n; i++) {
		if (cl.v[i].lb > ub)
			break;
		if (i > 0 && cl.v[i].seg == cl.v[i - 1].seg)
			continue;
		seg_foot(m, cl.v[i].seg, lat, lon, seg_guess(m, &fr,
		    cl.v[i].seg), &memo, &f);
		if (!have || f.d < best.d) {
			best = f;
			bseg = cl.v[i].seg;
			have = 1;
			if (f.d < ub)
				ub = f.d;
		}
	}
	clist_done(&cl);

	/* Report a vertex foot on the segment it starts. */
	if (best.end == 1 && bseg + 2 < m->nverts) {
		bseg++;
		best.s = 0;
		best.end = -1;
	}
	pl->seg = bseg;
	pl->s_km = m->chain_km[bseg] + best.s;
	if (best.end == -1 && bseg > 0) {
		v = bseg;
		left = vertex_left(m, v, best.azi_p);
	} else {
		sgn = sin((best.azi_p - best.azi_l) * DEG);
		left = sgn < 0;
		if (best.end == -1 && bseg == 0 &&
		    cos((best.azi_p - best.azi_l) * DEG) < 0)
			pl->beyond = -1;
		if (best.end == 1 && bseg + 2 == m->nverts &&
		    cos((best.azi_p - best.azi_l) * DEG) > 0)
			pl->beyond = 1;
	}
	pl->d_km = left ? best.d : -best.d;
	pl->foot_lat = best.lat;
	pl->foot_lon = best.lon;
}

int
border_side_of(double d_km, double tolerance_km)
{
	if (d_km > tolerance_km)
		return (SIDE_LEFT);
	if (d_km < -tolerance_km)
		return (SIDE_RIGHT);
	return (SIDE_NONE);
}

/* Segment holding chainage s (km), by binary search. */
static size_t
seg_at(const struct border_map *m, double s)
{
	size_t	lo = 0, hi = m->nverts - 1, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (m->chain_km[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	return (lo);
}

void
border_point_at(const struct border_map *m, double s_km, double *lat,
    double *lon)
{
	size_t	i;

	if (!(s_km > 0))
		s_km = 0;
	if (s_km > m->length_km)
		s_km = m->length_km;
	i = seg_at(m, s_km);
	seg_point(m, i, s_km - m->chain_km[i], lat, lon, NULL);
}

double
border_distance_km(const struct border_map *m, double lat0, double lon0,
    double lat1, double lon1)
{
	return (inverse(m, lat0, lon0, lat1, lon1, NULL, NULL));
}

/* Distance (km) from P to the point s km along segment i, and the cosine
   of the angle between the line and the direction to P there. */
static double
seg_dist(const struct border_map *m, size_t i, double s, double lat,
    double lon, double *cosang)
{
	double	la, lo, azl, azp, d;

	seg_point(m, i, s, &la, &lo, &azl);
	d = inverse(m, la, lo, lat, lon, &azp, NULL);
	*cosang = cos((azp - azl) * DEG);
	return (d);
}

/*
 * Where the distance from P reaches r on segment i, between s_in (within
 * r) and s_out (beyond it), from a guess: safeguarded Newton, the distance
 * changing at the rate -cos(theta) along the line.  The distance curves
 * by at most about 1/d per km^2, so once a step's curvature error is below
 * the tolerance the step itself lands on r without another evaluation;
 * from a planar guess that is usually the first step.
 */
static double
seg_cross(const struct border_map *m, size_t i, double lat, double lon,
    double r, double s_in, double s_out, double guess)
{
	double	in = s_in, out = s_out, s = guess, d, c, h;
	int	iter;

	for (iter = 0; iter < 60; iter++) {
		if (!(s > fmin(in, out) && s < fmax(in, out)))
			s = (in + out) / 2;
		d = seg_dist(m, i, s, lat, lon, &c);
		if (fabs(d - r) < EDGE_TOL_KM)
			return (s);
		if (d <= r)
			in = s;
		else
			out = s;
		if (fabs(out - in) < 1e-9)
			break;
		if (fabs(c) < 1e-9) {
			s = (in + out) / 2;
			continue;
		}
		h = (d - r) / c;
		s += h;
		if (0.6 * h * h / d < EDGE_TOL_KM && s > fmin(in, out) &&
		    s < fmax(in, out))
			return (s);
	}
	return ((in + out) / 2);
}

/* A knot as the footprint sees it: planar position and side. */
struct fknot {
	size_t	k;
	double	x, y;		/* km, in the centre's frame */
	double	d;		/* planar distance, km */
	int	in;		/* within r */
	int	exact;		/* d is the geodesic distance */
};

/* Place knot k relative to the circle: by its planar distance when that
   is clear of r by the frame's error bound, else by one inverse problem. */
static void
fknot_set(const struct border_map *m, const struct frame *fr, double r,
    size_t k, struct fknot *kn)
{
	const struct border_index	*ix = m->index;
	double				 e;

	kn->k = k;
	frame_xy(fr, ix->klat[k], ix->klon[k], &kn->x, &kn->y);
	kn->d = sqrt(kn->x * kn->x + kn->y * kn->y);
	kn->exact = 0;
	if (kn->d <= fr->reach) {
		e = frame_err(kn->d);
		if (kn->d + e < r) {
			kn->in = 1;
			return;
		}
		if (kn->d - e > r) {
			kn->in = 0;
			return;
		}
	}
	kn->d = inverse(m, ix->klat[k], ix->klon[k], fr->lat, fr->lon, NULL,
	    NULL);
	kn->exact = 1;
	kn->in = kn->d <= r;
}

/* Footprint intervals under construction, merged as they come in
   chainage order. */
struct fprint {
	struct interval	*v;
	size_t		 n, cap;
};

static void
fprint_add(struct fprint *fp, double a, double b)
{
	if (fp->n > 0 && a <= fp->v[fp->n - 1].b + 1e-9) {
		if (b > fp->v[fp->n - 1].b)
			fp->v[fp->n - 1].b = b;
		return;
	}
	if (fp->n == fp->cap) {
		fp->cap = fp->cap ? fp->cap * 2 : 4;
		fp->v = xreallocarray(fp->v, fp->cap, sizeof *fp->v);
	}
	fp->v[fp->n].a = a;
	fp->v[fp->n].b = b;
	fp->n++;
}

/*
 * The part of the geodesic piece from knot p to knot q (s0 to s1 km on
 * segment i) within r.  Distance along a short geodesic is unimodal, so
 * with both ends inside the piece is wholly inside; with one end inside
 * there is one crossing; with both outside there are two or none, as the
 * foot is within r or not.  Crossings start from the planar chord's.
 */
static void
piece_footprint(const struct border_map *m, const struct frame *fr,
    double r, size_t i, double s0, double s1, const struct fknot *p,
    const struct fknot *q, struct fprint *fp)
{
	struct vmemo	 memo = { 0, 0, 0, 0 };
	struct foot	 f;
	double		 base = m->chain_km[i], dx, dy, l2, b, c, disc, u, u1,
			 u2, da, err, fs, h;

	if (p->in && q->in) {
		fprint_add(fp, base + s0, base + s1);
		return;
	}
	/* |A + u D| = r on the chord: roots u1 <= u2. */
	dx = q->x - p->x;
	dy = q->y - p->y;
	l2 = dx * dx + dy * dy;
	b = p->x * dx + p->y * dy;
	c = p->x * p->x + p->y * p->y - r * r;
	u = l2 > 0 ? fmin(fmax(-b / l2, 0), 1) : 0;
	disc = b * b - l2 * c;
	if (l2 > 0 && disc > 0) {
		u1 = fmin(fmax((-b - sqrt(disc)) / l2, 0), 1);
		u2 = fmin(fmax((-b + sqrt(disc)) / l2, 0), 1);
	} else
		u1 = u2 = u;
	if (p->in) {
		fprint_add(fp, base + s0, base + seg_cross(m, i, fr->lat,
		    fr->lon, r, s0, s1, s0 + u2 * (s1 - s0)));
		return;
	}
	if (q->in) {
		fprint_add(fp, base + seg_cross(m, i, fr->lat, fr->lon, r, s1,
		    s0, s0 + u1 * (s1 - s0)), base + s1);
		return;
	}

	/* Both ends outside.  Every point is within half the piece of an
	   end, which rules most pieces out exactly. */
	if ((p->d + q->d - (s1 - s0)) / 2 - (p->exact ? 0 : frame_err(p->d)) -
	    (q->exact ? 0 : frame_err(q->d)) > r)
		return;
	dx = p->x + u * dx;
	dy = p->y + u * dy;
	da = sqrt(dx * dx + dy * dy);
	if (da <= fr->reach) {
		err = frame_err(da) + m->index->kerr[p->k] + 0.0001;
		if (da - err > r)
			return;
		if (da + err < r) {
			fs = s0 + u * (s1 - s0);
			fprint_add(fp, base + seg_cross(m, i, fr->lat, fr->lon,
			    r, fs, s0, s0 + u1 * (s1 - s0)),
			    base + seg_cross(m, i, fr->lat, fr->lon, r, fs, s1,
			    s0 + u2 * (s1 - s0)));
			return;
		}
	}
	/* Too close to call in the plane: the exact foot of the segment.
	   If it is off this piece, the piece's nearest point is an end. */
	seg_foot(m, i, fr->lat, fr->lon, (s0 + u * (s1 - s0)) /
	    m->index->len_km[i], &memo, &f);
	if (f.d > r || f.s <= s0 || f.s >= s1)
		return;
	h = sqrt(fmax(r * r - f.d * f.d, 0));
	fprint_add(fp, base + seg_cross(m, i, fr->lat, fr->lon, r, f.s, s0,
	    f.s - h), base + seg_cross(m, i, fr->lat, fr->lon, r, f.s, s1,
	    f.s + h));
}

/* Segments per window of the footprint's candidate bitmap. */
#define FP_WINDOW	4096

size_t
border_footprint(const struct border_map *m, double lat, double lon,
    double r_km, struct interval **out)
{
	const struct border_index	*ix = m->index;
	struct frame			 fr;
	struct fprint			 fp = { NULL, 0, 0 };
	struct fknot			 kn[2];
	struct vxy			 last = { SIZE_MAX, 0, 0 };
	uint64_t			 bits[FP_WINDOW / 64], w;
	size_t				 k, e, i, j, seg, lo, hi, wlo, cur;
	double				 dlat, dlon, c, s0, s1, da, t;
	int				 r0, r1, c0, c1, r, cc, have;

	*out = NULL;
	if (!(r_km > 0) || !isfinite(lat) || !isfinite(lon))
		return (0);
	frame_init(&fr, lat, lon);

	/* Cells that can hold a point within r: a lat/lon box. */
	dlat = r_km / (LB_SAFE * R_MIN_KM * DEG);
	c = sin(r_km / (LB_SAFE * R_MIN_KM));
	if (r_km / (LB_SAFE * R_MIN_KM) >= M_PI / 2 ||
	    c >= cos(lat * DEG))
		dlon = 360;
	else
		dlon = asin(c / cos(lat * DEG)) / DEG;
	r0 = (int)fmax(floor((lat - dlat - ix->lat0) / ix->cell), -1);
	r1 = (int)fmin(floor((lat + dlat - ix->lat0) / ix->cell), ix->nrow);
	c0 = (int)fmax(floor((lon - dlon - ix->lon0) / ix->cell), -1);
	c1 = (int)fmin(floor((lon + dlon - ix->lon0) / ix->cell), ix->ncol);
	if (r0 < 0)
		r0 = 0;
	if (c0 < 0)
		c0 = 0;
	if (r1 >= ix->nrow)
		r1 = ix->nrow - 1;
	if (c1 >= ix->ncol)
		c1 = ix->ncol - 1;

	/* The lowest and highest candidate segments. */
	lo = SIZE_MAX;
	hi = 0;
	for (r = r0; r <= r1; r++)
		for (cc = c0; cc <= c1; cc++) {
			k = (size_t)r * ix->ncol + cc;
			if (ix->start[k] == ix->start[k + 1])
				continue;
			/* Each cell's list is in segment order. */
			if (ix->item[ix->start[k]] < lo)
				lo = ix->item[ix->start[k]];
			if (ix->item[ix->start[k + 1] - 1] > hi)
				hi = ix->item[ix->start[k + 1] - 1];
		}
	if (lo > hi)
		return (0);

	/*
	 * Walk the candidates in segment order, so that intervals come out
	 * sorted and a knot shared by two segments is placed once: a bitmap
	 * of a window of segment numbers at a time (one window for any
	 * footprint of a few tens of km).
	 */
	have = 0;
	cur = SIZE_MAX;
	for (wlo = lo; wlo <= hi; wlo += FP_WINDOW) {
		memset(bits, 0, sizeof bits);
		for (r = r0; r <= r1; r++)
			for (cc = c0; cc <= c1; cc++) {
				k = (size_t)r * ix->ncol + cc;
				for (e = ix->start[k]; e < ix->start[k + 1];
				    e++) {
					seg = ix->item[e];
					if (seg >= wlo && seg < wlo + FP_WINDOW)
						bits[(seg - wlo) / 64] |=
						    (uint64_t)1 <<
						    ((seg - wlo) % 64);
				}
			}
		for (j = 0; j < FP_WINDOW / 64; j++) {
			for (w = bits[j]; w != 0; w &= w - 1) {
				i = wlo + j * 64 + (size_t)__builtin_ctzll(w);
				/* A segment wholly beyond r has no piece
				   to walk. */
				da = seg_planar(m, &fr, i, &last, &t);
				if (da <= fr.reach && da - ix->err_km[i] -
				    frame_err(da) > r_km)
					continue;
				k = ix->kfirst[i];
				if (!have || cur != k) {
					fknot_set(m, &fr, r_km, k, &kn[0]);
					have = 1;
				}
				for (; k < ix->kfirst[i + 1]; k++) {
					fknot_set(m, &fr, r_km, k + 1, &kn[1]);
					s0 = ix->ks[k];
					s1 = k + 1 < ix->kfirst[i + 1] ?
					    ix->ks[k + 1] : ix->len_km[i];
					piece_footprint(m, &fr, r_km, i, s0, s1,
					    &kn[0], &kn[1], &fp);
					kn[0] = kn[1];
				}
				cur = k;
			}
		}
	}
	*out = fp.v;
	return (fp.n);
}

int
border_sector_at(const struct border_map *m, int side, double s_km)
{
	const struct sector	*sec;
	size_t			 n, lo, hi, mid;

	if (side < 0 || side >= NSIDES || m->nsectors[side] == 0)
		return (-1);
	sec = m->sectors[side];
	n = m->nsectors[side];
	lo = 0;
	hi = n;
	/* Last sector whose start is at or before s. */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (sec[mid].start_km <= s_km)
			lo = mid;
		else
			hi = mid;
	}
	return ((int)lo);
}

const struct place *
border_nearest_place(const struct border_map *m, double lat, double lon,
    double *dist_km, double *azi_deg)
{
	const struct place	*best = NULL;
	size_t			 i;
	double			 d, azi, bd = INFINITY, bazi = 0;

	for (i = 0; i < m->nplaces; i++) {
		d = inverse(m, m->places[i].lat, m->places[i].lon, lat, lon,
		    &azi, NULL);
		if (d < bd) {
			bd = d;
			bazi = azi;
			best = &m->places[i];
		}
	}
	if (dist_km != NULL)
		*dist_km = best != NULL ? bd : 0;
	if (azi_deg != NULL)
		*azi_deg = bazi;
	return (best);
}

/*
 * Drop a UTF-8 character that snprintf() cut short at the end of s (a
 * place name up to 127 bytes does not fit a 96-byte phrase).
 */
static void
border_cut_utf8(char *s)
{
	size_t		e = strlen(s), i, need;
	unsigned char	c;

	i = e;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 && e - i < 3)
		i--;
	if (i == 0)
		return;
	c = (unsigned char)s[i - 1];
	if (c < 0xc0)
		return;			/* ASCII, or not a lead byte */
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (e - (i - 1) < need)
		s[i - 1] = '\0';
}

void
border_near_phrase(const struct border_map *m, double lat, double lon,
    int side, char *buf, size_t len)
{
	static const char *const	 compass[] = {
		"N", "NE", "E", "SE", "S", "SW", "W", "NW"
	};
	const struct place		*p;
	const char			*label;
	double				 d, azi;
	int				 k, n;

	if (len == 0)
		return;
	p = border_nearest_place(m, lat, lon, &d, &azi);
	if (p == NULL) {
		*buf = '\0';
		return;
	}
	if (d > BORDER_NEAR_MAX_KM) {
		/* "12 km SE of" a town 150 km away says nothing useful. */
		snprintf(buf, len, "no place within %.0f km",
		    BORDER_NEAR_MAX_KM);
		return;
	}
	if (side < 0 || side >= NSIDES)
		side = SIDE_LEFT;
	label = p->label[side] != NULL ? p->label[side] : p->name;
	if (d < 1)
		n = snprintf(buf, len, "at %s", label);
	else {
		k = (int)floor(norm360(azi + 22.5) / 45) % 8;
		n = snprintf(buf, len, "%.0f km %s of %s", d, compass[k],
		    label);
	}
	if (n >= 0 && (size_t)n >= len)
		border_cut_utf8(buf);
}

int
border_side_by_code(const struct border_map *m, const char *code)
{
	int	side;

	if (code == NULL)
		return (SIDE_NONE);
	for (side = 0; side < NSIDES; side++)
		if (strcmp(m->sides[side].code, code) == 0)
			return (side);
	return (SIDE_NONE);
}

enum bc_status
border_add_sector(struct border_map *m, int side, const char *code,
    const char *name, double lat0, double lon0, double lat1, double lon1,
    char *why, size_t whylen)
{
	struct placement	 a, b;
	struct sector		*sec;
	size_t			 n;

	if (side < 0 || side >= NSIDES || m->nverts < 2) {
		bc_why(why, whylen, "sector %s: no such side or no line", code);
		return (BC_INVALID);
	}
	border_locate(m, lat0, lon0, &a);
	border_locate(m, lat1, lon1, &b);
	if (b.s_km < a.s_km) {
		bc_why(why, whylen, "sector %s ends (%.3f km) before it starts "
		    "(%.3f km)", code, b.s_km, a.s_km);
		return (BC_INVALID);
	}
	n = m->nsectors[side];
	m->sectors[side] = xreallocarray(m->sectors[side], n + 1,
	    sizeof *m->sectors[side]);
	sec = &m->sectors[side][n];
	memset(sec, 0, sizeof *sec);
	sec->side = side;
	sec->code = xstrdup(code);
	sec->name = xstrdup(name);
	sec->start_km = a.s_km;
	sec->end_km = b.s_km;
	sec->start_lat = lat0;
	sec->start_lon = lon0;
	sec->end_lat = lat1;
	sec->end_lon = lon1;
	m->nsectors[side] = n + 1;
	return (BC_OK);
}

static int
sector_cmp(const void *a, const void *b)
{
	const struct sector	*x = a, *y = b;

	if (x->start_km != y->start_km)
		return (x->start_km < y->start_km ? -1 : 1);
	return (x->end_km < y->end_km ? -1 : x->end_km > y->end_km);
}

/*
 * Sort each side's sectors and check that they tile the line, moving ends
 * that meet within the map's accuracy so that the tiling is exact.
 */
enum bc_status
border_check_sectors(struct border_map *m, char *why, size_t whylen)
{
	struct sector	*sec;
	size_t		 n, i;
	double		 tol;
	int		 side;

	tol = m->accuracy_km > 0 ? m->accuracy_km : 0.001;
	for (side = 0; side < NSIDES; side++) {
		sec = m->sectors[side];
		n = m->nsectors[side];
		if (n == 0) {
			bc_why(why, whylen, "side %s has no sectors",
			    m->sides[side].code);
			return (BC_INVALID);
		}
		qsort(sec, n, sizeof *sec, sector_cmp);
		if (sec[0].start_km > tol) {
			bc_why(why, whylen, "side %s: no sector covers 0.000-"
			    "%.3f km (sector %s starts at %.3f km)",
			    m->sides[side].code, sec[0].start_km, sec[0].code,
			    sec[0].start_km);
			return (BC_INVALID);
		}
		sec[0].start_km = 0;
		for (i = 1; i < n; i++) {
			if (sec[i].start_km < sec[i - 1].end_km - tol) {
				bc_why(why, whylen, "side %s: sectors %s and "
				    "%s overlap by %.3f km (%.3f-%.3f km)",
				    m->sides[side].code, sec[i - 1].code,
				    sec[i].code,
				    sec[i - 1].end_km - sec[i].start_km,
				    sec[i].start_km, sec[i - 1].end_km);
				return (BC_INVALID);
			}
			if (sec[i].start_km > sec[i - 1].end_km + tol) {
				bc_why(why, whylen, "side %s: no sector covers "
				    "%.3f-%.3f km (between %s and %s)",
				    m->sides[side].code, sec[i - 1].end_km,
				    sec[i].start_km, sec[i - 1].code,
				    sec[i].code);
				return (BC_INVALID);
			}
			sec[i].start_km = sec[i - 1].end_km;
			if (sec[i].end_km <= sec[i].start_km) {
				bc_why(why, whylen, "side %s: sector %s has no "
				    "length", m->sides[side].code,
				    sec[i].code);
				return (BC_INVALID);
			}
		}
		if (sec[n - 1].end_km < m->length_km - tol) {
			bc_why(why, whylen, "side %s: no sector covers %.3f-"
			    "%.3f km (sector %s ends at %.3f km)",
			    m->sides[side].code, sec[n - 1].end_km,
			    m->length_km, sec[n - 1].code, sec[n - 1].end_km);
			return (BC_INVALID);
		}
		sec[n - 1].end_km = m->length_km;
		if (sec[0].end_km <= sec[0].start_km) {
			bc_why(why, whylen, "side %s: sector %s has no length",
			    m->sides[side].code, sec[0].code);
			return (BC_INVALID);
		}
	}
	return (BC_OK);
}

void
border_add_place(struct border_map *m, const char *name,
    const char *label_left, const char *label_right, double lat, double lon)
{
	struct placement	 pl;
	struct place		*p;

	m->places = xreallocarray(m->places, m->nplaces + 1,
	    sizeof *m->places);
	p = &m->places[m->nplaces++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->label[SIDE_LEFT] = xstrdup(label_left != NULL ? label_left : name);
	p->label[SIDE_RIGHT] = xstrdup(label_right != NULL ? label_right :
	    name);
	p->lat = lat;
	p->lon = lon;
	if (m->nverts >= 2) {
		border_locate(m, lat, lon, &pl);
		p->chainage_km = pl.s_km;
		p->offset_km = pl.d_km;
	}
}
