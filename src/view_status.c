/*
 * view_status.c: the status line (always on row 0) and the footer.
 *
 * The status line says where the picture comes from, how the link is, how
 * many units each side has fresh/stale/lost, joint coverage, open gaps
 * (count, longest, its sector), overlaps, the age of the picture's newest
 * data and the picture clock (the server's, UTC); UNKNOWN when the
 * picture is frozen, CLOCK when the local clock is off by over a minute.  The clock
 * and the link age sit in fixed fields, in the same attribute, so that a
 * tick rewrites only them with as few bytes as the terminal allows.
 * The footer shows, by priority: the prompt, the oldest alert, a message,
 * why the link is down, or the view tabs.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "view.h"

#define STATUS_CLOCK_W	9	/* "HH:MM:SSZ" */
#define STATUS_AGE_W	5
#define STATUS_PAGE_W	10	/* "age 12m05 ": the picture's */
#define STATUS_PAGE_S	60	/* the picture's age shows from this age:
				   younger, the link's age says it all */
#define STATUS_SKEW_S	60	/* a local clock off by more is shown */

/*
 * What a narrow line leaves out, in this order (the man page's list):
 * a segment goes at its level and above.  The source, PAUSED and the
 * replay's banner, the link and its age, UNKNOWN, cov and gaps are
 * never left out; the source alone is shortened (REPLAY and PAUSED
 * never are).
 */
enum status_drop {
	SD_KEEP,	/* never left out */
	SD_OVL,
	SD_JOINT,
	SD_ACROSS,	/* after the source shortened to 8 columns */
	SD_REJ,		/* after the brief forms, the source at 4 */
	SD_ALERTS,	/* the footer shows the oldest and [1/n] */
	SD_REQ,		/* view 6 and the alerts show them */
	SD_SIDES,
	SD_CLOCK,
	SD_LAST = SD_CLOCK
};

struct status_seg {
	char	text[80];
	char	brief[40];	/* a shorter text for a narrow line, or "" */
	attr_t	attr;
	int	drop;		/* 0 always shown; else dropped by level */
	int	age;		/* the link age field goes after it */
};

static void
status_clock(double now, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;

	if (!isfinite(now)) {
		snprintf(buf, len, "--:--:--Z");
		return;
	}
	t = (time_t)floor(now);
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%02d:%02d:%02dZ", tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

/* Whether the link is a replay's: its banner and its clock are shown. */
static int
status_replay(const struct ui *ui)
{
	return (ui->link != NULL && ui->link->replay_at > 0 &&
	    isfinite(ui->link->replay_at));
}

/* The picture clock: the replayed time in a replay, else the server's
   (the ui's clock plus the offset). */
static double
status_pclock(const struct ui *ui)
{
	if (status_replay(ui))
		return (ui->link->replay_at);
	return (ui->now + ui->offset);
}

/* Whether the picture's age is worth its columns (data a minute old). */
static int
status_pic_old(const struct ui *ui)
{
	return (ui->pic != NULL && isfinite(ui->pic->as_of) &&
	    isfinite(ui->now) &&
	    status_pclock(ui) - ui->pic->as_of >= STATUS_PAGE_S);
}

/* The age of the picture's newest data on the picture clock. */
static void
status_pic_age(const struct ui *ui, char *buf, size_t len)
{
	char	age[16];

	if (ui->pic == NULL || !isfinite(ui->pic->as_of) ||
	    !isfinite(ui->now))
		snprintf(age, sizeof age, "-");
	else
		ui_age(status_pclock(ui) - ui->pic->as_of, age, sizeof age);
	snprintf(buf, len, "age %-*s", STATUS_AGE_W, age);
}

static void
status_link_age(const struct ui *ui, char *buf, size_t len)
{
	char	age[16];

	if (ui->link == NULL || ui->link->last_good <= 0 ||
	    !isfinite(ui->now))
		snprintf(age, sizeof age, "-");
	else
		ui_age(ui->now - ui->link->last_good, age, sizeof age);
	snprintf(buf, len, "%-*s", STATUS_AGE_W, age);
}

static attr_t
status_link_attr(const struct ui *ui)
{
	if (ui->link == NULL)
		return (ui_attr(ui, ROLE_DIM));
	switch (ui->link->state) {
	case LINK_OK:
		return (ui_attr(ui, ROLE_OK));
	case LINK_SLOW:
		return (ui_attr(ui, ROLE_WARN));
	case LINK_DOWN:
		return (ui_attr(ui, ROLE_BAD));
	default:
		return (ui_attr(ui, ROLE_DIM));
	}
}

/* A count in at most 4 columns: 999, 3k, 25k, 250k, 3M. */
static void
status_count(size_t v, char *buf, size_t len)
{
	if (v < 1000)
		snprintf(buf, len, "%zu", v);
	else if (v < 999500)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
}

static size_t
status_segments(struct ui *ui, struct status_seg *sv, size_t max)
{
	const struct picture	*p = ui->pic;
	const struct gap	*g, *longest = NULL;
	size_t			 n = 0, i;
	double			 len, covered;
	int			 side;
	char			 c[3][8], clock[16];

	(void)max;	/* at most 14 segments; callers pass 16 */
	for (i = 0; i < max; i++)
		sv[i].brief[0] = '\0';

	if (ui->link == NULL || ui->link->demo)
		snprintf(sv[n].text, sizeof sv[n].text, "DEMO");
	else if (status_replay(ui))
		/* "REPLAY 14:05:30Z paused": never cut (status_fixed). */
		snprintf(sv[n].text, sizeof sv[n].text, "%.40s",
		    ui->link->source);
	else
		snprintf(sv[n].text, sizeof sv[n].text, "%.24s",
		    ui->link->source);
	sv[n].attr = ui_attr(ui, ROLE_WARN);
	sv[n].drop = 0;
	sv[n].age = 0;
	n++;

	snprintf(sv[n].text, sizeof sv[n].text, "%s",
	    ui->link != NULL ? link_state_names[ui->link->state] : "WAIT");
	sv[n].attr = status_link_attr(ui);
	sv[n].drop = 0;
	sv[n].age = 1;
	n++;
	if (ui->link != NULL && !ui->link->demo &&
	    fabs(ui->link->server_skew_s) > STATUS_SKEW_S) {
		/* The local clock is off: times shown are the server's. */
		char	d[16];

		ui_age(fabs(ui->link->server_skew_s), d, sizeof d);
		snprintf(sv[n].text, sizeof sv[n].text, "CLOCK %s%s",
		    ui->link->server_skew_s > 0 ? "-" : "+", d);
		sv[n].attr = ui_attr(ui, ROLE_WARN);
		sv[n].drop = SD_CLOCK;
		sv[n].age = 0;
		n++;
	}
	if (p != NULL && p->unknown) {
		snprintf(sv[n].text, sizeof sv[n].text, "UNKNOWN since ");
		status_clock(p->unknown_since, sv[n].text + 14,
		    sizeof sv[n].text - 14);
		/* HH:MMZ: the seconds add nothing here. */
		memmove(sv[n].text + 19, sv[n].text + 22, 2);
		sv[n].attr = ui_attr(ui, ROLE_BAD);
		sv[n].drop = 0;
		sv[n].age = 0;
		n++;
	}
	if (ui->alerts != NULL && ui->alerts->n > (size_t)ui->acks) {
		snprintf(sv[n].text, sizeof sv[n].text, "ALERTS %zu",
		    ui->alerts->n - (size_t)ui->acks);
		sv[n].attr = ui_attr(ui, ROLE_ALERT);
		sv[n].drop = SD_ALERTS;
		sv[n].age = 0;
		n++;
	}
	/* Features the last answer had and the picture does not. */
	if (ui->link != NULL && ui->link->last_rejected > 0) {
		status_count(ui->link->last_rejected, c[0], sizeof c[0]);
		snprintf(sv[n].text, sizeof sv[n].text, "rej %s", c[0]);
		sv[n].attr = ui_attr(ui, ui->link->all_rejected ? ROLE_BAD :
		    ROLE_WARN);
		sv[n].drop = SD_REJ;
		sv[n].age = 0;
		n++;
	}
	if (ui->reqs != NULL) {
		size_t	in, out;

		/* Requests waiting for an answer, each way. */
		reqbook_unanswered(ui->reqs, &in, &out);
		snprintf(sv[n].text, sizeof sv[n].text, "REQ in %zu out %zu",
		    in, out);
		snprintf(sv[n].brief, sizeof sv[n].brief, "R %zu/%zu", in,
		    out);
		sv[n].attr = in > 0 ? ui_attr(ui, ROLE_WARN) :
		    ui_attr(ui, ROLE_NORMAL);
		sv[n].drop = SD_REQ;
		sv[n].age = 0;
		n++;
	}
	if (p == NULL)
		return (n);
	if (ui->paused && !status_replay(ui)) {
		/* What is on screen is not live: said first, in place of
		   the source, and never cut. */
		status_clock(p->now, clock, sizeof clock);
		snprintf(sv[0].text, sizeof sv[0].text, "PAUSED %s", clock);
		sv[0].attr = ui_attr(ui, ROLE_ALERT);
	}

	for (side = 0; side < NSIDES; side++) {
		snprintf(sv[n].text, sizeof sv[n].text, "%s %zu/%zu/%zu",
		    ui_side_code(ui, side), p->count[side][STATE_FRESH],
		    p->count[side][STATE_STALE], p->count[side][STATE_LOST]);
		status_count(p->count[side][STATE_FRESH], c[0], sizeof c[0]);
		status_count(p->count[side][STATE_STALE], c[1], sizeof c[1]);
		status_count(p->count[side][STATE_LOST], c[2], sizeof c[2]);
		snprintf(sv[n].brief, sizeof sv[n].brief, "%s %s/%s/%s",
		    ui_side_code(ui, side), c[0], c[1], c[2]);
		sv[n].attr = ui_side_attr(ui, side);
		sv[n].drop = SD_SIDES;
		sv[n].age = 0;
		n++;
	}

	len = p->map != NULL ? p->map->length_km : 0;
	covered = len - p->joint_km[JOINT_NONE];
	/* Unknown coverage is not coverage: no figure. */
	if (p->unknown)
		snprintf(sv[n].text, sizeof sv[n].text, "cov ?");
	else
		snprintf(sv[n].text, sizeof sv[n].text, "cov %.0f%%",
		    len > 0 ? 100 * covered / len : 0);
	sv[n].attr = A_NORMAL;
	sv[n].drop = 0;
	sv[n].age = 0;
	n++;
	if (p->unknown)
		snprintf(sv[n].text, sizeof sv[n].text, "joint ?");
	else
		snprintf(sv[n].text, sizeof sv[n].text, "joint %.0f%%",
		    len > 0 ? 100 * p->joint_km[JOINT_BOTH] / len : 0);
	sv[n].attr = A_NORMAL;
	sv[n].drop = SD_JOINT;
	sv[n].age = 0;
	n++;

	for (i = 0; i < p->ngaps; i++) {
		g = &p->gaps[i];
		if (longest == NULL || g->b - g->a > longest->b - longest->a)
			longest = g;
	}
	if (longest != NULL)
		snprintf(sv[n].text, sizeof sv[n].text,
		    "gaps %zu max %.0fkm %s/%s", p->ngaps,
		    longest->b - longest->a,
		    ui_sector_code(ui, SIDE_LEFT, longest->sector[SIDE_LEFT]),
		    ui_sector_code(ui, SIDE_RIGHT,
		    longest->sector[SIDE_RIGHT]));
	if (longest != NULL)
		snprintf(sv[n].brief, sizeof sv[n].brief, "gaps %zu max %.0fkm",
		    p->ngaps, longest->b - longest->a);
	else
		snprintf(sv[n].text, sizeof sv[n].text, "gaps 0");
	sv[n].attr = p->ngaps > 0 ? ui_attr(ui, ROLE_GAP) : A_NORMAL;
	sv[n].drop = 0;
	sv[n].age = 0;
	n++;

	snprintf(sv[n].text, sizeof sv[n].text, "ovl %zu", p->noverlaps);
	sv[n].attr = A_NORMAL;
	sv[n].drop = SD_OVL;
	sv[n].age = 0;
	n++;

	if (p->across > 0) {
		snprintf(sv[n].text, sizeof sv[n].text, "across %zu",
		    p->across);
		sv[n].attr = ui_attr(ui, ROLE_ACROSS);
		sv[n].drop = SD_ACROSS;
		sv[n].age = 0;
		n++;
	}
	return (n);
}

static int
status_width(const struct ui *ui, const struct status_seg *sv, size_t n,
    int level, const char *sep)
{
	size_t	i;
	int	total = 0;

	for (i = 0; i < n; i++) {
		if (sv[i].drop > 0 && sv[i].drop <= level)
			continue;
		if (total > 0)
			total += ui_width(ui, sep);
		total += ui_width(ui, sv[i].text) +
		    (sv[i].age ? STATUS_AGE_W + 1 : 0);
	}
	return (total);
}

/* Whether the first segment is PAUSED or the replay's banner: never cut. */
static int
status_fixed(const struct ui *ui)
{
	return (status_replay(ui) || (ui->paused && ui->pic != NULL));
}

/* The columns the source can give up, cut to min columns and a "~". */
static int
status_give(const struct ui *ui, const struct status_seg *sv, int min)
{
	int	w;

	if (status_fixed(ui))
		return (0);
	w = ui_width(ui, sv[0].text) - min - 1;
	return (w > 0 ? w : 0);
}

/*
 * Fit the segments before the clock: leave out the least useful first
 * (enum status_drop), shorten the source (a long API host) to 8 columns,
 * then use the brief forms and shorten it to 4, then tighten the
 * separators.  Never by position: what is essential is always kept.
 */
void
view_status_draw(struct ui *ui, WINDOW *w)
{
	struct status_seg	 sv[16];
	const char		*seps[] = { " \xe2\x94\x82 ", " | ", "  ", " " };
	char			 buf[64];
	size_t			 n, i;
	int			 cols, room, level, s, x, over, keep, fixed;

	cols = getmaxx(w);
	ui->page_shown = status_pic_old(ui);
	room = cols - STATUS_CLOCK_W - 1 - (ui->page_shown ? STATUS_PAGE_W :
	    0);
	n = status_segments(ui, sv, sizeof sv / sizeof sv[0]);
	fixed = status_fixed(ui);
	for (level = SD_KEEP; level < SD_JOINT; level++)
		if (status_width(ui, sv, n, level, " ") <= room)
			break;
	if (status_width(ui, sv, n, level, " ") - status_give(ui, sv, 8) >
	    room) {
		level = SD_ACROSS;
		if (status_width(ui, sv, n, level, " ") -
		    status_give(ui, sv, 8) > room) {
			/* Thousands of units, or much to say: the brief
			   forms, then leave out by rank. */
			for (i = 0; i < n; i++)
				if (sv[i].brief[0] != '\0')
					memcpy(sv[i].text, sv[i].brief,
					    sizeof sv[i].brief);
			while (level < SD_LAST && status_width(ui, sv, n,
			    level, " ") - status_give(ui, sv, 4) > room)
				level++;
		}
	}
	over = status_width(ui, sv, n, level, " ") - room;
	if (over > 0 && !fixed) {
		keep = ui_width(ui, sv[0].text) - over - 1;
		if (keep < 4)
			keep = 4;
		ui_text(ui, sv[0].text, keep, buf, sizeof buf - 1);
		strcat(buf, "~");
		snprintf(sv[0].text, sizeof sv[0].text, "%s", buf);
	}
	for (s = ui->utf8 ? 0 : 1; s < 3; s++)
		if (status_width(ui, sv, n, level, seps[s]) <= room)
			break;

	/* A segment that does not fit whole is left out, never cut: a cut
	   number would read as another number. */
	x = 0;
	for (i = 0; i < n; i++) {
		if (sv[i].drop > 0 && sv[i].drop <= level)
			continue;
		if ((x > 0 ? ui_width(ui, seps[s]) : 0) +
		    ui_width(ui, sv[i].text) +
		    (sv[i].age ? STATUS_AGE_W + 1 : 0) > room - x)
			continue;
		if (x > 0)
			x += ui_put(ui, w, 0, x, seps[s], room - x, A_NORMAL);
		x += ui_put(ui, w, 0, x, sv[i].text, room - x, sv[i].attr);
		if (sv[i].age) {
			x++;
			ui->age_x = x;
			status_link_age(ui, buf, sizeof buf);
			x += ui_put(ui, w, 0, x, buf, room - x, A_NORMAL);
		}
	}
	ui->clock_x = cols - STATUS_CLOCK_W;
	if (ui->page_shown) {
		status_pic_age(ui, buf, sizeof buf);
		ui_put(ui, w, 0, ui->clock_x - STATUS_PAGE_W, buf,
		    STATUS_PAGE_W, ui_attr(ui, ROLE_WARN));
	}
	status_clock(status_pclock(ui), buf, sizeof buf);
	ui_put(ui, w, 0, ui->clock_x, buf, STATUS_CLOCK_W, A_NORMAL);
	ui->drawn_second = isfinite(ui->now) ? (long)floor(ui->now) : -1;
}

/* A clock tick: rewrite the link age and the clock fields, nothing else. */
void
view_status_draw_clock(struct ui *ui, WINDOW *w)
{
	char	buf[32];

	if (status_pic_old(ui) != ui->page_shown) {
		/* The picture's age comes or goes: a new layout. */
		werase(w);
		view_status_draw(ui, w);
		return;
	}
	status_link_age(ui, buf, sizeof buf);
	ui_put(ui, w, 0, ui->age_x, buf, STATUS_AGE_W, A_NORMAL);
	if (ui->page_shown) {
		status_pic_age(ui, buf, sizeof buf);
		ui_put(ui, w, 0, ui->clock_x - STATUS_PAGE_W, buf,
		    STATUS_PAGE_W, ui_attr(ui, ROLE_WARN));
	}
	status_clock(status_pclock(ui), buf, sizeof buf);
	ui_put(ui, w, 0, ui->clock_x, buf, STATUS_CLOCK_W, A_NORMAL);
	ui->drawn_second = isfinite(ui->now) ? (long)floor(ui->now) : -1;
}

void
view_foot_draw(struct ui *ui, WINDOW *w)
{
	static const char *const titles[VIEW_COUNT] = {
#define X(id, title, fn) title,
		UI_VIEWS(X)
#undef X
	};
	int	cols, x, i;

	cols = getmaxx(w);
	if (ui->prompt != PROMPT_NONE) {
		x = ui_put(ui, w, 0, 0, ui->prompt == PROMPT_SEARCH ?
		    "search callsign/id: " : ui->prompt == PROMPT_TIME ?
		    "go to time (HH:MM[:SS]): " : ui->prompt == PROMPT_SECTOR ?
		    "sector code: " : view_requests_prompt_label(ui), cols,
		    A_BOLD);
		x += ui_put(ui, w, 0, x, ui->prompt_buf, cols - x - 1,
		    A_NORMAL);
		ui_put(ui, w, 0, x, "_", 1, A_BLINK);
		ui_put(ui, w, 0, x + 2, "(Enter: ok, Esc: cancel)", cols - x - 2,
		    ui_attr(ui, ROLE_DIM));
		return;
	}
	/* The answer to the key just pressed, until the next key; then
	   the alert again. */
	if (ui->msg[0] != '\0') {
		ui_put(ui, w, 0, 0, ui->msg, cols, A_BOLD);
		return;
	}
	if (ui->alerts != NULL && ui->alerts->n > (size_t)ui->acks) {
		/* The oldest unacknowledged alert, and how many queue. */
		const struct alert	*al = &ui->alerts->v[ui->acks];
		size_t			 left = ui->alerts->n - (size_t)ui->acks;

		wbkgdset(w, ' ' | ui_attr(ui, ROLE_ALERT));
		werase(w);
		x = 0;
		if (left > 1)
			x = ui_putf(ui, w, 0, 0, cols, ui_attr(ui, ROLE_ALERT),
			    "[1/%zu] ", left);
		ui_put_cut(ui, w, 0, x, al->text, cols - x - 8,
		    ui_attr(ui, ROLE_ALERT));
		ui_put(ui, w, 0, cols - 7, "a: ack", 6,
		    ui_attr(ui, ROLE_ALERT));
		wbkgdset(w, ' ');
		return;
	}
	if (ui->link != NULL && ui->link->state == LINK_DOWN &&
	    ui->link->error[0] != '\0') {
		/* Why the link is down matters more than the tabs (which
		   ? lists): the status line has room only for "DOWN". */
		x = ui_put(ui, w, 0, 0, "link DOWN: ", cols - 8,
		    ui_attr(ui, ROLE_BAD));
		ui_put_cut(ui, w, 0, x, ui->link->error, cols - 8 - x,
		    A_NORMAL);
		ui_put(ui, w, 0, cols - 7, "q quit", 6, ui_attr(ui, ROLE_DIM));
		return;
	}
	if (ui->replaying) {
		/* The replay's keys, in place of the tabs. */
		static const struct {
			int		 ch;
			const char	*word;
		} rk[] = {
#define X(c, r, word) { c, word },
			UI_REPLAY_KEYS(X)
#undef X
		};

		char		buf[160];
		size_t		n = 0, nk = sizeof rk / sizeof rk[0], j;

		buf[0] = '\0';
		for (i = 0; i < (int)nk; i = (int)j) {
			/* "z pause  . , step  ...": a word for each group */
			n += (size_t)snprintf(buf + n, sizeof buf - n, "  %c",
			    rk[i].ch);
			for (j = (size_t)i + 1; j < nk && rk[j].word == NULL &&
			    n < sizeof buf; j++)
				n += (size_t)snprintf(buf + n, sizeof buf - n,
				    " %c", rk[j].ch);
			if (n < sizeof buf)
				n += (size_t)snprintf(buf + n, sizeof buf - n,
				    " %s", rk[i].word);
			if (n >= sizeof buf)
				break;
		}
		x = ui_put(ui, w, 0, 0, "REPLAY", cols, ui_attr(ui, ROLE_WARN));
		ui_put(ui, w, 0, x, buf, cols - x - 8, A_NORMAL);
		ui_put(ui, w, 0, cols - 7, "q quit", 6, ui_attr(ui, ROLE_DIM));
		return;
	}
	if (ui->link != NULL && ui->link->last_rejected > 0) {
		/* Why units are missing: the first rejection, in place of
		   the tabs; all of a full answer rejected in red. */
		x = ui_putf(ui, w, 0, 0, cols - 8, ui_attr(ui,
		    ui->link->all_rejected ? ROLE_BAD : ROLE_WARN),
		    ui->link->all_rejected ? "all %lu rejected: " :
		    "%lu rejected: ", ui->link->last_rejected);
		ui_put_cut(ui, w, 0, x, ui->link->reject_note, cols - 8 - x,
		    A_NORMAL);
		ui_put(ui, w, 0, cols - 7, "q quit", 6, ui_attr(ui, ROLE_DIM));
		return;
	}
	x = 0;
	for (i = 0; i < VIEW_COUNT; i++) {
		attr_t	a = i == (int)ui->view ? ui_attr(ui, ROLE_SELECT) :
		    A_NORMAL;

		if (i == VIEW_HELP)
			x += ui_putf(ui, w, 0, x, cols - x, a, " ? %s ",
			    titles[i]);
		else
			x += ui_putf(ui, w, 0, x, cols - x, a, " %d %s ",
			    i + 1, titles[i]);
	}
	ui_put(ui, w, 0, cols - 7, "q quit", 6, ui_attr(ui, ROLE_DIM));
}
