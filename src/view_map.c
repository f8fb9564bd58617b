/*
 * view_map.c: the map view (the default).
 *
 * Projection: equirectangular with the x axis scaled by cos(mid-latitude)
 * (Plate Carree, aspect-corrected), which keeps shapes honest over a
 * border a few degrees of latitude tall.  Vertices are projected once per
 * map; zoom and pan are a scale and an offset.  The line is drawn at
 * sub-cell resolution into a cell buffer: Braille dots (2x4 per cell,
 * square on a 2:1 terminal cell) in UTF-8, or an ASCII character chosen
 * by the local slope.
 *
 * Gaps read at every zoom: each line cell adds up the kilometres of line
 * it shows and how many of them lie in open gaps, and shows one of three
 * levels: covered (plain), partly a gap (underlined; '+' in ASCII) or
 * mostly a gap (reversed; '#' in ASCII).  A 1 km gap in a 10 km cell is
 * "partly", a 6 km one "mostly".  A cell holding any part of a gap at
 * least --alert-gap long shows a fourth level, alerted (reversed and
 * underlined; '@' in ASCII), however little of the cell it takes: a 30
 * km gap in a 44 km column is not lost at the overview.  Before the first
 * picture (and while the picture is unknown) the line is drawn dim, '.'
 * in ASCII, and the view says so: no line is drawn as covered or as gap
 * without data.
 *
 * Glyphs first, then labels by priority, each only where all its cells
 * are free, never over a glyph, never a space away from another unit's
 * glyph (it would read as that unit's), never cut: the selected unit's
 * callsign, the units a goto asked for, the longest gap and the gaps of
 * --alert-gap or more two columns wide or more ("#id 56km", reversed),
 * sector codes (left side above the line, right side below), the
 * narrower alerted gaps, place names, then other callsigns when zoomed
 * in.  Alerted gaps left without a label are counted in the legend.  The
 * buffer is written to the window in runs of one attribute.
 *
 * Zoom keeps the point of interest in view: the goto's gap, sector or
 * unit, the followed unit, or else the nearest point of the line.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view.h"
#include "xmalloc.h"

#define MAP_ZOOM_MAX	256.0
#define MAP_ZOOM_STEP	1.5
#define MAP_KM_PER_DEG	111.32		/* km per degree of latitude */
#define MAP_LABEL_KM	8.0		/* callsigns at <= 8 km a column */
#define MAP_MOSTLY	0.5		/* a cell this much gap is "mostly" */
#define MAP_HL_MAX	4		/* units a goto labels */

enum cell_kind {
	CELL_EMPTY,
	CELL_LINE,
	CELL_TEXT,
	CELL_UNIT
};

struct map_cell {
	uint8_t		kind;
	uint8_t		dots;		/* Braille bits */
	int16_t		sdx, sdy;	/* summed direction, dots */
	int16_t		rowsum, ndots;
	float		len_km;		/* line shown in the cell */
	float		gap_km;		/* of which in open gaps */
	float		alert_km;	/* of which in alerted gaps */
	char		text[5];	/* one UTF-8 character */
	attr_t		attr;
	int32_t		unit;		/* CELL_UNIT: whose glyph, by index */
};

struct map_state {
	const struct border_map	*map;
	size_t			 nv;
	double			*px, *py;	/* projected vertices, deg */
	double			 lon0, k;	/* x = (lon - lon0) * k */
	double			 xmin, xmax, ymin, ymax;

	double			 cx, cy;	/* centre, projected deg */
	double			 zoom;		/* 1: the whole line fits */
	int			 focus;		/* fx, fy is a point of interest */
	double			 fx, fy;
	unsigned		 gap_id;	/* last gap shown (0: none) */
	double			 gap_a;		/* its start, km (untracked) */
	char			 follow[UNIT_ID_MAX + 1];
	int			 trails;	/* t: trails shown */
	char			 hl[MAP_HL_MAX][UNIT_ID_MAX + 1];
	int			 nhl;		/* units a goto labels */

	int			 cw, ch;	/* cell buffer, cells */
	struct map_cell		*cells;
	double			 scale;		/* dots per projected deg */
	struct map_ivals {		/* west to east: starts, ends, km
					   of them before each */
		double		*a, *b, *cum;
		size_t		 n;
	}			 gaps, alerts;	/* open gaps; those of them
						   at least --alert-gap long */
	size_t			 unlabelled;	/* alerted gaps in view that
						   no label names */
};

static const uint8_t map_bits[4][2] = {
	{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
};

static void
map_free_proj(struct map_state *st)
{
	free(st->px);
	free(st->py);
	st->px = st->py = NULL;
	st->nv = 0;
	st->map = NULL;
}

static void
map_project(struct map_state *st, const struct border_map *m)
{
	size_t	i;
	double	lonmin = 1e9, lonmax = -1e9, latmin = 1e9, latmax = -1e9;

	map_free_proj(st);
	st->map = m;
	if (m == NULL || m->nverts < 2)
		return;
	for (i = 0; i < m->nverts; i++) {
		lonmin = fmin(lonmin, m->lon[i]);
		lonmax = fmax(lonmax, m->lon[i]);
		latmin = fmin(latmin, m->lat[i]);
		latmax = fmax(latmax, m->lat[i]);
	}
	st->lon0 = (lonmin + lonmax) / 2;
	st->k = cos((latmin + latmax) / 2 * M_PI / 180);
	st->nv = m->nverts;
	st->px = xreallocarray(NULL, st->nv, sizeof(double));
	st->py = xreallocarray(NULL, st->nv, sizeof(double));
	for (i = 0; i < st->nv; i++) {
		st->px[i] = (m->lon[i] - st->lon0) * st->k;
		st->py[i] = m->lat[i];
	}
	st->xmin = (lonmin - st->lon0) * st->k;
	st->xmax = (lonmax - st->lon0) * st->k;
	st->ymin = latmin;
	st->ymax = latmax;
	st->cx = (st->xmin + st->xmax) / 2;
	st->cy = (st->ymin + st->ymax) / 2;
	st->zoom = 1;
	st->focus = 0;
}

static struct map_state *
map_state(const struct ui *ui)
{
	struct map_state	*st = ui->vstate[VIEW_MAP];

	if (st->map != ui->map)
		map_project(st, ui->map);
	return (st);
}

/* Dots per projected degree at zoom 1 for a w x h dot area. */
static double
map_fit_scale(const struct map_state *st, double dw, double dh)
{
	double	xr = fmax(st->xmax - st->xmin, 1e-6);
	double	yr = fmax(st->ymax - st->ymin, 1e-6);

	return (fmin(dw / xr, dh / yr) * 0.94);
}

/* The dot area of the view: the window less the legend row. */
static void
map_dots(const struct ui *ui, double *dw, double *dh)
{
	int	rows, cols;

	if (ui->wview != NULL)
		getmaxyx(ui->wview, rows, cols);
	else {
		rows = ui->rows - 2;
		cols = ui->cols;
	}
	*dw = 2.0 * cols;
	*dh = 4.0 * (rows - 1);
}

/* Projected point at chainage s (km), interpolated between vertices. */
static void
map_point_at(const struct map_state *st, double s, double *x, double *y)
{
	const double	*c = st->map->chain_km;
	size_t		 lo = 0, hi = st->nv - 1, mid;
	double		 t;

	if (s <= c[0]) {
		*x = st->px[0];
		*y = st->py[0];
		return;
	}
	if (s >= c[hi]) {
		*x = st->px[hi];
		*y = st->py[hi];
		return;
	}
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (c[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	t = c[hi] > c[lo] ? (s - c[lo]) / (c[hi] - c[lo]) : 0;
	*x = st->px[lo] + t * (st->px[hi] - st->px[lo]);
	*y = st->py[lo] + t * (st->py[hi] - st->py[lo]);
}

static void
map_to_dot(const struct map_state *st, double x, double y, double *dx,
    double *dy)
{
	*dx = st->cw + (x - st->cx) * st->scale;
	*dy = 2.0 * st->ch - (y - st->cy) * st->scale;
}

/* Cell of a projected point; 0 when outside the buffer. */
static int
map_cell_of(const struct map_state *st, double x, double y, int *r, int *c)
{
	double	dx, dy;

	map_to_dot(st, x, y, &dx, &dy);
	if (dx < 0 || dy < 0 || dx >= 2.0 * st->cw || dy >= 4.0 * st->ch)
		return (0);
	*c = (int)(dx / 2);
	*r = (int)(dy / 4);
	return (1);
}

static struct map_cell *
map_at(struct map_state *st, int r, int c)
{
	if (r < 0 || c < 0 || r >= st->ch || c >= st->cw)
		return (NULL);
	return (&st->cells[(size_t)r * st->cw + c]);
}

static int
map_kind(struct map_state *st, int r, int c)
{
	struct map_cell	*mc = map_at(st, r, c);

	return (mc != NULL ? mc->kind : CELL_EMPTY);
}

static void
map_set_text(struct map_state *st, int r, int c, const char *g, size_t n,
    attr_t attr, int kind)
{
	struct map_cell	*mc = map_at(st, r, c);

	if (mc == NULL)
		return;
	if (n >= sizeof mc->text)
		n = sizeof mc->text - 1;
	mc->kind = (uint8_t)kind;
	memcpy(mc->text, g, n);
	mc->text[n] = '\0';
	mc->attr = attr;
}

static size_t
map_utf8_len(const char *s)
{
	unsigned char	u = (unsigned char)*s;

	if (u < 0x80)
		return (1);
	if ((u & 0xe0) == 0xc0)
		return (2);
	if ((u & 0xf0) == 0xe0)
		return (3);
	return (4);
}

static double
map_km_per_col(const struct map_state *st)
{
	return (2.0 / st->scale * MAP_KM_PER_DEG);
}

/* Label placement rules. */
#define LBL_OVER_LINE	0x1	/* may cover line cells (last resort) */
#define LBL_CLEAR	0x2	/* blank on each side, not even line */

/*
 * Whether w cells from (r, c) can take a label: inside the buffer, every
 * cell free (or line, with LBL_OVER_LINE), the cell on each side holding
 * no text or glyph, and no unit glyph a space away on either side unless
 * it is the label's own (own: its cell index, or -1): a label there
 * would read as that unit's.
 */
static int
map_label_fits(struct map_state *st, int r, int c, int w, long own,
    int flags)
{
	int	i, k;
	long	at;

	if (r < 0 || r >= st->ch || c < 0 || c + w > st->cw || w <= 0)
		return (0);
	for (i = -1; i <= w; i++) {
		k = map_kind(st, r, c + i);
		if (i >= 0 && i < w) {
			if (k == CELL_EMPTY || (k == CELL_LINE &&
			    (flags & LBL_OVER_LINE)))
				continue;
			return (0);
		}
		if (k == CELL_TEXT || k == CELL_UNIT ||
		    (k == CELL_LINE && (flags & LBL_CLEAR)))
			return (0);
	}
	for (i = -2; i <= w + 1; i += w + 3) {
		if (map_kind(st, r, c + i) != CELL_UNIT)
			continue;
		at = (long)r * st->cw + c + i;
		if (at != own)
			return (0);
	}
	return (1);
}

/*
 * Put a label whose cells map_label_fits() allowed.  The text is first
 * made what the screen shows (ASCII in ASCII mode), then cut into cells
 * by display width: a wide character takes two cells, the second left
 * empty of text; a zero-width one is dropped.
 */
static int
map_label(const struct ui *ui, struct map_state *st, int r, int c,
    const char *s, attr_t attr, long own, int flags)
{
	char	text[128], one[8];
	int	w, i, cw;
	size_t	n;

	w = ui_text(ui, s, 64, text, sizeof text);
	if (w == 0 || w < ui_width(ui, s) ||
	    !map_label_fits(st, r, c, w, own, flags))
		return (0);
	for (s = text, i = 0; *s != '\0' && i < w; s += n) {
		n = map_utf8_len(s);
		memcpy(one, s, n);
		one[n] = '\0';
		cw = ui_width(ui, one);
		if (cw == 0)
			continue;
		map_set_text(st, r, c + i, s, n, attr, CELL_TEXT);
		if (cw == 2)
			map_set_text(st, r, c + i + 1, "", 0, attr, CELL_TEXT);
		i += cw;
	}
	return (1);
}

/*
 * A label near (r, c): rows r+d*dr for d in 1..dmax (dr -1 up, +1 down;
 * 0 tries both), shifted sideways up to spread cells, centred first.
 */
static int
map_label_near(const struct ui *ui, struct map_state *st, int r, int c,
    int dr, int dmax, int spread, const char *s, attr_t attr, int flags)
{
	int	w = ui_width(ui, s), d, k, sh, dir, ndir;

	ndir = dr == 0 ? 2 : 1;
	for (d = 1; d <= dmax; d++)
		for (k = 0; k <= 2 * spread; k++) {
			sh = (k + 1) / 2 * (k % 2 ? -1 : 1);
			for (dir = 0; dir < ndir; dir++)
				if (map_label(ui, st, r + d * (dr != 0 ? dr :
				    dir == 0 ? -1 : 1), c - w / 2 + sh, s, attr,
				    -1, flags))
					return (1);
		}
	return (0);
}

/* Whether a gap is an alert on the map: at least --alert-gap long. */
static int
map_alerted(const struct ui *ui, const struct gap *g)
{
	return (g->b - g->a >= ui->opts.alert_gap_km);
}

/* Gaps (alerted gaps only, if alerted), west to east, with the
   kilometres of them before each, so that the gap kilometres in any
   stretch are two binary searches away. */
static void
map_gap_index(const struct ui *ui, struct map_ivals *iv, int alerted)
{
	const struct picture	*p = ui->pic;
	const struct gap	*g;
	size_t			*order, i, n;
	double			 sum = 0;

	order = ui_gap_order(ui, ORDER_WEST, &n);
	iv->a = xreallocarray(iv->a, n + 1, sizeof(double));
	iv->b = xreallocarray(iv->b, n + 1, sizeof(double));
	iv->cum = xreallocarray(iv->cum, n + 1, sizeof(double));
	for (iv->n = 0, i = 0; i < n; i++) {
		g = &p->gaps[order[i]];
		if (alerted && !map_alerted(ui, g))
			continue;
		iv->a[iv->n] = g->a;
		iv->b[iv->n] = g->b;
		iv->cum[iv->n++] = sum;
		sum += g->b - g->a;
	}
	free(order);
}

/* Kilometres of the intervals west of chainage s. */
static double
map_gap_before(const struct map_ivals *iv, double s)
{
	size_t	lo = 0, hi = iv->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (iv->a[mid] <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (0);
	lo--;
	return (iv->cum[lo] + fmin(s, iv->b[lo]) - iv->a[lo]);
}

static void
map_dot(struct map_state *st, int x, int y, int sdx, int sdy, double len,
    double gap, double alert)
{
	struct map_cell	*mc;

	if (x < 0 || y < 0 || x >= 2 * st->cw || y >= 4 * st->ch)
		return;
	mc = &st->cells[(size_t)(y / 4) * st->cw + x / 2];
	mc->kind = CELL_LINE;
	mc->dots |= map_bits[y & 3][x & 1];
	mc->sdx += sdx;
	mc->sdy += sdy;
	mc->rowsum += y & 3;
	mc->ndots++;
	mc->len_km += (float)len;
	mc->gap_km += (float)gap;
	mc->alert_km += (float)alert;
}

/* Rasterize the line into dots; each dot's stretch of line (km) and the
   part of it in open gaps go to its cell. */
static void
map_draw_line(struct map_state *st)
{
	const double	*ch = st->map->chain_km;
	double		 x0, y0, x1, y1, dx, dy, len, s0, s1, t, w, h;
	size_t		 i;
	int		 steps, k, sdx, sdy;

	w = 2.0 * st->cw;
	h = 4.0 * st->ch;
	for (i = 0; i + 1 < st->nv; i++) {
		map_to_dot(st, st->px[i], st->py[i], &x0, &y0);
		map_to_dot(st, st->px[i + 1], st->py[i + 1], &x1, &y1);
		if ((x0 < 0 && x1 < 0) || (x0 >= w && x1 >= w) ||
		    (y0 < 0 && y1 < 0) || (y0 >= h && y1 >= h))
			continue;
		dx = x1 - x0;
		dy = y1 - y0;
		len = fmax(fabs(dx), fabs(dy));
		steps = (int)fmin(ceil(len), 200000);
		if (steps < 1)
			steps = 1;
		/* Slope for the ASCII fallback, always pointing east. */
		sdx = len > 0 ? (int)lround(8 * dx / len) : 0;
		sdy = len > 0 ? (int)lround(8 * dy / len) : 0;
		if (sdx < 0) {
			sdx = -sdx;
			sdy = -sdy;
		}
		map_dot(st, (int)floor(x0), (int)floor(y0), sdx, sdy, 0, 0, 0);
		for (k = 0; k < steps; k++) {
			t = (k + 0.5) / steps;
			s0 = ch[i] + (double)k / steps * (ch[i + 1] - ch[i]);
			s1 = ch[i] + (double)(k + 1) / steps *
			    (ch[i + 1] - ch[i]);
			map_dot(st, (int)floor(x0 + t * dx),
			    (int)floor(y0 + t * dy), sdx, sdy, s1 - s0,
			    map_gap_before(&st->gaps, s1) -
			    map_gap_before(&st->gaps, s0),
			    map_gap_before(&st->alerts, s1) -
			    map_gap_before(&st->alerts, s0));
		}
		map_dot(st, (int)floor(x1), (int)floor(y1), sdx, sdy, 0, 0, 0);
	}
}

/* Gap level of a line cell: 0 covered, 1 partly a gap, 2 mostly, 3
   holds some of a gap at least --alert-gap long, however little of the
   cell it takes (a 30 km gap in a 44 km column). */
static int
map_level(const struct map_cell *mc)
{
	if (mc->alert_km > 0)
		return (3);
	if (mc->gap_km <= 0)
		return (0);
	if (mc->len_km > 0 && mc->gap_km >= MAP_MOSTLY * mc->len_km)
		return (2);
	return (1);
}

/* The ASCII character for a line cell, from its slope and dots. */
static char
map_ascii(const struct map_cell *mc, int unknown)
{
	int	ax = abs(mc->sdx), ay = abs(mc->sdy);

	if (unknown)
		return ('.');
	switch (map_level(mc)) {
	case 3:
		return ('@');
	case 2:
		return ('#');
	case 1:
		return ('+');
	default:
		break;
	}
	if (ay * 2 <= ax)
		return (mc->ndots > 0 && 2 * mc->rowsum >= 5 * mc->ndots ?
		    '_' : '-');
	if (ax * 2 <= ay)
		return ('|');
	return ((mc->sdx > 0) == (mc->sdy < 0) ? '/' : '\\');
}

static void
map_draw_ticks(const struct ui *ui, struct map_state *st)
{
	const struct border_map	*m = st->map;
	const struct sector	*sc;
	double			 x, y;
	size_t			 i;
	int			 side, r, c, dr;

	for (side = 0; side < NSIDES; side++) {
		dr = side == SIDE_LEFT ? -1 : 1;
		for (i = 0; i < m->nsectors[side]; i++) {
			sc = &m->sectors[side][i];
			if (sc->start_km <= 0.001)
				continue;
			map_point_at(st, sc->start_km, &x, &y);
			if (!map_cell_of(st, x, y, &r, &c))
				continue;
			if (map_kind(st, r + dr, c) == CELL_EMPTY &&
			    map_at(st, r + dr, c) != NULL)
				map_set_text(st, r + dr, c,
				    ui_glyph(ui, G_TICK),
				    strlen(ui_glyph(ui, G_TICK)),
				    ui_attr(ui, ROLE_SECTOR), CELL_TEXT);
		}
	}
}

static void
map_draw_place_dots(const struct ui *ui, struct map_state *st)
{
	const struct border_map	*m = st->map;
	const struct place	*pl;
	struct map_cell		*mc;
	size_t			 i;
	int			 r, c;

	for (i = 0; i < m->nplaces; i++) {
		pl = &m->places[i];
		if (!map_cell_of(st, (pl->lon - st->lon0) * st->k, pl->lat,
		    &r, &c))
			continue;
		mc = map_at(st, r, c);
		/* A gap cell keeps its mark: the place is named anyway. */
		if (mc->kind == CELL_EMPTY || (mc->kind == CELL_LINE &&
		    map_level(mc) == 0))
			map_set_text(st, r, c, ui_glyph(ui, G_PLACE),
			    strlen(ui_glyph(ui, G_PLACE)),
			    ui_attr(ui, ROLE_PLACE), CELL_TEXT);
	}
}

/*
 * Trails: each unit's earlier positions of the last TRAILS_WINDOW_S, a
 * small dot in its side's colour (dim), under the units, the line's gap
 * marks and the places (a cell already taken keeps what it shows).
 */
static void
map_draw_trails(const struct ui *ui, struct map_state *st)
{
	const struct trail	*tr;
	struct map_cell		*mc;
	const char		*g = ui->utf8 ? "\xc2\xb7" : ".";
	size_t			 i, k;
	int			 r, c;

	if (ui->trails == NULL)
		return;
	for (i = 0; i < ui->trails->n; i++) {
		tr = &ui->trails->v[i];
		/* The newest position is the unit itself. */
		for (k = 0; k + 1 < tr->n; k++) {
			if (!map_cell_of(st, (tr->p[k].lon - st->lon0) * st->k,
			    tr->p[k].lat, &r, &c))
				continue;
			mc = map_at(st, r, c);
			if (mc->kind != CELL_EMPTY)
				continue;
			map_set_text(st, r, c, g, strlen(g),
			    ui_side_attr(ui, tr->side) | A_DIM, CELL_TEXT);
		}
	}
}

static void
map_draw_place_labels(const struct ui *ui, struct map_state *st)
{
	const struct border_map	*m = st->map;
	const struct place	*pl;
	const char		*lab;
	size_t			 i;
	int			 r, c, side, w, dr;
	attr_t			 a = ui_attr(ui, ROLE_PLACE);

	for (i = 0; i < m->nplaces; i++) {
		pl = &m->places[i];
		if (!map_cell_of(st, (pl->lon - st->lon0) * st->k, pl->lat,
		    &r, &c))
			continue;
		/* Each side's name on its own side of the line. */
		for (side = 0; side < NSIDES; side++) {
			lab = pl->label[side] != NULL ? pl->label[side] :
			    pl->name;
			if (lab == NULL || (side == SIDE_RIGHT &&
			    pl->label[SIDE_LEFT] != NULL &&
			    strcmp(lab, pl->label[SIDE_LEFT]) == 0))
				continue;
			w = ui_width(ui, lab);
			dr = side == SIDE_LEFT ? -1 : 1;
			if (!map_label(ui, st, r + dr, c + 1, lab, a, -1, 0) &&
			    !map_label(ui, st, r + dr, c - w, lab, a, -1, 0) &&
			    !map_label(ui, st, r, c + 2, lab, a, -1, 0))
				map_label(ui, st, r + 2 * dr, c - w / 2, lab,
				    a, -1, 0);
		}
	}
}

/* Every sector code near the middle of its stretch, on its side of the
   line, shifted along the line as far as half the stretch to find room. */
static void
map_draw_sector_codes(const struct ui *ui, struct map_state *st)
{
	const struct border_map	*m = st->map;
	const struct sector	*sc;
	double			 x, y, x0, y0, x1, y1;
	size_t			 i;
	int			 side, r, c, r0, c0, r1, c1, spread;

	for (side = 0; side < NSIDES; side++) {
		for (i = 0; i < m->nsectors[side]; i++) {
			sc = &m->sectors[side][i];
			map_point_at(st, (sc->start_km + sc->end_km) / 2, &x,
			    &y);
			if (!map_cell_of(st, x, y, &r, &c))
				continue;
			map_point_at(st, sc->start_km, &x0, &y0);
			map_point_at(st, sc->end_km, &x1, &y1);
			spread = 3;
			if (map_cell_of(st, x0, y0, &r0, &c0) &&
			    map_cell_of(st, x1, y1, &r1, &c1))
				spread = abs(c1 - c0) / 2;
			if (spread < 3)
				spread = 3;
			map_label_near(ui, st, r, c, side == SIDE_LEFT ? -1 : 1,
			    3, spread, sc->code, ui_attr(ui, ROLE_SECTOR) |
			    A_BOLD, 0);
		}
	}
}

/* Drawing priority: lost under inactive under stale under fresh. */
static int
map_unit_prio(const struct pic_unit *u, int selected)
{
	if (selected)
		return (5);
	if (u->across)
		return (4);
	switch (u->state) {
	case STATE_FRESH:
		return (3);
	case STATE_STALE:
		return (2);
	case STATE_INACTIVE:
		return (1);
	default:
		return (0);
	}
}

/*
 * Zoomed out, a cell spans kilometres: a unit is shown next to the line
 * on the side it is on (left above, right below) rather than on top of
 * it, so that the line and its gaps stay visible and a unit across the
 * line shows on the wrong side.  Zoomed in, it is where it is.
 */
static void
map_unit_cell(struct map_state *st, int side, int *r, int *c)
{
	int	d, dr = side == SIDE_RIGHT ? 1 : -1;

	if (map_kind(st, *r, *c) != CELL_LINE)
		return;
	for (d = 1; d <= 2; d++)
		if (map_at(st, *r + d * dr, *c) != NULL &&
		    map_kind(st, *r + d * dr, *c) != CELL_LINE) {
			*r += d * dr;
			return;
		}
	if (map_level(map_at(st, *r, *c)) > 0 &&
	    map_at(st, *r + dr, *c) != NULL)
		*r += dr;
}

/* Where each unit's glyph went, for its label. */
struct map_drawn {
	int	r, c, w;	/* cell and glyph width; r < 0: not drawn */
};

static void
map_draw_units(const struct ui *ui, struct map_state *st, int zoomed,
    struct map_drawn *dv)
{
	const struct pic_units	*t = ui->pic->units;
	const struct pic_unit	*u;
	const char		*g;
	attr_t			 a;
	size_t			 i;
	int			 pass, r, c, sel, side, stale;

	for (i = 0; i < t->n; i++)
		dv[i].r = -1;
	for (pass = 0; pass <= 5; pass++) {
		for (i = 0; i < t->n; i++) {
			u = &t->v[i];
			sel = ui->sel_user && strcmp(u->r.id, ui->sel_id) == 0;
			if (map_unit_prio(u, sel) != pass)
				continue;
			if (!isfinite(u->r.lat) || !isfinite(u->r.lon) ||
			    !map_cell_of(st, (u->r.lon - st->lon0) * st->k,
			    u->r.lat, &r, &c))
				continue;
			side = u->r.side;
			if (!zoomed)
				map_unit_cell(st, isfinite(u->pl.d_km) &&
				    u->pl.d_km != 0 ? (u->pl.d_km > 0 ?
				    SIDE_LEFT : SIDE_RIGHT) : side, &r, &c);
			/* Stale and off-duty units have a glyph of their
			   own: a terminal without dim still tells them. */
			stale = u->state == STATE_STALE ||
			    u->state == STATE_INACTIVE;
			g = ui_glyph(ui, side == SIDE_RIGHT ? (stale ?
			    G_STALE_RIGHT : G_UNIT_RIGHT) : (stale ?
			    G_STALE_LEFT : G_UNIT_LEFT));
			a = ui_side_attr(ui, side);
			switch (u->state) {
			case STATE_LOST:
				g = ui_glyph(ui, G_UNIT_LOST);
				a |= A_DIM;
				break;
			case STATE_STALE:
				a = (a & ~A_BOLD) | A_DIM;
				break;
			case STATE_INACTIVE:
				a = ui_attr(ui, ROLE_DIM);
				break;
			default:
				break;
			}
			if (u->across)
				a = ui_attr(ui, ROLE_ACROSS);
			if (sel)
				a |= A_UNDERLINE | A_BOLD;
			/* A unit drawn before in this cell gives way. */
			map_set_text(st, r, c, g, strlen(g), a, CELL_UNIT);
			map_at(st, r, c)->unit = (int32_t)i;
			dv[i].r = r;
			dv[i].c = c;
			dv[i].w = 1;
			if (u->across && map_at(st, r, c + 1) != NULL &&
			    map_kind(st, r, c + 1) != CELL_UNIT) {
				map_set_text(st, r, c + 1, "!", 1,
				    ui_attr(ui, ROLE_ACROSS), CELL_UNIT);
				map_at(st, r, c + 1)->unit = (int32_t)i;
				dv[i].w = 2;
			}
		}
	}
	/* A glyph that a later one covered is not there to label. */
	for (i = 0; i < t->n; i++)
		if (dv[i].r >= 0 && map_at(st, dv[i].r, dv[i].c)->unit !=
		    (int32_t)i)
			dv[i].r = -1;
}

/*
 * A unit's callsign beside its glyph: right, else left; a unit that must
 * carry it (selected, asked for by a goto) also tries the rows above and
 * below, then over line cells.
 */
static int
map_callsign(const struct ui *ui, struct map_state *st,
    const struct pic_unit *u, const struct map_drawn *d, int must)
{
	const char	*cs = u->r.callsign[0] != '\0' ? u->r.callsign :
			    u->r.id;
	attr_t		 a;
	long		 own;
	int		 w = ui_width(ui, cs), pass, flags;

	if (d->r < 0)
		return (0);
	own = (long)d->r * st->cw + d->c;
	a = ui_side_attr(ui, u->r.side) & ~A_BOLD;
	if (u->state != STATE_FRESH)
		a |= A_DIM;
	if (must)
		a |= A_BOLD;
	/* First with blanks either side, so that no line cell stands
	   between a glyph and its name; a name that must show may then
	   cover line cells. */
	for (pass = 0; pass < (must ? 2 : 1); pass++) {
		flags = pass == 0 ? LBL_CLEAR : LBL_OVER_LINE;
		if (map_label(ui, st, d->r, d->c + d->w + 1, cs, a, own,
		    flags) || map_label(ui, st, d->r, d->c - 1 - w, cs, a,
		    own, flags))
			return (1);
		if (!must)
			continue;
		if (map_label(ui, st, d->r - 1, d->c, cs, a, own, flags) ||
		    map_label(ui, st, d->r + 1, d->c, cs, a, own, flags) ||
		    map_label(ui, st, d->r - 1, d->c - w + 1, cs, a, own,
		    flags) || map_label(ui, st, d->r + 1, d->c - w + 1, cs, a,
		    own, flags))
			return (1);
	}
	return (0);
}

/*
 * Gaps at least --alert-gap long, and the longest: "#id 56km" near their
 * middle, reversed, the longest first, at every zoom.  Two passes: the
 * longest and the gaps two columns wide or more come before the sector
 * codes; the narrower ones (a 30 km gap in a 44 km column) after them,
 * so that the overview keeps every sector code.  Where no room is left
 * for one (alerted gaps in neighbouring columns, or glyphs and labels of
 * higher priority around it), it is counted in st->unlabelled, which the
 * legend shows.
 */
static void
map_draw_gap_labels(const struct ui *ui, struct map_state *st, int narrow)
{
	const struct picture	*p = ui->pic;
	const struct gap	*g;
	size_t			*order, n, i;
	double			 x, y, len;
	char			 buf[48];
	int			 r, c;

	order = ui_gap_order(ui, ORDER_LONGEST, &n);
	for (i = 0; i < n; i++) {
		g = &p->gaps[order[i]];
		len = g->b - g->a;
		if (i > 0 && !map_alerted(ui, g))
			break;
		if ((i > 0 && len < 2 * map_km_per_col(st)) != narrow)
			continue;
		map_point_at(st, (g->a + g->b) / 2, &x, &y);
		if (!map_cell_of(st, x, y, &r, &c))
			continue;
		if (g->id != 0)
			snprintf(buf, sizeof buf, "#%u %.0fkm", g->id, len);
		else
			snprintf(buf, sizeof buf, "%.0fkm", len);
		if (!map_label_near(ui, st, r, c, 0, i == 0 ? 4 : 2, 6, buf,
		    ui_attr(ui, ROLE_GAP), LBL_CLEAR) && map_alerted(ui, g))
			st->unlabelled++;
	}
	free(order);
}

/* Write the buffer row by row in runs of one attribute. */
static void
map_blit(const struct ui *ui, struct map_state *st, WINDOW *w, int unknown)
{
	static const enum ui_role levels[4] = { ROLE_LINE, ROLE_GAPPART,
	    ROLE_GAP, ROLE_GAPALERT };
	struct map_cell	*mc;
	char		 run[1024];
	size_t		 n;
	attr_t		 a, ra = 0;
	int		 r, c, c0;
	char		 ch[5];

	for (r = 0; r < st->ch; r++) {
		n = 0;
		c0 = 0;
		for (c = 0; c <= st->cw; c++) {
			mc = c < st->cw ? map_at(st, r, c) : NULL;
			if (mc != NULL && (mc->kind == CELL_TEXT ||
			    mc->kind == CELL_UNIT)) {
				snprintf(ch, sizeof ch, "%s", mc->text);
				a = mc->attr;
			} else if (mc != NULL && mc->kind == CELL_LINE) {
				a = ui_attr(ui, unknown ? ROLE_UNKNOWN :
				    levels[map_level(mc)]);
				if (ui->utf8) {
					ch[0] = (char)0xe2;
					ch[1] = (char)(0xa0 | (mc->dots >> 6));
					ch[2] = (char)(0x80 | (mc->dots & 0x3f));
					ch[3] = '\0';
				} else {
					ch[0] = map_ascii(mc, unknown);
					ch[1] = '\0';
				}
			} else {
				ch[0] = ' ';
				ch[1] = '\0';
				a = A_NORMAL;
			}
			if (mc == NULL || a != ra || n + 5 >= sizeof run) {
				if (n > 0) {
					run[n] = '\0';
					/* Trailing blanks are left erased. */
					if (ra != A_NORMAL ||
					    strspn(run, " ") != n)
						ui_put(ui, w, r, c0, run,
						    c - c0, ra);
				}
				n = 0;
				c0 = c;
				ra = a;
			}
			if (mc == NULL)
				break;
			memcpy(run + n, ch, strlen(ch));
			n += strlen(ch);
		}
	}
}

/*
 * The legend row: the glyphs, the alerted gaps no label names, the scale
 * and the line's attribution.  The attribution is never cut (the licence
 * asks for it; it may lose its lead-in and what follows its first comma),
 * and the count and the scale always show; when the row is too narrow,
 * glyph entries go in the order of legend_drop (each is also in the
 * help).
 */
enum legend_item {
	LG_US, LG_MX, LG_STALE, LG_LOST, LG_ACROSS, LG_PART, LG_GAP,
	LG_ALERT, LG_NITEMS
};
static const enum legend_item legend_drop[] = {
	LG_LOST, LG_ACROSS, LG_STALE, LG_PART, LG_GAP, LG_ALERT
};

static void
map_draw_legend(const struct ui *ui, struct map_state *st, WINDOW *w,
    int row)
{
	const char	*glyph[LG_NITEMS], *text[LG_NITEMS];
	attr_t		 attr[LG_NITEMS];
	char		 att[128], count[64], scale[32], *lead;
	int		 on[LG_NITEMS], cols, x, n, need, i;

	cols = getmaxx(w);
	glyph[LG_US] = ui_glyph(ui, G_UNIT_LEFT);
	text[LG_US] = ui_side_code(ui, SIDE_LEFT);
	attr[LG_US] = ui_side_attr(ui, SIDE_LEFT);
	glyph[LG_MX] = ui_glyph(ui, G_UNIT_RIGHT);
	text[LG_MX] = ui_side_code(ui, SIDE_RIGHT);
	attr[LG_MX] = ui_side_attr(ui, SIDE_RIGHT);
	glyph[LG_STALE] = NULL;		/* two glyphs, drawn below */
	text[LG_STALE] = "stale";
	attr[LG_STALE] = A_NORMAL;
	glyph[LG_LOST] = ui_glyph(ui, G_UNIT_LOST);
	text[LG_LOST] = "lost";
	attr[LG_LOST] = A_NORMAL;
	glyph[LG_ACROSS] = "!";
	text[LG_ACROSS] = "across";
	attr[LG_ACROSS] = ui_attr(ui, ROLE_ACROSS);
	glyph[LG_PART] = ui->utf8 ? "\xe2\xa0\xbf" : "+";
	text[LG_PART] = "part";
	attr[LG_PART] = ui_attr(ui, ROLE_GAPPART);
	glyph[LG_GAP] = ui->utf8 ? "\xe2\xa0\xbf" : "#";
	text[LG_GAP] = "gap";
	attr[LG_GAP] = ui_attr(ui, ROLE_GAP);
	glyph[LG_ALERT] = ui->utf8 ? "\xe2\xa0\xbf" : "@";
	text[LG_ALERT] = "alert";
	attr[LG_ALERT] = ui_attr(ui, ROLE_GAPALERT);

	/* Alerted gaps that no label names: said, never hidden. */
	count[0] = '\0';
	if (st->unlabelled > 0)
		snprintf(count, sizeof count, "+%zu unlabelled (4) ",
		    st->unlabelled);
	snprintf(scale, sizeof scale, "%.1fkm/col", map_km_per_col(st));

	/* The line's attribution, up to its first bracket or semicolon;
	   without its "Boundary line: " lead-in if that makes it fit. */
	att[0] = '\0';
	if (st->map->attribution != NULL) {
		n = (int)strcspn(st->map->attribution, "(;");
		while (n > 0 && st->map->attribution[n - 1] == ' ')
			n--;
		snprintf(att, sizeof att, "%.*s", n, st->map->attribution);
	}

	for (i = 0; i < LG_NITEMS; i++)
		on[i] = 1;
	for (i = 0;; i++) {
		need = ui_width(ui, count) + ui_width(ui, scale);
		for (n = 0; n < LG_NITEMS; n++)
			if (on[n])
				need += 1 + ui_width(ui, text[n]) + 1 +
				    (n == LG_STALE);
		/* Shorter first: without the lead-in, then without what
		   follows the copyright holder (the licence is in the help
		   and the man page). */
		if (att[0] != '\0' && need + 1 + ui_width(ui, att) > cols &&
		    (lead = strstr(att, ": ")) != NULL)
			memmove(att, lead + 2, strlen(lead + 2) + 1);
		if (att[0] != '\0' && need + 1 + ui_width(ui, att) > cols &&
		    (lead = strstr(att, ", ")) != NULL)
			*lead = '\0';
		if (att[0] == '\0' || need + 1 + ui_width(ui, att) <= cols ||
		    i >= (int)(sizeof legend_drop / sizeof legend_drop[0]))
			break;
		on[legend_drop[i]] = 0;
	}

	x = 0;
	for (n = 0; n < LG_NITEMS; n++) {
		if (!on[n])
			continue;
		if (n == LG_STALE) {
			x += ui_put(ui, w, row, x, ui_glyph(ui, G_STALE_LEFT),
			    1, A_NORMAL);
			x += ui_put(ui, w, row, x, ui_glyph(ui,
			    G_STALE_RIGHT), 1, A_NORMAL);
		} else
			x += ui_put(ui, w, row, x, glyph[n], 1, attr[n]);
		x += ui_putf(ui, w, row, x, cols - x, A_NORMAL, "%s ",
		    text[n]);
	}
	x += ui_put(ui, w, row, x, count, cols - x, ui_attr(ui, ROLE_WARN));
	x += ui_put(ui, w, row, x, scale, cols - x, ui_attr(ui, ROLE_DIM));
	/* Whole or not at all: a cut attribution would not be one. */
	n = ui_width(ui, att);
	if (n > 0 && n <= cols - x - 1)
		ui_put(ui, w, row, cols - n, att, n, ui_attr(ui, ROLE_DIM));
}

/* Re-centre on the followed unit, if it is still in the picture. */
static void
map_follow(const struct ui *ui, struct map_state *st)
{
	const struct pic_unit	*u;

	if (st->follow[0] == '\0' || st->map == NULL)
		return;
	u = ui_unit(ui, st->follow);
	if (u == NULL || !isfinite(u->r.lat) || !isfinite(u->r.lon))
		return;
	st->cx = st->fx = (u->r.lon - st->lon0) * st->k;
	st->cy = st->fy = u->r.lat;
	st->focus = 1;
}

static void
map_draw(const struct ui *ui, WINDOW *w)
{
	struct map_state	*st = map_state(ui);
	const struct pic_units	*t;
	struct map_drawn	*dv = NULL;
	double			 dw, dh;
	int			 rows, cols, zoomed, unknown, nopic, must, k;
	size_t			 ncells, i;

	getmaxyx(w, rows, cols);
	if (st->map == NULL || st->nv < 2) {
		ui_put(ui, w, rows / 2, 2, "no map loaded", cols - 4,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	st->cw = cols;
	st->ch = rows - 1;
	ncells = (size_t)st->cw * (size_t)st->ch;
	st->cells = xreallocarray(st->cells, ncells, sizeof *st->cells);
	memset(st->cells, 0, ncells * sizeof *st->cells);
	map_dots(ui, &dw, &dh);
	st->scale = map_fit_scale(st, dw, dh) * st->zoom;
	zoomed = map_km_per_col(st) <= MAP_LABEL_KM;
	/* No data, no lines: without a picture, or while the engine says
	   the picture is unknown, the line is neither covered nor gap. */
	nopic = !ui_has_picture(ui);
	unknown = nopic || ui->pic->unknown;

	st->gaps.n = st->alerts.n = 0;
	st->unlabelled = 0;
	if (!unknown) {
		map_gap_index(ui, &st->gaps, 0);
		map_gap_index(ui, &st->alerts, 1);
	}
	map_draw_line(st);
	map_draw_ticks(ui, st);
	map_draw_place_dots(ui, st);
	if (st->trails && !nopic)
		map_draw_trails(ui, st);
	/* Units stay where they were last seen: their glyphs say stale. */
	t = !nopic ? ui->pic->units : NULL;
	if (t != NULL && t->n > 0) {
		dv = xreallocarray(NULL, t->n, sizeof *dv);
		map_draw_units(ui, st, zoomed, dv);
		/* Labels by priority: the selected unit's, the units a
		   goto asked for, then the rest after places. */
		for (i = 0; ui->sel_user && i < t->n; i++)
			if (strcmp(t->v[i].r.id, ui->sel_id) == 0)
				map_callsign(ui, st, &t->v[i], &dv[i], 1);
		for (i = 0; i < t->n; i++)
			for (k = 0; k < st->nhl; k++)
				if (strcmp(t->v[i].r.id, st->hl[k]) == 0 &&
				    (!ui->sel_user ||
				    strcmp(t->v[i].r.id, ui->sel_id) != 0))
					map_callsign(ui, st, &t->v[i], &dv[i],
					    1);
	}
	if (!unknown)
		map_draw_gap_labels(ui, st, 0);
	map_draw_sector_codes(ui, st);
	if (!unknown)
		map_draw_gap_labels(ui, st, 1);
	map_draw_place_labels(ui, st);
	if (dv != NULL && zoomed)
		for (i = 0; i < t->n; i++) {
			must = ui->sel_user &&
			    strcmp(t->v[i].r.id, ui->sel_id) == 0;
			for (k = 0; k < st->nhl; k++)
				must |= strcmp(t->v[i].r.id, st->hl[k]) == 0;
			if (!must)
				map_callsign(ui, st, &t->v[i], &dv[i], 0);
		}
	free(dv);
	map_blit(ui, st, w, unknown);
	if (nopic)
		ui_put(ui, w, 0, 1, "no picture yet: waiting for the first "
		    "report, the line is drawn as unknown", cols - 2,
		    ui_attr(ui, ROLE_WARN));
	else if (unknown)
		/* The status line says since when. */
		ui_put(ui, w, 0, 1, "picture unknown: no report for too long, "
		    "the line is drawn as unknown, not as covered or gap",
		    cols - 2, ui_attr(ui, ROLE_BAD));
	map_draw_legend(ui, st, w, rows - 1);
}

/* Show the box (projected) at most frac of the view, centred on it. */
static void
map_fit_box(const struct ui *ui, struct map_state *st, double x0, double y0,
    double x1, double y1, double frac, double zmax)
{
	double	dw, dh, z;

	st->cx = st->fx = (x0 + x1) / 2;
	st->cy = st->fy = (y0 + y1) / 2;
	st->focus = 1;
	map_dots(ui, &dw, &dh);
	z = map_fit_scale(st, dw, dh);
	z = fmin(dw / fmax(x1 - x0, 1e-4), dh / fmax(y1 - y0, 1e-4)) * frac /
	    z;
	st->zoom = fmax(1, fmin(z, zmax));
}

/* The box of the line between chainages a and b (km). */
static void
map_box_km(const struct map_state *st, double a, double b, double *x0,
    double *y0, double *x1, double *y1)
{
	double	x, y;
	size_t	i;

	map_point_at(st, a, x0, y0);
	*x1 = *x0;
	*y1 = *y0;
	map_point_at(st, b, &x, &y);
	*x0 = fmin(*x0, x);
	*x1 = fmax(*x1, x);
	*y0 = fmin(*y0, y);
	*y1 = fmax(*y1, y);
	for (i = 0; i < st->nv; i++) {
		if (st->map->chain_km[i] <= a || st->map->chain_km[i] >= b)
			continue;
		*x0 = fmin(*x0, st->px[i]);
		*x1 = fmax(*x1, st->px[i]);
		*y0 = fmin(*y0, st->py[i]);
		*y1 = fmax(*y1, st->py[i]);
	}
}

/*
 * Show gap g: zoomed to fit it with the units that can close it (the
 * picture's nearest fresh or stale unit of each side at each end) when
 * they are not far (within twice the gap's length, at least 30 km),
 * those units labelled.  The message says where it is and, for each
 * side, who is nearest.
 */
static int
map_show_gap(const struct ui *ui, struct map_state *st,
    const struct gap *g, const char *lead, struct view_req *req)
{
	const struct pic_unit	*u, *best[NSIDES] = { NULL, NULL };
	const struct gap_unit	*gu;
	double			 x0, y0, x1, y1, reach, bd[NSIDES];
	char			 near[NSIDES][80];
	int			 side, end;

	st->gap_id = g->id;
	st->gap_a = g->a;
	st->follow[0] = '\0';
	st->nhl = 0;
	map_box_km(st, g->a, g->b, &x0, &y0, &x1, &y1);
	reach = fmax(2 * (g->b - g->a), 30);
	for (side = 0; side < NSIDES; side++)
		for (end = GAP_WEST; end <= GAP_EAST; end++) {
			gu = &g->nearest[end][side];
			if (gu->unit == 0 || ui->pic->units == NULL ||
			    gu->unit > ui->pic->units->n)
				continue;
			u = &ui->pic->units->v[gu->unit - 1];
			if (best[side] == NULL || gu->dist_km < bd[side]) {
				best[side] = u;
				bd[side] = gu->dist_km;
			}
			if (gu->dist_km > reach || !isfinite(u->r.lat) ||
			    st->nhl >= MAP_HL_MAX)
				continue;
			snprintf(st->hl[st->nhl++], sizeof st->hl[0], "%s",
			    u->r.id);
			x0 = fmin(x0, (u->r.lon - st->lon0) * st->k);
			x1 = fmax(x1, (u->r.lon - st->lon0) * st->k);
			y0 = fmin(y0, u->r.lat);
			y1 = fmax(y1, u->r.lat);
		}
	for (side = 0; side < NSIDES; side++) {
		near[side][0] = '\0';
		if (best[side] != NULL)
			snprintf(near[side], sizeof near[side], " %s %s %.0f km",
			    ui_side_code(ui, side),
			    best[side]->r.callsign[0] != '\0' ?
			    best[side]->r.callsign : best[side]->r.id,
			    bd[side]);
	}
	map_fit_box(ui, st, x0, y0, x1, y1, 0.7, 128);
	/* The gap itself stays the point of interest. */
	map_point_at(st, (g->a + g->b) / 2, &st->fx, &st->fy);
	/* What matters first: 80 columns show the gap, where it is and
	   who is nearest; the chainage is in the gaps view. */
	return (ACT_VIEW | view_msg(req, "%sgap #%u %.1f km %s/%s, %s;"
	    "%s%s%s", lead, g->id, g->b - g->a,
	    ui_sector_code(ui, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    ui_sector_code(ui, SIDE_RIGHT, g->sector[SIDE_RIGHT]), g->near,
	    near[0], near[0][0] != '\0' && near[1][0] != '\0' ? "," : "",
	    near[0][0] != '\0' || near[1][0] != '\0' ? near[1] :
	    " no unit near"));
}

/* The position in order of the gap shown last, or -1. */
static int
map_gap_pos(const struct ui *ui, const struct map_state *st,
    const size_t *order, size_t n)
{
	const struct gap	*g;
	size_t			 i;

	if (st->gap_id == 0 && !isfinite(st->gap_a))
		return (-1);
	for (i = 0; i < n; i++) {
		g = &ui->pic->gaps[order[i]];
		if (st->gap_id != 0 ? g->id == st->gap_id :
		    g->a == st->gap_a)
			return ((int)i);
	}
	return (-1);
}

static int
map_show(const struct ui *ui, struct view_req *req)
{
	struct map_state	*st = map_state(ui);
	const struct border_map	*m = st->map;
	const struct sector	*sc;
	const struct pic_unit	*u;
	size_t			*order, n, i;
	double			 x0, y0, x1, y1;
	char			 lead[64];
	int			 pos, act;

	if (m == NULL || st->nv < 2)
		return (0);
	switch (req->go) {
	case GO_KM:
		map_box_km(st, req->a, req->b, &x0, &y0, &x1, &y1);
		map_fit_box(ui, st, x0, y0, x1, y1, 0.7, 64);
		return (ACT_VIEW);
	case GO_SECTOR:
		if (req->side < 0 || req->side >= NSIDES || req->idx < 0 ||
		    (size_t)req->idx >= m->nsectors[req->side])
			return (0);
		sc = &m->sectors[req->side][req->idx];
		st->follow[0] = '\0';
		st->nhl = 0;
		map_box_km(st, sc->start_km, sc->end_km, &x0, &y0, &x1, &y1);
		map_fit_box(ui, st, x0, y0, x1, y1, 0.8, 64);
		return (ACT_VIEW | view_msg(req, "%s %s %s: km %.1f-%.1f",
		    ui_side_code(ui, req->side), sc->code, sc->name,
		    sc->start_km, sc->end_km));
	case GO_GAP:
	case GO_GAP_STEP:
	case GO_LONGEST:
		if (ui->pic == NULL || ui->pic->ngaps == 0)
			return (view_msg(req, "no open gap"));
		order = ui_gap_order(ui, req->go == GO_GAP_STEP ?
		    req->order : ORDER_LONGEST, &n);
		pos = map_gap_pos(ui, st, order, n);
		lead[0] = '\0';
		if (req->go == GO_LONGEST) {
			pos = 0;
			snprintf(lead, sizeof lead, "longest: ");
		} else if (req->go == GO_GAP) {
			for (i = 0; i < n; i++)
				if (req->gap != 0 ?
				    ui->pic->gaps[order[i]].id == req->gap :
				    ui->pic->gaps[order[i]].a == req->a)
					break;
			pos = i < n ? (int)i : 0;
		} else {
			pos = pos < 0 ? (req->dir > 0 ? 0 : (int)n - 1) :
			    ((pos + req->dir) % (int)n + (int)n) % (int)n;
			snprintf(lead, sizeof lead, "%d/%zu %s: ", pos + 1, n,
			    req->order == ORDER_WEST ? "west to east" :
			    "by length");
		}
		act = map_show_gap(ui, st, &ui->pic->gaps[order[pos]], lead,
		    req);
		free(order);
		return (act);
	case GO_UNIT:
	case GO_FOLLOW:
		u = ui_unit(ui, req->unit);
		if (u == NULL || !isfinite(u->r.lat) || !isfinite(u->r.lon))
			return (view_msg(req, "no position for that unit"));
		if (req->go == GO_FOLLOW && strcmp(st->follow, u->r.id) == 0) {
			st->follow[0] = '\0';
			return (view_msg(req, "no longer following %s",
			    u->r.callsign));
		}
		st->nhl = 0;
		st->follow[0] = '\0';
		st->cx = st->fx = (u->r.lon - st->lon0) * st->k;
		st->cy = st->fy = u->r.lat;
		st->focus = 1;
		st->zoom = fmax(st->zoom, 16);
		if (req->go == GO_UNIT)
			return (ACT_VIEW);
		snprintf(st->follow, sizeof st->follow, "%s", u->r.id);
		return (ACT_VIEW | view_msg(req, "following %s (F, 0 or a pan "
		    "stops)", u->r.callsign[0] != '\0' ? u->r.callsign :
		    u->r.id));
	default:
		return (0);
	}
}

/* The nearest point of the line to (x, y), projected. */
static void
map_nearest_line(const struct map_state *st, double x, double y,
    double *nx, double *ny)
{
	double	dx, dy, t, px, py, d, best = INFINITY;
	size_t	i;

	*nx = x;
	*ny = y;
	for (i = 0; i + 1 < st->nv; i++) {
		dx = st->px[i + 1] - st->px[i];
		dy = st->py[i + 1] - st->py[i];
		t = dx * dx + dy * dy > 0 ? ((x - st->px[i]) * dx +
		    (y - st->py[i]) * dy) / (dx * dx + dy * dy) : 0;
		t = fmax(0, fmin(1, t));
		px = st->px[i] + t * dx;
		py = st->py[i] + t * dy;
		d = (px - x) * (px - x) + (py - y) * (py - y);
		if (d < best) {
			best = d;
			*nx = px;
			*ny = py;
		}
	}
}

/*
 * Zoom by factor about the point of interest: the goto's or followed
 * point when there is one, else the centre if the line passes within
 * the new view, else the nearest point of the line, so that zooming in
 * never lands in empty desert.
 */
static void
map_zoom(const struct ui *ui, struct map_state *st, double factor)
{
	double	dw, dh, nx, ny, halfw, halfh;

	st->zoom = fmax(1, fmin(st->zoom * factor, MAP_ZOOM_MAX));
	if (st->focus) {
		st->cx = st->fx;
		st->cy = st->fy;
		return;
	}
	map_dots(ui, &dw, &dh);
	halfw = dw / 2 / (map_fit_scale(st, dw, dh) * st->zoom);
	halfh = dh / 2 / (map_fit_scale(st, dw, dh) * st->zoom);
	map_nearest_line(st, st->cx, st->cy, &nx, &ny);
	if (fabs(nx - st->cx) > halfw * 0.8 || fabs(ny - st->cy) > halfh * 0.8)
	{
		st->cx = nx;
		st->cy = ny;
	}
}

static int
map_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct map_state	*st = map_state(ui);
	double			 dw, dh, step;

	if (st->map == NULL)
		return (0);
	map_dots(ui, &dw, &dh);
	step = dw / 4 / (map_fit_scale(st, dw, dh) * st->zoom);
	switch (id) {
	case UK_ZOOM_IN:
		map_zoom(ui, st, MAP_ZOOM_STEP);
		break;
	case UK_ZOOM_OUT:
		map_zoom(ui, st, 1 / MAP_ZOOM_STEP);
		break;
	case UK_PAN_LEFT:
	case UK_PAN_RIGHT:
	case UK_PAN_UP:
	case UK_PAN_DOWN:
		/* The reader takes over: no more point of interest. */
		st->focus = 0;
		st->follow[0] = '\0';
		if (id == UK_PAN_LEFT)
			st->cx -= step;
		else if (id == UK_PAN_RIGHT)
			st->cx += step;
		else if (id == UK_PAN_UP)
			st->cy += step / 2;
		else
			st->cy -= step / 2;
		break;
	case UK_TRAILS:
		st->trails = !st->trails;
		if (ui->trails == NULL)
			return (view_msg(req, "no trails kept here"));
		return (ACT_VIEW | view_msg(req, st->trails ? "trails: the "
		    "last %.0f min of each unit" : "trails off",
		    TRAILS_WINDOW_S / 60));
	case UK_FIT:
		st->zoom = 1;
		st->focus = 0;
		st->follow[0] = '\0';
		st->nhl = 0;
		st->cx = (st->xmin + st->xmax) / 2;
		st->cy = (st->ymin + st->ymax) / 2;
		break;
	case UK_NEXT_GAP:
	case UK_PREV_GAP:
	case UK_EAST_GAP:
	case UK_WEST_GAP:
		req->dir = id == UK_NEXT_GAP || id == UK_EAST_GAP ? 1 : -1;
		req->order = id == UK_NEXT_GAP || id == UK_PREV_GAP ?
		    ORDER_LONGEST : ORDER_WEST;
		req->go = GO_GAP_STEP;
		return (map_show(ui, req));
	case UK_CENTRE:
	case UK_FOLLOW:
		if (ui_unit(ui, ui->sel_id) == NULL)
			return (view_msg(req, "no unit selected: pick one on "
			    "the unit board (3)"));
		snprintf(req->unit, sizeof req->unit, "%s", ui->sel_id);
		req->go = id == UK_FOLLOW ? GO_FOLLOW : GO_UNIT;
		return (map_show(ui, req));
	default:
		return (0);
	}
	return (ACT_VIEW);
}

static void
map_init(struct ui *ui)
{
	struct map_state	*st;

	st = xcalloc(1, sizeof *st);
	st->zoom = 1;
	st->gap_a = NAN;
	ui->vstate[VIEW_MAP] = st;
}

static void
map_done(struct ui *ui)
{
	struct map_state	*st = ui->vstate[VIEW_MAP];

	map_free_proj(st);
	free(st->cells);
	free(st->gaps.a);
	free(st->gaps.b);
	free(st->gaps.cum);
	free(st->alerts.a);
	free(st->alerts.b);
	free(st->alerts.cum);
	free(st);
	ui->vstate[VIEW_MAP] = NULL;
}

static int
map_changed(const struct ui *ui, struct view_req *req)
{
	struct map_state	*st = map_state(ui);

	(void)req;
	map_follow(ui, st);
	return (0);
}

const struct view_ops view_map_ops = {
	"Map", map_init, map_done, map_changed, map_draw, map_key, NULL,
	map_show
};

/* The id of the gap shown last on the map (n, N, a goto), or 0. */
unsigned
view_map_gap_id(const struct ui *ui)
{
	const struct map_state	*st = ui->vstate[VIEW_MAP];

	return (st != NULL ? st->gap_id : 0);
}
