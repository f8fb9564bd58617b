/*
 * view_gaps.c: open gaps, same-side overlaps and the event log.
 *
 * Gaps come first, longest first (both sides' sectors, from-to km,
 * length, nearest place, open since as an age against the picture clock),
 * then overlaps with their units' callsigns, then the newest events.
 * Gap rows are selectable (Up/Down, PgUp/PgDn page them); Enter shows the
 * selected gap on the map; n N ] [ step through gaps there.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view.h"
#include "xmalloc.h"

struct gaps_state {
	int	 top;		/* events scrolled past */
	int	 page;
	int	 gtop;		/* first gap row shown */
	int	 gpage;		/* gaps shown when last drawn */
	int	 sel;		/* selected gap row */
	size_t	*order;		/* gap indices, longest first */
	size_t	 norder;
};

/* Longest first: when the list does not fit, what matters shows. */
static void
gaps_order(const struct ui *ui)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];

	free(st->order);
	st->order = ui_gap_order(ui, ORDER_LONGEST, &st->norder);
}

static void
gaps_init(struct ui *ui)
{
	ui->vstate[VIEW_GAPS] = xcalloc(1, sizeof(struct gaps_state));
}

static void
gaps_done(struct ui *ui)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];

	free(st->order);
	free(ui->vstate[VIEW_GAPS]);
	ui->vstate[VIEW_GAPS] = NULL;
}

/* A section title; first > 0 says where a paged list starts. */
static int
gaps_section(const struct ui *ui, WINDOW *w, int y, const char *title,
    size_t n, size_t first, size_t shown, const char *keys)
{
	char	buf[128];
	size_t	l;

	snprintf(buf, sizeof buf, "%s: %zu", title, n);
	l = strlen(buf);
	if (first > 0 || shown < n)
		snprintf(buf + l, sizeof buf - l, " (%zu-%zu shown%s)",
		    first + 1, first + shown, keys);
	ui_put(ui, w, y, 0, buf, getmaxx(w), ui_attr(ui, ROLE_HEAD));
	return (y + 1);
}

static void
gaps_time(double t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt;

	if (!isfinite(t)) {
		snprintf(buf, len, "--:--:--");
		return;
	}
	tt = (time_t)floor(t);
	gmtime_r(&tt, &tm);
	snprintf(buf, len, "%02d:%02d:%02dZ", tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

static void
gaps_sectors(const struct ui *ui, const struct gap *g, char *buf,
    size_t len)
{
	char	side[NSIDES][20];
	int	s;

	/* Every sector crossed: "SDC-YUM" is SDC to YUM along the line. */
	for (s = 0; s < NSIDES; s++) {
		if (g->sec_last[s] > g->sec_first[s])
			snprintf(side[s], sizeof side[s], "%s-%s",
			    ui_sector_code(ui, s, g->sec_first[s]),
			    ui_sector_code(ui, s, g->sec_last[s]));
		else
			snprintf(side[s], sizeof side[s], "%s",
			    ui_sector_code(ui, s, g->sec_first[s] >= 0 ?
			    g->sec_first[s] : g->sector[s]));
	}
	snprintf(buf, len, "%s/%s", side[SIDE_LEFT], side[SIDE_RIGHT]);
}

/* Who can close gap g, as the picture found them: the nearest unit of
   each side at each end, "W US TCA-42 3.2 km +0.5 | E ...". */
static void
gaps_nearest(const struct ui *ui, const struct picture *p,
    const struct gap *g, char *buf, size_t len)
{
	const struct pic_unit	*u;
	size_t			 o = 0;
	int			 end, s, first;

	buf[0] = '\0';
	for (end = GAP_WEST; end <= GAP_EAST; end++) {
		first = 1;
		for (s = 0; s < NSIDES && o + 1 < len; s++) {
			if (g->nearest[end][s].unit == 0)
				continue;
			u = &p->units->v[g->nearest[end][s].unit - 1];
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s "
			    "%.1f km %+.1f", first ? (end == GAP_WEST ? "W " :
			    o > 0 ? "  E " : "E ") : ", ", ui_side_code(ui, s),
			    u->r.callsign, g->nearest[end][s].dist_km,
			    u->pl.d_km);
			first = 0;
		}
	}
	if (o == 0)
		snprintf(buf, len, "no unit of either side to close it");
}

static void
gaps_draw(const struct ui *ui, WINDOW *w)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];
	const struct picture	*p = ui->pic;
	const struct gap	*g;
	const struct overlap	*o;
	const struct event	*ev;
	const char		*text;
	char			 sect[64], age[16], ids[256], t[16], id[16];
	char			 near[256];
	size_t			 i, k, ng, no, len, n;
	int			 rows, cols, y, x, avail, ne, emin;
	int			 idw, sectw, xs, xn;	/* columns */
	attr_t			 a;

	getmaxyx(w, rows, cols);
	if (p == NULL) {
		ui_put(ui, w, rows / 2, 2, "no picture yet", cols - 4,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	/* Rows: overlaps up to a quarter, events at least a third of the
	   rest (and 5), so that they grow with the terminal; gaps two rows
	   each (the gap, then who can close it); 7 rows of titles, column
	   heads and blank lines. */
	avail = rows - 7;
	no = p->noverlaps;
	if (no > (size_t)(avail / 4))
		no = (size_t)(avail / 4);
	ne = ui->log != NULL ? (int)ui->log->n : 0;
	emin = (avail - (no > 0 ? (int)no : 1)) / 3;
	if (emin < 5)
		emin = 5;
	if (emin > ne)
		emin = ne;
	ng = p->ngaps;
	if ((int)ng > (avail - (no > 0 ? (int)no : 1) - emin) / 2)
		ng = (size_t)((avail - (no > 0 ? (int)no : 1) - emin) / 2);
	if ((int)ng < 1)
		ng = p->ngaps > 0 ? 1 : 0;
	gaps_order(ui);
	st->gpage = (int)ng;
	if (st->sel >= (int)p->ngaps)
		st->sel = (int)p->ngaps - 1;
	if (st->sel < 0)
		st->sel = 0;
	st->gtop = ui_clamp_top(st->gtop, st->sel, (int)p->ngaps, (int)ng);

	/* The id and sector columns are as wide as what they show, in
	   display columns: ids pass 100 in a long shift. */
	idw = 2;
	sectw = 8;
	for (i = (size_t)st->gtop; i < (size_t)st->gtop + ng; i++) {
		g = &p->gaps[st->order[i]];
		gaps_sectors(ui, g, sect, sizeof sect);
		snprintf(id, sizeof id, "#%u", g->id);
		if ((int)strlen(id) > idw)
			idw = (int)strlen(id);
		if (ui_width(ui, sect) > sectw)
			sectw = ui_width(ui, sect);
	}
	if (sectw > 16)
		sectw = 16;
	xs = 2 + idw + 1;
	xn = xs + sectw + 1;

	y = gaps_section(ui, w, 0, "Open gaps, longest first", p->ngaps,
	    (size_t)st->gtop, ng, "; PgUp/PgDn");
	if (ng > 0) {
		ui_put(ui, w, y, xs, "sectors", sectw, ui_attr(ui, ROLE_DIM));
		ui_putf(ui, w, y++, xn, cols - xn, ui_attr(ui, ROLE_DIM),
		    "%7s %7s %6s %6s  near", "from km", "to km", "km", "open");
	}
	for (i = (size_t)st->gtop; i < (size_t)st->gtop + ng; i++, y++) {
		g = &p->gaps[st->order[i]];
		gaps_sectors(ui, g, sect, sizeof sect);
		/* Open at the start: at least since then. */
		snprintf(age, sizeof age, "%s", g->open_before ?
		    "\xe2\x89\xa5" : "");
		ui_age(isfinite(g->open_since) ? p->now - g->open_since : NAN,
		    age + strlen(age), sizeof age - strlen(age));
		a = g->b - g->a >= ui->opts.alert_gap_km ?
		    ui_attr(ui, ROLE_GAP) : ui_attr(ui, ROLE_WARN);
		if ((int)i == st->sel)
			mvwchgat(w, y, 0, cols, ui_attr(ui, ROLE_SELECT), 0,
			    NULL);
		ui_put(ui, w, y, 0, ui_glyph(ui, G_J_GAP), 1, a);
		a = (int)i == st->sel ? ui_attr(ui, ROLE_SELECT) : A_NORMAL;
		ui_putf(ui, w, y, 2, idw, a, "#%u", g->id);
		ui_put_cut(ui, w, y, xs, sect, sectw, a);
		ui_putf(ui, w, y, xn, cols - xn, a,
		    "%7.1f %7.1f %6.1f %6s  %s", g->a, g->b, g->b - g->a, age,
		    g->near);
		gaps_nearest(ui, p, g, near, sizeof near);
		y++;
		ui_put_cut(ui, w, y, xs, near, cols - xs,
		    ui_attr(ui, ROLE_DIM));
	}
	if (p->ngaps == 0)
		ui_put(ui, w, y++, 2, "none: the whole line is covered",
		    cols - 2, ui_attr(ui, ROLE_OK));
	y++;

	y = gaps_section(ui, w, y, "Same-side overlaps", p->noverlaps, 0,
	    no, "");
	for (i = 0; i < no; i++, y++) {
		o = &p->overlaps[i];
		ids[0] = '\0';
		for (k = 0, len = 0; k < o->nids && len + 2 < sizeof ids; k++)
			len += (size_t)snprintf(ids + len, sizeof ids - len,
			    "%s%s", k > 0 ? ", " : "",
			    ui_callsign(ui, o->ids[k]));
		x = ui_put(ui, w, y, 2, ui_side_code(ui, o->side), 4,
		    ui_side_attr(ui, o->side));
		ui_putf(ui, w, y, 2 + x + 1, cols - x - 3, A_NORMAL,
		    "km %.1f-%.1f (%.1f km): %s", o->a, o->b, o->b - o->a,
		    ids);
	}
	if (p->noverlaps == 0)
		ui_put(ui, w, y++, 2, "none", cols - 2, ui_attr(ui, ROLE_DIM));
	y++;

	st->page = rows - y - 1;
	if (st->top > ne - st->page)
		st->top = ne - st->page;
	if (st->top < 0)
		st->top = 0;
	ui_putf(ui, w, y++, 0, cols, ui_attr(ui, ROLE_HEAD),
	    "Events: %lu, newest first%s", ui->log != NULL ?
	    ui->log->total : 0UL, ne > st->page ? " (Up/Down scroll)" : "");
	for (i = (size_t)st->top; y < rows && (int)i < ne; i++, y++) {
		ev = events_get(ui->log, i);
		if (ev == NULL)
			break;
		gaps_time(ev->time, t, sizeof t);
		switch (ev->type) {
		case EVENT_GAP_OPEN:
		case EVENT_ACROSS:
		case EVENT_LINK_DOWN:
		case EVENT_UNIT_LOST:
			a = ui_attr(ui, ROLE_WARN);
			break;
		default:
			a = A_NORMAL;
			break;
		}
		x = ui_put(ui, w, y, 0, t, 10, ui_attr(ui, ROLE_DIM));
		ui_putf(ui, w, y, 10, 16, a, "%-15s",
		    event_type_texts[ev->type]);
		/* The text repeats the type (for logs): said once here. */
		text = ev->text;
		n = strlen(event_type_texts[ev->type]);
		if (strncmp(text, event_type_texts[ev->type], n) == 0 &&
		    (text[n] == ' ' || text[n] == ':')) {
			text += n + (text[n] == ':');
			while (*text == ' ')
				text++;
		}
		ui_put_cut(ui, w, y, 26, text, cols - 26, A_NORMAL);
	}
}

static int
gaps_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];
	int			 sel = st->sel, ng;

	ng = ui->pic != NULL ? (int)ui->pic->ngaps : 0;
	switch (id) {
	case UK_SHOW:
		gaps_order(ui);
		if (ui->pic == NULL || st->sel >= ng || st->norder != (size_t)ng)
			return (0);
		req->view = VIEW_MAP;
		req->gap = ui->pic->gaps[st->order[st->sel]].id;
		req->a = ui->pic->gaps[st->order[st->sel]].a;
		return (view_goto(req, GO_GAP));
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
	if (ui_scroll(id, &sel, ng, st->gpage > 0 ? st->gpage : 1, 1) <= 0)
		return (0);
	/* A page moves the rows shown with the selection, as a pager. */
	if (id == UK_PGUP || id == UK_PGDN)
		st->gtop += sel - st->sel;
	st->sel = sel;
	return (ACT_VIEW);
}

const struct view_ops view_gaps_ops = {
	"Gaps", gaps_init, gaps_done, NULL, gaps_draw, gaps_key, NULL,
	NULL
};
