/*
 * test_cop.c: the engine, and the terminal's live loop over it, driven
 * by a fake clock and a scripted feed: a sequence of API v1 messages,
 * each with its server time, written in turn to the feed file that the
 * file source follows.  No terminal (the ui draws into /dev/null) and no
 * network.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cop.h"
#include "live.h"
#include "map.h"
#include "source.h"
#include "ui.h"
#include "util.h"
#include "watch.h"
#include "xmalloc.h"

#define SMALL_MAP	SRCDIR "/tests/data/maps/small.geojson"
#define T0		1795831200.0	/* 2026-11-28T02:00:00Z */

/* One unit of a scripted message: on the line at chainage s_km. */
struct su {
	const char	*id;
	int		 side;		/* 0 NO, 1 SU */
	double		 s_km;
	double		 r_km;
	double		 age_s;		/* report time = server time - age */
};

struct script {
	struct border_map	*map;
	char			 path[64];
	double			 clk;		/* the fake local clock */
	long			 seq;
};

static struct script	*sx;

static double
fake_clock(void)
{
	sx->clk += 0.25;
	return (sx->clk);
}

/* Write one full message at server time t (epoch s) with n units. */
static void
script_msg(double t, const struct su *u, size_t n)
{
	char	 st[40], rt[40], tmp[80];
	double	 lat, lon;
	size_t	 i;
	FILE	*f;

	snprintf(tmp, sizeof tmp, "%s.new", sx->path);
	f = fopen(tmp, "w");
	assert_non_null(f);
	time_format_rfc3339(t, st, sizeof st);
	fprintf(f, "{\"type\":\"FeatureCollection\",\"api\":"
	    "\"bordercop-coordination/1\",\"server_time\":\"%s\","
	    "\"full\":true,\"features\":[", st);
	for (i = 0; i < n; i++) {
		border_point_at(sx->map, u[i].s_km, &lat, &lon);
		time_format_rfc3339(t - u[i].age_s, rt, sizeof rt);
		fprintf(f, "%s{\"type\":\"Feature\",\"id\":\"%s\","
		    "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
		    "[%.6f,%.6f]},\"properties\":{\"side\":\"%s\","
		    "\"callsign\":\"C-%s\",\"kind\":\"vehicle\","
		    "\"status\":\"patrol\",\"seq\":%ld,\"time\":\"%s\","
		    "\"radius_m\":%.0f}}", i > 0 ? "," : "", u[i].id, lon,
		    lat, u[i].side ? "SU" : "NO", u[i].id, ++sx->seq, rt,
		    u[i].r_km * 1000);
	}
	fprintf(f, "]}\n");
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(tmp, sx->path), 0);
}

static int
setup(void **state)
{
	char	why[256];
	int	fd;

	(void)state;
	sx = xcalloc(1, sizeof *sx);
	assert_int_equal(map_load_file(SMALL_MAP, &sx->map, why, sizeof why),
	    BC_OK);
	snprintf(sx->path, sizeof sx->path, "/tmp/test_cop.XXXXXX");
	fd = mkstemp(sx->path);
	assert_true(fd >= 0);
	close(fd);
	sx->clk = 1000;
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	unlink(sx->path);
	border_free(sx->map);
	free(sx);
	sx = NULL;
	return (0);
}

static struct source *
file_source(void)
{
	struct source_config	 sc;
	struct source		*src;
	char			 why[256];

	source_config_defaults(&sc);
	sc.kind = SOURCE_FILE;
	sc.path = sx->path;
	assert_int_equal(source_new(&sc, sx->map, sx->clk, &src, why,
	    sizeof why), BC_OK);
	return (src);
}

static void
engine(struct cop *cop, struct source *src)
{
	struct cop_config	cc;

	cop_config_defaults(&cc);
	cc.map = sx->map;
	cop_init(cop, &cc, src);
}

/* Step on the fake clock until a step reports one of the bits. */
static int
step_until(struct cop *cop, struct source *src, int bits, int max)
{
	int	i, c = 0;

	for (i = 0; i < max; i++) {
		sx->clk += 0.5;
		if ((c = cop_step(cop, src, sx->clk)) & bits)
			return (c);
	}
	return (c);
}

static size_t
count_events(const struct cop *cop, enum event_type type)
{
	const struct event	*e;
	size_t			 i, n = 0;

	for (i = 0; (e = events_get(&cop->log, i)) != NULL; i++)
		n += e->type == type;
	return (n);
}

static const struct event *
newest_event(const struct cop *cop, enum event_type type)
{
	const struct event	*e;
	size_t			 i;

	for (i = 0; (e = events_get(&cop->log, i)) != NULL; i++)
		if (e->type == type)
			return (e);
	return (NULL);
}

/* Both sides cover the whole line but for a hole of 10 km at 40-50. */
static const struct su covered_but_40_50[] = {
	{ "N1", 0, 10, 10, 5 }, { "N2", 0, 30, 10, 5 },
	{ "N3", 0, 60, 10, 5 }, { "N4", 0, 80, 10, 5 },
	{ "N5", 0, 100, 10, 5 }, { "N6", 0, 120, 10, 5 },
};

/*
 * The engine's step: nothing shown before the first message, then a
 * picture as of the feed's server_time; an idle step changes nothing; the
 * age tick rebuilds; the next message's events are stamped with its
 * server time, not the local clock.
 */
static void
test_step(void **state)
{
	struct source		*src;
	struct cop		 cop;
	const struct event	*e;
	struct su		 u[6];
	int			 c;

	(void)state;
	script_msg(T0, covered_but_40_50, 6);
	src = file_source();
	engine(&cop, src);
	assert_null(cop_picture(&cop));

	c = step_until(&cop, src, COP_PICTURE, 4);
	assert_true(c & COP_PICTURE);
	assert_true(c & COP_POLLED);
	assert_non_null(cop_picture(&cop));
	assert_true(cop.pic.now == T0);
	assert_int_equal(cop.pic.ngaps, 1);
	assert_true(fabs(cop.pic.gaps[0].a - 40) < 0.5);
	assert_true(fabs(cop.pic.gaps[0].b - 50) < 0.5);
	/* The baseline raises nothing: the gap was open before. */
	assert_int_equal(count_events(&cop, EVENT_GAP_OPEN), 0);

	/* Nothing to read and no tick due: nothing changed. */
	sx->clk += 0.5;
	assert_int_equal(cop_step(&cop, src, sx->clk), 0);
	/* The age tick rebuilds without a message. */
	sx->clk += COP_TICK_S;
	c = cop_step(&cop, src, sx->clk);
	assert_true(c & COP_PICTURE);
	assert_false(c & COP_POLLED);

	/* A minute later N5 is gone: a new gap opens, on server time. */
	memcpy(u, covered_but_40_50, sizeof u);
	u[4].s_km = 118;
	script_msg(T0 + 60, u, 6);
	c = step_until(&cop, src, COP_POLLED, 20);
	assert_true(c & COP_EVENTS);
	assert_int_equal(cop.pic.ngaps, 2);
	assert_non_null(e = newest_event(&cop, EVENT_GAP_OPEN));
	assert_true(e->time == T0 + 60);
	assert_true(e->gap_id != 0);
	assert_int_equal(e->gap_id, cop.pic.gaps[1].id);

	cop_done(&cop);
	source_free(src);
}

/* A feed that fails (the file goes away) is a link event, the picture
   stays, and the step says why. */
static void
test_step_failure(void **state)
{
	struct source	*src;
	struct cop	 cop;
	int		 c;

	(void)state;
	script_msg(T0, covered_but_40_50, 6);
	src = file_source();
	engine(&cop, src);
	step_until(&cop, src, COP_PICTURE, 4);
	unlink(sx->path);
	c = step_until(&cop, src, COP_FAILED, 20);
	assert_true(c & COP_FAILED);
	assert_true(c & COP_LINK);
	assert_non_null(strstr(cop.why, "No such file"));
	assert_non_null(cop_picture(&cop));
	assert_int_equal(cop.pic.ngaps, 1);
	assert_int_equal(count_events(&cop, EVENT_LINK_DOWN), 1);
	cop_done(&cop);
	source_free(src);
}

/* The one-shot path of --report: the first message, or the failure. */
static void
test_once(void **state)
{
	struct source	*src;
	struct cop	 cop;
	char		 why[256];

	(void)state;
	script_msg(T0, covered_but_40_50, 6);
	src = file_source();
	engine(&cop, src);
	assert_int_equal(cop_once(&cop, src, fake_clock, why, sizeof why),
	    BC_OK);
	assert_int_equal(cop.pic.ngaps, 1);
	assert_true(source_last_msg(src)->server_time == T0);
	cop_done(&cop);
	source_free(src);

	unlink(sx->path);
	src = file_source();
	engine(&cop, src);
	assert_int_not_equal(cop_once(&cop, src, fake_clock, why,
	    sizeof why), BC_OK);
	assert_non_null(strstr(why, sx->path));
	assert_null(cop_picture(&cop));
	cop_done(&cop);
	source_free(src);
}

/* A new message at server time t, read by the engine. */
static int
feed(struct cop *cop, struct source *src, double t, const struct su *u,
    size_t n)
{
	script_msg(t, u, n);
	return (step_until(cop, src, COP_POLLED, 20));
}

/*
 * Alerts, from the engine's events only: a gap that grows past
 * --alert-gap alerts once; growing further, a split and a merge raise
 * nothing; a new long gap alerts; two alerts queue; an acknowledgement
 * takes the oldest and is an event; a link down for a minute alerts once.
 */
static void
test_alerts(void **state)
{
	struct source		*src;
	struct cop		 cop;
	struct su		 u[7];
	const struct event	*e;
	unsigned		 id;
	int			 c;

	(void)state;
	memcpy(u, covered_but_40_50, sizeof covered_but_40_50);
	u[0].s_km = u[0].r_km = 12;		/* 0-24 */
	u[1].s_km = 32;				/* the hole: 42-50 */
	src = file_source();
	engine(&cop, src);
	feed(&cop, src, T0, u, 6);
	assert_int_equal(cop.pic.ngaps, 1);
	id = cop.pic.gaps[0].id;
	assert_int_equal(cop.alerts.n, 0);

	u[1].s_km = 28;				/* 38-50: past 10 km */
	c = feed(&cop, src, T0 + 60, u, 6);
	assert_true(c & COP_ALERTS);
	assert_int_equal(cop.alerts.n, 1);
	assert_int_equal(cop.alerts.v[0].kind, ALERT_EXPOSED);
	assert_int_equal(cop.alerts.v[0].gap_id, id);
	assert_true(cop.alerts.v[0].time == T0 + 60);

	u[1].s_km = 26;				/* 36-50: grows on */
	c = feed(&cop, src, T0 + 120, u, 6);
	assert_false(c & COP_ALERTS);
	u[6] = (struct su){ "N7", 0, 43, 1, 5 };	/* splits it */
	c = feed(&cop, src, T0 + 180, u, 7);
	assert_false(c & COP_ALERTS);
	assert_int_equal(cop.pic.ngaps, 2);
	assert_true(cop.pic.gaps[0].id == id || cop.pic.gaps[1].id == id);
	c = feed(&cop, src, T0 + 240, u, 6);	/* and merges back */
	assert_false(c & COP_ALERTS);
	assert_int_equal(cop.pic.ngaps, 1);
	assert_int_equal(cop.pic.gaps[0].id, id);

	u[4].s_km = 119;			/* 89-109: a new long gap */
	c = feed(&cop, src, T0 + 300, u, 6);
	assert_true(c & COP_ALERTS);
	assert_int_equal(cop.alerts.n, 2);	/* queued, oldest first */
	assert_true(cop.alerts.v[0].time == T0 + 60);
	assert_int_equal(cop.alerts.v[1].kind, ALERT_EXPOSED);

	assert_int_equal(cop_ack(&cop, sx->clk), 1);
	assert_int_equal(cop.alerts.n, 1);
	assert_true(cop.alerts.v[0].time == T0 + 300);
	assert_non_null(e = events_get(&cop.log, 0));
	assert_int_equal(e->type, EVENT_ACK);
	assert_non_null(strstr(e->text, "BORDER EXPOSED"));
	assert_true(e->time >= T0 + 300);	/* the feed's clock */

	/* The feed stops: a link event at once, an alert after a minute,
	   and only one. */
	unlink(sx->path);
	step_until(&cop, src, COP_LINK, 20);
	assert_int_equal(cop.alerts.n, 1);
	step_until(&cop, src, COP_ALERTS, 400);
	assert_int_equal(cop.alerts.n, 2);
	assert_int_equal(cop.alerts.v[1].kind, ALERT_LINK);
	step_until(&cop, src, COP_ALERTS, 400);
	assert_int_equal(cop.alerts.n, 2);
	cop_done(&cop);
	source_free(src);
}

/*
 * An outage is unknown, not gap: one frozen event, no unit lost one by
 * one, the gaps as they were; when data returns, the old gap keeps its
 * id and raises nothing, and border newly exposed meanwhile alerts.
 */
static void
test_outage(void **state)
{
	struct source		*src;
	struct cop		 cop;
	struct su		 u[6];
	const struct event	*e;
	unsigned		 id;
	size_t			 ngaps, i;
	int			 c;

	(void)state;
	memcpy(u, covered_but_40_50, sizeof covered_but_40_50);
	u[0].s_km = u[0].r_km = 12;
	u[1].s_km = 32;				/* the hole: 42-50 */
	src = file_source();
	engine(&cop, src);
	feed(&cop, src, T0, u, 6);
	id = cop.pic.gaps[0].id;
	ngaps = cop.pic.ngaps;
	assert_false(cop.pic.unknown);
	assert_true(cop.pic.as_of == T0);

	unlink(sx->path);
	/* 40 min of the local clock: the reports would all be lost. */
	for (i = 0; i < 4800; i++) {
		sx->clk += 0.5;
		cop_step(&cop, src, sx->clk);
	}
	assert_int_equal(count_events(&cop, EVENT_FROZEN), 1);
	assert_int_equal(count_events(&cop, EVENT_UNIT_LOST), 0);
	assert_int_equal(count_events(&cop, EVENT_UNIT_STALE), 0);
	assert_int_equal(count_events(&cop, EVENT_GAP_CHANGE), 0);
	assert_true(cop.pic.unknown);
	assert_true(cop.pic.unknown_since == T0);
	assert_true(cop.pic.as_of == T0);
	assert_int_equal(cop.pic.ngaps, ngaps);
	assert_non_null(e = newest_event(&cop, EVENT_FROZEN));
	assert_non_null(strstr(e->text, "unknown since 02:00Z"));
	assert_non_null(strstr(e->text, "link down"));
	/* Alerts: the link (after a minute) and the frozen picture. */
	assert_int_equal(cop.alerts.n, 2);
	assert_int_equal(cop.alerts.v[0].kind, ALERT_LINK);
	assert_int_equal(cop.alerts.v[1].kind, ALERT_FROZEN);

	/* Back, 40 min later, with a hole opened meanwhile at 89-109. */
	u[4].s_km = 119;
	c = feed(&cop, src, T0 + 2400, u, 6);
	assert_true(c & COP_PICTURE);
	assert_false(cop.pic.unknown);
	assert_true(cop.pic.as_of == T0 + 2400);
	assert_int_equal(count_events(&cop, EVENT_LIVE), 1);
	assert_int_equal(cop.pic.gaps[0].id, id);
	assert_int_equal(count_events(&cop, EVENT_GAP_OPEN), 1);
	assert_int_equal(cop.alerts.n, 3);
	assert_int_equal(cop.alerts.v[2].kind, ALERT_EXPOSED);
	assert_int_not_equal(cop.alerts.v[2].gap_id, id);
	cop_done(&cop);
	source_free(src);
}

/* With a floor, a sector whose own coverage falls below it alerts once;
   without one (the default), never. */
static void
test_sector_floor(void **state)
{
	struct source		*src;
	struct cop_config	 cc;
	struct cop		 cop;
	struct su		 u[6];
	size_t			 i, nsec = 0;
	int			 floor_on;

	(void)state;
	for (floor_on = 0; floor_on <= 1; floor_on++) {
		memcpy(u, covered_but_40_50, sizeof u);
		script_msg(T0, u, 6);
		src = file_source();
		cop_config_defaults(&cc);
		cc.map = sx->map;
		cc.sector_floor = floor_on ? 50 : 0;
		cop_init(&cop, &cc, src);
		feed(&cop, src, T0, u, 6);
		assert_int_equal(cop.alerts.n, 0);
		/* N5 and N6 go: N2 (the east march) is mostly bare. */
		feed(&cop, src, T0 + 60, u, 4);
		for (i = nsec = 0; i < cop.alerts.n; i++)
			if (cop.alerts.v[i].kind == ALERT_SECTOR) {
				nsec++;
				assert_non_null(strstr(cop.alerts.v[i].text,
				    "NO N2 own coverage"));
			}
		assert_int_equal(nsec, floor_on ? 1 : 0);
		/* Still low a minute later: no second alert. */
		feed(&cop, src, T0 + 120, u, 4);
		for (i = nsec = 0; i < cop.alerts.n; i++)
			nsec += cop.alerts.v[i].kind == ALERT_SECTOR;
		assert_int_equal(nsec, floor_on ? 1 : 0);
		cop_done(&cop);
		source_free(src);
	}
}

static int	 watch_calls;

/* The fake clock of test_watch_alerts: at the 40th look, the feed
   changes (a hole of 20 km opens at 89-109). */
static double
watch_clock(void)
{
	struct su	u[6];

	if (++watch_calls == 40) {
		memcpy(u, covered_but_40_50, sizeof u);
		u[4].s_km = 119;
		script_msg(T0 + 60, u, 6);
	}
	sx->clk += 0.25;
	return (sx->clk);
}

/* --watch prints each alert once, as a line of its own. */
static void
test_watch_alerts(void **state)
{
	struct watch_config	 wc;
	struct source		*src;
	char			 why[256], *text, *p;
	size_t			 len;
	FILE			*out;

	(void)state;
	script_msg(T0, covered_but_40_50, 6);
	src = file_source();
	watch_config_defaults(&wc);
	wc.map = sx->map;
	wc.count = 2;
	wc.clock = watch_clock;
	watch_calls = 0;
	out = open_memstream(&text, &len);
	assert_non_null(out);
	wc.out = out;
	assert_int_equal(watch_run(src, &wc, why, sizeof why), BC_OK);
	fclose(out);
	assert_non_null(p = strstr(text, "!! ALERT 02:01:00 UTC BORDER "
	    "EXPOSED: gap opened #"));
	assert_null(strstr(p + 1, "!! ALERT"));
	free(text);
	source_free(src);
}

static struct ui *
quiet_ui(FILE **outp)
{
	struct ui_options	 o;
	struct ui		*ui;
	FILE			*out, *in;
	char			 why[128];

	setenv("COLUMNS", "100", 1);
	setenv("LINES", "30", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	ui_options_defaults(&o);
	ui = ui_new_term(&o, "xterm-256color", out, in, why, sizeof why);
	assert_non_null(ui);
	*outp = out;
	return (ui);
}

/*
 * The terminal's loop on the fake clock over the scripted feed: it takes
 * the first message, shows it, follows the file when it changes, and
 * stamps the new gap on the feed's clock.
 */
static void
test_live_loop(void **state)
{
	struct live_config	 lc;
	struct source		*src;
	struct cop		 cop;
	struct ui		*ui;
	const struct event	*e;
	struct su		 u[6];
	FILE			*out;

	(void)state;
	script_msg(T0, covered_but_40_50, 6);
	src = file_source();
	engine(&cop, src);
	ui = quiet_ui(&out);
	live_config_defaults(&lc);
	lc.map = sx->map;
	lc.clock = fake_clock;
	lc.max_steps = 10;
	live_loop(ui, &cop, src, &lc);
	assert_non_null(cop_picture(&cop));
	assert_int_equal(cop.pic.ngaps, 1);
	assert_int_equal(source_link(src)->polls, 1);

	memcpy(u, covered_but_40_50, sizeof u);
	u[1].s_km = 28;		/* the hole grows to 38-50 */
	u[4].s_km = 118;	/* and one opens at 90-108 */
	script_msg(T0 + 60, u, 6);
	lc.max_steps = 40;	/* 10 s of the fake clock: the 2 s check */
	live_loop(ui, &cop, src, &lc);
	assert_int_equal(source_link(src)->polls, 2);
	assert_int_equal(cop.pic.ngaps, 2);
	assert_non_null(e = newest_event(&cop, EVENT_GAP_OPEN));
	assert_true(e->time == T0 + 60);
	/* The grown hole kept its id. */
	assert_int_equal(count_events(&cop, EVENT_GAP_OPEN), 1);
	assert_true(cop.pic.gaps[0].id != e->gap_id);
	/* Border exposed twice (the hole grew past 10 km, a long one
	   opened): two alerts queue; 'a' has the engine acknowledge the
	   oldest, as an event. */
	assert_int_equal(cop.alerts.n, 2);
	assert_true(ui_alerting(ui));
	assert_int_equal(ui_key(ui, 'a') & UI_ACK, UI_ACK);
	lc.max_steps = 2;
	live_loop(ui, &cop, src, &lc);
	assert_int_equal(cop.alerts.n, 1);
	assert_true(ui_alerting(ui));
	assert_int_equal(count_events(&cop, EVENT_ACK), 1);
	ui_key(ui, 'a');
	live_loop(ui, &cop, src, &lc);
	assert_int_equal(cop.alerts.n, 0);
	assert_false(ui_alerting(ui));
	assert_int_equal(count_events(&cop, EVENT_ACK), 2);

	ui_free(ui);
	fclose(out);
	cop_done(&cop);
	source_free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sector_floor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_watch_alerts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_live_loop, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
