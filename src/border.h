/*
 * border.h: the border map and geodesic placement on it.
 *
 * A border map is a polyline (west to east for the shipped US-Mexico map)
 * whose segments are WGS84 geodesics between vertices, the two countries
 * on its left and right, each country's sectors as chainage intervals, and
 * named places.  Everything is generic: no code knows which border it is.
 *
 * Side index 0 is the country on the line's LEFT (positive offsets; north,
 * the US, on the shipped map); side 1 is the country on the RIGHT.
 *
 * Units: chainage and offsets in km, radii in km, angles in degrees,
 * latitude/longitude in degrees (WGS84).
 *
 * This module does geometry only: it includes no curses, curl or cJSON.
 * The map loader (map.c) parses GeoJSON and fills a struct border_map
 * through border_build() and border_set_sectors()/border_add_place().
 */
#ifndef BORDERCOP_BORDER_H
#define BORDERCOP_BORDER_H

#include <stddef.h>

#include "status.h"

/* GeographicLib's ellipsoid, kept inside border.c: no other module
   calls geodesic functions (they ask border.c). */
struct geod_geodesic;

#define NSIDES		2
#define SIDE_LEFT	0
#define SIDE_RIGHT	1
#define SIDE_NONE	(-1)

/* A closed chainage interval [a, b], km, a <= b. */
struct interval {
	double	a;
	double	b;
};

struct map_side {
	char	code[8];	/* as the feed names it: "US", "MX" */
	char	name[64];	/* "United States" */
};

struct sector {
	int	 side;		/* SIDE_LEFT or SIDE_RIGHT */
	char	*code;		/* "TCA", "SO" */
	char	*name;		/* "Tucson", "Sonora" */
	double	 start_km;	/* located from the boundary points at load */
	double	 end_km;
	double	 start_lat, start_lon, end_lat, end_lon;
};

struct place {
	char	*name;		/* "Nogales DeConcini POE" */
	char	*label[NSIDES];	/* short names per side: "Nogales", "Nogales" */
	double	 lat, lon;
	double	 chainage_km;	/* located at load */
	double	 offset_km;
};

struct border_index;		/* opaque spatial index over segments */

struct border_map {
	char			*name;		/* "United States-Mexico boundary" */
	char			*attribution;	/* shown wherever the line is */
	char			*path;		/* file it came from, or NULL */
	double			 accuracy_km;	/* stated accuracy of the line */

	size_t			 nverts;	/* >= 2 */
	double			*lat;		/* nverts */
	double			*lon;
	double			*chain_km;	/* cumulative chainage at vertex */
	double			*azi1;		/* nverts-1: segment azimuth at start */
	double			*azi2;		/* nverts-1: segment azimuth at end */
	double			 length_km;

	struct map_side		 sides[NSIDES];
	struct sector		*sectors[NSIDES];	/* sorted by start_km */
	size_t			 nsectors[NSIDES];
	struct place		*places;
	size_t			 nplaces;

	struct geod_geodesic	*geod;		/* WGS84, owned */
	struct border_index	*index;
};

/* Where a position lies relative to the line. */
struct placement {
	double	s_km;		/* chainage of the nearest point of the line */
	double	d_km;		/* signed offset: + left (side 0), - right */
	double	foot_lat;	/* nearest point of the line */
	double	foot_lon;
	size_t	seg;		/* segment holding the nearest point */
	int	beyond;		/* -1 before the first vertex, +1 after the
				   last, 0 alongside the line */
};

/* Build and free. */
struct border_map *border_new(void);
void		 border_free(struct border_map *);
enum bc_status	 border_build(struct border_map *, const double *lat,
		    const double *lon, size_t n, char *why, size_t whylen);
enum bc_status	 border_add_sector(struct border_map *, int side,
		    const char *code, const char *name, double lat0,
		    double lon0, double lat1, double lon1, char *why,
		    size_t whylen);
enum bc_status	 border_check_sectors(struct border_map *, char *why,
		    size_t whylen);
void		 border_add_place(struct border_map *, const char *name,
		    const char *label_left, const char *label_right,
		    double lat, double lon);

/* Placement. */
void		 border_locate(const struct border_map *, double lat,
		    double lon, struct placement *);
int		 border_side_of(double d_km, double tolerance_km);
/* The point s_m metres from (lat, lon) at azimuth azi_deg (the direct
   geodesic problem on WGS84). */
void		 border_direct(const struct border_map *, double lat,
		    double lon, double azi_deg, double s_m, double *lat2,
		    double *lon2);
void		 border_point_at(const struct border_map *, double s_km,
		    double *lat, double *lon);
double		 border_distance_km(const struct border_map *, double lat0,
		    double lon0, double lat1, double lon1);

/*
 * Footprint: every chainage whose line point is within r_km (geodesic) of
 * the position, as sorted disjoint intervals.  Returns the count and an
 * allocated array in *out (NULL when empty); the caller frees it.
 */
size_t		 border_footprint(const struct border_map *, double lat,
		    double lon, double r_km, struct interval **out);

/* Sectors and places. */
int		 border_sector_at(const struct border_map *, int side,
		    double s_km);
const struct place *border_nearest_place(const struct border_map *,
		    double lat, double lon, double *dist_km, double *azi_deg);
/* Where a point is, for a reader: "at Nogales" (within 1 km), "12 km W
   of Nogales" (the side's label of the nearest place), or "no place
   within 50 km". */
#define BORDER_NEAR_MAX_KM	50.0
void		 border_near_phrase(const struct border_map *, double lat,
		    double lon, int side, char *buf, size_t len);
int		 border_side_by_code(const struct border_map *, const char *);

#endif
