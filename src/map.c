/*
 * map.c: load a border map from GeoJSON (bordercop-map(5)).
 *
 * Every member the format defines is checked; the first fault is reported
 * in one line naming the file, the feature (index, role, code or name) and
 * the member, and the map is refused whole.  Nothing here knows which
 * border a map describes: side codes, sector codes and labels all come from
 * the file.  The geometry itself (locating the sector ends and places on
 * the line, the tiling check) is border.c's.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "map.h"
#include "util.h"
#include "xmalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/bordercop"
#endif

/* A sector's boundary points may lie this far from the line, km. */
#define MAP_SECTOR_NEAR_KM	10.0

struct mapctx {
	const char		*name;		/* file name for messages */
	char			*why;
	size_t			 whylen;
	struct border_map	*m;
	char			 what[128];	/* "feature 3 (sector TCA)" */
};

/* Report a fault as "NAME: WHAT: detail", WHAT being the feature if any. */
static enum bc_status __attribute__((format(printf, 3, 4)))
map_fail(struct mapctx *c, enum bc_status st, const char *fmt, ...)
{
	char	detail[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (c->what[0] != '\0')
		bc_why(c->why, c->whylen, "%s: %s: %s", c->name, c->what,
		    detail);
	else
		bc_why(c->why, c->whylen, "%s: %s", c->name, detail);
	return (st);
}

/*
 * A string member: present (if required), a string, clean, and at most
 * max bytes.  *out is NULL when an optional member is absent or null.
 */
static enum bc_status
map_string(struct mapctx *c, const cJSON *obj, const char *key, int required,
    size_t max, const char **out)
{
	const cJSON	*it;
	const char	*bad;
	size_t		 n;

	*out = NULL;
	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (it == NULL || cJSON_IsNull(it)) {
		if (required)
			return (map_fail(c, BC_FORMAT, "%s: missing", key));
		return (BC_OK);
	}
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return (map_fail(c, BC_FORMAT, "%s: not a string", key));
	n = strlen(it->valuestring);
	if (n == 0)
		return (map_fail(c, BC_INVALID, "%s: empty", key));
	if (n > max)
		return (map_fail(c, BC_INVALID, "%s: longer than %zu bytes",
		    key, max));
	if ((bad = str_unclean_why(it->valuestring)) != NULL &&
	    strcmp(bad, "invisible characters") == 0)
		return (map_fail(c, BC_INVALID, "%s: invisible characters",
		    key));
	if (bad != NULL)
		return (map_fail(c, BC_INVALID, "%s: invalid UTF-8 or control "
		    "characters", key));
	*out = it->valuestring;
	return (BC_OK);
}

/* A position [lon, lat(, height)] with finite, in-range numbers. */
static enum bc_status
map_position(struct mapctx *c, const cJSON *pos, const char *field,
    double *lat, double *lon)
{
	const cJSON	*x, *y;
	int		 n;

	n = cJSON_IsArray(pos) ? cJSON_GetArraySize(pos) : 0;
	if (n < 2 || n > 3)
		return (map_fail(c, BC_FORMAT, "%s: expected [longitude, "
		    "latitude]", field));
	x = cJSON_GetArrayItem(pos, 0);
	y = cJSON_GetArrayItem(pos, 1);
	if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y) ||
	    (n == 3 && !cJSON_IsNumber(cJSON_GetArrayItem(pos, 2))))
		return (map_fail(c, BC_FORMAT, "%s: expected numbers", field));
	if (!isfinite(x->valuedouble) || !isfinite(y->valuedouble))
		return (map_fail(c, BC_INVALID, "%s: not a finite number",
		    field));
	if (fabs(x->valuedouble) > 180)
		return (map_fail(c, BC_INVALID, "%s: longitude %g out of range",
		    field, x->valuedouble));
	if (fabs(y->valuedouble) > 90)
		return (map_fail(c, BC_INVALID, "%s: latitude %g out of range",
		    field, y->valuedouble));
	*lon = x->valuedouble;
	*lat = y->valuedouble;
	return (BC_OK);
}

/* The geometry of a feature, which must be of the given type; returns its
   coordinates array (or position). */
static enum bc_status
map_geometry(struct mapctx *c, const cJSON *f, const char *type,
    const cJSON **coords)
{
	const cJSON	*g, *t;

	g = cJSON_GetObjectItemCaseSensitive(f, "geometry");
	if (g == NULL || cJSON_IsNull(g))
		return (map_fail(c, BC_FORMAT, "geometry: missing"));
	if (!cJSON_IsObject(g))
		return (map_fail(c, BC_FORMAT, "geometry: not an object"));
	t = cJSON_GetObjectItemCaseSensitive(g, "type");
	if (!cJSON_IsString(t) || strcmp(t->valuestring, type) != 0)
		return (map_fail(c, BC_FORMAT, "geometry: expected a %s", type));
	*coords = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
	if (*coords == NULL)
		return (map_fail(c, BC_FORMAT, "coordinates: missing"));
	return (BC_OK);
}

/* Describe feature i for messages: its index, role and code or name. */
static void
map_describe(struct mapctx *c, int i, const char *role, const cJSON *props)
{
	const cJSON	*id;
	const char	*key;

	key = role != NULL && strcmp(role, "sector") == 0 ? "code" : "name";
	id = props != NULL ? cJSON_GetObjectItemCaseSensitive(props, key) :
	    NULL;
	if (role == NULL)
		snprintf(c->what, sizeof c->what, "feature %d", i);
	else if (strcmp(role, "boundary") != 0 && cJSON_IsString(id) &&
	    id->valuestring != NULL && str_is_clean(id->valuestring) &&
	    strlen(id->valuestring) <= 64)
		snprintf(c->what, sizeof c->what, "feature %d (%s %s)", i, role,
		    id->valuestring);
	else
		snprintf(c->what, sizeof c->what, "feature %d (%s)", i, role);
}

/* The feature's type, properties and role. */
static enum bc_status
map_feature(struct mapctx *c, const cJSON *f, int i, const cJSON **props,
    const char **role)
{
	const cJSON	*t, *r;

	snprintf(c->what, sizeof c->what, "feature %d", i);
	if (!cJSON_IsObject(f))
		return (map_fail(c, BC_FORMAT, "not an object"));
	t = cJSON_GetObjectItemCaseSensitive(f, "type");
	if (!cJSON_IsString(t) || strcmp(t->valuestring, "Feature") != 0)
		return (map_fail(c, BC_FORMAT, "type: expected \"Feature\""));
	*props = cJSON_GetObjectItemCaseSensitive(f, "properties");
	if (!cJSON_IsObject(*props))
		return (map_fail(c, BC_FORMAT, "properties: missing or not an "
		    "object"));
	r = cJSON_GetObjectItemCaseSensitive(*props, "role");
	if (r == NULL)
		return (map_fail(c, BC_FORMAT, "role: missing"));
	if (!cJSON_IsString(r) || (strcmp(r->valuestring, "boundary") != 0 &&
	    strcmp(r->valuestring, "sector") != 0 &&
	    strcmp(r->valuestring, "place") != 0))
		return (map_fail(c, BC_INVALID, "role: expected \"boundary\", "
		    "\"sector\" or \"place\""));
	*role = r->valuestring;
	map_describe(c, i, *role, *props);
	return (BC_OK);
}

/* Twice the signed area of abc in the plane (lon, lat). */
static double
map_orient(double ax, double ay, double bx, double by, double cx, double cy)
{
	return ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/* Whether c, known to be on the line through ab, is within segment ab. */
static int
map_within(double ax, double ay, double bx, double by, double cx, double cy)
{
	return (cx >= fmin(ax, bx) && cx <= fmax(ax, bx) &&
	    cy >= fmin(ay, by) && cy <= fmax(ay, by));
}

/*
 * Whether the closed segments ab and cd have a point in common, and one
 * such point (*x, *y).
 */
static int
map_meet(const double *p, double *x, double *y)
{
	double	ax = p[0], ay = p[1], bx = p[2], by = p[3];
	double	cx = p[4], cy = p[5], dx = p[6], dy = p[7];
	double	d1, d2, d3, d4, t;

	d1 = map_orient(cx, cy, dx, dy, ax, ay);
	d2 = map_orient(cx, cy, dx, dy, bx, by);
	d3 = map_orient(ax, ay, bx, by, cx, cy);
	d4 = map_orient(ax, ay, bx, by, dx, dy);
	if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
	    ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
		t = d1 / (d1 - d2);
		*x = ax + t * (bx - ax);
		*y = ay + t * (by - ay);
		return (1);
	}
	if (d1 == 0 && map_within(cx, cy, dx, dy, ax, ay)) {
		*x = ax;
		*y = ay;
		return (1);
	}
	if (d2 == 0 && map_within(cx, cy, dx, dy, bx, by)) {
		*x = bx;
		*y = by;
		return (1);
	}
	if (d3 == 0 && map_within(ax, ay, bx, by, cx, cy)) {
		*x = cx;
		*y = cy;
		return (1);
	}
	if (d4 == 0 && map_within(ax, ay, bx, by, dx, dy)) {
		*x = dx;
		*y = dy;
		return (1);
	}
	return (0);
}

/* A segment in the sweep: its extent along the sweep axis. */
struct map_sweep {
	double	lo, hi;
	size_t	i;
};

static int
map_cmp_sweep(const void *a, const void *b)
{
	const struct map_sweep	*x = a, *y = b;

	if (x->lo != y->lo)
		return (x->lo < y->lo ? -1 : 1);
	return (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * Whether the line crosses or touches itself: two segments that are not
 * neighbours meet, or two neighbours fold back over each other.  A unit
 * near such a place would be on two stretches of the line at once.  The
 * test is planar in (lon, lat), close enough for segments of a few km (a
 * line across the 180th meridian is refused before).  A sweep along the
 * longer side of the line's box compares only segments whose extents
 * overlap: a border runs mostly one way, so few are open at once.
 * Returns 1 with the first pair (*si < *sj, in order along the line) and
 * a point where they meet.
 */
static int
map_self_crossing(const double *lat, const double *lon, size_t n,
    size_t *si, size_t *sj, double *xlat, double *xlon)
{
	struct map_sweep *sw;
	const double	*u, *v;
	size_t		 nseg = n - 1, *open, nopen, i, j, k, a;
	size_t		 bi = SIZE_MAX, bj = SIZE_MAX;
	double		 minx = lon[0], maxx = lon[0], miny = lat[0],
			 maxy = lat[0], p[8], x, y, bx = 0, by = 0;

	/* Neighbours that fold back along one line. */
	for (i = 0; i + 2 < n; i++) {
		if (map_orient(lon[i], lat[i], lon[i + 1], lat[i + 1],
		    lon[i + 2], lat[i + 2]) == 0 &&
		    (lon[i + 1] - lon[i]) * (lon[i + 2] - lon[i + 1]) +
		    (lat[i + 1] - lat[i]) * (lat[i + 2] - lat[i + 1]) < 0) {
			bi = i;
			bj = i + 1;
			bx = lon[i + 1];
			by = lat[i + 1];
			break;
		}
	}

	for (i = 1; i < n; i++) {
		minx = fmin(minx, lon[i]);
		maxx = fmax(maxx, lon[i]);
		miny = fmin(miny, lat[i]);
		maxy = fmax(maxy, lat[i]);
	}
	/* u is the sweep axis, v the other. */
	u = maxx - minx >= maxy - miny ? lon : lat;
	v = u == lon ? lat : lon;
	sw = xreallocarray(NULL, nseg, sizeof *sw);
	for (i = 0; i < nseg; i++) {
		sw[i].lo = fmin(u[i], u[i + 1]);
		sw[i].hi = fmax(u[i], u[i + 1]);
		sw[i].i = i;
	}
	qsort(sw, nseg, sizeof *sw, map_cmp_sweep);
	open = xreallocarray(NULL, nseg, sizeof *open);
	nopen = 0;
	for (k = 0; k < nseg; k++) {
		for (a = 0; a < nopen; /* nothing */) {
			if (sw[open[a]].hi < sw[k].lo)
				open[a] = open[--nopen];
			else
				a++;
		}
		for (a = 0; a < nopen; a++) {
			i = sw[open[a]].i < sw[k].i ? sw[open[a]].i : sw[k].i;
			j = sw[open[a]].i < sw[k].i ? sw[k].i : sw[open[a]].i;
			if (j == i + 1 || i > bi || (i == bi && j >= bj))
				continue;
			if (fmax(v[i], v[i + 1]) < fmin(v[j], v[j + 1]) ||
			    fmax(v[j], v[j + 1]) < fmin(v[i], v[i + 1]))
				continue;
			p[0] = lon[i];
			p[1] = lat[i];
			p[2] = lon[i + 1];
			p[3] = lat[i + 1];
			p[4] = lon[j];
			p[5] = lat[j];
			p[6] = lon[j + 1];
			p[7] = lat[j + 1];
			if (map_meet(p, &x, &y)) {
				bi = i;
				bj = j;
				bx = x;
				by = y;
			}
		}
		open[nopen++] = k;
	}
	free(open);
	free(sw);
	if (bi == SIZE_MAX)
		return (0);
	*si = bi;
	*sj = bj;
	*xlon = bx;
	*xlat = by;
	return (1);
}

static enum bc_status
map_boundary(struct mapctx *c, const cJSON *f)
{
	const cJSON	*coords, *pos;
	double		*lat, *lon, xlat, xlon;
	size_t		 n, i, si, sj;
	char		 field[48], why[256];
	enum bc_status	 st;

	if ((st = map_geometry(c, f, "LineString", &coords)) != BC_OK)
		return (st);
	if (!cJSON_IsArray(coords))
		return (map_fail(c, BC_FORMAT, "coordinates: not an array"));
	n = (size_t)cJSON_GetArraySize(coords);
	if (n < 2)
		return (map_fail(c, BC_INVALID, "coordinates: a line needs at "
		    "least 2 positions, not %zu", n));
	lat = xreallocarray(NULL, n, sizeof *lat);
	lon = xreallocarray(NULL, n, sizeof *lon);
	i = 0;
	cJSON_ArrayForEach(pos, coords) {
		snprintf(field, sizeof field, "coordinates[%zu]", i);
		st = map_position(c, pos, field, &lat[i], &lon[i]);
		if (st == BC_OK && i > 0 && lat[i] == lat[i - 1] &&
		    lon[i] == lon[i - 1])
			st = map_fail(c, BC_INVALID, "%s: same as "
			    "coordinates[%zu]", field, i - 1);
		if (st == BC_OK && i > 0 && fabs(lon[i] - lon[i - 1]) > 180)
			st = map_fail(c, BC_INVALID, "%s: the line crosses the "
			    "180th meridian", field);
		if (st != BC_OK) {
			free(lat);
			free(lon);
			return (st);
		}
		i++;
	}
	if (map_self_crossing(lat, lon, n, &si, &sj, &xlat, &xlon)) {
		free(lat);
		free(lon);
		return (map_fail(c, BC_INVALID, "coordinates: the line "
		    "crosses itself at %.5f, %.5f (lat, lon), where segment "
		    "%zu-%zu meets segment %zu-%zu", xlat, xlon, si, si + 1,
		    sj, sj + 1));
	}
	st = border_build(c->m, lat, lon, n, why, sizeof why);
	free(lat);
	free(lon);
	if (st != BC_OK)
		return (map_fail(c, st, "%s", why));
	return (BC_OK);
}

static enum bc_status
map_sector(struct mapctx *c, const cJSON *f, const cJSON *props)
{
	const cJSON		*coords;
	const char		*side, *code, *name;
	double			 lat[2], lon[2];
	struct placement	 pl;
	char			 field[48], why[256];
	size_t			 k;
	int			 s, i;
	enum bc_status		 st;

	if ((st = map_string(c, props, "side", 1, 7, &side)) != BC_OK ||
	    (st = map_string(c, props, "code", 1, 15, &code)) != BC_OK ||
	    (st = map_string(c, props, "name", 1, 63, &name)) != BC_OK)
		return (st);
	if ((s = border_side_by_code(c->m, side)) == SIDE_NONE)
		return (map_fail(c, BC_INVALID, "side: unknown side \"%s\" "
		    "(expected \"%s\" or \"%s\")", side, c->m->sides[0].code,
		    c->m->sides[1].code));
	if (strcspn(code, " \t") != strlen(code))
		return (map_fail(c, BC_INVALID, "code: contains a space"));
	for (k = 0; k < c->m->nsectors[s]; k++)
		if (strcasecmp(c->m->sectors[s][k].code, code) == 0)
			return (map_fail(c, BC_INVALID, "code: %s is already a "
			    "sector of side %s", code, side));
	if ((st = map_geometry(c, f, "MultiPoint", &coords)) != BC_OK)
		return (st);
	if (!cJSON_IsArray(coords) || cJSON_GetArraySize(coords) != 2)
		return (map_fail(c, BC_FORMAT, "coordinates: expected two "
		    "positions, start and end"));
	for (i = 0; i < 2; i++) {
		snprintf(field, sizeof field, "coordinates[%d]", i);
		st = map_position(c, cJSON_GetArrayItem(coords, i), field,
		    &lat[i], &lon[i]);
		if (st != BC_OK)
			return (st);
		border_locate(c->m, lat[i], lon[i], &pl);
		if (fabs(pl.d_km) > MAP_SECTOR_NEAR_KM)
			return (map_fail(c, BC_INVALID, "%s: %.1f km from the "
			    "line (at most %.0f km)", field, fabs(pl.d_km),
			    MAP_SECTOR_NEAR_KM));
	}
	st = border_add_sector(c->m, s, code, name, lat[0], lon[0], lat[1],
	    lon[1], why, sizeof why);
	if (st != BC_OK)
		return (map_fail(c, st, "%s", why));
	return (BC_OK);
}

static enum bc_status
map_place(struct mapctx *c, const cJSON *f, const cJSON *props)
{
	const cJSON	*coords;
	const char	*name, *label[NSIDES];
	char		 key[16];
	double		 lat, lon;
	size_t		 k;
	int		 s;
	enum bc_status	 st;

	if ((st = map_string(c, props, "name", 1, 127, &name)) != BC_OK)
		return (st);
	for (s = 0; s < NSIDES; s++) {
		snprintf(key, sizeof key, "label_%s", c->m->sides[s].code);
		for (k = 6; key[k] != '\0'; k++)
			key[k] = (char)tolower((unsigned char)key[k]);
		if ((st = map_string(c, props, key, 0, 63, &label[s])) != BC_OK)
			return (st);
	}
	if ((st = map_geometry(c, f, "Point", &coords)) != BC_OK)
		return (st);
	if ((st = map_position(c, coords, "coordinates", &lat, &lon)) != BC_OK)
		return (st);
	border_add_place(c->m, name, label[SIDE_LEFT], label[SIDE_RIGHT], lat,
	    lon);
	return (BC_OK);
}

/* One side from "sides": a code the feed uses and a name. */
static enum bc_status
map_side(struct mapctx *c, const cJSON *sides, const char *which, int s)
{
	const cJSON	*o;
	const char	*code, *name, *p;
	enum bc_status	 st;

	snprintf(c->what, sizeof c->what, "sides.%s", which);
	o = cJSON_GetObjectItemCaseSensitive(sides, which);
	if (!cJSON_IsObject(o))
		return (map_fail(c, BC_FORMAT, "missing or not an object"));
	if ((st = map_string(c, o, "code", 1, sizeof c->m->sides[s].code - 1,
	    &code)) != BC_OK ||
	    (st = map_string(c, o, "name", 1, sizeof c->m->sides[s].name - 1,
	    &name)) != BC_OK)
		return (st);
	for (p = code; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return (map_fail(c, BC_INVALID, "code: only letters, "
			    "digits, '-' and '_'"));
	snprintf(c->m->sides[s].code, sizeof c->m->sides[s].code, "%s", code);
	snprintf(c->m->sides[s].name, sizeof c->m->sides[s].name, "%s", name);
	c->what[0] = '\0';
	return (BC_OK);
}

/* The collection's own members. */
static enum bc_status
map_header(struct mapctx *c, const cJSON *root)
{
	const cJSON	*t, *v, *sides;
	const char	*s;
	enum bc_status	 st;

	if (!cJSON_IsObject(root))
		return (map_fail(c, BC_FORMAT, "not a GeoJSON "
		    "FeatureCollection"));
	t = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsString(t) ||
	    strcmp(t->valuestring, "FeatureCollection") != 0)
		return (map_fail(c, BC_FORMAT, "type: expected "
		    "\"FeatureCollection\""));
	v = cJSON_GetObjectItemCaseSensitive(root, "bordercop_map");
	if (v == NULL)
		return (map_fail(c, BC_FORMAT, "bordercop_map: missing (not a "
		    "bordercop map)"));
	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return (map_fail(c, BC_FORMAT, "bordercop_map: version not "
		    "supported (expected 1)"));
	if ((st = map_string(c, root, "attribution", 1, 4096, &s)) != BC_OK)
		return (st);
	c->m->attribution = xstrdup(s);
	if ((st = map_string(c, root, "name", 0, 255, &s)) != BC_OK)
		return (st);
	if (s != NULL)
		c->m->name = xstrdup(s);
	v = cJSON_GetObjectItemCaseSensitive(root, "accuracy_km");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
		    v->valuedouble > 10)
			return (map_fail(c, BC_INVALID, "accuracy_km: expected "
			    "a number from 0 to 10"));
		c->m->accuracy_km = v->valuedouble;
	}
	sides = cJSON_GetObjectItemCaseSensitive(root, "sides");
	if (!cJSON_IsObject(sides))
		return (map_fail(c, BC_FORMAT, "sides: missing or not an "
		    "object"));
	if ((st = map_side(c, sides, "left", SIDE_LEFT)) != BC_OK ||
	    (st = map_side(c, sides, "right", SIDE_RIGHT)) != BC_OK)
		return (st);
	/* Ignoring case: the labels are keyed by the code in lower case. */
	if (strcasecmp(c->m->sides[0].code, c->m->sides[1].code) == 0)
		return (map_fail(c, BC_INVALID, "sides: left and right have the "
		    "same code"));
	return (BC_OK);
}

/* Line and column (from 1) of a byte offset, for JSON syntax errors. */
static void
map_linecol(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t	i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static enum bc_status
map_parse(struct mapctx *c, const cJSON *root)
{
	const cJSON	*features, *f, *props, *line = NULL;
	const char	*role;
	enum bc_status	 st;
	int		 i, iline = -1;

	if ((st = map_header(c, root)) != BC_OK)
		return (st);
	features = cJSON_GetObjectItemCaseSensitive(root, "features");
	if (!cJSON_IsArray(features))
		return (map_fail(c, BC_FORMAT, "features: missing or not an "
		    "array"));

	/* The line first: sectors and places are located on it. */
	i = 0;
	cJSON_ArrayForEach(f, features) {
		if ((st = map_feature(c, f, i, &props, &role)) != BC_OK)
			return (st);
		if (strcmp(role, "boundary") == 0) {
			if (line != NULL)
				return (map_fail(c, BC_INVALID, "a second "
				    "boundary (feature %d is one)", iline));
			line = f;
			iline = i;
		}
		i++;
	}
	c->what[0] = '\0';
	if (line == NULL)
		return (map_fail(c, BC_INVALID, "no feature with role "
		    "\"boundary\" (the line)"));
	map_describe(c, iline, "boundary", NULL);
	if ((st = map_boundary(c, line)) != BC_OK)
		return (st);
	if (c->m->name == NULL) {
		props = cJSON_GetObjectItemCaseSensitive(line, "properties");
		if ((st = map_string(c, props, "name", 0, 255, &role)) != BC_OK)
			return (st);
		c->m->name = xstrdup(role != NULL ? role : "");
	}

	i = 0;
	cJSON_ArrayForEach(f, features) {
		if ((st = map_feature(c, f, i, &props, &role)) != BC_OK)
			return (st);
		if (strcmp(role, "sector") == 0)
			st = map_sector(c, f, props);
		else if (strcmp(role, "place") == 0)
			st = map_place(c, f, props);
		if (st != BC_OK)
			return (st);
		i++;
	}
	c->what[0] = '\0';
	if ((st = border_check_sectors(c->m, c->why, c->whylen)) != BC_OK) {
		char	why[512];

		snprintf(why, sizeof why, "%s", c->why);
		return (map_fail(c, st, "%s", why));
	}
	return (BC_OK);
}

enum bc_status
map_load_buffer(const char *buf, size_t len, const char *name,
    struct border_map **out, char *why, size_t whylen)
{
	struct mapctx	 c;
	cJSON		*root;
	const char	*end = NULL;
	size_t		 line, col, off;
	enum bc_status	 st;

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.name = name != NULL ? name : "map";
	c.why = why;
	c.whylen = whylen;
	if (len > MAP_MAX_BYTES)
		return (map_fail(&c, BC_TOOBIG, "larger than %u bytes",
		    (unsigned)MAP_MAX_BYTES));
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root != NULL && end != NULL) {
		while (end < buf + len && isspace((unsigned char)*end))
			end++;
		if (end < buf + len && *end != '\0') {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	if (root == NULL) {
		off = end != NULL && end >= buf && end <= buf + len ?
		    (size_t)(end - buf) : len;
		map_linecol(buf, off, &line, &col);
		return (map_fail(&c, BC_JSON, "not valid JSON at line %zu, "
		    "column %zu", line, col));
	}
	c.m = border_new();
	st = map_parse(&c, root);
	cJSON_Delete(root);
	if (st != BC_OK) {
		border_free(c.m);
		return (st);
	}
	*out = c.m;
	return (BC_OK);
}

enum bc_status
map_load_file(const char *path, struct border_map **out, char *why,
    size_t whylen)
{
	char		*buf;
	size_t		 len;
	enum bc_status	 st;

	*out = NULL;
	st = file_read_all(path, MAP_MAX_BYTES, &buf, &len, why, whylen);
	if (st != BC_OK)
		return (st);
	st = map_load_buffer(buf, len, path, out, why, whylen);
	free(buf);
	if (st == BC_OK)
		(*out)->path = xstrdup(path);
	return (st);
}

/* Copy dir/rel into buf and say whether that file is readable. */
static int
map_try(char *buf, size_t len, const char *dir, const char *rel)
{
	int	n;

	n = snprintf(buf, len, "%s/%s", dir, rel);
	if (n < 0 || (size_t)n >= len)
		return (0);
	return (access(buf, R_OK) == 0);
}

const char *
map_default_path(char *buf, size_t len)
{
	static const char *const	 rel[] = {
		"maps/" MAP_DEFAULT_FILE,
		"../maps/" MAP_DEFAULT_FILE,
		"../../maps/" MAP_DEFAULT_FILE,
	};
	const char			*env;
	char				 exe[PATH_MAX], *slash;
	ssize_t				 n;
	size_t				 i;

	if (len == 0)
		return (NULL);
	env = getenv("BORDERCOP_MAP");
	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return (buf);
	}
	if (map_try(buf, len, PKGDATADIR, MAP_DEFAULT_FILE))
		return (buf);

	/* An uninstalled binary: maps/ of the tree it was built in. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			for (i = 0; i < sizeof rel / sizeof rel[0]; i++)
				if (map_try(buf, len, exe, rel[i]))
					return (buf);
		}
	}
#ifdef BORDERCOP_SRCDIR
	/* A VPATH build: the source tree it was configured from. */
	if (map_try(buf, len, BORDERCOP_SRCDIR, "maps/" MAP_DEFAULT_FILE))
		return (buf);
#endif
	/* Name the installed location, so a failure says where to look. */
	snprintf(buf, len, "%s/%s", PKGDATADIR, MAP_DEFAULT_FILE);
	return (buf);
}
