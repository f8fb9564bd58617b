/*
 * live.c: the terminal COP's main loop (see live.h).
 *
 * Signal handlers only set a flag; the loop notices it after the wait.
 * SIGHUP (a dropped SSH session) ends the program like q does, so the
 * terminal is restored whenever that is still possible.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "events.h"
#include "gaptrack.h"
#include "live.h"
#include "unit.h"
#include "watch.h"

#define LIVE_EVENTS	1000	/* events kept for the alerts view */
#define LIVE_AGE_TICK_S	5.0	/* picture rebuilt at least this often, so
				   that units go stale on time */

static volatile sig_atomic_t live_quit;

static void
live_signal(int sig)
{
	live_quit = sig;
}

static double
live_clock(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return ((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

enum bc_status
live_run(struct source *src, const struct border_map *map,
    const struct picture_config *pcfg, const struct ui_options *uo,
    struct journal *journal, char *why, size_t whylen)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction	 sa, old[3];
	struct unit_table	 units;
	struct picture		 pic;
	struct event_log	 log;
	struct gaptrack		 gt;
	struct ui		*ui;
	enum source_event	 ev;
	enum link_state		 link_was;
	char			 swhy[256];
	double			 now, built, offset;
	int			 ms, tms, shown, basis;
	size_t			 i;
	unsigned long		 jseen = 0;

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
	units_init(&units);
	picture_init(&pic);
	events_init(&log, LIVE_EVENTS);
	gaptrack_init(&gt);

	/* No picture until the source applied a message: the views say
	   so, and the status line shows the link (WAIT, then its state). */
	now = live_clock();
	built = now;
	shown = 0;
	ui_set_data(ui, NULL, map, source_link(src), &log);
	ui_picture_changed(ui);
	link_was = source_link(src)->state;
	basis = source_clock_basis(src);
	offset = 0;	/* until the feed tells its time: the local clock */

	while (!live_quit) {
		now = live_clock();
		ui_tick(ui, now);
		ui_draw(ui);

		ms = source_timeout_ms(src, now);
		tms = ui_timeout_ms(ui, now);
		if (tms >= 0 && (ms < 0 || tms < ms))
			ms = tms;
		tms = (int)ceil((built + LIVE_AGE_TICK_S - now) * 1000);
		if (tms < 0)
			tms = 0;
		if (ms < 0 || tms < ms)
			ms = tms;
		source_wait(src, ui_fd(ui), ms);
		if (live_quit)
			break;

		now = live_clock();
		ev = source_step(src, now, &units, swhy, sizeof swhy);
		if (source_clock_basis(src) > basis) {
			/* Times stamped on the local clock, now known to be
			   off by this much. */
			watch_clock_shift(&log, &gt, source_clock(src, now) -
			    now - offset);
			basis = source_clock_basis(src);
		}
		offset = source_clock(src, now) - now;
		if (ev == SOURCE_UPDATED || ev == SOURCE_SAME ||
		    ev == SOURCE_FAILED || now - built >= LIVE_AGE_TICK_S) {
			built = now;
			if (source_has_picture(src)) {
				picture_build(&pic, map, &units, pcfg,
				    source_clock(src, now));
				gaptrack_update(&gt, &pic, &log);
				if (!shown)
					ui_set_data(ui, &pic, map,
					    source_link(src), &log);
				shown = 1;
			}
			gaptrack_link(&gt, source_link(src),
			    source_clock(src, now), &log);
			journal_step(journal, source_clock(src, now),
			    ev == SOURCE_UPDATED ? &units : NULL,
			    source_link(src), &log, &jseen);
			ui_picture_changed(ui);
		} else if (source_link(src)->state != link_was)
			ui_link_changed(ui);
		link_was = source_link(src)->state;

		if (ui_input(ui) & UI_QUIT)
			break;
	}

	ui_free(ui);
	gaptrack_done(&gt);
	events_done(&log);
	picture_done(&pic);
	units_done(&units);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return (BC_OK);
}
