/*
 * view_gaps.c: open gaps, same-side overlaps and the event log.
 *
 * Gaps come first (both sides' sectors, from-to km, length, nearest place,
 * open since as an age against the picture clock), then overlaps with
 * their units, then the newest events.  PgUp/PgDn page the gaps when
 * they do not all show (else the events); Up/Down scroll the events.
 * 'n' / 'N' show a gap on the map.
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
	int	 gtop;		/* gaps paged past (PgUp/PgDn) */
	int	 gpage;		/* gaps shown when last drawn */
	size_t	*order;		/* gap indices, longest first */
	size_t	 norder;
};

static const struct gap	*gaps_sort_v;

static int
gaps_cmp(const void *pa, const void *pb)
{
	const struct gap	*a = &gaps_sort_v[*(const size_t *)pa];
	const struct gap	*b = &gaps_sort_v[*(const size_t *)pb];
	double			 la = a->b - a->a, lb = b->b - b->a;

	if (la != lb)
		return (la > lb ? -1 : 1);
	return (a->a < b->a ? -1 : a->a > b->a);
}

/* Longest first: when the list does not fit, what matters shows. */
static void
gaps_order(struct ui *ui, const struct picture *p)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];
	size_t			 i;

	st->order = xreallocarray(st->order, p->ngaps + 1, sizeof(size_t));
	for (i = 0; i < p->ngaps; i++)
		st->order[i] = i;
	st->norder = p->ngaps;
	gaps_sort_v = p->gaps;
	qsort(st->order, p->ngaps, sizeof(size_t), gaps_cmp);
	gaps_sort_v = NULL;
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

static void
gaps_draw(struct ui *ui, WINDOW *w)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];
	const struct picture	*p = ui->pic;
	const struct gap	*g;
	const struct overlap	*o;
	const struct event	*ev;
	const char		*text;
	char			 sect[64], age[16], ids[256], t[16], id[16];
	size_t			 i, k, ng, no, len, n;
	int			 rows, cols, y, x, avail, ne;
	int			 idw, sectw, xs, xn;	/* columns */
	attr_t			 a;

	getmaxyx(w, rows, cols);
	if (p == NULL) {
		ui_put(ui, w, rows / 2, 2, "no picture yet", cols - 4,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	/* Rows: overlaps up to a quarter, events at least 5, gaps the
	   rest; 7 rows of titles, column heads and blank lines. */
	avail = rows - 7;
	no = p->noverlaps;
	if (no > (size_t)(avail / 4))
		no = (size_t)(avail / 4);
	ne = ui->log != NULL ? (int)ui->log->n : 0;
	ng = p->ngaps;
	if ((int)ng > avail - (no > 0 ? (int)no : 1) - (ne < 5 ? ne : 5))
		ng = (size_t)(avail - (no > 0 ? (int)no : 1) -
		    (ne < 5 ? ne : 5));
	if ((int)ng < 1)
		ng = p->ngaps > 0 ? 1 : 0;
	gaps_order(ui, p);
	st->gpage = (int)ng;
	if (st->gtop > (int)(p->ngaps - ng))
		st->gtop = (int)(p->ngaps - ng);
	if (st->gtop < 0)
		st->gtop = 0;

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
		ui_put(ui, w, y, 0, ui_glyph(ui, G_J_GAP), 1, a);
		ui_putf(ui, w, y, 2, idw, A_NORMAL, "#%u", g->id);
		ui_put_cut(ui, w, y, xs, sect, sectw, A_NORMAL);
		ui_putf(ui, w, y, xn, cols - xn, A_NORMAL,
		    "%7.1f %7.1f %6.1f %6s  %s", g->a, g->b, g->b - g->a, age,
		    g->near);
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
			    "%s%s", k > 0 ? ", " : "", o->ids[k]);
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

/* Page the gap list by dir pages of what was shown. */
static int
gaps_page(struct gaps_state *st, int ngaps, int dir)
{
	int	gtop = st->gtop + dir * st->gpage;

	if (gtop > ngaps - st->gpage)
		gtop = ngaps - st->gpage;
	if (gtop < 0)
		gtop = 0;
	if (gtop == st->gtop)
		return (0);
	st->gtop = gtop;
	return (ACT_VIEW);
}

static int
gaps_key(struct ui *ui, enum ui_key_id id)
{
	struct gaps_state	*st = ui->vstate[VIEW_GAPS];
	int			 top = st->top, ne;

	ne = ui->log != NULL ? (int)ui->log->n : 0;
	switch (id) {
	case UK_NEXT_GAP:
	case UK_PREV_GAP:
		if (ui->pic == NULL || ui->pic->ngaps == 0)
			return (view_map_next_gap(ui, 1));
		ui->next_view = VIEW_MAP;
		return (view_map_next_gap(ui, id == UK_NEXT_GAP ? 1 : -1) |
		    ACT_SWITCH);
	case UK_UP:
		top--;
		break;
	case UK_DOWN:
		top++;
		break;
	case UK_PGUP:
	case UK_PGDN:
		/* Pages go to the gaps when they do not all show: they
		   matter more than old events. */
		if (ui->pic != NULL && st->gpage > 0 &&
		    (size_t)st->gpage < ui->pic->ngaps)
			return (gaps_page(st, (int)ui->pic->ngaps,
			    id == UK_PGUP ? -1 : 1));
		top += id == UK_PGUP ? -st->page : st->page;
		break;
	case UK_HOME:
		top = 0;
		if (st->gtop != 0) {
			st->gtop = 0;
			st->top = 0;
			return (ACT_VIEW);
		}
		break;
	case UK_END:
		top = ne;
		break;
	default:
		return (0);
	}
	if (top > ne - st->page)
		top = ne - st->page;
	if (top < 0)
		top = 0;
	if (top == st->top)
		return (0);
	st->top = top;
	return (ACT_VIEW);
}

const struct view_ops view_gaps_ops = {
	"Gaps", gaps_init, gaps_done, NULL, gaps_draw, gaps_key
};
