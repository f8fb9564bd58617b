/*
 * ui.h: the terminal common operating picture (curses), as main.c sees it.
 *
 * The ui borrows a picture, a map, the link status and the event log, and
 * never changes them.  It owns the terminal from ui_new() to ui_free(),
 * which restores it.  It never waits: the caller's single wait point
 * watches ui_fd() (the terminal) and the network, then calls, in order:
 *
 *	feed step -> picture_build -> ui_picture_changed(ui)
 *	ui_input(ui)		(drain keys; stop on UI_QUIT)
 *	ui_tick(ui, now)	(clock: dirties the clock and age fields only)
 *	ui_draw(ui)		(draw what is dirty, one doupdate())
 *
 * with a timeout of at most ui_timeout_ms(ui, now) so the clock ticks.
 * This header includes no curses: only ui.c and the view_*.c files do.
 */
#ifndef BORDERCOP_UI_H
#define BORDERCOP_UI_H

#include <stddef.h>
#include <stdio.h>

#include "border.h"
#include "events.h"
#include "link.h"
#include "picture.h"
#include "reqbook.h"
#include "request.h"
#include "recency.h"
#include "trails.h"
#include "status.h"

struct ui_options {
	int	ascii;		/* ASCII glyphs even in a UTF-8 locale */
	int	no_color;	/* monochrome (NO_COLOR is honoured too) */
	int	bell;		/* beep() once for each alert */
	double	alert_gap_km;	/* gaps this long are drawn as alerts (10) */
};

/* What ui_input() reports to the caller (a bit mask). */
#define UI_QUIT		0x01	/* the user asked to quit */
#define UI_DRAW		0x02	/* something must be drawn */
#define UI_ACK		0x04	/* acknowledge the oldest alert (ui_acks) */
#define UI_REPLAY	0x08	/* a replay key: ui_replay_take() says */

/* What a replay key asks of the driver, which owns the sources. */
enum ui_replay {
	UIR_NONE,
	UIR_ENTER,		/* replay this session's journal, or back
				   to the live picture */
	UIR_PAUSE,
	UIR_FWD,		/* one recorded change on */
	UIR_BACK,		/* one recorded change back */
	UIR_FASTER,
	UIR_SLOWER,
	UIR_NEXT_ALERT,
	UIR_PREV_ALERT,
	UIR_GOTO		/* arg: the time typed */
};

/*
 * What the officer asked of the requests: the caller (live.c) applies
 * them to its reqbook, which the ui only reads.  COMPOSE a request to
 * the other side; ANSWER one (a state, with a reason or a counter).
 */
#define UI_REQACT_MAX	16

enum ui_reqop {
	UI_REQ_COMPOSE,
	UI_REQ_ANSWER
};

struct ui_reqact {
	enum ui_reqop		 op;
	char			 id[REQ_ID_MAX + 1];	/* ANSWER */
	struct req_answer	 answer;		/* ANSWER */
	enum req_kind		 kind;			/* COMPOSE */
	double			 a_km, b_km;
	char			 gap[REQ_GAP_MAX + 1];
	char			 sector[REQ_SECTOR_MAX + 1];
	char			 text[REQ_TEXT_MAX + 1];
};

struct ui;

void		 ui_options_defaults(struct ui_options *);

/* Take the terminal on stdin/stdout.  NULL with why filled on failure. */
struct ui	*ui_new(const struct ui_options *, char *why, size_t whylen);
/* Take a given terminal (tests, benchmarks): term may be NULL for $TERM. */
/* Whether the terminal named term (NULL: $TERM) can show the picture:
   known to terminfo, with cursor addressing.  why says what is wrong. */
enum bc_status	 ui_term_check(const char *term, char *why, size_t whylen);
struct ui	*ui_new_term(const struct ui_options *, const char *term,
		    FILE *out, FILE *in, char *why, size_t whylen);
/* Restore the terminal and free everything. */
void		 ui_free(struct ui *);

/* Borrow the data; any pointer may be NULL until it exists. */
void		 ui_set_data(struct ui *, const struct picture *,
		    const struct border_map *, const struct link_status *,
		    const struct event_log *);
/* Borrow the engine's alert queue (the ui never changes it). */
void		 ui_set_alerts(struct ui *, const struct alert_queue *);
/* Borrow the engine's trails (the map's, key t). */
void		 ui_set_trails(struct ui *, const struct trails *);
/* Borrow the engine's coverage recency (the sectors view's strips). */
void		 ui_set_recency(struct ui *, const struct recency *);
/* Acknowledgements asked for by keys since the last call (the caller
   passes them to the engine, which owns the queue). */
int		 ui_acks(struct ui *);
/* Borrow the requests (NULL: none; the view says so). */
void		 ui_set_requests(struct ui *, const struct reqbook *);
/* Take the request actions asked for since the last call; returns how
   many were copied to out (at most max). */
size_t		 ui_req_actions(struct ui *, struct ui_reqact *out,
		    size_t max);
/* The picture was rebuilt (and the log or link may have changed). */
void		 ui_picture_changed(struct ui *);
/* Only the link status changed (a failed or empty poll). */
void		 ui_link_changed(struct ui *);

/* The descriptor to wait on for keys and resizes. */
int		 ui_fd(const struct ui *);
/* Drain pending keys; returns UI_QUIT / UI_DRAW bits. */
int		 ui_input(struct ui *);
/* Feed one key as if typed (tests and benchmarks). */
int		 ui_key(struct ui *, int key);
/* The clock: epoch s (UTC).  Dirties only the clock and age fields. */
void		 ui_tick(struct ui *, double now);
/* The picture clock's offset from the local clock (s): the status line
   shows the picture's (server's) time. */
void		 ui_set_offset(struct ui *, double offset);
/* Milliseconds until the clock's next whole second. */
int		 ui_timeout_ms(const struct ui *, double now);
/* Draw every dirty window, then one doupdate(). */
void		 ui_draw(struct ui *);
/* The terminal was resized behind curses' back (tests). */
void		 ui_resize(struct ui *, int cols, int rows);

/* Which view is shown: 0 map, 1 sectors, 2 units, 3 gaps, 4 help. */
int		 ui_view(const struct ui *);
/* Whether the screen is paused ('p'): it shows a copy of the picture of
   the moment; ui_set_data() and ui_picture_changed() only count. */
int		 ui_paused(const struct ui *);
/* Whether an unacknowledged alert is queued (shown in the footer). */
int		 ui_alerting(const struct ui *);
/* The replay key pressed last (UIR_NONE: none), cleared; for UIR_GOTO
   the text typed goes into arg. */
enum ui_replay	 ui_replay_take(struct ui *, char *arg, size_t len);
/* A replay is shown: its keys (UI_REPLAY_KEYS in view.h) work, and the
   footer lists them. */
void		 ui_set_replaying(struct ui *, int);
/* A one-line message in the footer until the next key. */
void		 ui_say(struct ui *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
