/*
 * view_help.c: every key, straight from the UI_KEYS table, and the map's
 * and strips' glyph legend.  Keys are grouped by the views they act in;
 * two columns when the window is wide enough, scrolling otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "xmalloc.h"

#define HELP_LINE_MAX	160

struct help_state {
	int	top;		/* first line shown */
	int	page;		/* lines per page when last drawn */
	int	nlines;
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
	free(ui->vstate[VIEW_HELP]);
	ui->vstate[VIEW_HELP] = NULL;
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

/* One line of help: a heading (attr bold) or a key; NULL past the end. */
static int
help_line(const struct ui *ui, int n, char *buf, size_t len, attr_t *attr)
{
	int	i, line = 0, scope = -1;
	char	name[64];

	for (i = 0; i < UK_COUNT; i++) {
		if (ui_keys[i].scope != scope) {
			scope = ui_keys[i].scope;
			if (line > 0 && line++ == n) {
				buf[0] = '\0';
				*attr = A_NORMAL;
				return (1);
			}
			if (line++ == n) {
				help_scope_name(scope, name, sizeof name);
				snprintf(buf, len, "%s", name);
				*attr = ui_attr(ui, ROLE_HEAD);
				return (1);
			}
		}
		if (line++ == n) {
			snprintf(buf, len, "  %-11s %s", ui_keys[i].label,
			    ui_keys[i].help);
			*attr = A_NORMAL;
			return (1);
		}
	}
	n -= line;
	*attr = A_NORMAL;
	switch (n) {
	case 0:
		buf[0] = '\0';
		return (1);
	case 1:
		snprintf(buf, len, "Map legend");
		*attr = ui_attr(ui, ROLE_HEAD);
		return (1);
	case 2:
		snprintf(buf, len, "  %s %s unit   %s %s unit   %s lost   "
		    "%s across the line (reversed)   %s place",
		    ui_glyph(ui, G_UNIT_LEFT), ui_side_code(ui, SIDE_LEFT),
		    ui_glyph(ui, G_UNIT_RIGHT), ui_side_code(ui, SIDE_RIGHT),
		    ui_glyph(ui, G_UNIT_LOST), ui_glyph(ui, G_ACROSS),
		    ui_glyph(ui, G_PLACE));
		return (1);
	case 3:
		snprintf(buf, len, "  stale units dim; the line reversed%s "
		    "is an open gap; %s sector codes above the line, %s below",
		    ui->utf8 ? "" : " (#)", ui_side_code(ui, SIDE_LEFT),
		    ui_side_code(ui, SIDE_RIGHT));
		return (1);
	case 4:
		snprintf(buf, len, "Strip legend");
		*attr = ui_attr(ui, ROLE_HEAD);
		return (1);
	case 5:
		if (ui->utf8)
			snprintf(buf, len, "  %s both   %s %s only   %s %s only"
			    "   %s gap (reversed)   %s uncovered, under the "
			    "gap minimum", ui_glyph(ui, G_J_BOTH),
			    ui_glyph(ui, G_J_LEFT), ui_side_code(ui, SIDE_LEFT),
			    ui_glyph(ui, G_J_RIGHT),
			    ui_side_code(ui, SIDE_RIGHT),
			    ui_glyph(ui, G_J_GAP), ui_glyph(ui, G_J_HOLE));
		else
			snprintf(buf, len, "  = both   %c %s only   %c %s only"
			    "   ! gap (reversed)   . uncovered, under the gap "
			    "minimum", ui_side_code(ui, SIDE_LEFT)[0] | 0x20,
			    ui_side_code(ui, SIDE_LEFT),
			    ui_side_code(ui, SIDE_RIGHT)[0] | 0x20,
			    ui_side_code(ui, SIDE_RIGHT));
		return (1);
	default:
		return (0);
	}
}

static int
help_count(const struct ui *ui)
{
	char	buf[HELP_LINE_MAX];
	attr_t	a;
	int	n = 0;

	while (help_line(ui, n, buf, sizeof buf, &a))
		n++;
	return (n);
}

static void
help_draw(struct ui *ui, WINDOW *w)
{
	struct help_state	*st = ui->vstate[VIEW_HELP];
	char			 buf[HELP_LINE_MAX];
	attr_t			 a;
	int			 rows, cols, ncol, colw, y, c, n;

	getmaxyx(w, rows, cols);
	st->nlines = help_count(ui);
	ncol = cols >= 120 && st->nlines > rows - 1 ? 2 : 1;
	colw = cols / ncol;
	st->page = (rows - 1) * ncol;
	if (st->top > st->nlines - st->page)
		st->top = st->nlines - st->page;
	if (st->top < 0)
		st->top = 0;
	ui_putf(ui, w, 0, 0, cols, ui_attr(ui, ROLE_HEAD),
	    "bordercop keys%s", st->nlines > st->page ?
	    "  (Up/Down/PgUp/PgDn scroll)" : "");
	n = st->top;
	for (c = 0; c < ncol; c++)
		for (y = 1; y < rows && n < st->nlines; y++, n++) {
			help_line(ui, n, buf, sizeof buf, &a);
			ui_put(ui, w, y, c * colw, buf, colw - 1, a);
		}
}

static int
help_key(struct ui *ui, enum ui_key_id id)
{
	struct help_state	*st = ui->vstate[VIEW_HELP];
	int			 top = st->top;

	switch (id) {
	case UK_UP:
		top--;
		break;
	case UK_DOWN:
		top++;
		break;
	case UK_PGUP:
		top -= st->page;
		break;
	case UK_PGDN:
		top += st->page;
		break;
	case UK_HOME:
		top = 0;
		break;
	case UK_END:
		top = st->nlines;
		break;
	default:
		return (0);
	}
	if (top > st->nlines - st->page)
		top = st->nlines - st->page;
	if (top < 0)
		top = 0;
	if (top == st->top)
		return (0);
	st->top = top;
	return (ACT_VIEW);
}

const struct view_ops view_help_ops = {
	"Help", help_init, help_done, NULL, help_draw, help_key
};
