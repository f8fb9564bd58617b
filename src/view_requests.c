/*
 * view_requests.c: requests between the sides (6): the inbox (to our
 * side) above the outbox (from it), one request a line -- state, id,
 * kind, stretch, sector, the age of each step, text -- and the selected
 * one in full below.
 *
 * The view only reads the book (ui->reqs); what the officer asks for
 * (compose, accept, decline, counter, withdraw, and "seen" when an
 * incoming request is first shown) is queued in the view's state for
 * the caller, which owns the book (ui_req_actions).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"
#include "view.h"
#include "xmalloc.h"

/* Canned texts, English and Spanish: the first is the default. */
#define REQ_CANNED(X)							\
	X("Please cover this stretch / Favor de cubrir este tramo")	\
	X("Activity seen here, please cover / Actividad vista aqui, "	\
	    "favor de cubrir")						\
	X("Our unit had to leave, please cover / Nuestra unidad tuvo "	\
	    "que salir, favor de cubrir")

static const char *const req_canned[] = {
#define X(text) text,
	REQ_CANNED(X)
#undef X
};
#define REQ_NCANNED	(sizeof req_canned / sizeof req_canned[0])

#define REQ_DECLINE_TEXT	"No unit available / Sin unidad disponible"
#define REQ_COUNTER_TEXT	"We can cover this part / Podemos cubrir " \
				"esta parte"

/* A replay shows the requests as recorded; it answers nothing. */
#define REQUESTS_READ_ONLY \
	"replay: requests are shown as recorded; answer them live (R)"

struct requests_state {
	int	 top;
	int	 sel;		/* row of the selection, in order[] */
	int	 page;
	size_t	*order;		/* book indices: inbox, then outbox */
	size_t	 norder, nin;
	char	 seen[64][REQ_ID_MAX + 1];	/* marked seen here */
	size_t	 nseen;
	enum ui_prompt	 prompt;		/* the one opened here */
	unsigned	 cover_gap;		/* its gap, 0: the longest */
	char		 answer_id[REQ_ID_MAX + 1];	/* declined... */
	int		 dtop;		/* first line of the detail shown */
	int		 dmax;		/* ... at most (0: it fits) */
	int		 dsel;		/* the selection dtop is for */
	struct ui_reqact act[UI_REQACT_MAX];	/* for the caller */
	size_t		 nact;
};

static void
requests_init(struct ui *ui)
{
	ui->vstate[VIEW_REQUESTS] = xcalloc(1, sizeof(struct requests_state));
}

static void
requests_done(struct ui *ui)
{
	struct requests_state	*st = ui->vstate[VIEW_REQUESTS];

	if (st != NULL)
		free(st->order);
	free(st);
	ui->vstate[VIEW_REQUESTS] = NULL;
}

static struct requests_state *
requests_state(const struct ui *ui)
{
	return (ui->vstate[VIEW_REQUESTS]);
}

static struct ui_reqact *
requests_act(const struct ui *ui)
{
	struct requests_state	*st = requests_state(ui);
	struct ui_reqact	*a;

	if (st->nact == UI_REQACT_MAX)
		return (NULL);
	a = &st->act[st->nact++];
	memset(a, 0, sizeof *a);
	req_answer_init(&a->answer);
	return (a);
}

/* Inbox (to us, newest first), then outbox (from us, newest first). */
static void
requests_order(const struct ui *ui)
{
	struct requests_state	*st = requests_state(ui);
	const struct reqbook	*b = ui->reqs;
	size_t			 i, pass;

	st->order = xreallocarray(st->order, b->n + 1, sizeof *st->order);
	st->norder = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = b->n; i > 0; i--) {
			if ((b->v[i - 1].r.addressee == b->side) !=
			    (pass == 0))
				continue;
			st->order[st->norder++] = i - 1;
		}
		if (pass == 0)
			st->nin = st->norder;
	}
	if (st->sel >= (int)st->norder)
		st->sel = (int)st->norder - 1;
	if (st->sel < 0)
		st->sel = 0;
}

static const struct reqbook_entry *
requests_selected(const struct ui *ui)
{
	const struct requests_state	*st = requests_state(ui);

	if (ui->reqs == NULL || st->norder == 0 ||
	    st->sel >= (int)st->norder)
		return (NULL);
	return (&ui->reqs->v[st->order[st->sel]]);
}

/* Shown on our screen: an incoming request becomes seen, once. */
static void
requests_mark_seen(const struct ui *ui, const struct reqbook_entry *e)
{
	struct requests_state	*st = requests_state(ui);
	struct ui_reqact	*a;
	size_t			 i;

	if (ui->replaying || !e->on_server || e->pending_answer ||
	    e->r.addressee != ui->reqs->side ||
	    (e->r.state != RS_SENT && e->r.state != RS_DELIVERED))
		return;
	for (i = 0; i < st->nseen; i++)
		if (strcmp(st->seen[i], e->r.id) == 0)
			return;
	if ((a = requests_act(ui)) == NULL)
		return;
	a->op = UI_REQ_ANSWER;
	snprintf(a->id, sizeof a->id, "%s", e->r.id);
	a->answer.state = RS_SEEN;
	if (st->nseen == sizeof st->seen / sizeof st->seen[0])
		st->nseen = 0;
	snprintf(st->seen[st->nseen++], sizeof st->seen[0], "%s", e->r.id);
}

/* The age of step k of a request, or "-" (never taken). */
static void
requests_step_age(const struct ui *ui, const struct request *r, int k,
    char *buf, size_t len)
{
	double	now = ui->pic != NULL ? ui->pic->now : ui->now;

	if (!isfinite(r->stamps[k].t))
		snprintf(buf, len, "-");
	else
		ui_age(now - r->stamps[k].t, buf, len);
}

/* The answer step a request took: accepted, declined or countered. */
static int
requests_answer_step(const struct request *r)
{
	if (isfinite(r->stamps[RS_ACCEPTED].t))
		return (RS_ACCEPTED);
	if (isfinite(r->stamps[RS_COUNTERED].t))
		return (RS_COUNTERED);
	return (RS_DECLINED);
}

static attr_t
requests_state_attr(const struct ui *ui, const struct reqbook_entry *e)
{
	if (e->pending_new || e->pending_answer)
		return (ui_attr(ui, ROLE_WARN));
	if (!e->on_server || e->r.state == RS_DECLINED ||
	    e->r.state == RS_EXPIRED)
		return (ui_attr(ui, ROLE_BAD));
	if (e->r.state == RS_COVERING || e->r.state == RS_CLOSED)
		return (ui_attr(ui, ROLE_OK));
	if (e->r.addressee == ui->reqs->side &&
	    (e->r.state == RS_SENT || e->r.state == RS_DELIVERED ||
	    e->r.state == RS_SEEN))
		return (ui_attr(ui, ROLE_ALERT));
	return (A_NORMAL);
}

/*
 * The list's columns, fitted to 80: the step ages in 3 columns each
 * ("45s", "12m", "3h", "2d"), the text in what is left.
 */
#define RQ_X_STATE	1
#define RQ_W_STATE	9	/* "delivered", "countered" */
#define RQ_X_ID		11
#define RQ_W_ID		14	/* "us-46c12703-12" */
#define RQ_X_KIND	26
#define RQ_W_KIND	5
#define RQ_X_STRETCH	32
#define RQ_W_STRETCH	11	/* "620.5-633.3"; "1200-1250" */
#define RQ_X_SECTOR	44
#define RQ_W_SECTOR	4
#define RQ_X_AGES	49
#define RQ_W_AGES	19	/* 5 x 3 and the blanks */
#define RQ_X_TEXT	69
#define RQ_DETAIL_MAX	48	/* lines of the detail, wrapped */

/* The age of step k of a request in at most 3 columns, or "-". */
static void
requests_age3(const struct ui *ui, const struct request *r, int k,
    char *buf, size_t len)
{
	double	now = ui->pic != NULL ? ui->pic->now : ui->now;
	double	a;

	if (!isfinite(r->stamps[k].t) || !isfinite(now)) {
		snprintf(buf, len, "-");
		return;
	}
	a = now - r->stamps[k].t;
	if (a < 0)
		a = 0;
	if (a < 60)
		snprintf(buf, len, "%.0fs", floor(a));
	else if (a < 3600)
		snprintf(buf, len, "%.0fm", floor(a / 60));
	else if (a < 86400)
		snprintf(buf, len, "%.0fh", floor(a / 3600));
	else if (a < 100 * 86400.0)
		snprintf(buf, len, "%.0fd", floor(a / 86400));
	else
		snprintf(buf, len, "old");
}

/* "620.5-633.3" in w columns (whole km when longer), "-" if unknown:
   never "nan". */
static void
requests_stretch(double a, double b, int w, char *buf, size_t len)
{
	if (!isfinite(a) || !isfinite(b)) {
		snprintf(buf, len, "-");
		return;
	}
	if (snprintf(buf, len, "%.1f-%.1f", a, b) > w)
		snprintf(buf, len, "%.0f-%.0f", a, b);
}

static void
requests_line(const struct ui *ui, WINDOW *w, int y, int cols,
    const struct reqbook_entry *e, int selected)
{
	const struct request	*r = &e->r;
	char			 age[5][8], stretch[40];
	const char		*kind = req_kind_names[r->kind];
	attr_t			 a = selected ? ui_attr(ui, ROLE_SELECT) : 0;

	requests_age3(ui, r, RS_SENT, age[0], sizeof age[0]);
	requests_age3(ui, r, RS_DELIVERED, age[1], sizeof age[1]);
	requests_age3(ui, r, RS_SEEN, age[2], sizeof age[2]);
	requests_age3(ui, r, requests_answer_step(r), age[3], sizeof age[3]);
	requests_age3(ui, r, RS_COVERING, age[4], sizeof age[4]);
	requests_stretch(r->a_km, r->b_km, RQ_W_STRETCH, stretch,
	    sizeof stretch);
	if (strlen(kind) > RQ_W_KIND)
		kind = strcmp(kind, "message") == 0 ? "msg" : kind;
	if (selected)
		mvwchgat(w, y, 0, cols, a, 0, NULL);
	ui_put(ui, w, y, RQ_X_STATE, reqbook_state_text(e), RQ_W_STATE,
	    requests_state_attr(ui, e) | a);
	ui_put_cut(ui, w, y, RQ_X_ID, r->id, RQ_W_ID, a);
	ui_put(ui, w, y, RQ_X_KIND, kind, RQ_W_KIND, a);
	ui_put(ui, w, y, RQ_X_STRETCH, stretch, RQ_W_STRETCH, a);
	ui_put_cut(ui, w, y, RQ_X_SECTOR, r->sector[0] ? r->sector : "-",
	    RQ_W_SECTOR, a);
	ui_putf(ui, w, y, RQ_X_AGES, RQ_W_AGES, a, "%3s %3s %3s %3s %3s",
	    age[0], age[1], age[2], age[3], age[4]);
	if (RQ_X_TEXT < cols - 1)
		ui_put_cut(ui, w, y, RQ_X_TEXT, r->text, cols - RQ_X_TEXT - 1,
		    a);
}

static void
requests_head(const struct ui *ui, WINDOW *w, int y, int cols)
{
	attr_t	a = ui_attr(ui, ROLE_DIM);

	ui_put(ui, w, y, RQ_X_STATE, "state", cols - RQ_X_STATE, a);
	ui_put(ui, w, y, RQ_X_ID, "id", cols - RQ_X_ID, a);
	ui_put(ui, w, y, RQ_X_KIND, "kind", cols - RQ_X_KIND, a);
	ui_put(ui, w, y, RQ_X_STRETCH, "stretch km", cols - RQ_X_STRETCH, a);
	ui_put(ui, w, y, RQ_X_SECTOR, "sect", cols - RQ_X_SECTOR, a);
	ui_put(ui, w, y, RQ_X_AGES, "snt dlv sen ans cov", cols - RQ_X_AGES,
	    a);
	if (RQ_X_TEXT < cols - 1)
		ui_put(ui, w, y, RQ_X_TEXT, "text", cols - RQ_X_TEXT - 1, a);
}

/* The detail's lines, wrapped to the window (text_wrap). */
struct requests_detail {
	char	line[RQ_DETAIL_MAX][160];
	attr_t	attr[RQ_DETAIL_MAX];
	int	n;
	attr_t	cur;
};

static void
requests_detail_line(const char *line, void *arg)
{
	struct requests_detail	*d = arg;

	if (d->n == RQ_DETAIL_MAX)
		return;
	snprintf(d->line[d->n], sizeof d->line[0], "%s", line);
	d->attr[d->n++] = d->cur;
}

static void
requests_detail_add(const struct ui *ui, struct requests_detail *d,
    int width, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A paragraph of the detail, wrapped at its spaces, later lines
   indented by 2. */
static void
requests_detail_add(const struct ui *ui, struct requests_detail *d,
    int width, attr_t attr, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	d->cur = attr;
	text_wrap(buf, ui->utf8, width, 2, requests_detail_line, d);
}

/* The selected request in full: its history, text, reason, refusal,
   each wrapped; nothing cut. */
static void
requests_detail_build(const struct ui *ui, int width,
    const struct reqbook_entry *e, struct requests_detail *d)
{
	const struct request	*r = &e->r;
	char			 line[1024], t[40], age[16], stretch[64];
	size_t			 len;
	int			 k;

	d->n = 0;
	if (isfinite(r->a_km) && isfinite(r->b_km))
		snprintf(stretch, sizeof stretch, "%.3f-%.3f km", r->a_km,
		    r->b_km);
	else
		snprintf(stretch, sizeof stretch, "stretch not known yet");
	requests_detail_add(ui, d, width, ui_attr(ui, ROLE_HEAD),
	    "%s  %s->%s %s %s%s%s%s%s", r->id,
	    ui_side_code(ui, r->sender), ui_side_code(ui, r->addressee),
	    req_kind_names[r->kind], stretch,
	    r->sector[0] ? " sector " : "", r->sector,
	    r->gap[0] ? " gap " : "", r->gap);
	line[0] = '\0';
	for (k = 0; k < REQ_STATE_COUNT; k++) {
		if (!isfinite(r->stamps[k].t))
			continue;
		time_format_rfc3339(r->stamps[k].t, t, sizeof t);
		requests_step_age(ui, r, k, age, sizeof age);
		len = strlen(line);
		snprintf(line + len, sizeof line - len, "%s%s %s (%s ago, %s)",
		    len ? ", " : "", req_state_names[k], t + 11, age,
		    r->stamps[k].side >= 0 ? ui_side_code(ui,
		    r->stamps[k].side) : "server");
	}
	if (line[0] != '\0')
		requests_detail_add(ui, d, width, 0, "%s", line);
	if (r->text[0] != '\0')
		requests_detail_add(ui, d, width, 0, "text: %s", r->text);
	if (r->reason[0] != '\0') {
		if (isfinite(r->counter_a_km) && isfinite(r->counter_b_km))
			requests_detail_add(ui, d, width, 0, "reason: %s "
			    "(counter %.1f-%.1f km)", r->reason,
			    r->counter_a_km, r->counter_b_km);
		else
			requests_detail_add(ui, d, width, 0, "reason: %s",
			    r->reason);
	}
	if (e->error[0] != '\0')
		requests_detail_add(ui, d, width, ui_attr(ui, ROLE_BAD),
		    "refused by the server: %s", e->error);
	if (e->escalated) {
		/* The number to call, first: the one thing needed. */
		if (e->voice[0] != '\0')
			requests_detail_add(ui, d, width, ui_attr(ui,
			    ROLE_WARN), "unanswered: call %s, the voice line "
			    "of %s%s%s", e->voice, ui_side_code(ui,
			    r->addressee), r->sector[0] ? " " : "",
			    r->sector);
		else
			requests_detail_add(ui, d, width, ui_attr(ui,
			    ROLE_WARN), "unanswered: escalated to the voice "
			    "line of %s%s%s (no number known here)",
			    ui_side_code(ui, r->addressee),
			    r->sector[0] ? " " : "", r->sector);
	}
}

static void
requests_draw(const struct ui *ui, WINDOW *w)
{
	struct requests_state	*st = requests_state(ui);
	const struct reqbook	*b = ui->reqs;
	const struct reqbook_entry *sel;
	struct requests_detail	*d;
	size_t			 in, out, i;
	int			 rows, cols, x, y, list, row, first, need;
	int			 droom, k;

	getmaxyx(w, rows, cols);
	if (b == NULL) {
		ui_put(ui, w, rows / 2, 2, "requests need the API with a "
		    "side's token (API v1.1)", cols - 4, ui_attr(ui, ROLE_DIM));
		return;
	}
	requests_order(ui);
	reqbook_unanswered(b, &in, &out);
	x = ui_putf(ui, w, 0, 1, cols - 2, ui_attr(ui, ROLE_HEAD),
	    "Requests  %s   unanswered: %zu to us, %zu from us",
	    b->side >= 0 ? ui_side_code(ui, b->side) : "(side not known "
	    "yet)", in, out);
	if (b->carrier[0] != '\0' && 1 + x + 3 < cols - 1)
		ui_put_cut(ui, w, 0, 1 + x + 3, b->carrier, cols - x - 5,
		    ui_attr(ui, ROLE_BAD));
	requests_head(ui, w, 1, cols);

	/* The selected request in full below: the list gives it the rows
	   it needs, down to 3 requests of its own; what is still longer
	   scrolls with [ and ]. */
	d = xcalloc(1, sizeof *d);
	sel = requests_selected(ui);
	if (sel != NULL)
		requests_detail_build(ui, cols - 2, sel, d);
	if (st->dsel != st->sel || sel == NULL) {
		st->dsel = st->sel;
		st->dtop = 0;
	}
	need = (int)st->norder + (st->nin > 0) + (st->norder > st->nin);
	list = rows - 2 - (d->n > 0 ? d->n + 1 : 0);
	if (list > need)
		list = need;
	if (list < 5)
		list = need < 5 ? need : 5;
	st->page = list > 2 ? list - 2 : 1;
	if (st->sel < st->top)
		st->top = st->sel;
	if (st->sel >= st->top + st->page)
		st->top = st->sel - st->page + 1;
	y = 2;
	first = 1;
	for (row = st->top; row < (int)st->norder && y < 2 + list; row++) {
		i = st->order[row];
		if (row == 0 || row == (int)st->nin || first) {
			ui_put(ui, w, y++, 1, row < (int)st->nin ? "INBOX" :
			    "OUTBOX", cols - 2, ui_attr(ui, ROLE_HEAD));
			first = 0;
			if (y >= 2 + list)
				break;
		}
		requests_line(ui, w, y++, cols, &b->v[i], row == st->sel);
		requests_mark_seen(ui, &b->v[i]);
	}
	if (st->norder == 0)
		ui_put(ui, w, 3, 2, ui->replaying ? "no requests recorded by "
		    "this time" : "no requests; V asks the other side to "
		    "cover a gap", cols - 4, ui_attr(ui, ROLE_DIM));
	y++;
	droom = rows - y;
	st->dmax = d->n > droom ? d->n - droom : 0;
	if (st->dtop > st->dmax)
		st->dtop = st->dmax;
	for (k = st->dtop; k < d->n && y < rows; k++) {
		if (st->dmax > 0 && y == rows - 1 && k < d->n - 1) {
			/* More below: say so, and how to see it. */
			ui_putf(ui, w, y++, 1, cols - 2, ui_attr(ui, ROLE_DIM),
			    "(%d more lines: ] and [ scroll)", d->n - k);
			break;
		}
		ui_put(ui, w, y++, 1, d->line[k], cols - 2, d->attr[k]);
	}
	free(d);
}

static int
requests_answer(const struct ui *ui, enum req_state state,
    struct view_req *req)
{
	struct requests_state		*st = requests_state(ui);
	const struct reqbook_entry	*e = requests_selected(ui);
	struct ui_reqact		*a;
	struct req_answer		 ans;
	char				 why[160];

	if (e == NULL)
		return (0);
	if (ui->replaying)
		return (view_msg(req, "%s", REQUESTS_READ_ONLY));
	/* Checked now, so that a wrong key says why at once. */
	req_answer_init(&ans);
	ans.state = state;
	if (req_check(&e->r, &ans, ui->reqs->side, why, sizeof why) !=
	    BC_OK)
		return (view_msg(req, "%s: %s", e->r.id, why));
	if (state == RS_DECLINED || state == RS_COUNTERED) {
		snprintf(st->answer_id, sizeof st->answer_id, "%s", e->r.id);
		st->prompt = req->prompt = state == RS_DECLINED ?
		    PROMPT_DECLINE : PROMPT_COUNTER;
		return (ACT_PROMPT);
	}
	if ((a = requests_act(ui)) == NULL)
		return (0);
	a->op = UI_REQ_ANSWER;
	snprintf(a->id, sizeof a->id, "%s", e->r.id);
	a->answer.state = state;
	return (ACT_VIEW | ACT_STATUS);
}

static int
requests_key(const struct ui *ui, enum ui_key_id id, struct view_req *req)
{
	struct requests_state	*st = requests_state(ui);
	int			 r;

	if (ui->reqs == NULL)
		return (0);
	switch (id) {
	case UK_REQ_ACCEPT:
		return (requests_answer(ui, RS_ACCEPTED, req));
	case UK_REQ_DECLINE:
		return (requests_answer(ui, RS_DECLINED, req));
	case UK_REQ_COUNTER:
		return (requests_answer(ui, RS_COUNTERED, req));
	case UK_REQ_CLOSE:
		return (requests_answer(ui, RS_CLOSED, req));
	case UK_REQ_MORE:
	case UK_REQ_LESS:
		/* The detail of the selected request, a line at a time. */
		r = st->dtop + (id == UK_REQ_MORE ? 1 : -1);
		if (r < 0 || r > st->dmax)
			return (0);
		st->dtop = r;
		return (ACT_VIEW);
	default:
		break;
	}
	requests_order(ui);
	r = ui_scroll(id, &st->sel, (int)st->norder, st->page, 1);
	return (r > 0 ? ACT_VIEW : 0);
}

/* The gap with track id gap_id (0: the longest) of the picture. */
static const struct gap *
requests_gap(const struct ui *ui, unsigned gap_id)
{
	const struct picture	*p = ui->pic;
	const struct gap	*best = NULL;
	size_t			 i;

	for (i = 0; p != NULL && i < p->ngaps; i++) {
		if (gap_id != 0 ? p->gaps[i].id == gap_id :
		    best == NULL || p->gaps[i].b - p->gaps[i].a >
		    best->b - best->a)
			best = &p->gaps[i];
		if (gap_id != 0 && best != NULL)
			break;
	}
	return (best);
}

int
view_requests_cover(struct ui *ui, unsigned gap_id, struct view_req *req)
{
	struct requests_state	*st = requests_state(ui);

	if (ui->reqs == NULL)
		return (view_msg(req, "requests need the API with a side's "
		    "token"));
	if (ui->replaying)
		return (view_msg(req, "%s", REQUESTS_READ_ONLY));
	if (ui->reqs->side < 0)
		return (view_msg(req, "our side is not known yet: wait for "
		    "the server, or set --side"));
	st->cover_gap = gap_id;
	st->prompt = req->prompt = PROMPT_COVER;
	return (ACT_PROMPT);
}

const char *
view_requests_prompt_label(const struct ui *ui)
{
	const struct requests_state	*st = requests_state(ui);
	const struct gap		*g;
	static char			 buf[96];

	switch (ui->prompt) {
	case PROMPT_COVER:
		g = requests_gap(ui, st->cover_gap);
		if (g == NULL)
			return ("cover #gap|FROM-TO [1-3 canned] [text]: ");
		snprintf(buf, sizeof buf, "cover #%u (or #gap|FROM-TO) "
		    "[1-3 canned] [text]: ", g->id);
		return (buf);
	case PROMPT_DECLINE:
		return ("decline, reason: ");
	case PROMPT_COUNTER:
		return ("counter FROM-TO [reason]: ");
	default:
		return ("");
	}
}

/* "620.5-633" at *p: the stretch, and p moved past it; -1 if not one,
   -2 if FROM is not less than TO. */
static int
requests_parse_km(const char **p, double *a, double *b)
{
	char	*end, *mid;

	*a = strtod(*p, &end);
	if (end == *p || *end != '-')
		return (-1);
	mid = end + 1;
	*b = strtod(mid, &end);
	if (end == mid || (*end != '\0' && *end != ' ') || !isfinite(*a) ||
	    !isfinite(*b))
		return (-1);
	if (*a >= *b)
		return (-2);
	*p = end;
	return (0);
}

/* Whether text at p is a canned text's number alone: "2", "2 more". */
static int
requests_is_canned(const char *p)
{
	return (*p >= '1' && *p < '1' + (int)REQ_NCANNED &&
	    (p[1] == '\0' || p[1] == ' '));
}

/* The first word at p, for a message: at most 24 bytes. */
static int
requests_word_len(const char *p)
{
	int	n;

	for (n = 0; p[n] != '\0' && p[n] != ' ' && n < 24; n++)
		;
	return (n);
}

static int
requests_prompt_cover(const struct ui *ui, const char *text,
    struct view_req *req)
{
	struct requests_state	*st = requests_state(ui);
	const struct gap	*g = NULL;
	struct ui_reqact	*act;
	const char		*p = text, *q;
	char			*end;
	double			 a, b;
	unsigned long		 id = 0;
	size_t			 canned = 0;
	int			 other, rc;

	while (*p == ' ')
		p++;
	q = p;
	if (*p == '#') {
		id = strtoul(p + 1, &end, 10);
		if (end == p + 1 || (*end != '\0' && *end != ' '))
			return (view_msg(req, "%.*s: not a gap id (#id)",
			    requests_word_len(p), p));
		if ((g = requests_gap(ui, (unsigned)id)) == NULL)
			return (view_msg(req, "no open gap %.*s",
			    (int)(end - p), p));
		p = end;
		a = g->a;
		b = g->b;
	} else if ((rc = requests_parse_km(&q, &a, &b)) == 0)
		p = q;
	else if (rc == -2)
		/* Never another stretch than the one typed: nothing sent. */
		return (view_msg(req, "%.*s: FROM must be less than TO",
		    requests_word_len(p), p));
	else if (!requests_is_canned(p) && ((*p >= '0' && *p <= '9') ||
	    *p == '-' || *p == '.' || *p == '+'))
		return (view_msg(req, "%.*s: not a stretch in km (FROM-TO, "
		    "as 120-130)", requests_word_len(p), p));
	else {
		/* The gap the prompt was opened for. */
		if ((g = requests_gap(ui, st->cover_gap)) == NULL)
			return (view_msg(req, "no open gap: give FROM-TO km"));
		id = g->id;
		a = g->a;
		b = g->b;
	}
	while (*p == ' ')
		p++;
	if (requests_is_canned(p)) {
		canned = (size_t)(*p - '1');
		p++;
		while (*p == ' ')
			p++;
	}
	if ((act = requests_act(ui)) == NULL)
		return (0);
	(void)st;
	act->op = UI_REQ_COMPOSE;
	act->kind = REQ_COVER;
	act->a_km = a;
	act->b_km = b;
	other = 1 - ui->reqs->side;
	if (g != NULL) {
		snprintf(act->gap, sizeof act->gap, "G%lu", id);
		if (g->sector[other] >= 0)
			snprintf(act->sector, sizeof act->sector, "%s",
			    ui_sector_code(ui, other, g->sector[other]));
	} else if (ui->map != NULL) {
		/* The addressee's sector at the middle of the stretch. */
		const struct sector	*sec;
		size_t			 k;

		for (k = 0; k < ui->map->nsectors[other]; k++) {
			sec = &ui->map->sectors[other][k];
			if ((a + b) / 2 >= sec->start_km &&
			    (a + b) / 2 <= sec->end_km) {
				snprintf(act->sector, sizeof act->sector,
				    "%s", sec->code);
				break;
			}
		}
	}
	snprintf(act->text, sizeof act->text, "%s%s%s", req_canned[canned],
	    *p != '\0' ? " - " : "", p);
	return (ACT_VIEW | ACT_STATUS);
}

/* The prompt opened here: Enter does what it asked; Esc forgets it. */
static int
requests_prompt(const struct ui *ui, const char *text, int ev,
    struct view_req *req)
{
	struct requests_state	*st = requests_state(ui);
	struct ui_reqact	*act;
	const char		*p = text;
	double			 a, b;

	if (ev != PROMPT_ENTER)
		return (0);
	if (st->prompt == PROMPT_COVER)
		return (requests_prompt_cover(ui, text, req));
	while (*p == ' ')
		p++;
	if (st->prompt == PROMPT_COUNTER &&
	    requests_parse_km(&p, &a, &b) != 0)
		return (view_msg(req, "%.*s%sa counter names another "
		    "stretch: FROM-TO km, FROM less than TO",
		    requests_word_len(p), p, *p != '\0' ? ": " : ""));
	if ((act = requests_act(ui)) == NULL)
		return (0);
	act->op = UI_REQ_ANSWER;
	snprintf(act->id, sizeof act->id, "%s", st->answer_id);
	while (*p == ' ')
		p++;
	/* The prompt takes ASCII only: cut anywhere. */
	if (st->prompt == PROMPT_DECLINE) {
		act->answer.state = RS_DECLINED;
		snprintf(act->answer.reason, sizeof act->answer.reason,
		    "%.*s", REQ_REASON_MAX, *p != '\0' ? p : REQ_DECLINE_TEXT);
		return (ACT_VIEW);
	}
	act->answer.state = RS_COUNTERED;
	act->answer.counter_a_km = a;
	act->answer.counter_b_km = b;
	snprintf(act->answer.reason, sizeof act->answer.reason, "%.*s",
	    REQ_REASON_MAX, *p != '\0' ? p : REQ_COUNTER_TEXT);
	return (ACT_VIEW);
}

size_t
view_requests_actions(struct ui *ui, struct ui_reqact *out, size_t max)
{
	struct requests_state	*st = requests_state(ui);
	size_t			 n;

	if (st == NULL)
		return (0);
	n = st->nact < max ? st->nact : max;
	memcpy(out, st->act, n * sizeof *out);
	memmove(st->act, st->act + n, (st->nact - n) * sizeof *st->act);
	st->nact -= n;
	return (n);
}

const struct view_ops view_requests_ops = {
	"Requests",
	requests_init,
	requests_done,
	NULL,
	requests_draw,
	requests_key,
	requests_prompt,
	NULL,
};
