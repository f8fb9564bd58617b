/*
 * view_sectors.c: sector strips.
 *
 * For each side, one row per sector: code, name, length (km), then a bar
 * whose cells map the sector's chainage proportionally.  A cell shows how
 * much of its stretch open gaps take, in three levels as the map does:
 * none (the joint class that holds most of the stretch), partly (a shade,
 * ':' in ASCII) or mostly (a reversed '!'), so that a 1 km gap and an
 * 80 km one do not look alike and a gap of any length is still seen.
 * Glyphs differ by shape, never by colour alone (UTF-8: full block joint,
 * upper half left side only, lower half right side only; ASCII: '=', the
 * side codes' initials).  The row ends with the side's own coverage %,
 * gaps touching the sector, the longest gap part inside it (km) and the
 * side's fresh units in it.  Rows are selectable: Enter shows the sector
 * on the map; n N ] [ step through the gaps there.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "xmalloc.h"

struct sectors_state {
	int	top;		/* first row shown */
	int	sel;		/* selected row (a sector's) */
	int	nrows;
	int	page;
};

static void
sectors_init(struct ui *ui)
{
	ui->vstate[VIEW_SECTORS] = xcalloc(1, sizeof(struct sectors_state));
}

static void
sectors_done(struct ui *ui)
{
	free(ui->vstate[VIEW_SECTORS]);
	ui->vstate[VIEW_SECTORS] = NULL;
}

/* Kilometres of each joint class inside [a, b]. */
static void
sectors_classes(const struct picture *p, double a, double b, double km[4])
{
	size_t	lo = 0, hi = p->nruns, mid, i;
	double	x0, x1;

	km[0] = km[1] = km[2] = km[3] = 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->runs[mid].b <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < p->nruns && p->runs[i].a < b; i++) {
		x0 = fmax(a, p->runs[i].a);
		x1 = fmin(b, p->runs[i].b);
		if (x1 > x0)
			km[p->runs[i].cls & 3] += x1 - x0;
	}
}

/* Kilometres of open gaps inside [a, b]. */
static double
sectors_gap_km(const struct picture *p, double a, double b)
{
	size_t	i;
	double	km = 0;

	for (i = 0; i < p->ngaps; i++)
		if (p->gaps[i].a < b && p->gaps[i].b > a)
			km += fmin(b, p->gaps[i].b) - fmax(a, p->gaps[i].a);
	return (km);
}

#define SECTORS_GAP	(-1)	/* mostly in a gap */
#define SECTORS_PART	(-2)	/* partly in a gap */
/* A cell is "mostly" a gap from this share of its stretch on. */
#define SECTORS_MOSTLY	0.5

/* The glyph and attribute of a joint class, or of SECTORS_GAP. */
static void
sectors_glyph(const struct ui *ui, int cls, char *g, size_t len,
    attr_t *attr)
{
	switch (cls) {
	case SECTORS_GAP:
		snprintf(g, len, "%s", ui_glyph(ui, G_J_GAP));
		/* A reversed '!' would hide among full blocks. */
		*attr = ui->utf8 && ui->colors == 0 ? A_BOLD :
		    ui_attr(ui, ROLE_GAP);
		break;
	case SECTORS_PART:
		snprintf(g, len, "%s", ui_glyph(ui, G_J_PART));
		*attr = ui_attr(ui, ROLE_GAPPART);
		break;
	case JOINT_BOTH:
		snprintf(g, len, "%s", ui_glyph(ui, G_J_BOTH));
		*attr = ui_attr(ui, ROLE_BOTH);
		break;
	case JOINT_LEFT:
	case JOINT_RIGHT:
		if (ui->utf8)
			snprintf(g, len, "%s", ui_glyph(ui,
			    cls == JOINT_LEFT ? G_J_LEFT : G_J_RIGHT));
		else
			snprintf(g, len, "%c", tolower((unsigned char)
			    ui_side_code(ui, cls == JOINT_LEFT ? SIDE_LEFT :
			    SIDE_RIGHT)[0]));
		*attr = ui_side_attr(ui, cls == JOINT_LEFT ? SIDE_LEFT :
		    SIDE_RIGHT);
		break;
	default:
		snprintf(g, len, "%s", ui_glyph(ui, G_J_HOLE));
		*attr = ui_attr(ui, ROLE_DIM);
		break;
	}
}

/* The class one bar cell shows for [a, b] km: by the share of open gaps
   in it, else the class holding most of the stretch. */
static int
sectors_cell(const struct ui *ui, double a, double b)
{
	const struct picture	*p = ui->pic;
	double			 km[4], g;
	int			 cls, best = JOINT_NONE;

	g = sectors_gap_km(p, a, b);
	if (g >= SECTORS_MOSTLY * (b - a))
		return (SECTORS_GAP);
	if (g > 0)
		return (SECTORS_PART);
	sectors_classes(p, a, b, km);
	for (cls = 0; cls < 4; cls++)
		if (km[cls] > km[best])
			best = cls;
	return (best);
}

static void
sectors_bar(const struct ui *ui, WINDOW *w, int y, int x, int n,
    const struct sector *sc)
{
	char	run[1024], g[8];
	attr_t	a, ra = 0;
	size_t	len = 0;
	int	i, x0 = x;
	double	step = (sc->end_km - sc->start_km) / n;

	for (i = 0; i <= n; i++) {
		if (i < n && ui->pic->unknown) {
			/* Unknown is neither covered nor gap. */
			snprintf(g, sizeof g, "?");
			a = ui_attr(ui, ROLE_UNKNOWN);
		} else if (i < n)
			sectors_glyph(ui, sectors_cell(ui,
			    sc->start_km + i * step,
			    sc->start_km + (i + 1) * step), g, sizeof g, &a);
		if (i == n || a != ra || len + 8 >= sizeof run) {
			if (len > 0) {
				run[len] = '\0';
				ui_put(ui, w, y, x0, run, x + i - x0, ra);
			}
			len = 0;
			x0 = x + i;
			ra = a;
		}
		if (i == n)
			break;
		memcpy(run + len, g, strlen(g));
		len += strlen(g);
	}
}

/*
 * The side's coverage recency along the whole line, west to east: in
 * each cell the age of the last cover that most of its stretch has, in
 * four shades, and their key after the strip.
 */
static void
sectors_recency(const struct ui *ui, WINDOW *w, int y, int x, int n,
    int side)
{
	static const char *const utf8[RECENCY_COUNT] = {
		"\xe2\x96\x88", "\xe2\x96\x93", "\xe2\x96\x92", "\xe2\x96\x91"
	};
	static const char ascii[RECENCY_COUNT] = { '#', '+', '-', '.' };
	static const char *const words[RECENCY_COUNT] = {
		"<15m", "<1h", "<4h", "old"
	};
	const struct picture	*p = ui->pic;
	double			 len = ui->map->length_km, step = len / n;
	char			 g[8];
	int			 i, k, c, wc = getmaxx(w);

	ui_putf(ui, w, y, 0, x - 1, ui_attr(ui, ROLE_DIM),
	    "  %s last covered", ui->map->sides[side].code);
	for (i = 0; i < n; i++) {
		c = recency_class(ui->rec, side, i * step, (i + 1) * step,
		    p->now);
		if (ui->utf8)
			snprintf(g, sizeof g, "%s", utf8[c]);
		else
			snprintf(g, sizeof g, "%c", ascii[c]);
		ui_put(ui, w, y, x + i, g, 1, c == RECENCY_OLD ?
		    ui_attr(ui, ROLE_WARN) : ui_side_attr(ui, side));
	}
	for (x += n + 1, k = 0; k < RECENCY_COUNT && x < wc; k++) {
		if (ui->utf8)
			snprintf(g, sizeof g, "%s", utf8[k]);
		else
			snprintf(g, sizeof g, "%c", ascii[k]);
		x += ui_put(ui, w, y, x, g, 1, A_NORMAL);
		x += ui_put(ui, w, y, x, words[k], wc - x, A_NORMAL);
	}
}

/* A row: -1 side heading, -2 blank, -3 the side's recency strip, else a
   sector index of side. */
struct srow {
	int	side;
	int	idx;
};

static int
sectors_rows(const struct ui *ui, struct srow *v, int max)
{
	const struct border_map	*m = ui->map;
	int			 n = 0, side;
	size_t			 i;

	for (side = 0; side < NSIDES; side++) {
		if (side > 0 && n < max)
			v[n++] = (struct srow){ side, -2 };
		if (n < max)
			v[n++] = (struct srow){ side, -1 };
		for (i = 0; i < m->nsectors[side] && n < max; i++)
			v[n++] = (struct srow){ side, (int)i };
		if (ui->rec != NULL && n < max)
			v[n++] = (struct srow){ side, -3 };
	}
	return (n);
}

static void
sectors_legend(const struct ui *ui, WINDOW *w, int y)
{
	static const int	 cls[] = { JOINT_BOTH, JOINT_LEFT, JOINT_RIGHT,
	    SECTORS_PART, SECTORS_GAP, JOINT_NONE };
	char			 g[8], text[64];
	attr_t			 a;
	size_t			 i;
	int			 x = 0, wc = getmaxx(w);

	for (i = 0; i < sizeof cls / sizeof cls[0]; i++) {
		sectors_glyph(ui, cls[i], g, sizeof g, &a);
		x += ui_put(ui, w, y, x, g, 1, a);
		switch (cls[i]) {
		case JOINT_BOTH:
			snprintf(text, sizeof text, " joint  ");
			break;
		case SECTORS_PART:
			snprintf(text, sizeof text, " part gap  ");
			break;
		case JOINT_LEFT:
		case JOINT_RIGHT:
			snprintf(text, sizeof text, " %s only  ",
			    ui_side_code(ui, cls[i] == JOINT_LEFT ?
			    SIDE_LEFT : SIDE_RIGHT));
			break;
		case SECTORS_GAP:
			snprintf(text, sizeof text, " gap  ");
			break;
		default:
			snprintf(text, sizeof text, " hole < %.0f km  ",
			    ui->pic->cfg.min_gap_km);
			break;
		}
		x += ui_put(ui, w, y, x, text, wc - x, A_NORMAL);
	}
	/* The hint only whole: the legend matters more. */
	if (ui_width(ui, "Enter: on the map") <= wc - x)
		ui_put(ui, w, y, x, "Enter: on the map", wc - x,
		    ui_attr(ui, ROLE_DIM));
}

/* The first sector row at or after i (dir 1) or before it (-1). */
static int
sectors_row_near(const struct srow *rows, int n, int i, int dir)
{
	for (; i >= 0 && i < n; i += dir)
		if (rows[i].idx >= 0)
			return (i);
	return (-1);
}

static void
sectors_draw(const struct ui *ui, WINDOW *w)
{
	struct sectors_state	*st = ui->vstate[VIEW_SECTORS];
	const struct picture	*p = ui->pic;
	const struct border_map	*m = ui->map;
	const struct sector	*sc;
	const struct sector_stats *ss;
	struct srow		 rows[256];
	double			 own;
	int			 wr, wc, namew, barw, x, y, i, n, codew;
	size_t			 k;

	getmaxyx(w, wr, wc);
	if (p == NULL || m == NULL) {
		ui_put(ui, w, wr / 2, 2, "no picture yet", wc - 4,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	codew = 4;
	for (i = 0; i < NSIDES; i++)
		for (k = 0; k < m->nsectors[i]; k++)
			codew = codew > ui_width(ui, m->sectors[i][k].code) ?
			    codew : ui_width(ui, m->sectors[i][k].code);
	if (codew > 6)
		codew = 6;
	/* Names whole up to 18 columns ("Rio Grande Valley"); the bar
	   keeps the rest, at least 27 cells at 80 columns. */
	namew = 4;
	for (i = 0; i < NSIDES; i++)
		for (k = 0; k < m->nsectors[i]; k++)
			if (ui_width(ui, m->sectors[i][k].name) > namew)
				namew = ui_width(ui, m->sectors[i][k].name);
	if (namew > 18)
		namew = 18;
	barw = wc - (codew + 1 + namew + 1 + 6 + 1 + 5 + 5 + 6 + 6);
	if (barw < 10)
		barw = 10;

	n = sectors_rows(ui, rows, 256);
	st->nrows = n;
	st->page = wr - 2;
	if (st->sel >= n || rows[st->sel].idx < 0) {
		i = sectors_row_near(rows, n, st->sel < n ? st->sel : n - 1, 1);
		st->sel = i >= 0 ? i : sectors_row_near(rows, n, n - 1, -1);
	}
	st->top = ui_clamp_top(st->top, st->sel, n, st->page);

	ui_putf(ui, w, 0, 0, wc, ui_attr(ui, ROLE_HEAD),
	    "%-*s %-*s %6s %-*s%5s%5s%6s%6s", codew, "sect", namew, "name",
	    "km", barw, "cover, west to east", "own%", "gaps", "long",
	    "units");
	for (y = 1, i = st->top; i < n && y < wr - 1; i++, y++) {
		if (rows[i].idx == -2)
			continue;
		if (rows[i].idx == -3) {
			sectors_recency(ui, w, y, codew + 1 + namew + 1 + 7,
			    barw, rows[i].side);
			continue;
		}
		if (rows[i].idx == -1) {
			x = ui_put(ui, w, y, 0, m->sides[rows[i].side].code,
			    codew + 1, ui_side_attr(ui, rows[i].side));
			ui_putf(ui, w, y, codew + 1, wc - codew - 1,
			    ui_attr(ui, ROLE_HEAD), "%s: %zu sectors, %s units "
			    "fresh/stale/lost %zu/%zu/%zu",
			    m->sides[rows[i].side].name,
			    m->nsectors[rows[i].side],
			    m->sides[rows[i].side].code,
			    p->count[rows[i].side][STATE_FRESH],
			    p->count[rows[i].side][STATE_STALE],
			    p->count[rows[i].side][STATE_LOST]);
			(void)x;
			continue;
		}
		sc = &m->sectors[rows[i].side][rows[i].idx];
		ss = p->stats[rows[i].side] != NULL ?
		    &p->stats[rows[i].side][rows[i].idx] : NULL;
		x = 0;
		/* The selection: the code and name reversed, the bar left
		   as it is so that its glyphs still read. */
		ui_put(ui, w, y, x, sc->code, codew,
		    ui_side_attr(ui, rows[i].side) | (i == st->sel ?
		    ui_attr(ui, ROLE_SELECT) : 0));
		x += codew + 1;
		if (i == st->sel)
			mvwchgat(w, y, 0, codew + 1 + namew, ui_attr(ui,
			    ROLE_SELECT), 0, NULL);
		ui_put_cut(ui, w, y, x, sc->name, namew, i == st->sel ?
		    ui_attr(ui, ROLE_SELECT) : A_NORMAL);
		x += namew + 1;
		ui_putf(ui, w, y, x, 6, A_NORMAL, "%6.0f",
		    sc->end_km - sc->start_km);
		x += 7;
		sectors_bar(ui, w, y, x, barw, sc);
		x += barw;
		if (ss == NULL)
			continue;
		own = ss->len_km > 0 ? 100 * ss->own_km / ss->len_km : 0;
		ui_putf(ui, w, y, x, 5, own < 50 ? ui_attr(ui, ROLE_WARN) :
		    A_NORMAL, "%4.0f%%", own);
		x += 5;
		ui_putf(ui, w, y, x, 5, ss->gaps > 0 ? ui_attr(ui, ROLE_GAP) :
		    A_NORMAL, "%5zu", ss->gaps);
		x += 5;
		if (ss->gaps > 0)
			ui_putf(ui, w, y, x, 6, A_NORMAL, "%6.1f",
			    ss->longest_gap_km);
		else
			ui_putf(ui, w, y, x, 6, A_NORMAL, "%6s", "-");
		x += 6;
		ui_putf(ui, w, y, x, 6, A_NORMAL, "%6zu",
		    ss->units[STATE_FRESH]);
	}
	sectors_legend(ui, w, wr - 1);
}

static int
sectors_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct sectors_state	*st = ui->vstate[VIEW_SECTORS];
	struct srow		 rows[256];
	int			 n, sel = st->sel, dir, r;

	if (ui->map == NULL || ui->pic == NULL)
		return (0);
	n = sectors_rows(ui, rows, 256);
	switch (id) {
	case UK_SHOW:
		if (st->sel < 0 || st->sel >= n || rows[st->sel].idx < 0)
			return (0);
		req->view = VIEW_MAP;
		req->side = rows[st->sel].side;
		req->idx = rows[st->sel].idx;
		return (view_goto(req, GO_SECTOR));
	case UK_NEXT_GAP:
	case UK_PREV_GAP:
	case UK_EAST_GAP:
	case UK_WEST_GAP:
		req->view = VIEW_MAP;
		req->dir = id == UK_NEXT_GAP || id == UK_EAST_GAP ? 1 : -1;
		req->order = id == UK_NEXT_GAP || id == UK_PREV_GAP ?
		    ORDER_LONGEST : ORDER_WEST;
		return (view_goto(req, GO_GAP_STEP));
	default:
		break;
	}
	/* The selection skips headings and blank rows. */
	dir = id == UK_UP || id == UK_PGUP || id == UK_END ? -1 : 1;
	if (ui_scroll(id, &sel, n, st->page, 1) <= 0)
		return (0);
	r = sectors_row_near(rows, n, sel, dir);
	if (r < 0)
		r = sectors_row_near(rows, n, sel, -dir);
	if (r < 0 || r == st->sel)
		return (0);
	st->sel = r;
	return (ACT_VIEW);
}

const struct view_ops view_sectors_ops = {
	"Sectors", sectors_init, sectors_done, NULL, sectors_draw,
	sectors_key, NULL, NULL
};
