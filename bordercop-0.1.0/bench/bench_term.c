/*
 * bench_term.c: bytes the terminal UI writes to a pty of fixed size.
 *
 * The UI runs in UTF-8 with 256 colours against a 120x40 pty, on the
 * shipped map, with the scenario engine driving 20 units.  A reader
 * thread counts every byte that reaches the pty's master side.  After a
 * warm-up, each poll (60 s of simulated time: units move, the picture is
 * rebuilt, gaps tracked, the map redrawn) is measured, then an idle
 * minute of clock ticks.  Targets: at most 2 KB per poll and 100 B per
 * idle second.  It prints measured against target and never fails.
 *
 * Usage: bench_term [SRCDIR]  (to find maps/us-mx.geojson)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/poll.h>	/* src/poll.h is the API poller */
#include <pthread.h>
#include <pty.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "events.h"
#include "gaptrack.h"
#include "link.h"
#include "map.h"
#include "picture.h"
#include "scenario.h"
#include "ui.h"
#include "util.h"

#define BENCH_COLS	120
#define BENCH_ROWS	40
#define BENCH_UNITS	20
#define BENCH_POLLS	30
#define BENCH_POLL_S	60.0
#define BENCH_IDLE_S	60
#define TARGET_POLL	2048
#define TARGET_IDLE	100

static int		 bench_master;
static pthread_mutex_t	 bench_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t		 bench_bytes;
static int		 bench_stop;

/* Count and discard everything the UI writes, so it never blocks. */
static void *
bench_reader(void *arg)
{
	char		buf[65536];
	struct pollfd	pfd;
	ssize_t		n;

	(void)arg;
	pfd.fd = bench_master;
	pfd.events = POLLIN;
	for (;;) {
		pthread_mutex_lock(&bench_lock);
		if (bench_stop) {
			pthread_mutex_unlock(&bench_lock);
			break;
		}
		pthread_mutex_unlock(&bench_lock);
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = read(bench_master, buf, sizeof buf);
		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			break;
		}
		pthread_mutex_lock(&bench_lock);
		bench_bytes += (uint64_t)n;
		pthread_mutex_unlock(&bench_lock);
	}
	return (NULL);
}

/*
 * Bytes counted once the pty has been quiet for a moment and nothing is
 * left unread in it: on a loaded machine the reader can lag the quiet
 * period, and its bytes would be counted against the next poll.
 */
static uint64_t
bench_settle(void)
{
	uint64_t	last, now;
	int		pending;

	pthread_mutex_lock(&bench_lock);
	now = bench_bytes;
	pthread_mutex_unlock(&bench_lock);
	do {
		last = now;
		usleep(60000);
		if (ioctl(bench_master, FIONREAD, &pending) == -1)
			pending = 0;
		pthread_mutex_lock(&bench_lock);
		now = bench_bytes;
		pthread_mutex_unlock(&bench_lock);
	} while (now != last || pending > 0);
	return (now);
}

static void
bench_feed(struct scenario *sc, struct unit_table *t)
{
	struct report	*r;
	size_t		 n, i;

	r = scenario_reports(sc, &n);
	units_clear(t);
	for (i = 0; i < n; i++)
		units_merge(t, &r[i]);
	free(r);
}

int
main(int argc, char **argv)
{
	const char		*srcdir = argc > 1 ? argv[1] : ".";
	struct winsize		 ws = { BENCH_ROWS, BENCH_COLS, 0, 0 };
	struct border_map	*map;
	struct scenario		*sc;
	struct unit_table	 units;
	struct picture		 pic;
	struct picture_config	 cfg;
	struct gaptrack		 gt;
	struct event_log	 log;
	struct link_status	 link;
	struct ui_options	 o;
	struct ui		*ui;
	pthread_t		 th;
	FILE			*out, *in;
	char			 path[1024], why[256];
	double			 t0, t;
	uint64_t		 b0, b1, total[2], worst[2], idle, first = 0;
	int			 slave, i, s, zoom;

	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	snprintf(path, sizeof path, "%s/maps/us-mx.geojson", srcdir);
	if (map_load_file(path, &map, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_term: %s\n", why);
		return (1);
	}
	if (openpty(&bench_master, &slave, NULL, NULL, &ws) == -1) {
		perror("bench_term: openpty");
		return (1);
	}
	out = fdopen(slave, "w");
	in = fdopen(dup(slave), "r");
	pthread_create(&th, NULL, bench_reader, NULL);

	time_parse_rfc3339("2026-11-28T02:00:00Z", &t0);
	sc = scenario_new(map, 7, BENCH_UNITS, t0);
	units_init(&units);
	picture_init(&pic);
	picture_config_defaults(&cfg);
	gaptrack_init(&gt);
	events_init(&log, 256);
	memset(&link, 0, sizeof link);
	link.state = LINK_OK;
	link.demo = 1;
	snprintf(link.source, sizeof link.source, "DEMO");

	ui_options_defaults(&o);
	ui = ui_new_term(&o, "xterm-256color", out, in, why, sizeof why);
	if (ui == NULL) {
		fprintf(stderr, "bench_term: %s\n", why);
		return (1);
	}
	ui_set_data(ui, &pic, map, &link, &log);

	/* Warm-up: the first full screen, then two polls; then the
	   measured polls at fit zoom and, as a harder case, zoomed in
	   three steps (units move across more cells). */
	t = t0;
	for (zoom = 0; zoom < 2; zoom++) {
		if (zoom == 1) {
			ui_key(ui, '+');
			ui_key(ui, '+');
			ui_key(ui, '+');
			ui_draw(ui);
		}
		total[zoom] = worst[zoom] = 0;
		for (i = -3; i < BENCH_POLLS; i++) {
			b0 = bench_settle();
			t += BENCH_POLL_S;
			scenario_advance(sc, t);
			bench_feed(sc, &units);
			picture_build(&pic, map, &units, &cfg, t);
			gaptrack_update(&gt, &pic, &log);
			link.last_good = t;
			ui_picture_changed(ui);
			ui_input(ui);
			ui_tick(ui, t);
			ui_draw(ui);
			b1 = bench_settle();
			if (i == -3 && zoom == 0)
				first = b1 - b0;
			if (i < 0)
				continue;
			total[zoom] += b1 - b0;
			if (b1 - b0 > worst[zoom])
				worst[zoom] = b1 - b0;
		}
	}

	/* Idle: the clock ticks once a second, nothing else changes. */
	b0 = bench_settle();
	for (s = 1; s <= BENCH_IDLE_S; s++) {
		ui_input(ui);
		ui_tick(ui, t + s);
		ui_draw(ui);
	}
	idle = bench_settle() - b0;

	printf("bench-term: %dx%d pty, UTF-8, 256 colours, %d units, "
	    "%d polls of %.0f s\n", BENCH_COLS, BENCH_ROWS, BENCH_UNITS,
	    BENCH_POLLS, BENCH_POLL_S);
	printf("  first screen      %6llu B\n", (unsigned long long)first);
	for (zoom = 0; zoom < 2; zoom++) {
		printf("  per poll, %s mean %6.0f B  worst %6llu B  target <= "
		    "%d B  %s\n", zoom ? "zoomed" : "fit   ",
		    (double)total[zoom] / BENCH_POLLS,
		    (unsigned long long)worst[zoom], TARGET_POLL,
		    total[zoom] / BENCH_POLLS <= TARGET_POLL ? "ok" : "OVER");
	}
	printf("  idle              %6.1f B/s  target <= %d B/s  %s\n",
	    (double)idle / BENCH_IDLE_S, TARGET_IDLE,
	    idle / BENCH_IDLE_S <= TARGET_IDLE ? "ok" : "OVER");

	ui_free(ui);
	pthread_mutex_lock(&bench_lock);
	bench_stop = 1;
	pthread_mutex_unlock(&bench_lock);
	pthread_join(th, NULL);
	fclose(out);
	fclose(in);
	close(bench_master);
	events_done(&log);
	gaptrack_done(&gt);
	picture_done(&pic);
	units_done(&units);
	scenario_free(sc);
	border_free(map);
	return (0);
}
