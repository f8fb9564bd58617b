/*
 * ui.c: the terminal, its windows, dirty flags, key dispatch and alerts.
 *
 * The screen is three windows: the status line (row 0), the current view
 * (rows 1 to rows-2) and the footer (view tabs, prompt, message or alert).
 * Nothing is drawn outside ui_draw(): keys and data only set dirty flags,
 * and ui_draw() erases, draws and wnoutrefresh()es each dirty window, then
 * calls doupdate() once, so only changed cells travel to the terminal.
 * Keys are read from the footer window under nodelay, never getch().
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "util.h"
#include "view.h"
#include "xmalloc.h"

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

const struct ui_key ui_keys[UK_COUNT] = {
#define X(id, scope, c1, c2, label, help) { scope, { c1, c2 }, label, help },
	UI_KEYS(X)
#undef X
};

static const struct view_ops *const ui_views[VIEW_COUNT] = {
#define X(id, title, fn) &view_##fn##_ops,
	UI_VIEWS(X)
#undef X
};

static const struct {
	short	f256, b256, f8, b8;
	attr_t	color_attr, mono_attr;
} ui_roles[ROLE_COUNT] = {
#define X(id, f256, b256, f8, b8, ca, ma) { f256, b256, f8, b8, ca, ma },
	UI_ROLES(X)
#undef X
};

static const char *const ui_glyphs[G_COUNT][2] = {
#define X(id, u, a) { u, a },
	UI_GLYPHS(X)
#undef X
};

static void	ui_layout(struct ui *);

void
ui_options_defaults(struct ui_options *o)
{
	memset(o, 0, sizeof *o);
	o->alert_gap_km = 10;
}

/* Colours by role: 256 when the terminal has them, else 8, else none. */
static void
ui_colors(struct ui *ui)
{
	int	 i, fg, bg;

	ui->colors = 0;
	if (!ui->opts.no_color && has_colors() && start_color() == OK) {
		use_default_colors();
		ui->colors = COLORS >= 256 ? 256 : 8;
		if (COLOR_PAIRS < ROLE_COUNT + 1)
			ui->colors = 0;
	}
	for (i = 0; i < ROLE_COUNT; i++) {
		if (ui->colors == 0) {
			ui->attr[i] = ui_roles[i].mono_attr;
			continue;
		}
		fg = ui->colors == 256 ? ui_roles[i].f256 : ui_roles[i].f8;
		bg = ui->colors == 256 ? ui_roles[i].b256 : ui_roles[i].b8;
		ui->attr[i] = ui_roles[i].color_attr;
		if (fg != -1 || bg != -1) {
			init_pair(i + 1, fg, bg);
			ui->attr[i] |= COLOR_PAIR(i + 1);
		}
	}
}

struct ui *
ui_new_term(const struct ui_options *opts, const char *term, FILE *out,
    FILE *in, char *why, size_t whylen)
{
	struct ui	*ui;
	const char	*cs, *nc;
	int		 i;

	ui = xcalloc(1, sizeof *ui);
	if (opts != NULL)
		ui->opts = *opts;
	else
		ui_options_defaults(&ui->opts);
	nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0')
		ui->opts.no_color = 1;
	cs = nl_langinfo(CODESET);
	ui->text_utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	ui->utf8 = ui->text_utf8 && !ui->opts.ascii;

	ui->screen = newterm(term, out, in);
	if (ui->screen == NULL) {
		bc_why(why, whylen, "cannot use terminal %s",
		    term != NULL ? term : "(TERM)");
		free(ui);
		return (NULL);
	}
	set_term(ui->screen);
	ui->out = out;
	ui->fd = fileno(in);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	ui_colors(ui);

	ui->view = VIEW_MAP;
	ui->drawn_second = -1;
	ui->now = NAN;
	for (i = 0; i < VIEW_COUNT; i++)
		if (ui_views[i]->init != NULL)
			ui_views[i]->init(ui);
	ui_layout(ui);
	return (ui);
}

struct ui *
ui_new(const struct ui_options *opts, char *why, size_t whylen)
{
	/* Only the character type: numbers must keep their C format. */
	setlocale(LC_CTYPE, "");
	return (ui_new_term(opts, NULL, stdout, stdin, why, whylen));
}

void
ui_free(struct ui *ui)
{
	int	i;

	if (ui == NULL)
		return;
	for (i = 0; i < VIEW_COUNT; i++)
		if (ui_views[i]->done != NULL)
			ui_views[i]->done(ui);
	if (ui->wstatus != NULL)
		delwin(ui->wstatus);
	if (ui->wview != NULL)
		delwin(ui->wview);
	if (ui->wfoot != NULL)
		delwin(ui->wfoot);
	curs_set(1);
	endwin();
	fflush(ui->out);
	delscreen(ui->screen);
	free(ui);
}

/* (Re)create the windows for the terminal's size. */
static void
ui_layout(struct ui *ui)
{
	int	rows, cols;

	getmaxyx(stdscr, rows, cols);
	ui->rows = rows;
	ui->cols = cols;
	ui->too_small = cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
	if (ui->wstatus != NULL)
		delwin(ui->wstatus);
	if (ui->wview != NULL)
		delwin(ui->wview);
	if (ui->wfoot != NULL)
		delwin(ui->wfoot);
	if (rows < 3)
		rows = 3;
	if (cols < 1)
		cols = 1;
	ui->wstatus = newwin(1, cols, 0, 0);
	ui->wview = newwin(rows - 2, cols, 1, 0);
	ui->wfoot = newwin(1, cols, rows - 1, 0);
	wbkgdset(ui->wstatus, ' ' | ui->attr[ROLE_BAR]);
	keypad(ui->wfoot, TRUE);
	nodelay(ui->wfoot, TRUE);
	/* wgetch() must not refresh a window that ui_draw() will draw. */
	untouchwin(ui->wfoot);
	ui->dirty |= ACT_ALL;
	werase(stdscr);
}

void
ui_resize(struct ui *ui, int cols, int rows)
{
	resize_term(rows, cols);
	ui_layout(ui);
}

void
ui_set_data(struct ui *ui, const struct picture *pic,
    const struct border_map *map, const struct link_status *link,
    const struct event_log *log)
{
	ui->pic = pic;
	ui->map = map != NULL ? map : pic != NULL ? pic->map : NULL;
	ui->link = link;
	ui->log = log;
	ui_picture_changed(ui);
}

void
ui_set_alerts(struct ui *ui, const struct alert_queue *q)
{
	ui->alerts = q;
	ui->rung = q != NULL ? q->raised : 0;
	ui->dirty |= ACT_STATUS | ACT_FOOT;
}

int
ui_acks(struct ui *ui)
{
	int	n = ui->acks;

	ui->acks = 0;
	return (n);
}

/* The bell rings once for each alert raised since the last look; alerts
   themselves are the engine's (cop.c), never detected here. */
static void
ui_check_alerts(struct ui *ui)
{
	unsigned long	n;

	if (ui->alerts == NULL || ui->alerts->raised == ui->rung)
		return;
	for (n = ui->alerts->raised - ui->rung; n > 0; n--)
		if (ui->opts.bell)
			beep();
	ui->rung = ui->alerts->raised;
	ui->dirty |= ACT_STATUS | ACT_FOOT;
}

void
ui_picture_changed(struct ui *ui)
{
	int	i;

	if (ui->pic != NULL && ui->pic->map != NULL)
		ui->map = ui->pic->map;
	for (i = 0; i < VIEW_COUNT; i++)
		if (ui_views[i]->changed != NULL)
			ui_views[i]->changed(ui);
	ui_check_alerts(ui);
	ui->dirty |= ACT_ALL;
}

void
ui_link_changed(struct ui *ui)
{
	ui_check_alerts(ui);
	ui->dirty |= ACT_STATUS | ACT_FOOT;
}

int
ui_fd(const struct ui *ui)
{
	return (ui->fd);
}

int
ui_view(const struct ui *ui)
{
	return (ui->view);
}

int
ui_alerting(const struct ui *ui)
{
	return (ui->alerts != NULL && ui->alerts->n > 0);
}

enum ui_replay
ui_replay_take(struct ui *ui, char *arg, size_t len)
{
	enum ui_replay	r = ui->replay_req;

	ui->replay_req = UIR_NONE;
	if (arg != NULL && len > 0)
		snprintf(arg, len, "%s", r == UIR_GOTO ? ui->replay_arg : "");
	return (r);
}

void
ui_say(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;
	char	buf[UI_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ui_message(ui, "%s", buf);
}

/* Keys typed at the footer prompt (search, sector code). */
static int
ui_prompt_key(struct ui *ui, int ch)
{
	enum ui_prompt	kind = ui->prompt;

	if (ch == KEY_ESC_CODE) {
		ui->prompt = PROMPT_NONE;
		if (kind == PROMPT_SEARCH)
			view_units_search(ui, NULL, 2);
		return (ACT_FOOT | ACT_VIEW);
	}
	if (ch == '\n' || ch == KEY_ENTER) {
		ui->prompt = PROMPT_NONE;
		if (kind == PROMPT_SEARCH) {
			view_units_search(ui, ui->prompt_buf, 1);
			return (ACT_FOOT | ACT_VIEW);
		}
		if (kind == PROMPT_TIME) {
			ui->replay_req = UIR_GOTO;
			snprintf(ui->replay_arg, sizeof ui->replay_arg, "%s",
			    ui->prompt_buf);
			return (ACT_FOOT | ACT_REPLAY);
		}
		if (view_map_goto_sector(ui, ui->prompt_buf)) {
			ui->next_view = VIEW_MAP;
			return (ACT_SWITCH | ACT_FOOT);
		}
		ui_message(ui, "no sector \"%s\"", ui->prompt_buf);
		return (ACT_FOOT);
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (ui->prompt_len > 0)
			ui->prompt_buf[--ui->prompt_len] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f) {
		if (ui->prompt_len + 1 < sizeof ui->prompt_buf) {
			ui->prompt_buf[ui->prompt_len++] = (char)ch;
			ui->prompt_buf[ui->prompt_len] = '\0';
		}
	} else
		return (0);
	if (kind == PROMPT_SEARCH) {
		view_units_search(ui, ui->prompt_buf, 0);
		return (ACT_FOOT | ACT_VIEW);
	}
	return (ACT_FOOT);
}

static int
ui_lookup(const struct ui *ui, int ch)
{
	int	i;

	for (i = 0; i < UK_COUNT; i++) {
		if ((ui_keys[i].scope & (1 << ui->view)) == 0)
			continue;
		if (ui_keys[i].code[0] == ch ||
		    (ui_keys[i].code[1] != 0 && ui_keys[i].code[1] == ch))
			return (i);
	}
	return (-1);
}

/* What the keys that mean the same everywhere do. */
static int
ui_global_key(struct ui *ui, enum ui_key_id id)
{
	switch (id) {
	case UK_QUIT:
		return (ACT_QUIT);
	case UK_HELP:
		ui->next_view = VIEW_HELP;
		return (ACT_SWITCH);
	case UK_V_MAP:
	case UK_V_SECTORS:
	case UK_V_UNITS:
	case UK_V_GAPS:
		ui->next_view = (enum view_id)(id - UK_V_MAP);
		return (ACT_SWITCH);
	case UK_V_NEXT:
		ui->next_view = (enum view_id)((ui->view + 1) % VIEW_COUNT);
		return (ACT_SWITCH);
	case UK_V_PREV:
		ui->next_view = (enum view_id)((ui->view + VIEW_COUNT - 1) %
		    VIEW_COUNT);
		return (ACT_SWITCH);
	case UK_REDRAW:
		return (ACT_CLEAR);
	case UK_ACK:
		/* The engine owns the queue: ask it (ui_acks). */
		if (ui->alerts == NULL || (size_t)ui->acks >= ui->alerts->n)
			return (0);
		ui->acks++;
		return (ACT_FOOT | ACT_STATUS | ACT_ACK);
	case UK_SECTOR:
		ui->prompt = PROMPT_SECTOR;
		ui->prompt_len = 0;
		ui->prompt_buf[0] = '\0';
		return (ACT_FOOT);
	case UK_R_GOTO:
		ui->prompt = PROMPT_TIME;
		ui->prompt_len = 0;
		ui->prompt_buf[0] = '\0';
		return (ACT_FOOT);
	case UK_R_ENTER:
	case UK_R_PAUSE:
	case UK_R_FWD:
	case UK_R_BACK:
	case UK_R_FASTER:
	case UK_R_SLOWER:
	case UK_R_NEXT_ALERT:
	case UK_R_PREV_ALERT:
		/* The driver owns the sources: it is asked, by return. */
		ui->replay_req = (enum ui_replay)(UIR_ENTER + (id -
		    UK_R_ENTER));
		return (ACT_REPLAY);
	default:
		return (-1);
	}
}

int
ui_key(struct ui *ui, int ch)
{
	int	id, act = 0;

	if (ch == KEY_RESIZE) {
		ui_layout(ui);
		return (UI_DRAW);
	}
	if (ch == '\r')
		ch = '\n';
	if (ui->msg[0] != '\0') {
		ui->msg[0] = '\0';
		act |= ACT_FOOT;
	}
	if (ui->prompt != PROMPT_NONE)
		act |= ui_prompt_key(ui, ch);
	else if ((id = ui_lookup(ui, ch)) >= 0) {
		int	a = ui_global_key(ui, (enum ui_key_id)id);

		if (a < 0)
			a = ui_views[ui->view]->key(ui, (enum ui_key_id)id);
		act |= a;
	}
	if (act & ACT_SWITCH) {
		if (ui->next_view != ui->view) {
			ui->view = ui->next_view;
			act |= ACT_VIEW | ACT_FOOT;
		}
	}
	if (act & ACT_QUIT)
		return (UI_QUIT);
	if (act & ACT_ACK)
		ui->dirty |= ACT_FOOT | ACT_STATUS;
	ui->dirty |= act & (ACT_VIEW | ACT_STATUS | ACT_FOOT | ACT_ALL |
	    ACT_CLEAR);
	return ((ui->dirty ? UI_DRAW : 0) | (act & ACT_ACK ? UI_ACK : 0) |
	    (act & ACT_REPLAY ? UI_REPLAY : 0));
}

int
ui_input(struct ui *ui)
{
	int	ch, n, r = 0;

	for (n = 0; n < 256; n++) {
		ch = wgetch(ui->wfoot);
		if (ch == ERR)
			break;
		r |= ui_key(ui, ch);
		if (r & UI_QUIT)
			break;
	}
	return (r);
}

void
ui_set_offset(struct ui *ui, double offset)
{
	if (isfinite(offset))
		ui->offset = offset;
}

void
ui_tick(struct ui *ui, double now)
{
	ui->now = now;
	if (isfinite(now) && (long)floor(now) != ui->drawn_second)
		ui->dirty_clock = 1;
}

/*
 * Move a list position by a movement key: a window's top line (clamped
 * so that the last page stays full) or a selected row (select).  Returns
 * -1 when id is not a movement key, else whether the position changed.
 */
int
ui_scroll(enum ui_key_id id, int *pos, int n, int page, int select)
{
	int	p = *pos, last;

	switch (id) {
	case UK_UP:
		p--;
		break;
	case UK_DOWN:
		p++;
		break;
	case UK_PGUP:
		p -= page;
		break;
	case UK_PGDN:
		p += page;
		break;
	case UK_HOME:
		p = 0;
		break;
	case UK_END:
		p = n;
		break;
	default:
		return (-1);
	}
	last = select ? n - 1 : n - page;
	if (p > last)
		p = last;
	if (p < 0)
		p = 0;
	if (p == *pos)
		return (0);
	*pos = p;
	return (1);
}

int
ui_timeout_ms(const struct ui *ui, double now)
{
	double	ms;

	if (!isfinite(now))
		return (1000);
	ms = (floor(now) + 1 - now) * 1000;
	return ((int)ms + 1);
}

static void
ui_draw_too_small(struct ui *ui)
{
	char	buf[96];
	int	y;

	werase(stdscr);
	snprintf(buf, sizeof buf, "terminal too small (need %dx%d, have %dx%d)",
	    UI_MIN_COLS, UI_MIN_ROWS, ui->cols, ui->rows);
	y = ui->rows / 2 - 1;
	if (y < 0)
		y = 0;
	ui_put(ui, stdscr, y, 0, buf, ui->cols, ui->attr[ROLE_WARN]);
	if (y + 1 < ui->rows)
		ui_put(ui, stdscr, y + 1, 0, "enlarge the window, or q to quit",
		    ui->cols, A_NORMAL);
	wnoutrefresh(stdscr);
}

void
ui_draw(struct ui *ui)
{
	int	d = ui->dirty, drawn = 0;

	if (d == 0 && !ui->dirty_clock)
		return;
	if (d & ACT_CLEAR) {
		clearok(curscr, TRUE);
		d |= ACT_ALL;
	}
	if (ui->too_small) {
		if (d != 0) {
			ui_draw_too_small(ui);
			drawn = 1;
		}
	} else {
		if (d & (ACT_ALL | ACT_STATUS)) {
			werase(ui->wstatus);
			view_status_draw(ui, ui->wstatus);
			wnoutrefresh(ui->wstatus);
			drawn = 1;
		} else if (ui->dirty_clock) {
			view_status_draw_clock(ui, ui->wstatus);
			wnoutrefresh(ui->wstatus);
			drawn = 1;
		}
		if (d & (ACT_ALL | ACT_VIEW)) {
			werase(ui->wview);
			ui_views[ui->view]->draw(ui, ui->wview);
			wnoutrefresh(ui->wview);
			drawn = 1;
		}
		if (d & (ACT_ALL | ACT_FOOT)) {
			werase(ui->wfoot);
			view_foot_draw(ui, ui->wfoot);
			wnoutrefresh(ui->wfoot);
			drawn = 1;
		}
	}
	ui->dirty = 0;
	ui->dirty_clock = 0;
	if (drawn)
		doupdate();
}

attr_t
ui_attr(const struct ui *ui, enum ui_role r)
{
	return (ui->attr[r]);
}

attr_t
ui_side_attr(const struct ui *ui, int side)
{
	return (ui->attr[side == SIDE_RIGHT ? ROLE_RIGHT : ROLE_LEFT]);
}

const char *
ui_glyph(const struct ui *ui, enum ui_glyph g)
{
	return (ui_glyphs[g][ui->utf8 ? 0 : 1]);
}

/* Decode one UTF-8 character (input is clean); returns its length. */
static int
ui_utf8_next(const char *s, wchar_t *wc)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*wc = u[0];
		return (1);
	}
	if ((u[0] & 0xe0) == 0xc0 && u[1] != 0) {
		*wc = ((u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		return (2);
	}
	if ((u[0] & 0xf0) == 0xe0 && u[1] != 0 && u[2] != 0) {
		*wc = ((u[0] & 0x0f) << 12) | ((u[1] & 0x3f) << 6) |
		    (u[2] & 0x3f);
		return (3);
	}
	if ((u[0] & 0xf8) == 0xf0 && u[1] != 0 && u[2] != 0 && u[3] != 0) {
		*wc = ((u[0] & 0x07) << 18) | ((u[1] & 0x3f) << 12) |
		    ((u[2] & 0x3f) << 6) | (u[3] & 0x3f);
		return (4);
	}
	*wc = 0xfffd;
	return (1);
}

/* ASCII for U+00C0 to U+00FF: the letters of Spanish, French, German... */
static const char *const ui_latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C",	/* C0 */
	"E", "E", "E", "E", "I", "I", "I", "I",		/* C8 */
	"D", "N", "O", "O", "O", "O", "O", "x",		/* D0 */
	"O", "U", "U", "U", "U", "Y", "Th", "ss",	/* D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* E8 */
	"d", "n", "o", "o", "o", "o", "o", "/",		/* F0 */
	"o", "u", "u", "u", "u", "y", "th", "y"		/* F8 */
};

/* ASCII for the other characters that names and attributions carry. */
static const struct {
	wchar_t		 wc;
	const char	*ascii;
} ui_translit[] = {
	{ 0x00a0, " " }, { 0x00a1, "!" }, { 0x00a9, "(c)" },
	{ 0x00aa, "a" }, { 0x00ab, "<<" }, { 0x00ad, "-" },
	{ 0x00ae, "(R)" }, { 0x00b0, "deg" }, { 0x00b1, "+-" },
	{ 0x00b2, "2" }, { 0x00b3, "3" }, { 0x00b4, "'" },
	{ 0x00b5, "u" }, { 0x00b7, "." }, { 0x00b9, "1" },
	{ 0x00ba, "o" }, { 0x00bb, ">>" }, { 0x00bc, "1/4" },
	{ 0x00bd, "1/2" }, { 0x00be, "3/4" }, { 0x00bf, "?" },
	{ 0x0131, "i" }, { 0x0152, "OE" }, { 0x0153, "oe" },
	{ 0x0160, "S" }, { 0x0161, "s" }, { 0x0178, "Y" },
	{ 0x017d, "Z" }, { 0x017e, "z" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2015, "-" },
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201a, "'" },
	{ 0x201b, "'" }, { 0x201c, "\"" }, { 0x201d, "\"" },
	{ 0x201e, "\"" }, { 0x2022, "*" }, { 0x2026, "..." },
	{ 0x2032, "'" }, { 0x2033, "\"" }, { 0x2190, "<-" },
	{ 0x2192, "->" }, { 0x2212, "-" }, { 0x2248, "~" },
	{ 0x2264, "<=" }, { 0x2265, ">=" }
};

/* What a non-ASCII character shows as in ASCII mode ('?' if unknown). */
static const char *
ui_ascii(wchar_t wc)
{
	size_t	i;

	if (wc >= 0xc0 && wc <= 0xff)
		return (ui_latin1[wc - 0xc0]);
	for (i = 0; i < sizeof ui_translit / sizeof ui_translit[0]; i++)
		if (ui_translit[i].wc == wc)
			return (ui_translit[i].ascii);
	return ("?");
}

/*
 * Copy at most maxcols columns of s into buf as it will show: UTF-8 with
 * wcwidth() columns in a UTF-8 screen; ASCII only otherwise (--ascii or
 * a non-UTF-8 locale), common letters and signs transliterated, anything
 * else '?'.  Control and unprintable characters (never expected: the feed
 * is clean) become '?'.  A character that does not fit whole is left out.
 */
static int
ui_fit(const struct ui *ui, const char *s, int maxcols, char *buf,
    size_t len, size_t *outlen)
{
	const char	*t;
	size_t		 o = 0, tl;
	int		 cols = 0, n, w;
	wchar_t		 wc;

	while (*s != '\0' && cols < maxcols) {
		n = ui_utf8_next(s, &wc);
		t = NULL;
		w = 1;
		if (wc >= 0x80 && utf8_is_invisible((uint32_t)wc)) {
			/* Joiners and selectors: ncurses and the terminal
			   would not agree on the columns of what they join. */
			s += n;
			continue;
		}
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			t = "?";
		else if (wc >= 0x80 && !ui->utf8)
			t = ui_ascii(wc);
		else if (wc >= 0x1f1e6 && wc <= 0x1f1ff)
			t = "?";	/* regional indicators: flags */
		else if (wc >= 0x80 && (w = wcwidth(wc)) < 0)
			t = "?";
		else if (w == 0 && o == 0) {
			/* A combining mark with nothing to combine with. */
			s += n;
			continue;
		}
		if (t != NULL) {
			/* A stand-in: ASCII, one column a byte. */
			tl = strlen(t);
			w = (int)tl;
		} else {
			t = s;
			tl = (size_t)n;
		}
		if (cols + w > maxcols || o + tl >= len)
			break;
		memcpy(buf + o, t, tl);
		o += tl;
		cols += w;
		s += n;
	}
	buf[o] = '\0';
	*outlen = o;
	return (cols);
}

int
ui_text(const struct ui *ui, const char *s, int maxcols, char *buf,
    size_t len)
{
	size_t	n;

	if (len == 0)
		return (0);
	return (ui_fit(ui, s, maxcols, buf, len, &n));
}

int
ui_width(const struct ui *ui, const char *s)
{
	char	buf[1024];
	size_t	n;

	return (ui_fit(ui, s, 1000, buf, sizeof buf, &n));
}

int
ui_put(const struct ui *ui, WINDOW *w, int y, int x, const char *s,
    int maxcols, attr_t attr)
{
	char	buf[1024];
	size_t	n;
	int	cols, wy, wx;

	getmaxyx(w, wy, wx);
	if (s == NULL || y < 0 || y >= wy || x < 0 || x >= wx)
		return (0);
	if (maxcols > wx - x)
		maxcols = wx - x;
	if (maxcols <= 0)
		return (0);
	cols = ui_fit(ui, s, maxcols, buf, sizeof buf, &n);
	wattrset(w, attr);
	mvwaddnstr(w, y, x, buf, (int)n);
	wattrset(w, A_NORMAL);
	return (cols);
}

int
ui_put_cut(const struct ui *ui, WINDOW *w, int y, int x, const char *s,
    int maxcols, attr_t attr)
{
	int	cols;

	if (s == NULL || maxcols < 2 || ui_width(ui, s) <= maxcols)
		return (ui_put(ui, w, y, x, s, maxcols, attr));
	cols = ui_put(ui, w, y, x, s, maxcols - 1, attr);
	return (cols + ui_put(ui, w, y, x + cols, ui->utf8 ? "\xe2\x80\xa6" :
	    "~", 1, attr));
}

int
ui_putf(const struct ui *ui, WINDOW *w, int y, int x, int maxcols,
    attr_t attr, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return (ui_put(ui, w, y, x, buf, maxcols, attr));
}

void
ui_age(double s, char *buf, size_t len)
{
	long	t;

	if (!isfinite(s)) {
		snprintf(buf, len, "-");
		return;
	}
	t = s < 0 ? 0 : (long)s;
	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else if (t < 3600)
		snprintf(buf, len, "%ldm%02ld", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, len, "%ldh%02ld", t / 3600, (t / 60) % 60);
	else
		snprintf(buf, len, "%ldd", t / 86400);
}

const char *
ui_sector_code(const struct ui *ui, int side, int i)
{
	if (ui->map == NULL || side < 0 || side >= NSIDES || i < 0 ||
	    (size_t)i >= ui->map->nsectors[side])
		return ("-");
	return (ui->map->sectors[side][i].code);
}

const char *
ui_side_code(const struct ui *ui, int side)
{
	if (ui->map == NULL || side < 0 || side >= NSIDES)
		return ("?");
	return (ui->map->sides[side].code);
}

const struct pic_unit *
ui_unit(const struct ui *ui, const char *id)
{
	return (picture_unit(ui->pic, id));
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->dirty |= ACT_FOOT;
}

void
ui_map_show_km(struct ui *ui, double a, double b)
{
	view_map_centre_km(ui, a, b);
	ui->view = VIEW_MAP;
	ui->dirty |= ACT_VIEW | ACT_FOOT;
}
