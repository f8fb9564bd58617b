/*
 * ui.c: the terminal, its windows, dirty flags, key dispatch and alerts.
 *
 * The screen is three windows: the status line (row 0), the current view
 * (rows 1 to rows-2) and the footer (view tabs, prompt, message or alert).
 * Nothing is drawn outside ui_draw(): keys and data only set dirty flags,
 * and ui_draw() erases, draws and wnoutrefresh()es each dirty window, then
 * calls doupdate() once, so only changed cells travel to the terminal.
 * Keys are read from the footer window under nodelay, never getch().
 *
 * Dispatch: a key is looked up in UI_KEYS for the current view's scope;
 * the keys that mean the same everywhere are handled here, any other goes
 * to the view's key handler.  Views never write the ui: every handler
 * (key, prompt, changed, show) returns ACT_* bits and fills a struct
 * view_req, which ui_apply() carries out (goto, selection, message,
 * switch, prompt), so this file calls no view by name: a goto is shown
 * by the show handler of the view the request names.
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
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "text.h"
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
static void	ui_picture_free(struct picture *);

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
	/* vt100 and others cannot dim: stale units then need their own
	   glyph, which they get everywhere so that nothing depends on it. */
	ui->dim = (termattrs() & A_DIM) != 0;

	ui->view = VIEW_MAP;
	ui->back_view = VIEW_MAP;
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
	ui_picture_free(ui->frozen);
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

/*
 * A deep copy of a picture for a paused screen: units with their
 * footprints, gaps, runs, overlaps (their ids pointing into the copy's
 * units) and sector figures.  Side coverage is left out: no view draws it.
 */
/* n elements of size from src into a new array (one more, never NULL). */
static void *
ui_dup(const void *src, size_t n, size_t size)
{
	void	*v = xreallocarray(NULL, n + 1, size);

	if (n > 0 && src != NULL)
		memcpy(v, src, n * size);
	return (v);
}

static struct picture *
ui_picture_copy(const struct picture *p)
{
	struct picture	*c;
	size_t		 i, k, j;
	int		 side;

	c = xcalloc(1, sizeof *c);
	*c = *p;
	memset(c->cov, 0, sizeof c->cov);
	if (p->units != NULL) {
		c->units = xcalloc(1, sizeof *c->units);
		c->units->n = c->units->cap = p->units->n;
		c->units->v = xreallocarray(NULL, p->units->n + 1,
		    sizeof *c->units->v);
		for (i = 0; i < p->units->n; i++) {
			c->units->v[i] = p->units->v[i];
			c->units->v[i].fp = ui_dup(p->units->v[i].fp,
			    p->units->v[i].nfp, sizeof(struct interval));
		}
	}
	c->runs = ui_dup(p->runs, p->nruns, sizeof *c->runs);
	c->gaps = ui_dup(p->gaps, p->ngaps, sizeof *c->gaps);
	c->overlaps = xreallocarray(NULL, p->noverlaps + 1,
	    sizeof *c->overlaps);
	for (i = 0; i < p->noverlaps; i++) {
		c->overlaps[i] = p->overlaps[i];
		c->overlaps[i].ids = xreallocarray(NULL, p->overlaps[i].nids + 1,
		    sizeof(char *));
		for (k = 0; k < p->overlaps[i].nids; k++) {
			c->overlaps[i].ids[k] = NULL;
			for (j = 0; c->units != NULL && j < c->units->n; j++)
				if (strcmp(c->units->v[j].r.id,
				    p->overlaps[i].ids[k]) == 0) {
					c->overlaps[i].ids[k] =
					    c->units->v[j].r.id;
					break;
				}
			if (c->overlaps[i].ids[k] == NULL)
				c->overlaps[i].ids[k] = (char *)(uintptr_t)"?";
		}
	}
	for (side = 0; side < NSIDES; side++) {
		if (p->stats[side] == NULL || p->map == NULL)
			continue;
		c->stats[side] = ui_dup(p->stats[side],
		    p->map->nsectors[side], sizeof *c->stats[side]);
	}
	return (c);
}

static void
ui_picture_free(struct picture *c)
{
	size_t	i;
	int	side;

	if (c == NULL)
		return;
	if (c->units != NULL) {
		for (i = 0; i < c->units->n; i++)
			free(c->units->v[i].fp);
		free(c->units->v);
		free(c->units);
	}
	for (i = 0; i < c->noverlaps; i++)
		free(c->overlaps[i].ids);
	free(c->overlaps);
	free(c->runs);
	free(c->gaps);
	for (side = 0; side < NSIDES; side++)
		free(c->stats[side]);
	free(c);
}

/* Pause: the screen keeps a copy of the picture of now, the feed and
   the journal go on; resume shows the newest. */
static int
ui_pause(struct ui *ui)
{
	if (!ui->paused) {
		if (!ui_has_picture(ui))
			return (ACT_FOOT);
		ui->live = ui->pic;
		ui->frozen = ui_picture_copy(ui->pic);
		ui->pic = ui->frozen;
		ui->newer = 0;
		ui->paused = 1;
		return (ACT_ALL);
	}
	ui->paused = 0;
	ui->pic = ui->live;
	ui_picture_free(ui->frozen);
	ui->frozen = NULL;
	ui->live = NULL;
	ui_picture_changed(ui);
	return (ACT_ALL);
}

int
ui_paused(const struct ui *ui)
{
	return (ui->paused);
}

void
ui_set_data(struct ui *ui, const struct picture *pic,
    const struct border_map *map, const struct link_status *link,
    const struct event_log *log)
{
	if (ui->paused) {
		/* The screen stays as it was: only remember the newest. */
		ui->live = pic;
		ui->link = link;
		ui->log = log;
		ui->dirty |= ACT_STATUS;
		return;
	}
	ui->pic = pic;
	ui->map = map != NULL ? map : pic != NULL ? pic->map : NULL;
	ui->link = link;
	ui->log = log;
	ui_picture_changed(ui);
}

void
ui_set_trails(struct ui *ui, const struct trails *tr)
{
	ui->trails = tr;
	ui->dirty |= ACT_VIEW;
}

void
ui_set_recency(struct ui *ui, const struct recency *rec)
{
	ui->rec = rec;
	ui->dirty |= ACT_VIEW;
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

/* The bell rings once for each alert raised since the last look (with
   --bell; a request from the other side always: someone is waiting for
   an answer); alerts themselves are the engine's (cop.c), never
   detected here. */
static void
ui_check_alerts(struct ui *ui)
{
	const struct alert_queue	*q = ui->alerts;
	unsigned long			 n, i;

	if (q == NULL || q->raised == ui->rung)
		return;
	if (q->raised < ui->rung) {
		/* Another engine's queue (a replay left): nothing new. */
		ui->rung = q->raised;
		return;
	}
	n = q->raised - ui->rung;
	for (i = 0; i < n; i++)
		if (ui->opts.bell || (i < q->n &&
		    q->v[q->n - 1 - i].kind == ALERT_REQUEST))
			beep();
	ui->rung = ui->alerts->raised;
	ui->dirty |= ACT_STATUS | ACT_FOOT;
}

static int	ui_apply(struct ui *, int, struct view_req *, enum view_id);

void
ui_picture_changed(struct ui *ui)
{
	struct view_req	req;
	int		i, act;

	if (ui->paused) {
		/* The alerts are the engine's and live: they still ring. */
		ui->newer++;
		ui_check_alerts(ui);
		ui->dirty |= ACT_STATUS;
		return;
	}
	if (ui->pic != NULL && ui->pic->map != NULL)
		ui->map = ui->pic->map;
	for (i = 0; i < VIEW_COUNT; i++) {
		if (ui_views[i]->changed == NULL)
			continue;
		memset(&req, 0, sizeof req);
		req.view = VIEW_COUNT;
		/* A new picture never moves the reader to another view. */
		act = ui_views[i]->changed(ui, &req) & (ACT_SELECT | ACT_MSG);
		/* A selection the data moved is nobody's choice. */
		if (act & ACT_SELECT)
			ui->sel_user = 0;
		ui_apply(ui, act, &req, (enum view_id)i);
	}
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

void
ui_set_requests(struct ui *ui, const struct reqbook *b)
{
	ui->reqs = b;
	ui->dirty |= ACT_VIEW | ACT_STATUS;
}

size_t
ui_req_actions(struct ui *ui, struct ui_reqact *out, size_t max)
{
	return (view_requests_actions(ui, out, max));
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

/* A sector by its code, either side: a goto for the map. */
static int
ui_sector_goto(const struct ui *ui, const char *code, struct view_req *req)
{
	const struct border_map	*m = ui->map;
	size_t			 i;
	int			 side;

	for (side = 0; m != NULL && side < NSIDES; side++)
		for (i = 0; i < m->nsectors[side]; i++) {
			if (strcasecmp(m->sectors[side][i].code, code) != 0)
				continue;
			req->view = VIEW_MAP;
			req->side = side;
			req->idx = (int)i;
			return (view_goto(req, GO_SECTOR));
		}
	return (view_msg(req, "no sector \"%s\"", code));
}

/*
 * Keys typed at the footer prompt.  The sector prompt is the ui's own;
 * any other goes to the view that opened it, as typed text, Enter or Esc.
 */
static int
ui_prompt_key(struct ui *ui, int ch, struct view_req *req)
{
	const struct view_ops	*v = ui_views[ui->prompt_view];
	enum ui_prompt		 kind = ui->prompt;
	int			 ev;

	if (ch == KEY_ESC_CODE)
		ev = PROMPT_CANCEL;
	else if (ch == '\n' || ch == KEY_ENTER)
		ev = PROMPT_ENTER;
	else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		ev = PROMPT_TYPED;
		if (ui->prompt_len > 0)
			ui->prompt_buf[--ui->prompt_len] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f) {
		ev = PROMPT_TYPED;
		if (ui->prompt_len + 1 < sizeof ui->prompt_buf) {
			ui->prompt_buf[ui->prompt_len++] = (char)ch;
			ui->prompt_buf[ui->prompt_len] = '\0';
		}
	} else
		return (0);
	if (ev != PROMPT_TYPED)
		ui->prompt = PROMPT_NONE;
	if (kind == PROMPT_TIME) {
		/* The driver owns the replay: it is asked, by return. */
		if (ev != PROMPT_ENTER)
			return (ACT_FOOT);
		ui->replay_req = UIR_GOTO;
		snprintf(ui->replay_arg, sizeof ui->replay_arg, "%s",
		    ui->prompt_buf);
		return (ACT_FOOT | ACT_REPLAY);
	}
	if (kind == PROMPT_SECTOR)
		return (ACT_FOOT | (ev == PROMPT_ENTER ?
		    ui_sector_goto(ui, ui->prompt_buf, req) : 0));
	/* A cover request is the requests view's, from whichever view. */
	if (kind == PROMPT_COVER || kind == PROMPT_DECLINE ||
	    kind == PROMPT_COUNTER)
		v = ui_views[VIEW_REQUESTS];
	if (v->prompt == NULL)
		return (ACT_FOOT);
	return (ACT_FOOT | v->prompt(ui, ui->prompt_buf, ev, req));
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

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->dirty |= ACT_FOOT;
}

void
ui_set_replaying(struct ui *ui, int replaying)
{
	if (ui->replaying != replaying)
		ui->dirty |= ACT_FOOT;
	ui->replaying = replaying;
}

/* A key of the replay (UI_REPLAY_KEYS), or 0 when ch is not one. */
static int
ui_replay_key(struct ui *ui, int ch, struct view_req *req)
{
	static const struct {
		int		ch;
		enum ui_replay	req;
	} keys[] = {
#define X(c, r, word) { c, r },
		UI_REPLAY_KEYS(X)
#undef X
	};
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].ch != ch)
			continue;
		if (keys[i].req == UIR_GOTO) {
			req->prompt = PROMPT_TIME;
			return (ACT_PROMPT);
		}
		ui->replay_req = keys[i].req;
		return (ACT_REPLAY);
	}
	return (0);
}

/* The key table entry for ch in the current view, or -1. */
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

static int
ui_switch_to(struct view_req *req, enum view_id v)
{
	req->view = v;
	return (ACT_SWITCH);
}

/* What the keys that mean the same everywhere do; -1 for a view's key. */
static int
ui_global_key(struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	switch (id) {
	case UK_HELP:
		return (ui_switch_to(req, ui->view == VIEW_HELP ?
		    ui->back_view : VIEW_HELP));
	case UK_BACK:
		return (ui_switch_to(req, ui->back_view));
	case UK_V_MAP:
	case UK_V_SECTORS:
	case UK_V_UNITS:
	case UK_V_GAPS:
		return (ui_switch_to(req, (enum view_id)(id - UK_V_MAP)));
	case UK_V_REQUESTS:
		return (ui_switch_to(req, VIEW_REQUESTS));
	case UK_REQ_COVER:
		/* The gap n or N selected on the map, else the longest;
		   the prompt takes another (#id) or a stretch in km. */
		return (view_requests_cover(ui, view_map_gap_id(ui), req));
	case UK_V_NEXT:
		return (ui_switch_to(req, (enum view_id)((ui->view + 1) %
		    VIEW_COUNT)));
	case UK_V_PREV:
		return (ui_switch_to(req, (enum view_id)((ui->view +
		    VIEW_COUNT - 1) % VIEW_COUNT)));
	case UK_REDRAW:
		return (ACT_CLEAR);
	case UK_PAUSE:
		return (ui_pause(ui));
	case UK_ACK:
		/* The engine owns the queue: ask it (ui_acks). */
		if (ui->alerts == NULL || (size_t)ui->acks >= ui->alerts->n)
			return (0);
		ui->acks++;
		return (ACT_FOOT | ACT_STATUS | ACT_ACK);
	case UK_LONGEST:
		req->view = VIEW_MAP;
		return (view_goto(req, GO_LONGEST));
	case UK_SECTOR:
		req->prompt = PROMPT_SECTOR;
		return (ACT_PROMPT);
	case UK_R_ENTER:
		/* The driver owns the sources: it is asked, by return. */
		ui->replay_req = UIR_ENTER;
		return (ACT_REPLAY);
	default:
		return (-1);
	}
}

/* Carry out what a handler asked, in order: the goto (which the target
   view shows, and which may add a message), the selection, the message,
   the switch, the prompt. */
static int
ui_apply(struct ui *ui, int act, struct view_req *req, enum view_id from)
{
	const struct view_ops	*v;

	if ((act & ACT_GOTO) && req->view < VIEW_COUNT) {
		v = ui_views[req->view];
		if (v->show != NULL)
			act |= v->show(ui, req);
		act |= ACT_SWITCH | ACT_VIEW;
	}
	if (act & ACT_SELECT) {
		snprintf(ui->sel_id, sizeof ui->sel_id, "%s", req->unit);
		act |= ACT_VIEW;
	}
	if (act & ACT_MSG) {
		snprintf(ui->msg, sizeof ui->msg, "%s", req->msg);
		act |= ACT_FOOT;
	}
	if ((act & ACT_SWITCH) && req->view < VIEW_COUNT &&
	    req->view != ui->view) {
		if (req->view == VIEW_HELP)
			ui->back_view = ui->view;
		ui->view = req->view;
		act |= ACT_VIEW | ACT_FOOT;
	}
	if (act & ACT_PROMPT) {
		ui->prompt = req->prompt;
		ui->prompt_view = from;
		ui->prompt_len = 0;
		ui->prompt_buf[0] = '\0';
		act |= ACT_FOOT;
	}
	return (act);
}

int
ui_key(struct ui *ui, int ch)
{
	struct view_req		 req;
	const struct view_ops	*v = ui_views[ui->view];
	enum view_id		 from = ui->view;
	int			 id, act = 0, a;

	if (ch == KEY_RESIZE) {
		ui_layout(ui);
		return (UI_DRAW);
	}
	if (ch == '\r')
		ch = '\n';
	memset(&req, 0, sizeof req);
	req.view = VIEW_COUNT;
	if (ui->msg[0] != '\0') {
		ui->msg[0] = '\0';
		act |= ACT_FOOT;
	}
	if (ui->prompt != PROMPT_NONE) {
		from = ui->prompt_view;
		act |= ui_prompt_key(ui, ch, &req);
	} else if (ui->replaying && (a = ui_replay_key(ui, ch, &req)) != 0) {
		act |= a;
	} else if ((id = ui_lookup(ui, ch)) >= 0) {
		if (id == UK_QUIT) {
			/* A view may take q to close what it shows on top
			   (the details pane); else q quits. */
			a = v->key(ui, UK_QUIT, &req);
			act |= a != 0 ? a : ACT_QUIT;
		} else if ((a = ui_global_key(ui, (enum ui_key_id)id,
		    &req)) >= 0)
			act |= a;
		else
			act |= v->key(ui, (enum ui_key_id)id, &req);
	}
	if (act & ACT_SELECT)
		ui->sel_user = 1;
	act = ui_apply(ui, act, &req, from);
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

int
ui_text(const struct ui *ui, const char *s, int maxcols, char *buf,
    size_t len)
{
	return (text_fit(s, ui->utf8, maxcols, buf, len));
}

int
ui_width(const struct ui *ui, const char *s)
{
	return (text_cols(s, ui->utf8));
}

/* Put s at (y, x) within maxcols columns, fitted or cut with a marker. */
static int
ui_put_text(const struct ui *ui, WINDOW *w, int y, int x, const char *s,
    int maxcols, attr_t attr, int cut)
{
	char	buf[1024];
	int	cols, wy, wx;

	getmaxyx(w, wy, wx);
	if (s == NULL || y < 0 || y >= wy || x < 0 || x >= wx)
		return (0);
	if (maxcols > wx - x)
		maxcols = wx - x;
	if (maxcols <= 0)
		return (0);
	if (cut)
		cols = text_cut(s, ui->utf8, maxcols, buf, sizeof buf);
	else
		cols = text_fit(s, ui->utf8, maxcols, buf, sizeof buf);
	wattrset(w, attr);
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
	return (cols);
}

int
ui_put(const struct ui *ui, WINDOW *w, int y, int x, const char *s,
    int maxcols, attr_t attr)
{
	return (ui_put_text(ui, w, y, x, s, maxcols, attr, 0));
}

int
ui_put_cut(const struct ui *ui, WINDOW *w, int y, int x, const char *s,
    int maxcols, attr_t attr)
{
	return (ui_put_text(ui, w, y, x, s, maxcols, attr, 1));
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
	text_age(s, buf, len);
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

int
ui_has_picture(const struct ui *ui)
{
	return (ui->pic != NULL && ui->pic->units != NULL);
}

const char *
ui_callsign(const struct ui *ui, const char *id)
{
	const struct pic_unit	*u = ui_unit(ui, id);

	return (u != NULL && u->r.callsign[0] != '\0' ? u->r.callsign : id);
}

static int
ui_gap_cmp(const void *pa, const void *pb, void *arg)
{
	const struct gap	*v = arg;
	const struct gap	*a = &v[*(const size_t *)pa];
	const struct gap	*b = &v[*(const size_t *)pb];
	double			 la = a->b - a->a, lb = b->b - b->a;

	if (la != lb)
		return (la > lb ? -1 : 1);
	return (a->a < b->a ? -1 : a->a > b->a);
}

static int
ui_gap_cmp_west(const void *pa, const void *pb, void *arg)
{
	const struct gap	*v = arg;
	const struct gap	*a = &v[*(const size_t *)pa];
	const struct gap	*b = &v[*(const size_t *)pb];

	return (a->a < b->a ? -1 : a->a > b->a);
}

size_t *
ui_gap_order(const struct ui *ui, enum gap_order order, size_t *n)
{
	const struct picture	*p = ui->pic;
	size_t			*v, i, ng = p != NULL ? p->ngaps : 0;

	v = xreallocarray(NULL, ng + 1, sizeof *v);
	for (i = 0; i < ng; i++)
		v[i] = i;
	if (ng > 1)
		qsort_r(v, ng, sizeof *v, order == ORDER_WEST ?
		    ui_gap_cmp_west : ui_gap_cmp, p->gaps);
	*n = ng;
	return (v);
}

int
view_msg(struct view_req *req, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(req->msg, sizeof req->msg, fmt, ap);
	va_end(ap);
	return (ACT_MSG);
}

int
view_goto(struct view_req *req, enum view_go go)
{
	req->go = go;
	return (ACT_GOTO);
}

int
ui_clamp_top(int top, int sel, int n, int page)
{
	if (page < 1)
		page = 1;
	if (sel >= 0 && sel < top)
		top = sel;
	if (sel >= 0 && sel >= top + page)
		top = sel - page + 1;
	if (top > n - page)
		top = n - page;
	if (top < 0)
		top = 0;
	return (top);
}
