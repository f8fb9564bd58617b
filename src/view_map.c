/*
 * view_map.c: the map view (the default).
 *
 * Projection: equirectangular with the x axis scaled by cos(mid-latitude)
 * (Plate Carree, aspect-corrected), which keeps shapes honest over a
 * border a few degrees of latitude tall.  Vertices are projected once per
 * map; zoom and pan are a scale and an offset.  The line is drawn at
 * sub-cell resolution into a cell buffer: Braille dots (2x4 per cell,
 * square on a 2:1 terminal cell) in UTF-8, or an ASCII character chosen
 * by the local slope.  Line cells over an open gap are reversed (and '#'
 * in ASCII), so gaps stand out in monochrome.  Then, in priority order:
 * sector ticks, places, units (shape by side, dim when stale, 'x' when
 * lost, reversed with '!' across the line), callsigns when zoomed in,
 * sector codes (left side above the line, right side below), place
 * labels.  The buffer is written to the window in runs of one attribute.
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

enum cell_kind {
	CELL_EMPTY,
	CELL_LINE,
	CELL_TEXT
};

struct map_cell {
	uint8_t		kind;
	uint8_t		dots;		/* Braille bits */
	uint8_t		gap;
	uint8_t		prio;		/* unit priority drawn here */
	int16_t		sdx, sdy;	/* summed direction, dots */
	int16_t		rowsum, ndots;
	char		text[5];	/* one UTF-8 character */
	attr_t		attr;
};

struct map_state {
	const struct border_map	*map;
	size_t			 nv;
	double			*px, *py;	/* projected vertices, deg */
	double			 lon0, k;	/* x = (lon - lon0) * k */
	double			 xmin, xmax, ymin, ymax;

	double			 cx, cy;	/* centre, projected deg */
	double			 zoom;		/* 1: the whole line fits */
	int			 gap_i;		/* last gap jumped to */

	int			 cw, ch;	/* cell buffer, cells */
	struct map_cell		*cells;
	double			 scale;		/* dots per projected deg */
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
	st->gap_i = -1;
}

static struct map_state *
map_state(struct ui *ui)
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
map_free_cell(struct map_state *st, int r, int c)
{
	struct map_cell	*mc = map_at(st, r, c);

	return (mc != NULL && mc->kind == CELL_EMPTY);
}

static void
map_set_text(struct map_state *st, int r, int c, const char *g, size_t n,
    attr_t attr)
{
	struct map_cell	*mc = map_at(st, r, c);

	if (mc == NULL)
		return;
	if (n >= sizeof mc->text)
		n = sizeof mc->text - 1;
	mc->kind = CELL_TEXT;
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

/*
 * Place a label if all its cells and one on each side are free.  The
 * text is first made what the screen shows (ASCII in ASCII mode), then
 * cut into cells by display width: a wide character takes two cells, the
 * second left empty of text; a zero-width one is dropped.
 */
static int
map_label(const struct ui *ui, struct map_state *st, int r, int c,
    const char *s, attr_t attr)
{
	char	text[128], one[8];
	int	w, i, cw;
	size_t	n;

	w = ui_text(ui, s, 64, text, sizeof text);
	if (w == 0 || c < 0 || c + w > st->cw)
		return (0);
	for (i = -1; i <= w; i++) {
		if (c + i < 0 || c + i >= st->cw)
			continue;
		if (!map_free_cell(st, r, c + i))
			return (0);
	}
	for (s = text, i = 0; *s != '\0' && i < w; s += n) {
		n = map_utf8_len(s);
		memcpy(one, s, n);
		one[n] = '\0';
		cw = ui_width(ui, one);
		if (cw == 0)
			continue;
		map_set_text(st, r, c + i, s, n, attr);
		if (cw == 2)
			map_set_text(st, r, c + i + 1, "", 0, attr);
		i += cw;
	}
	return (1);
}

static int
map_in_gap(const struct picture *p, double s)
{
	size_t	i;

	if (p == NULL)
		return (0);
	for (i = 0; i < p->ngaps; i++)
		if (s >= p->gaps[i].a && s <= p->gaps[i].b)
			return (1);
	return (0);
}

static void
map_dot(struct map_state *st, int x, int y, int gap, int sdx, int sdy)
{
	struct map_cell	*mc;

	if (x < 0 || y < 0 || x >= 2 * st->cw || y >= 4 * st->ch)
		return;
	mc = &st->cells[(size_t)(y / 4) * st->cw + x / 2];
	mc->kind = CELL_LINE;
	mc->dots |= map_bits[y & 3][x & 1];
	mc->gap |= gap;
	mc->sdx += sdx;
	mc->sdy += sdy;
	mc->rowsum += y & 3;
	mc->ndots++;
}

/* Rasterize the line into dots, marking the cells over open gaps. */
static void
map_draw_line(struct map_state *st, const struct picture *p)
{
	const double	*ch = st->map->chain_km;
	double		 x0, y0, x1, y1, dx, dy, len, s, t, w, h;
	size_t		 i, j;
	int		 steps, k, sdx, sdy, r, c;
	struct map_cell	*mc;

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
		for (k = 0; k <= steps; k++) {
			t = (double)k / steps;
			s = ch[i] + t * (ch[i + 1] - ch[i]);
			map_dot(st, (int)floor(x0 + t * dx),
			    (int)floor(y0 + t * dy), map_in_gap(p, s), sdx,
			    sdy);
		}
	}
	/* A gap shorter than a dot still marks its cells. */
	for (j = 0; p != NULL && j < p->ngaps; j++) {
		for (k = 0; k < 3; k++) {
			s = p->gaps[j].a + k * (p->gaps[j].b - p->gaps[j].a) / 2;
			map_point_at(st, s, &x0, &y0);
			if (!map_cell_of(st, x0, y0, &r, &c))
				continue;
			mc = map_at(st, r, c);
			if (mc->kind == CELL_EMPTY) {
				mc->kind = CELL_LINE;
				mc->sdx = 8;
				mc->rowsum = 2;
				mc->ndots = 1;
			}
			mc->gap = 1;
		}
	}
}

/* The ASCII character for a line cell, from its slope and dots. */
static char
map_ascii(const struct map_cell *mc)
{
	int	ax = abs(mc->sdx), ay = abs(mc->sdy);

	if (mc->gap)
		return ('#');
	if (ay * 2 <= ax)
		return (mc->ndots > 0 && 2 * mc->rowsum >= 5 * mc->ndots ?
		    '_' : '-');
	if (ax * 2 <= ay)
		return ('|');
	return ((mc->sdx > 0) == (mc->sdy < 0) ? '/' : '\\');
}

static void
map_draw_ticks(struct ui *ui, struct map_state *st)
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
			if (map_free_cell(st, r + dr, c))
				map_set_text(st, r + dr, c,
				    ui_glyph(ui, G_TICK),
				    strlen(ui_glyph(ui, G_TICK)),
				    ui_attr(ui, ROLE_SECTOR));
		}
	}
}

static void
map_draw_places(struct ui *ui, struct map_state *st, int labels)
{
	const struct border_map	*m = st->map;
	const struct place	*pl;
	const char		*lab;
	size_t			 i;
	int			 r, c, side, w, dr;

	for (i = 0; i < m->nplaces; i++) {
		pl = &m->places[i];
		if (!map_cell_of(st, (pl->lon - st->lon0) * st->k, pl->lat,
		    &r, &c))
			continue;
		if (!labels) {
			struct map_cell	*mc = map_at(st, r, c);

			if (mc->kind != CELL_TEXT && !mc->gap)
				map_set_text(st, r, c, ui_glyph(ui, G_PLACE),
				    strlen(ui_glyph(ui, G_PLACE)),
				    ui_attr(ui, ROLE_PLACE));
			continue;
		}
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
			if (!map_label(ui, st, r + dr, c + 1, lab,
			    ui_attr(ui, ROLE_PLACE)) &&
			    !map_label(ui, st, r + dr, c - w, lab,
			    ui_attr(ui, ROLE_PLACE)))
				map_label(ui, st, r, c + 2, lab,
				    ui_attr(ui, ROLE_PLACE));
		}
	}
}

static void
map_draw_sector_codes(struct ui *ui, struct map_state *st)
{
	const struct border_map	*m = st->map;
	const struct sector	*sc;
	double			 x, y;
	size_t			 i;
	int			 side, r, c, d, w;

	for (side = 0; side < NSIDES; side++) {
		for (i = 0; i < m->nsectors[side]; i++) {
			sc = &m->sectors[side][i];
			map_point_at(st, (sc->start_km + sc->end_km) / 2, &x,
			    &y);
			if (!map_cell_of(st, x, y, &r, &c))
				continue;
			w = ui_width(ui, sc->code);
			for (d = 1; d <= 3; d++)
				if (map_label(ui, st,
				    side == SIDE_LEFT ? r - d : r + d,
				    c - w / 2, sc->code,
				    ui_attr(ui, ROLE_SECTOR) | A_BOLD))
					break;
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
	struct map_cell	*mc;
	int		 d, dr = side == SIDE_RIGHT ? 1 : -1;

	mc = map_at(st, *r, *c);
	if (mc == NULL || mc->kind != CELL_LINE)
		return;
	for (d = 1; d <= 2; d++) {
		mc = map_at(st, *r + d * dr, *c);
		if (mc != NULL && mc->kind != CELL_LINE) {
			*r += d * dr;
			return;
		}
	}
	if (map_at(st, *r, *c)->gap && map_at(st, *r + dr, *c) != NULL)
		*r += dr;
}

static void
map_draw_units(struct ui *ui, struct map_state *st, int callsigns)
{
	const struct pic_units	*t = ui->pic->units;
	const struct pic_unit	*u;
	const char		*g;
	attr_t			 a;
	size_t			 i;
	int			 pass, r, c, sel, side, w;

	for (pass = 0; pass <= 5; pass++) {
		for (i = 0; i < t->n; i++) {
			u = &t->v[i];
			sel = strcmp(u->r.id, ui->sel_id) == 0;
			if (map_unit_prio(u, sel) != pass)
				continue;
			if (!isfinite(u->r.lat) || !isfinite(u->r.lon) ||
			    !map_cell_of(st, (u->r.lon - st->lon0) * st->k,
			    u->r.lat, &r, &c))
				continue;
			side = u->r.side;
			if (!callsigns)
				map_unit_cell(st, isfinite(u->pl.d_km) &&
				    u->pl.d_km != 0 ? (u->pl.d_km > 0 ?
				    SIDE_LEFT : SIDE_RIGHT) : side, &r, &c);
			g = ui_glyph(ui, side == SIDE_RIGHT ? G_UNIT_RIGHT :
			    G_UNIT_LEFT);
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
			map_set_text(st, r, c, g, strlen(g), a);
			w = 1;
			if (u->across && map_at(st, r, c + 1) != NULL &&
			    map_at(st, r, c + 1)->kind != CELL_TEXT) {
				map_set_text(st, r, c + 1, "!", 1,
				    ui_attr(ui, ROLE_ACROSS));
				w = 2;
			}
			if (callsigns && u->r.callsign[0] != '\0') {
				a = ui_side_attr(ui, side) & ~A_BOLD;
				if (u->state != STATE_FRESH)
					a |= A_DIM;
				if (!map_label(ui, st, r, c + w + 1,
				    u->r.callsign, a))
					map_label(ui, st, r, c - 1 -
					    ui_width(ui, u->r.callsign),
					    u->r.callsign, a);
			}
		}
	}
}

/* Write the buffer row by row in runs of one attribute. */
static void
map_blit(struct ui *ui, struct map_state *st, WINDOW *w)
{
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
			if (mc != NULL && mc->kind == CELL_TEXT) {
				snprintf(ch, sizeof ch, "%s", mc->text);
				a = mc->attr;
			} else if (mc != NULL && mc->kind == CELL_LINE) {
				a = ui_attr(ui, mc->gap ? ROLE_GAP : ROLE_LINE);
				if (ui->utf8) {
					ch[0] = (char)0xe2;
					ch[1] = (char)(0xa0 | (mc->dots >> 6));
					ch[2] = (char)(0x80 | (mc->dots & 0x3f));
					ch[3] = '\0';
				} else {
					ch[0] = map_ascii(mc);
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

static double
map_km_per_col(const struct map_state *st)
{
	return (2.0 / st->scale * MAP_KM_PER_DEG);
}

static void
map_draw_legend(struct ui *ui, struct map_state *st, WINDOW *w, int row)
{
	const char	*att;
	char		 buf[128], *lead;
	int		 cols, x, n;

	cols = getmaxx(w);
	x = 0;
	x += ui_put(ui, w, row, x, ui_glyph(ui, G_UNIT_LEFT), 1,
	    ui_side_attr(ui, SIDE_LEFT));
	x += ui_put(ui, w, row, x, ui_side_code(ui, SIDE_LEFT), 4, A_NORMAL);
	x += 1;
	x += ui_put(ui, w, row, x, ui_glyph(ui, G_UNIT_RIGHT), 1,
	    ui_side_attr(ui, SIDE_RIGHT));
	x += ui_put(ui, w, row, x, ui_side_code(ui, SIDE_RIGHT), 4, A_NORMAL);
	x += 1;
	x += ui_putf(ui, w, row, x, cols - x, A_NORMAL, "%slost ",
	    ui_glyph(ui, G_UNIT_LOST));
	x += ui_put(ui, w, row, x, "!", 1, ui_attr(ui, ROLE_ACROSS));
	x += ui_put(ui, w, row, x, "across ", cols - x, A_NORMAL);
	x += ui_put(ui, w, row, x, ui->utf8 ? "\xe2\xa0\xbf" : "#", 1,
	    ui_attr(ui, ROLE_GAP));
	x += ui_put(ui, w, row, x, "gap ", cols - x, A_NORMAL);
	x += ui_putf(ui, w, row, x, cols - x, ui_attr(ui, ROLE_DIM),
	    "%.1f km/col", map_km_per_col(st));

	/* The line's attribution, up to its first bracket or semicolon;
	   without its "Boundary line: " lead-in if that makes it fit. */
	att = st->map->attribution;
	if (att == NULL)
		return;
	n = (int)strcspn(att, "(;");
	while (n > 0 && att[n - 1] == ' ')
		n--;
	snprintf(buf, sizeof buf, "%.*s", n, att);
	lead = strstr(buf, ": ");
	if (ui_width(ui, buf) > cols - x - 2 && lead != NULL)
		memmove(buf, lead + 2, strlen(lead + 2) + 1);
	n = ui_width(ui, buf);
	if (n > cols - x - 2)
		n = cols - x - 2;
	if (n > 8)
		ui_put(ui, w, row, cols - n, buf, n, ui_attr(ui, ROLE_DIM));
}

static void
map_draw(struct ui *ui, WINDOW *w)
{
	struct map_state	*st = map_state(ui);
	double			 dw, dh;
	int			 rows, cols;
	size_t			 ncells;

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

	map_draw_line(st, ui->pic);
	map_draw_ticks(ui, st);
	map_draw_places(ui, st, 0);
	if (ui->pic != NULL && ui->pic->units != NULL)
		map_draw_units(ui, st,
		    map_km_per_col(st) <= MAP_LABEL_KM);
	map_draw_sector_codes(ui, st);
	map_draw_places(ui, st, 1);
	map_blit(ui, st, w);
	map_draw_legend(ui, st, w, rows - 1);
}

/* Centre on the box of the line between chainages a and b (km). */
void
view_map_centre_km(struct ui *ui, double a, double b)
{
	struct map_state	*st = map_state(ui);
	double			 x, y, x0, x1, y0, y1, dw, dh, z;
	size_t			 i;

	if (st->map == NULL || st->nv < 2)
		return;
	map_point_at(st, a, &x0, &y0);
	x1 = x0;
	y1 = y0;
	map_point_at(st, b, &x, &y);
	x0 = fmin(x0, x);
	x1 = fmax(x1, x);
	y0 = fmin(y0, y);
	y1 = fmax(y1, y);
	for (i = 0; i < st->nv; i++) {
		if (st->map->chain_km[i] <= a || st->map->chain_km[i] >= b)
			continue;
		x0 = fmin(x0, st->px[i]);
		x1 = fmax(x1, st->px[i]);
		y0 = fmin(y0, st->py[i]);
		y1 = fmax(y1, st->py[i]);
	}
	st->cx = (x0 + x1) / 2;
	st->cy = (y0 + y1) / 2;
	map_dots(ui, &dw, &dh);
	/* Leave the box a third of the view, within sane zooms. */
	z = map_fit_scale(st, dw, dh);
	z = fmin(dw / fmax(x1 - x0, 1e-4), dh / fmax(y1 - y0, 1e-4)) / 3 / z;
	st->zoom = fmax(1, fmin(z, 32));
	ui->dirty |= ACT_VIEW;
}

void
view_map_centre_unit(struct ui *ui, const struct pic_unit *u)
{
	struct map_state	*st = map_state(ui);

	if (st->map == NULL || !isfinite(u->r.lat) || !isfinite(u->r.lon))
		return;
	st->cx = (u->r.lon - st->lon0) * st->k;
	st->cy = u->r.lat;
	st->zoom = fmax(st->zoom, 16);
	ui->dirty |= ACT_VIEW;
}

int
view_map_goto_sector(struct ui *ui, const char *code)
{
	const struct border_map	*m = ui->map;
	const struct sector	*sc;
	size_t			 i;
	int			 side;

	if (m == NULL)
		return (0);
	for (side = 0; side < NSIDES; side++)
		for (i = 0; i < m->nsectors[side]; i++) {
			sc = &m->sectors[side][i];
			if (strcasecmp(sc->code, code) != 0)
				continue;
			view_map_centre_km(ui, sc->start_km, sc->end_km);
			ui_message(ui, "%s %s %s: km %.1f-%.1f",
			    ui_side_code(ui, side), sc->code, sc->name,
			    sc->start_km, sc->end_km);
			return (1);
		}
	return (0);
}

/* Step to the next (dir 1) or previous (-1) open gap and centre on it. */
int
view_map_next_gap(struct ui *ui, int dir)
{
	struct map_state	*st = map_state(ui);
	const struct picture	*p = ui->pic;
	const struct gap	*g;
	int			 n;

	if (p == NULL || p->ngaps == 0) {
		ui_message(ui, "no open gap");
		return (ACT_FOOT);
	}
	n = (int)p->ngaps;
	st->gap_i = st->gap_i < 0 ? (dir > 0 ? 0 : n - 1) :
	    ((st->gap_i + dir) % n + n) % n;
	g = &p->gaps[st->gap_i];
	view_map_centre_km(ui, g->a, g->b);
	/* The gap's own id, as every other view and the reports show it;
	   then where it is in the west-to-east list. */
	ui_message(ui, "gap #%u (%d/%d): %.1f km, km %.1f-%.1f, %s %s / %s "
	    "%s, %s", g->id, st->gap_i + 1, n, g->b - g->a, g->a, g->b,
	    ui_side_code(ui, SIDE_LEFT),
	    ui_sector_code(ui, SIDE_LEFT, g->sector[SIDE_LEFT]),
	    ui_side_code(ui, SIDE_RIGHT),
	    ui_sector_code(ui, SIDE_RIGHT, g->sector[SIDE_RIGHT]), g->near);
	return (ACT_VIEW | ACT_FOOT);
}

static int
map_key(struct ui *ui, enum ui_key_id id)
{
	struct map_state	*st = map_state(ui);
	const struct pic_unit	*u;
	double			 dw, dh, step;

	if (st->map == NULL)
		return (0);
	map_dots(ui, &dw, &dh);
	step = dw / 4 / (map_fit_scale(st, dw, dh) * st->zoom);
	switch (id) {
	case UK_ZOOM_IN:
		st->zoom = fmin(st->zoom * MAP_ZOOM_STEP, MAP_ZOOM_MAX);
		break;
	case UK_ZOOM_OUT:
		st->zoom = fmax(st->zoom / MAP_ZOOM_STEP, 1);
		break;
	case UK_PAN_LEFT:
		st->cx -= step;
		break;
	case UK_PAN_RIGHT:
		st->cx += step;
		break;
	case UK_PAN_UP:
		st->cy += step / 2;
		break;
	case UK_PAN_DOWN:
		st->cy -= step / 2;
		break;
	case UK_FIT:
		st->zoom = 1;
		st->cx = (st->xmin + st->xmax) / 2;
		st->cy = (st->ymin + st->ymax) / 2;
		break;
	case UK_NEXT_GAP:
		return (view_map_next_gap(ui, 1));
	case UK_PREV_GAP:
		return (view_map_next_gap(ui, -1));
	case UK_CENTRE:
		u = ui_unit(ui, ui->sel_id);
		if (u == NULL) {
			ui_message(ui, "no unit selected: pick one on the "
			    "unit board (3)");
			return (ACT_FOOT);
		}
		view_map_centre_unit(ui, u);
		break;
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
	st->gap_i = -1;
	ui->vstate[VIEW_MAP] = st;
}

static void
map_done(struct ui *ui)
{
	struct map_state	*st = ui->vstate[VIEW_MAP];

	map_free_proj(st);
	free(st->cells);
	free(st);
	ui->vstate[VIEW_MAP] = NULL;
}

static void
map_changed(struct ui *ui)
{
	struct map_state	*st = map_state(ui);

	if (ui->pic != NULL && st->gap_i >= (int)ui->pic->ngaps)
		st->gap_i = -1;
}

const struct view_ops view_map_ops = {
	"Map", map_init, map_done, map_changed, map_draw, map_key
};
