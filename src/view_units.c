/*
 * view_units.c: the unit board.
 *
 * A table of every unit (sector, side, age, callsign, status, state,
 * chainage, offset), sorted by a column ('o' cycles, 'O' reverses) and
 * filtered by side, state and sector.  '/' searches callsign or id as
 * the user types; then n and N step through the matches (as less and
 * htop do).  Enter opens a pane with every field, the footprint
 * intervals and the nearest place.  The selection follows the unit's id
 * across pictures, never a row number; the first row shown is clamped
 * after every filter, sort and resize so that no page ends short.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "view.h"
#include "xmalloc.h"

#define UNIT_SORTS(X)			\
	X(SECTOR,	"sector")	\
	X(SIDE,		"side")		\
	X(AGE,		"age")		\
	X(CALLSIGN,	"callsign")	\
	X(STATUS,	"status")	\
	X(CHAINAGE,	"km")		\
	X(OFFSET,	"offset")

enum unit_sort {
#define X(id, name) USORT_##id,
	UNIT_SORTS(X)
#undef X
	USORT_COUNT
};

static const char *const unit_sort_names[USORT_COUNT] = {
#define X(id, name) name,
	UNIT_SORTS(X)
#undef X
};

struct units_state {
	size_t	*rows;		/* indices into the unit table */
	size_t	 nrows;
	int	 sort;
	int	 rev;
	int	 f_side;	/* -1 all */
	int	 f_state;	/* -1 all */
	int	 f_sector;	/* -1 all; else over both sides' sectors */
	int	 sel;		/* row */
	int	 top;
	int	 page;
	int	 details;
	char	 saved[UNIT_ID_MAX + 1];	/* selection before a search */
	char	 search[UI_PROMPT_MAX];		/* last search kept */
};

static void
units_init_view(struct ui *ui)
{
	struct units_state	*st;

	st = xcalloc(1, sizeof *st);
	st->sort = USORT_SECTOR;
	st->f_side = st->f_state = st->f_sector = -1;
	ui->vstate[VIEW_UNITS] = st;
}

static void
units_done_view(struct ui *ui)
{
	struct units_state	*st = ui->vstate[VIEW_UNITS];

	free(st->rows);
	free(st);
	ui->vstate[VIEW_UNITS] = NULL;
}

/* The sector filter index k as (side, sector index). */
static int
units_filter_sector(const struct ui *ui, int k, int *side)
{
	size_t	n0;

	if (ui->map == NULL || k < 0)
		return (-1);
	n0 = ui->map->nsectors[SIDE_LEFT];
	if ((size_t)k < n0) {
		*side = SIDE_LEFT;
		return (k);
	}
	*side = SIDE_RIGHT;
	return (k - (int)n0);
}

static int
units_match(const struct ui *ui, const struct units_state *st,
    const struct pic_unit *u)
{
	int	side, idx;

	if (st->f_side >= 0 && u->r.side != st->f_side)
		return (0);
	if (st->f_state >= 0 && (int)u->state != st->f_state)
		return (0);
	idx = units_filter_sector(ui, st->f_sector, &side);
	if (idx >= 0 && u->sector[side] != idx)
		return (0);
	return (1);
}

static int
units_cmp_num(double a, double b)
{
	if (isnan(a))
		return (isnan(b) ? 0 : 1);
	if (isnan(b))
		return (-1);
	return (a < b ? -1 : a > b);
}

struct units_sort_ctx {
	const struct pic_unit	*v;
	int			 sort;
	int			 rev;
};

static int
units_cmp(const void *pa, const void *pb, void *arg)
{
	const struct units_sort_ctx	*c = arg;
	const struct pic_unit		*a = &c->v[*(const size_t *)pa];
	const struct pic_unit		*b = &c->v[*(const size_t *)pb];
	int				 r = 0;

	switch (c->sort) {
	case USORT_SECTOR:
		r = a->r.side - b->r.side;
		if (r == 0)
			r = a->sector[a->r.side] - b->sector[b->r.side];
		if (r == 0)
			r = units_cmp_num(a->pl.s_km, b->pl.s_km);
		break;
	case USORT_SIDE:
		r = a->r.side - b->r.side;
		break;
	case USORT_AGE:
		r = units_cmp_num(a->age_s, b->age_s);
		break;
	case USORT_CALLSIGN:
		r = strcasecmp(a->r.callsign, b->r.callsign);
		break;
	case USORT_STATUS:
		r = strcmp(a->r.status_text, b->r.status_text);
		break;
	case USORT_CHAINAGE:
		r = units_cmp_num(a->pl.s_km, b->pl.s_km);
		break;
	case USORT_OFFSET:
		r = units_cmp_num(a->pl.d_km, b->pl.d_km);
		break;
	}
	if (r == 0)
		r = strcmp(a->r.id, b->r.id);
	return (c->rev ? -r : r);
}

/* Keep the selected row on the selected id, or clamp it (and ask for
   that row's unit to be the selection). */
static int
units_follow(const struct ui *ui, struct units_state *st,
    struct view_req *req)
{
	const struct pic_unit	*v = ui->pic->units->v;
	size_t			 i;

	if (ui->sel_id[0] != '\0')
		for (i = 0; i < st->nrows; i++)
			if (strcmp(v[st->rows[i]].r.id, ui->sel_id) == 0) {
				st->sel = (int)i;
				return (0);
			}
	if (st->sel >= (int)st->nrows)
		st->sel = (int)st->nrows - 1;
	if (st->sel < 0)
		st->sel = 0;
	if (st->nrows == 0)
		return (0);
	snprintf(req->unit, sizeof req->unit, "%s",
	    v[st->rows[st->sel]].r.id);
	return (ACT_SELECT);
}

static int
units_rebuild(const struct ui *ui, struct view_req *req)
{
	struct units_state	*st = ui->vstate[VIEW_UNITS];
	const struct pic_units	*t;
	struct units_sort_ctx	 ctx;
	size_t			 i;

	st->nrows = 0;
	if (ui->pic == NULL || ui->pic->units == NULL)
		return (0);
	t = ui->pic->units;
	st->rows = xreallocarray(st->rows, t->n + 1, sizeof *st->rows);
	for (i = 0; i < t->n; i++)
		if (units_match(ui, st, &t->v[i]))
			st->rows[st->nrows++] = i;
	ctx.v = t->v;
	ctx.sort = st->sort;
	ctx.rev = st->rev;
	qsort_r(st->rows, st->nrows, sizeof *st->rows, units_cmp, &ctx);
	return (units_follow(ui, st, req));
}

static int
units_changed(const struct ui *ui, struct view_req *req)
{
	return (units_rebuild(ui, req));
}

static const struct pic_unit *
units_row(const struct ui *ui, const struct units_state *st, int i)
{
	if (i < 0 || (size_t)i >= st->nrows)
		return (NULL);
	return (&ui->pic->units->v[st->rows[i]]);
}

static attr_t
units_state_attr(const struct ui *ui, enum unit_state s)
{
	switch (s) {
	case STATE_FRESH:
		return (A_NORMAL);
	case STATE_STALE:
		return (ui_attr(ui, ROLE_WARN));
	case STATE_LOST:
		return (ui_attr(ui, ROLE_BAD));
	default:
		return (ui_attr(ui, ROLE_DIM));
	}
}

/* Columns: header, width, right-aligned. */
#define UNIT_COLS(X)				\
	X(SECT,	"sect",		5,	0)	\
	X(SIDE,	"side",		4,	0)	\
	X(AGE,	"age",		5,	1)	\
	X(CALL,	"callsign",	16,	0)	\
	X(STAT,	"status",	14,	0)	\
	X(STATE, "state",	8,	0)	\
	X(KM,	"km",		7,	1)	\
	X(OFF,	"offset",	8,	1)	\
	X(KIND,	"kind",		9,	0)	\
	X(ID,	"id",		24,	0)

enum unit_col {
#define X(id, h, w, r) UCOL_##id,
	UNIT_COLS(X)
#undef X
	UCOL_COUNT
};

static const struct {
	const char	*head;
	int		 width;
	int		 right;
} unit_cols[UCOL_COUNT] = {
#define X(id, h, w, r) { h, w, r },
	UNIT_COLS(X)
#undef X
};

/* The column that shows a sort key. */
static const int unit_sort_col[USORT_COUNT] = {
	UCOL_SECT, UCOL_SIDE, UCOL_AGE, UCOL_CALL, UCOL_STAT, UCOL_KM,
	UCOL_OFF
};

static void
units_cell(const struct ui *ui, const struct pic_unit *u, int col, char *buf,
    size_t len, attr_t *attr)
{
	*attr = A_NORMAL;
	switch (col) {
	case UCOL_SECT:
		snprintf(buf, len, "%s", ui_sector_code(ui, u->r.side,
		    u->sector[u->r.side]));
		break;
	case UCOL_SIDE:
		snprintf(buf, len, "%s", ui_side_code(ui, u->r.side));
		*attr = ui_side_attr(ui, u->r.side);
		break;
	case UCOL_AGE:
		ui_age(u->age_s, buf, len);
		break;
	case UCOL_CALL:
		snprintf(buf, len, "%s", u->r.callsign);
		break;
	case UCOL_STAT:
		snprintf(buf, len, "%s", u->r.status_text);
		break;
	case UCOL_STATE:
		snprintf(buf, len, "%s", unit_state_names[u->state]);
		*attr = units_state_attr(ui, u->state);
		break;
	case UCOL_KM:
		snprintf(buf, len, "%.1f", u->pl.s_km);
		break;
	case UCOL_OFF:
		/* Fewer decimals further out: 8 columns hold +9999 km. */
		snprintf(buf, len, "%+.*f%s", fabs(u->pl.d_km) >= 100 ? 0 :
		    fabs(u->pl.d_km) >= 10 ? 1 : 2, u->pl.d_km,
		    u->across ? "!" : " ");
		if (u->across)
			*attr = ui_attr(ui, ROLE_ACROSS);
		break;
	case UCOL_KIND:
		snprintf(buf, len, "%s", u->r.kind_text);
		break;
	case UCOL_ID:
		snprintf(buf, len, "%s", u->r.id);
		break;
	}
}

static int
units_ncols(int width)
{
	int	i, x = 0;

	for (i = 0; i < UCOL_COUNT; i++) {
		if (x + unit_cols[i].width > width)
			return (i);
		x += unit_cols[i].width + 1;
	}
	return (UCOL_COUNT);
}

static void
units_put_col(const struct ui *ui, WINDOW *w, int y, int x, int col,
    const char *text, attr_t a)
{
	int	width = unit_cols[col].width, tw;

	if (unit_cols[col].right) {
		tw = ui_width(ui, text);
		if (tw < width)
			x += width - tw;
	}
	ui_put_cut(ui, w, y, x, text, width, a);
}

static void
units_filters(const struct ui *ui, const struct units_state *st, char *buf,
    size_t len)
{
	int	side, idx;
	size_t	o = 0;

	buf[0] = '\0';
	if (st->f_side >= 0)
		o += (size_t)snprintf(buf + o, len - o, " side %s",
		    ui_side_code(ui, st->f_side));
	if (st->f_state >= 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " state %s",
		    unit_state_names[st->f_state]);
	idx = units_filter_sector(ui, st->f_sector, &side);
	if (idx >= 0 && o < len)
		snprintf(buf + o, len - o, " sector %s %s",
		    ui_side_code(ui, side), ui_sector_code(ui, side, idx));
}

static void
units_box(const struct ui *ui, WINDOW *w, int y0, int x0, int h, int wd)
{
	const char	*hl = ui_glyph(ui, G_HLINE);
	const char	*vl = ui->utf8 ? "\xe2\x94\x82" : "|";
	int		 x, y;

	for (y = y0; y < y0 + h; y++) {
		wmove(w, y, x0);
		wclrtoeol(w);
	}
	for (x = x0 + 1; x < x0 + wd - 1; x++) {
		ui_put(ui, w, y0, x, hl, 1, A_NORMAL);
		ui_put(ui, w, y0 + h - 1, x, hl, 1, A_NORMAL);
	}
	for (y = y0 + 1; y < y0 + h - 1; y++) {
		ui_put(ui, w, y, x0, vl, 1, A_NORMAL);
		ui_put(ui, w, y, x0 + wd - 1, vl, 1, A_NORMAL);
	}
	ui_put(ui, w, y0, x0, ui->utf8 ? "\xe2\x94\x8c" : "+", 1, A_NORMAL);
	ui_put(ui, w, y0, x0 + wd - 1, ui->utf8 ? "\xe2\x94\x90" : "+", 1,
	    A_NORMAL);
	ui_put(ui, w, y0 + h - 1, x0, ui->utf8 ? "\xe2\x94\x94" : "+", 1,
	    A_NORMAL);
	ui_put(ui, w, y0 + h - 1, x0 + wd - 1, ui->utf8 ? "\xe2\x94\x98" : "+",
	    1, A_NORMAL);
}

static void
units_fmt_num(char *buf, size_t len, double v, const char *unit)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f %s", v, unit);
}

/* The details pane: every field, the footprint, the nearest place. */
static void
units_details(const struct ui *ui, WINDOW *w, const struct pic_unit *u)
{
	char	lines[24][384], t[40], a[40], b[40], near[128];
	int	n = 0, rows, cols, h, wd, y0, x0, i, side;
	size_t	k, o;
	double	age = u->age_s;

	getmaxyx(w, rows, cols);
	side = u->r.side;
#define L(...) snprintf(lines[n++], sizeof lines[0], __VA_ARGS__)
	L("id        %s", u->r.id);
	L("callsign  %s", u->r.callsign);
	L("side      %s %s   agency %s", ui_side_code(ui, side),
	    ui->map != NULL && side >= 0 && side < NSIDES ?
	    ui->map->sides[side].name : "", u->r.agency);
	ui_age(age, t, sizeof t);
	L("kind      %s   status %s   state %s (age %s)", u->r.kind_text,
	    u->r.status_text, unit_state_names[u->state], t);
	time_format_rfc3339(u->r.time, t, sizeof t);
	time_format_rfc3339(u->r.stale_at, a, sizeof a);
	if (u->r.seq >= 0)
		snprintf(b, sizeof b, "%lld", (long long)u->r.seq);
	else
		snprintf(b, sizeof b, "-");
	L("report    %s   seq %s   stale at %s", t, b,
	    isfinite(u->r.stale_at) ? a : "-");
	units_fmt_num(a, sizeof a, u->r.heading_deg, "deg");
	units_fmt_num(b, sizeof b, u->r.speed_kmh, "km/h");
	L("position  %.5f %.5f   heading %s   speed %s", u->r.lat, u->r.lon,
	    a, b);
	units_fmt_num(a, sizeof a, u->r.ce_m, "m");
	L("radius    %.1f km   position error %s", u->radius_km, a);
	L("line      km %.2f   offset %+.2f km%s", u->pl.s_km, u->pl.d_km,
	    u->across ? "   ACROSS THE LINE" : "");
	L("sectors   %s %s   %s %s", ui_side_code(ui, SIDE_LEFT),
	    ui_sector_code(ui, SIDE_LEFT, u->sector[SIDE_LEFT]),
	    ui_side_code(ui, SIDE_RIGHT),
	    ui_sector_code(ui, SIDE_RIGHT, u->sector[SIDE_RIGHT]));
	/* The place phrase is the picture's: views do no geometry. */
	picture_unit_near(ui->pic, u, near, sizeof near);
	L("near      %s", near[0] != '\0' ? near : "-");
	if (u->nfp == 0)
		L("footprint none (%s)", u->state == STATE_FRESH ?
		    "out of reach of the line" : "not fresh and active");
	else {
		o = (size_t)snprintf(lines[n], sizeof lines[0],
		    "footprint %zu interval%s:", u->nfp, u->nfp == 1 ? "" : "s");
		for (k = 0; k < u->nfp && n < 22; k++) {
			if (o + 24 >= sizeof lines[0] || o > 68) {
				n++;
				o = (size_t)snprintf(lines[n], sizeof lines[0],
				    "         ");
			}
			o += (size_t)snprintf(lines[n] + o,
			    sizeof lines[0] - o, " km %.1f-%.1f", u->fp[k].a,
			    u->fp[k].b);
		}
		n++;
	}
#undef L
	wd = cols - 4 < 84 ? cols - 4 : 84;
	h = n + 4;
	if (h > rows)
		h = rows;
	y0 = (rows - h) / 2;
	x0 = (cols - wd) / 2;
	units_box(ui, w, y0, x0, h, wd);
	ui_putf(ui, w, y0, x0 + 2, wd - 4, ui_attr(ui, ROLE_HEAD),
	    " unit %s ", u->r.callsign[0] != '\0' ? u->r.callsign : u->r.id);
	for (i = 0; i < n && i + 2 < h - 1; i++)
		ui_put(ui, w, y0 + 2 + i, x0 + 2, lines[i], wd - 4, A_NORMAL);
	ui_put(ui, w, y0 + h - 1, x0 + wd - 22, " Esc/Enter: close ", 18,
	    ui_attr(ui, ROLE_DIM));
}

static void
units_draw(const struct ui *ui, WINDOW *w)
{
	struct units_state	*st = ui->vstate[VIEW_UNITS];
	const struct pic_unit	*u;
	char			 buf[160], filt[96];
	attr_t			 a, sa;
	int			 rows, cols, ncol, c, x, y, i;

	getmaxyx(w, rows, cols);
	if (ui->pic == NULL || ui->pic->units == NULL) {
		ui_put(ui, w, rows / 2, 2, "no picture yet", cols - 4,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	ncol = units_ncols(cols);
	st->page = rows - 2;
	st->top = ui_clamp_top(st->top, st->sel, (int)st->nrows, st->page);

	for (c = 0, x = 0; c < ncol; c++) {
		a = ui_attr(ui, ROLE_HEAD);
		if (c == unit_sort_col[st->sort])
			a |= A_UNDERLINE;
		units_put_col(ui, w, 0, x, c, unit_cols[c].head, a);
		x += unit_cols[c].width + 1;
	}
	for (y = 1, i = st->top; y < rows - 1 && i < (int)st->nrows;
	    y++, i++) {
		u = units_row(ui, st, i);
		sa = i == st->sel ? ui_attr(ui, ROLE_SELECT) : A_NORMAL;
		if (sa != A_NORMAL)
			mvwchgat(w, y, 0, cols, sa, 0, NULL);
		for (c = 0, x = 0; c < ncol; c++) {
			units_cell(ui, u, c, buf, sizeof buf, &a);
			if (u->state == STATE_STALE || u->state ==
			    STATE_INACTIVE)
				a |= A_DIM;
			units_put_col(ui, w, y, x, c, buf, a | sa);
			x += unit_cols[c].width + 1;
		}
	}
	if (st->nrows == 0)
		ui_put(ui, w, 2, 2, "no unit matches the filters (r clears)",
		    cols - 4, ui_attr(ui, ROLE_DIM));
	/* The keys go last and only if they fit whole: the counts and
	   filters matter more. */
	units_filters(ui, st, filt, sizeof filt);
	snprintf(buf, sizeof buf, "%zu of %zu units  sort %s%s  filter%s",
	    st->nrows, ui->pic->units->n, unit_sort_names[st->sort],
	    st->rev ? " reversed" : "", filt[0] != '\0' ? filt : " none");
	x = ui_put_cut(ui, w, rows - 1, 0, buf, cols, ui_attr(ui, ROLE_DIM));
	snprintf(buf, sizeof buf, "o O sort  f t e r filter  / n N search");
	if (x + 2 + ui_width(ui, buf) <= cols)
		ui_put(ui, w, rows - 1, cols - ui_width(ui, buf), buf, cols,
		    ui_attr(ui, ROLE_DIM));
	if (st->details && (u = units_row(ui, st, st->sel)) != NULL)
		units_details(ui, w, u);
}

static int
units_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0)
		return (1);
	for (i = 0; hay[i] != '\0'; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return (1);
	return (0);
}

/* The next row from sel in dir (1, -1; 0: sel itself first) whose
   callsign or id holds text, or -1. */
static int
units_search_row(const struct ui *ui, const struct units_state *st,
    const char *text, int sel, int dir)
{
	const struct pic_unit	*u;
	int			 n = (int)st->nrows, k, i;

	for (k = dir == 0 ? 0 : 1; k <= n; k++) {
		i = ((sel + (dir < 0 ? -k : k)) % n + n) % n;
		u = units_row(ui, st, i);
		if (u != NULL && (units_contains(u->r.callsign, text) ||
		    units_contains(u->r.id, text)))
			return (i);
	}
	return (-1);
}

static int
units_select_row(const struct ui *ui, struct units_state *st, int i,
    struct view_req *req)
{
	const struct pic_unit	*u = units_row(ui, st, i);

	if (u == NULL)
		return (0);
	st->sel = i;
	snprintf(req->unit, sizeof req->unit, "%s", u->r.id);
	return (ACT_SELECT | ACT_VIEW);
}

/* The search prompt: the first match as the text is typed; Enter keeps
   it (n and N go on from there); Esc goes back to where it was. */
static int
units_prompt(const struct ui *ui, const char *text, int ev,
    struct view_req *req)
{
	struct units_state	*st = ui->vstate[VIEW_UNITS];
	int			 i;

	if (ui->pic == NULL || ui->pic->units == NULL)
		return (0);
	if (ev == PROMPT_CANCEL) {
		for (i = 0; i < (int)st->nrows; i++)
			if (strcmp(units_row(ui, st, i)->r.id, st->saved) == 0)
				return (units_select_row(ui, st, i, req));
		return (0);
	}
	i = units_search_row(ui, st, text, 0, 0);
	if (ev == PROMPT_ENTER)
		snprintf(st->search, sizeof st->search, "%s", text);
	if (i >= 0)
		return (units_select_row(ui, st, i, req));
	if (ev == PROMPT_ENTER)
		return (view_msg(req, "no unit matches \"%s\"%s", text,
		    st->nrows < ui->pic->units->n ?
		    " among the filtered units (r clears filters)" : ""));
	return (0);
}

static int
units_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct units_state	*st = ui->vstate[VIEW_UNITS];
	const struct pic_unit	*u;
	int			 sel = st->sel, nsec, i, act;

	if (ui->pic == NULL || ui->pic->units == NULL)
		return (0);
	nsec = ui->map != NULL ? (int)(ui->map->nsectors[0] +
	    ui->map->nsectors[1]) : 0;
	switch (ui_scroll(id, &sel, (int)st->nrows, st->page, 1)) {
	case 0:
		return (0);
	case 1:
		return (units_select_row(ui, st, sel, req));
	default:
		break;
	}
	switch (id) {
	case UK_SORT:
		st->sort = (st->sort + 1) % USORT_COUNT;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_SORT_REV:
		st->rev = !st->rev;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_F_SIDE:
		st->f_side = st->f_side + 1 >= NSIDES ? -1 : st->f_side + 1;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_F_STATE:
		st->f_state = st->f_state + 1 >= STATE_COUNT ? -1 :
		    st->f_state + 1;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_F_SECTOR:
		st->f_sector = st->f_sector + 1 >= nsec ? -1 :
		    st->f_sector + 1;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_F_CLEAR:
		st->f_side = st->f_state = st->f_sector = -1;
		return (units_rebuild(ui, req) | ACT_VIEW);
	case UK_SEARCH:
		snprintf(st->saved, sizeof st->saved, "%s", ui->sel_id);
		req->prompt = PROMPT_SEARCH;
		return (ACT_PROMPT);
	case UK_MATCH_NEXT:
	case UK_MATCH_PREV:
		if (st->search[0] == '\0')
			return (view_msg(req, "no search yet: / then text"));
		i = units_search_row(ui, st, st->search, st->sel,
		    id == UK_MATCH_NEXT ? 1 : -1);
		if (i < 0)
			return (view_msg(req, "no unit matches \"%s\"",
			    st->search));
		act = units_select_row(ui, st, i, req);
		if ((id == UK_MATCH_NEXT && i <= sel) ||
		    (id == UK_MATCH_PREV && i >= sel))
			act |= view_msg(req, "search wrapped: \"%s\"",
			    st->search);
		return (act);
	case UK_DETAILS:
		st->details = !st->details && st->nrows > 0;
		return (ACT_VIEW);
	case UK_CLOSE:
	case UK_QUIT:
		if (!st->details)
			return (0);
		st->details = 0;
		return (ACT_VIEW);
	case UK_CENTRE:
	case UK_FOLLOW:
		u = units_row(ui, st, st->sel);
		if (u == NULL)
			return (0);
		req->view = VIEW_MAP;
		snprintf(req->unit, sizeof req->unit, "%s", u->r.id);
		return (view_goto(req, id == UK_FOLLOW ? GO_FOLLOW : GO_UNIT));
	default:
		return (0);
	}
}

const struct view_ops view_units_ops = {
	"Units", units_init_view, units_done_view, units_changed,
	units_draw, units_key, units_prompt, NULL
};
