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

#include "live.h"

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

/*
 * Alerts and their acknowledgements go to the journal as the ui raises
 * and clears them: *alert counts both, so the alert showing is number
 * (*alert + 1) / 2.
 */
static void
live_alerts(struct ui *ui, struct journal *j, double t, unsigned *alert)
{
	char	why[256];

	if (ui_alerting(ui) == (int)(*alert & 1))
		return;
	(*alert)++;
	if (j == NULL || journal_error(j) != NULL)
		return;
	if (*alert & 1)
		journal_alert(j, t, (*alert + 1) / 2, ui_alert_text(ui), why,
		    sizeof why);
	else
		journal_ack(j, t, (*alert + 1) / 2, why, sizeof why);
}

void
live_loop(struct ui *ui, struct cop *cop, struct source *src,
    const struct live_config *cfg)
{
	double		(*clock)(void) = cfg->clock != NULL ? cfg->clock :
			    live_wall_clock;
	double		 now;
	unsigned long	 steps = 0, jseen = 0;
	int		 ms, tms, changed, shown = 0;
	unsigned	 alert = 0;	/* odd: an alert is showing */

	/* No picture until the source applied a message: the views say
	   so, and the status line shows the link (WAIT, then its state). */
	ui_set_data(ui, NULL, cfg->map, source_link(src), &cop->log);
	ui_picture_changed(ui);

	while (!live_quit) {
		now = clock();
		ui_tick(ui, now);
		ui_draw(ui);
		if (cfg->max_steps > 0 && steps++ >= cfg->max_steps)
			break;

		ms = source_timeout_ms(src, now);
		tms = ui_timeout_ms(ui, now);
		if (tms >= 0 && (ms < 0 || tms < ms))
			ms = tms;
		tms = (int)ceil((cop->built_at + cop->cfg.tick_s - now) *
		    1000);
		if (tms < 0)
			tms = 0;
		if (ms < 0 || tms < ms)
			ms = tms;
		source_wait(src, ui_fd(ui), ms);
		if (live_quit)
			break;

		now = clock();
		changed = cop_step(cop, src, now);
		if (changed != 0)
			journal_step(cfg->journal, cop_clock(cop, now),
			    &cop->units, source_link(src), &cop->log, &jseen);
		if (changed & COP_PICTURE) {
			if (!shown)
				ui_set_data(ui, cop_picture(cop), cfg->map,
				    source_link(src), &cop->log);
			shown = 1;
			ui_picture_changed(ui);
		} else if (changed & (COP_LINK | COP_EVENTS | COP_POLLED))
			ui_link_changed(ui);
		live_alerts(ui, cfg->journal, cop_clock(cop, now), &alert);

		if (ui_input(ui) & UI_QUIT)
			break;
		live_alerts(ui, cfg->journal, cop_clock(cop, clock()), &alert);
	}
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
	cop_init(&cop, &cc, src);
	live_loop(ui, &cop, src, cfg);
	ui_free(ui);
	cop_done(&cop);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return (BC_OK);
}
