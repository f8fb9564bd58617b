/*
 * live.c: the terminal COP's main loop (see live.h).
 *
 * Signal handlers only set a flag; the loop notices it after the wait.
 * SIGHUP (a dropped SSH session) ends the program like q does, so the
 * terminal is restored whenever that is still possible.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "live.h"
#include "replay.h"
#include "util.h"

static volatile sig_atomic_t live_quit;

static void
live_signal(int sig)
{
	live_quit = sig;
}

static double
live_wall_clock(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return ((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

void
live_config_defaults(struct live_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	picture_config_defaults(&cfg->pcfg);
}

/* What the officer asked of the requests, applied to the book. */
static void
live_requests(struct ui *ui, struct cop *cop, struct reqlink *rl,
    const struct live_config *cfg, double now)
{
	struct ui_reqact	 act[UI_REQACT_MAX];
	char			 why[256], id[REQ_ID_MAX + 1], msg[320];
	double			 pnow = cop_clock(cop, now);
	size_t			 i, n;

	n = ui_req_actions(ui, act, UI_REQACT_MAX);
	for (i = 0; i < n; i++) {
		if (act[i].op == UI_REQ_COMPOSE) {
			if (reqbook_compose(&rl->book, act[i].kind,
			    act[i].a_km, act[i].b_km, act[i].gap,
			    act[i].sector, act[i].text, NAN, pnow,
			    cfg->map->length_km, id, why, sizeof why) ==
			    BC_OK) {
				snprintf(msg, sizeof msg, "request %s: cover "
				    "%.1f-%.1f km asked of the other side", id,
				    act[i].a_km, act[i].b_km);
				ui_say(ui, "%s", msg);
			} else
				ui_say(ui, "%s", why);
		} else if (reqbook_answer(&rl->book, act[i].id,
		    &act[i].answer, why, sizeof why) != BC_OK)
			ui_say(ui, "%s", why);
		else if (act[i].answer.state != RS_SEEN)
			ui_say(ui, "%s: %s", act[i].id,
			    req_state_names[act[i].answer.state]);
	}
	if (n > 0)
		ui_link_changed(ui);
}

/* The requests of a replay as they stood at its time, read-only, to the
   view when they changed. */
static void
live_replay_requests(struct ui *ui, const struct live_config *cfg,
    struct source *src, int force)
{
	const char		*codes[NSIDES];
	const struct reqbook	*b;
	struct replay		*rp;
	int			 s, changed;

	if (src == NULL || (rp = source_replay(src)) == NULL)
		return;
	for (s = 0; s < NSIDES; s++)
		codes[s] = cfg->map->sides[s].code;
	b = replay_requests(rp, codes, &changed);
	if (changed || force)
		ui_set_requests(ui, b);
}

/* The replay entered from the live picture ('R'), beside the live one. */
struct live_replay {
	struct source	*src;		/* NULL: showing the live picture */
	struct cop	 cop;
	int		 shown;		/* its picture was given to the ui */
};

/* Show a source's engine: no picture until it has one. */
static void
live_show(struct ui *ui, const struct live_config *cfg, struct cop *cop,
    struct source *src)
{
	/* The alerts first: giving the picture looks at them. */
	ui_set_alerts(ui, &cop->alerts);
	ui_set_recency(ui, &cop->rec);
	ui_set_trails(ui, &cop->trails);
	ui_set_requests(ui, cfg->reqs != NULL ? &cfg->reqs->book : NULL);
	ui_set_data(ui, cop_picture(cop), cfg->map, source_link(src),
	    &cop->log);
	ui_picture_changed(ui);
}

/* 'R': the journal of this session, from its start, paused at now. */
static void
live_replay_enter(struct ui *ui, const struct live_config *cfg,
    struct cop *cop, struct source *src, struct live_replay *lr, double now)
{
	struct source_config	sc;
	char			why[512];

	if (cfg->journal == NULL || !isfinite(journal_session_start(
	    cfg->journal))) {
		ui_say(ui, "no journal of this session to replay%s",
		    cfg->journal == NULL ? " (--no-journal, or the demo "
		    "without --journal)" : " yet");
		return;
	}
	source_config_defaults(&sc);
	sc.kind = SOURCE_REPLAY;
	sc.replay_dir = journal_dir(cfg->journal);
	sc.replay_from = journal_session_start(cfg->journal);
	sc.replay_start = cop_clock(cop, now);
	sc.replay_paused = 1;
	sc.replay_quiet = 1;	/* the screen is the terminal's */
	if (source_new(&sc, cfg->map, now, &lr->src, why, sizeof why) !=
	    BC_OK) {
		ui_say(ui, "%s", why);
		return;
	}
	cop_init(&lr->cop, &cop->cfg, lr->src);
	lr->shown = 0;
	ui_set_alerts(ui, &lr->cop.alerts);
	ui_set_data(ui, NULL, cfg->map, source_link(lr->src), &lr->cop.log);
	ui_set_recency(ui, &lr->cop.rec);
	ui_set_trails(ui, &lr->cop.trails);
	live_replay_requests(ui, cfg, lr->src, 1);
	ui_picture_changed(ui);
}

static void
live_replay_leave(struct live_replay *lr)
{
	if (lr->src == NULL)
		return;
	cop_done(&lr->cop);
	source_free(lr->src);
	lr->src = NULL;
}

/* A replay key: the driver owns the sources, so it acts here. */
static void
live_replay_key(struct ui *ui, const struct live_config *cfg,
    struct cop *cop, struct source *src, struct live_replay *lr, double now)
{
	struct replay	*rp;
	enum ui_replay	 req;
	char		 arg[128], text[160], hms[32];
	double		 t;

	req = ui_replay_take(ui, arg, sizeof arg);
	if (req == UIR_NONE)
		return;
	/* R: into this session's journal, and again: back to live. */
	if (req == UIR_ENTER && lr->src != NULL) {
		/* The screen is given the live engine before the replay's
		   is freed: it never points at a freed one. */
		live_show(ui, cfg, cop, src);
		live_replay_leave(lr);
		ui_say(ui, "live");
		return;
	}
	if (req == UIR_ENTER && source_kind(src) == SOURCE_REPLAY) {
		ui_say(ui, "no live feed: started with --replay");
		return;
	}
	if (req == UIR_ENTER) {
		live_replay_enter(ui, cfg, cop, src, lr, now);
		return;
	}
	rp = source_replay(lr->src != NULL ? lr->src : src);
	if (rp == NULL) {
		ui_say(ui, "not replaying: R replays this session");
		return;
	}
	time_format_rfc3339(replay_clock(rp, now), hms, sizeof hms);
	switch (req) {
	case UIR_PAUSE:
		replay_pause(rp, now, !replay_paused(rp));
		break;
	case UIR_FWD:
	case UIR_BACK:
		if (!replay_change(rp, now, req == UIR_FWD ? 1 : -1))
			ui_say(ui, "no recorded change %s %s", req ==
			    UIR_FWD ? "after" : "before", hms);
		break;
	case UIR_FASTER:
	case UIR_SLOWER:
		ui_say(ui, "replay at %gx", replay_speed_step(rp, now,
		    req == UIR_FASTER ? 1 : -1));
		break;
	case UIR_NEXT_ALERT:
	case UIR_PREV_ALERT:
		if (replay_alert(rp, now, req == UIR_NEXT_ALERT ? 1 : -1,
		    text, sizeof text))
			ui_say(ui, "alert: %s", text);
		else
			ui_say(ui, "no alert recorded %s %s", req ==
			    UIR_NEXT_ALERT ? "after" : "before", hms);
		break;
	case UIR_GOTO:
		if (replay_parse_time(arg, replay_clock(rp, now), &t) != 0)
			ui_say(ui, "not a time: %s (HH:MM[:SS] or RFC 3339)",
			    arg);
		else if (t < replay_first(rp) || t > replay_last(rp))
			ui_say(ui, "%s is outside the journal", arg);
		else
			replay_seek(rp, now, t);
		break;
	default:
		break;
	}
	ui_link_changed(ui);
}

void
live_loop(struct ui *ui, struct cop *cop, struct source *src,
    const struct live_config *cfg)
{
	double		(*clock)(void) = cfg->clock != NULL ? cfg->clock :
			    live_wall_clock;
	struct live_replay lr;
	struct cop	*vcop;
	struct source	*vsrc;
	double		 now;
	unsigned long	 steps = 0, total;
	int		 ms, tms, changed, shown = 0, r, n;
	char		 swhy[256];

	memset(&lr, 0, sizeof lr);
	/* No picture until the source applied a message: the views say
	   so, and the status line shows the link (WAIT, then its state). */
	ui_set_data(ui, NULL, cfg->map, source_link(src), &cop->log);
	ui_set_alerts(ui, &cop->alerts);
	ui_set_recency(ui, &cop->rec);
	ui_set_trails(ui, &cop->trails);
	if (cfg->reqs != NULL)
		ui_set_requests(ui, &cfg->reqs->book);
	live_replay_requests(ui, cfg, src, 1);
	ui_picture_changed(ui);

	while (!live_quit) {
		now = clock();
		ui_set_offset(ui, cop_clock(cop, now) - now);
		ui_tick(ui, now);
		ui_draw(ui);
		if (cfg->max_steps > 0 && steps++ >= cfg->max_steps)
			break;

		ms = source_timeout_ms(src, now);
		if (lr.src != NULL && (tms = source_timeout_ms(lr.src, now)) >=
		    0 && (ms < 0 || tms < ms))
			ms = tms;
		tms = ui_timeout_ms(ui, now);
		if (tms >= 0 && (ms < 0 || tms < ms))
			ms = tms;
		tms = (int)ceil((cop->built_at + cop->cfg.tick_s - now) *
		    1000);
		if (tms < 0)
			tms = 0;
		if (ms < 0 || tms < ms)
			ms = tms;
		if (cfg->reqs != NULL &&
		    ((tms = reqlink_timeout_ms(cfg->reqs, now)) < ms ||
		    ms < 0))
			ms = tms;
		source_wait(src, ui_fd(ui), ms);
		if (live_quit)
			break;

		/* The live engine goes on, and is recorded, while a replay
		   is shown. */
		now = clock();
		changed = cop_step(cop, src, now);
		journal_step(cfg->journal, cop_clock(cop, now), &cop->units,
		    source_link(src), &cop->log, &cop->alerts);
		/* Lost events are counted by the sink; the picture on
		   screen is what matters here. */
		if (cfg->cot != NULL && (changed & COP_PICTURE) &&
		    cop_picture(cop) != NULL)
			(void)cot_update(cfg->cot, cop_picture(cop),
			    cop_clock(cop, now), (changed & COP_POLLED) != 0,
			    swhy, sizeof swhy);
		vcop = cop;
		vsrc = src;
		if (lr.src != NULL) {
			vcop = &lr.cop;
			vsrc = lr.src;
			changed = cop_step(vcop, vsrc, now);
		}
		live_replay_requests(ui, cfg, vsrc, 0);
		if (changed & COP_PICTURE) {
			if (vcop == cop ? !shown : !lr.shown)
				ui_set_data(ui, cop_picture(vcop), cfg->map,
				    source_link(vsrc), &vcop->log);
			if (vcop == cop)
				shown = 1;
			else
				lr.shown = 1;
			ui_picture_changed(ui);
		} else if (changed & (COP_LINK | COP_EVENTS | COP_POLLED |
		    COP_ALERTS))
			ui_link_changed(ui);
		total = cop->log.total;
		if (cfg->reqs != NULL && reqlink_step(cfg->reqs, clock(),
		    cop_picture(cop), cop_clock(cop, clock()), &cop->log)) {
			cop_notice(cop, total, clock());
			ui_link_changed(ui);
		}
		if (cfg->reqs != NULL)
			journal_requests(cfg->journal, cop_clock(cop, clock()),
			    &cfg->reqs->book);

		ui_set_replaying(ui, lr.src != NULL ||
		    source_kind(src) == SOURCE_REPLAY);
		r = ui_input(ui);
		if (r & UI_QUIT)
			break;
		if (cfg->reqs != NULL) {
			live_requests(ui, cop, cfg->reqs, cfg, clock());
			/* What the officer asked, recorded at once. */
			journal_requests(cfg->journal, cop_clock(cop, clock()),
			    &cfg->reqs->book);
		}
		/* Acknowledgement is the engine's: an event of its own.  In
		   a replay, its alerts are acknowledged in the replay. */
		for (n = ui_acks(ui); n > 0; n--)
			cop_ack(lr.src != NULL ? &lr.cop : cop, clock());
		if (r & UI_ACK)
			ui_picture_changed(ui);	/* the events list too */
		if (r & UI_REPLAY) {
			live_replay_key(ui, cfg, cop, src, &lr, clock());
			if (lr.src == NULL)
				shown = cop_picture(cop) != NULL;
		}
	}
	live_replay_leave(&lr);
}

enum bc_status
live_run(struct source *src, const struct live_config *cfg,
    const struct ui_options *uo, char *why, size_t whylen)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction	 sa, old[3];
	struct cop_config	 cc;
	struct cop		 cop;
	struct ui		*ui;
	size_t			 i;

	live_quit = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = live_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	if ((ui = ui_new(uo, why, whylen)) == NULL) {
		for (i = 0; i < 3; i++)
			sigaction(sigs[i], &old[i], NULL);
		return (BC_IO);
	}
	cop_config_defaults(&cc);
	cc.map = cfg->map;
	cc.pcfg = cfg->pcfg;
	cc.now_fixed = cfg->now_fixed;
	if (uo->alert_gap_km > 0)
		cc.alert_gap_km = uo->alert_gap_km;
	cc.sector_floor = cfg->sector_floor;
	cop_init(&cop, &cc, src);
	live_loop(ui, &cop, src, cfg);
	ui_free(ui);
	cop_done(&cop);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return (BC_OK);
}
