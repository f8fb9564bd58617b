/*
 * view_help.c: every key, straight from the UI_KEYS table, and the map's
 * and strips' glyph legend.  Keys are grouped by the views they act in.
 * Every line is wrapped to the width it is drawn in, so nothing is cut:
 * two columns when the window is wide enough to hold it all so, else one
 * column that scrolls.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "view.h"
#include "xmalloc.h"

#define HELP_LINE_MAX	256
#define HELP_LABEL_W	11	/* the key column: "PgDn Space" */
#define HELP_COL_MIN	56	/* two columns only if each gets this */

struct help_line {
	char	text[HELP_LINE_MAX];
	attr_t	attr;
};

struct help_state {
	int			 top;	/* first line shown */
	int			 page;	/* lines a page, when last drawn */
	int			 nlines;
	struct help_line	*v;	/* laid out for the last width */
	size_t			 cap;
};

static const char *const help_view_names[VIEW_COUNT] = {
#define X(id, title, fn) title,
	UI_VIEWS(X)
#undef X
};

static void
help_init(struct ui *ui)
{
	ui->vstate[VIEW_HELP] = xcalloc(1, sizeof(struct help_state));
}

static void
help_done(struct ui *ui)
{
	struct help_state	*st = ui->vstate[VIEW_HELP];

	free(st->v);
	free(st);
	ui->vstate[VIEW_HELP] = NULL;
}

/* Whether a key can be typed on this terminal: a function key only if
   its terminfo entry has it (S-Tab is not on a vt100). */
static int
help_key_works(int code)
{
	if (code == 0)
		return (0);
	if (code < KEY_MIN)
		return (1);
	return (has_key(code) == TRUE);
}

static void
help_scope_name(int scope, char *buf, size_t len)
{
	size_t	o = 0;
	int	v;

	if (scope == KS_ALL) {
		snprintf(buf, len, "Everywhere");
		return;
	}
	buf[0] = '\0';
	for (v = 0; v < VIEW_COUNT; v++) {
		if ((scope & (1 << v)) == 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s",
		    o > 0 ? ", " : "", help_view_names[v]);
		if (o >= len)
			break;
	}
}

static void
help_add(struct help_state *st, const char *text, attr_t attr)
{
	if ((size_t)st->nlines == st->cap) {
		st->cap = st->cap == 0 ? 64 : st->cap * 2;
		st->v = xreallocarray(st->v, st->cap, sizeof *st->v);
	}
	snprintf(st->v[st->nlines].text, HELP_LINE_MAX, "%s", text);
	st->v[st->nlines].attr = attr;
	st->nlines++;
}

/*
 * Lay out pieces (words of a sentence, or legend entries) after a lead
 * (indent and key label), joined by sep, in lines of at most width
 * columns; continuation lines are indented by hang columns.
 */
static void
help_flow(const struct ui *ui, struct help_state *st, const char *lead,
    int hang, const char *const *piece, size_t n, const char *sep,
    int width)
{
	char	line[HELP_LINE_MAX];
	size_t	i, o;
	int	cols, pw, sw = ui_width(ui, sep), fresh;

	o = (size_t)snprintf(line, sizeof line, "%s", lead);
	cols = ui_width(ui, line);
	fresh = 1;
	for (i = 0; i < n; i++) {
		pw = ui_width(ui, piece[i]);
		if (!fresh && cols + sw + pw > width) {
			help_add(st, line, A_NORMAL);
			o = (size_t)snprintf(line, sizeof line, "%*s", hang,
			    "");
			cols = hang;
			fresh = 1;
		}
		if (!fresh) {
			o += (size_t)snprintf(line + o, sizeof line - o, "%s",
			    sep);
			cols += sw;
		}
		if (o < sizeof line)
			o += (size_t)snprintf(line + o, sizeof line - o, "%s",
			    piece[i]);
		if (o >= sizeof line)
			o = sizeof line - 1;
		cols += pw;
		fresh = 0;
	}
	help_add(st, line, A_NORMAL);
}

struct help_wrap_arg {
	struct help_state	*st;
	const char		*lead;
	int			 hang;
	int			 first;
};

static void
help_wrap_line(const char *line, void *arg)
{
	struct help_wrap_arg	*a = arg;
	char			 buf[HELP_LINE_MAX];

	snprintf(buf, sizeof buf, "%*s%s", a->first ? 0 : a->hang,
	    a->first ? a->lead : "", line);
	a->first = 0;
	help_add(a->st, buf, A_NORMAL);
}

/* A sentence after a lead (as wide as hang), wrapped at its spaces by
   the text module. */
static void
help_wrap(const struct ui *ui, struct help_state *st, const char *lead,
    int hang, const char *text, int width)
{
	struct help_wrap_arg	a = { st, lead, hang, 1 };

	text_wrap(text, ui->utf8, width - hang, 0, help_wrap_line, &a);
}

/* Every key by scope, then the map's and strips' legends, for width. */
static void
help_build(const struct ui *ui, struct help_state *st, int width)
{
	char		 lead[64], name[160], e[11][64];
	const char	*piece[11];
	const char	*us = ui_side_code(ui, SIDE_LEFT);
	const char	*mx = ui_side_code(ui, SIDE_RIGHT);
	int		 i, scope = -1, hang = 2 + HELP_LABEL_W + 1;

	st->nlines = 0;
	for (i = 0; i < UK_COUNT; i++) {
		/* Keys listed are keys that work here. */
		if (!help_key_works(ui_keys[i].code[0]) &&
		    !help_key_works(ui_keys[i].code[1]))
			continue;
		if (ui_keys[i].scope != scope) {
			/* A heading alone sets groups apart: the keys fit
			   two columns at 120x40. */
			scope = ui_keys[i].scope;
			help_scope_name(scope, name, sizeof name);
			help_add(st, name, ui_attr(ui, ROLE_HEAD));
		}
		snprintf(lead, sizeof lead, "  %-*s ", HELP_LABEL_W,
		    ui_keys[i].label);
		help_wrap(ui, st, lead, hang, ui_keys[i].help, width);
	}

	help_add(st, "", A_NORMAL);
	help_add(st, "Map legend", ui_attr(ui, ROLE_HEAD));
	snprintf(e[0], sizeof e[0], "%s %s unit", ui_glyph(ui, G_UNIT_LEFT),
	    us);
	snprintf(e[1], sizeof e[1], "%s %s unit", ui_glyph(ui, G_UNIT_RIGHT),
	    mx);
	snprintf(e[2], sizeof e[2], "%s%s stale", ui_glyph(ui, G_STALE_LEFT),
	    ui_glyph(ui, G_STALE_RIGHT));
	snprintf(e[3], sizeof e[3], "%s lost", ui_glyph(ui, G_UNIT_LOST));
	snprintf(e[4], sizeof e[4], "%s across the line (reversed)",
	    ui_glyph(ui, G_ACROSS));
	snprintf(e[5], sizeof e[5], "%s place", ui_glyph(ui, G_PLACE));
	snprintf(e[6], sizeof e[6], "%s covered",
	    ui->utf8 ? "\xe2\xa0\xa4" : "-");
	snprintf(e[7], sizeof e[7], "%s partly gap (underlined)",
	    ui->utf8 ? "\xe2\xa0\xa4" : "+");
	snprintf(e[8], sizeof e[8], "%s open gap (reversed)",
	    ui->utf8 ? "\xe2\xa0\xbf" : "#");
	snprintf(e[9], sizeof e[9], "%s unknown (dim)",
	    ui->utf8 ? "\xe2\xa0\xa4" : ".");
	snprintf(e[10], sizeof e[10], "%s gap of %.0f km or more",
	    ui->utf8 ? "\xe2\xa0\xbf" : "@", ui->opts.alert_gap_km);
	for (i = 0; i < 11; i++)
		piece[i] = e[i];
	help_flow(ui, st, "  ", 2, piece, 11, "   ", width);
	snprintf(name, sizeof name, "%s sector codes above the line, %s "
	    "below.  Gaps of %.0f km or more and the longest: #id length; "
	    "those without room are counted below the map.", us, mx,
	    ui->opts.alert_gap_km);
	help_wrap(ui, st, "  ", 2, name, width);

	help_add(st, "", A_NORMAL);
	help_add(st, "Strip legend", ui_attr(ui, ROLE_HEAD));
	snprintf(e[0], sizeof e[0], "%s joint", ui_glyph(ui, G_J_BOTH));
	if (ui->utf8) {
		snprintf(e[1], sizeof e[1], "%s %s only",
		    ui_glyph(ui, G_J_LEFT), us);
		snprintf(e[2], sizeof e[2], "%s %s only",
		    ui_glyph(ui, G_J_RIGHT), mx);
	} else {
		snprintf(e[1], sizeof e[1], "%c %s only", us[0] | 0x20, us);
		snprintf(e[2], sizeof e[2], "%c %s only", mx[0] | 0x20, mx);
	}
	snprintf(e[3], sizeof e[3], "%s partly a gap",
	    ui_glyph(ui, G_J_PART));
	snprintf(e[4], sizeof e[4], "%s gap (reversed)",
	    ui_glyph(ui, G_J_GAP));
	snprintf(e[5], sizeof e[5], "%s uncovered, under the gap minimum",
	    ui_glyph(ui, G_J_HOLE));
	for (i = 0; i < 6; i++)
		piece[i] = e[i];
	help_flow(ui, st, "  ", 2, piece, 6, "   ", width);
}

/*
 * One column that scrolls when the help does not fit; two side by side
 * when the window is wide enough for both and they hold it all, the
 * second starting at a group boundary where one allows.
 */
static void
help_draw(const struct ui *ui, WINDOW *w)
{
	struct help_state	*st = ui->vstate[VIEW_HELP];
	int			 rows, cols, colw, body, y, i, split;

	getmaxyx(w, rows, cols);
	body = rows - 1;
	help_build(ui, st, cols - 1);
	split = -1;
	if (st->nlines > body && cols >= 2 * HELP_COL_MIN) {
		colw = cols / 2;
		help_build(ui, st, colw - 2);
		if (st->nlines <= 2 * body) {
			split = body < st->nlines ? body : st->nlines;
			for (i = split; i > st->nlines - body && i > 0; i--)
				if (st->v[i - 1].text[0] == '\0' ||
				    (st->v[i].text[0] != ' ' &&
				    st->v[i].text[0] != '\0')) {
					split = i;
					break;
				}
		} else
			help_build(ui, st, cols - 1);
	}
	if (split >= 0) {
		st->top = 0;
		st->page = st->nlines;
		ui_put(ui, w, 0, 0, "bordercop keys", cols,
		    ui_attr(ui, ROLE_HEAD));
		for (i = 0; i < st->nlines; i++) {
			y = 1 + (i < split ? i : i - split);
			if (i == split && st->v[i].text[0] == '\0')
				continue;	/* no column starts blank */
			ui_put(ui, w, y, i < split ? 0 : cols / 2,
			    st->v[i].text, cols / 2 - 1, st->v[i].attr);
		}
		return;
	}
	st->page = body;
	if (st->top > st->nlines - st->page)
		st->top = st->nlines - st->page;
	if (st->top < 0)
		st->top = 0;
	if (st->nlines > body)
		ui_putf(ui, w, 0, 0, cols, ui_attr(ui, ROLE_HEAD),
		    "bordercop keys  (lines %d-%d of %d: Up/Down, PgUp/PgDn "
		    "scroll)", st->top + 1, st->top + body, st->nlines);
	else
		ui_put(ui, w, 0, 0, "bordercop keys", cols,
		    ui_attr(ui, ROLE_HEAD));
	for (y = 1, i = st->top; y < rows && i < st->nlines; y++, i++)
		ui_put(ui, w, y, 0, st->v[i].text, cols - 1, st->v[i].attr);
}

static int
help_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct help_state	*st = ui->vstate[VIEW_HELP];

	(void)req;
	return (ui_scroll(id, &st->top, (int)st->nlines, st->page, 0) > 0 ?
	    ACT_VIEW : 0);
}

const struct view_ops view_help_ops = {
	"Help", help_init, help_done, NULL, help_draw, help_key, NULL,
	NULL
};
