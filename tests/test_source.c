/*
 * test_source.c: the DEMO and FILE sources (the API source is tested
 * against the simulator in test_poll.c).
 */
#include "config.h"

#include <errno.h>
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

#include "map.h"
#include "source.h"
#include "testmap.h"
#include "util.h"

#define START	1.9e9		/* simulated start, epoch s */

static double	demo_start = START;

static struct source *
demo_new(double now, uint64_t seed)
{
	struct source_config	 cfg;
	struct source		*src;
	char			 why[256];

	source_config_defaults(&cfg);
	cfg.kind = SOURCE_DEMO;
	cfg.demo_seed = seed;
	cfg.demo_units = 120;
	cfg.demo_start = demo_start;
	cfg.demo_speed = 60;
	cfg.demo_tick_s = 1;
	assert_int_equal(source_new(&cfg, map, now, &src, why, sizeof why),
	    BC_OK);
	return (src);
}

static void
test_demo(void **state)
{
	struct source			*a, *b;
	const struct link_status	*ls;
	struct unit_table		 ta, tb;
	struct unit			*u, *v;
	char				 why[256];
	double				 now = 1000;
	size_t				 i;
	int				 updates = 0;

	a = demo_new(now, 5);
	b = demo_new(now, 5);
	units_init(&ta);
	units_init(&tb);
	/* No network at all: no poller behind the demo. */
	assert_null(source_poller(a));
	assert_int_equal(source_kind(a), SOURCE_DEMO);
	ls = source_link(a);
	assert_int_equal(ls->state, LINK_WAIT);
	assert_int_equal(source_timeout_ms(a, now), 0);

	assert_int_equal(source_step(a, now, &ta, why, sizeof why),
	    SOURCE_UPDATED);
	assert_true(ta.n > 50);
	assert_int_equal(ls->state, LINK_OK);
	assert_true(ls->demo);
	assert_string_equal(ls->source, "DEMO");
	assert_true(ls->last_good == now);
	assert_true(source_clock(a, now) == START);
	/* Not due again before the tick. */
	assert_int_equal(source_step(a, now + 0.5, &ta, why, sizeof why),
	    SOURCE_IDLE);
	assert_true(source_timeout_ms(a, now + 0.5) == 500);

	/* Incremental steps through the parser; the clock runs 60x. */
	for (i = 1; i <= 10; i++)
		if (source_step(a, now + (double)i, &ta, why, sizeof why) ==
		    SOURCE_UPDATED)
			updates++;
	assert_true(updates > 0);
	assert_true(source_clock(a, now + 10) == START + 600);
	assert_true(ls->rejected == 0);

	/* Another demo of the same seed jumping straight to the same time
	   holds the same units with the same reports. */
	assert_int_equal(source_step(b, now + 10, &tb, why, sizeof why),
	    SOURCE_UPDATED);
	assert_int_equal(ta.n, tb.n);
	for (i = 0; i < ta.n; i++) {
		u = &ta.v[i];
		v = units_find(&tb, u->r.id);
		assert_non_null(v);
		assert_true(u->r.seq == v->r.seq);
		assert_true(u->r.lat == v->r.lat && u->r.lon == v->r.lon);
	}
	units_done(&ta);
	units_done(&tb);
	source_free(a);
	source_free(b);
}

static void
write_text(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The demo starts into its scenario's day: its first picture already
   has reports of several ages, so a new user sees stale units at once. */
/*
 * The demo started near the end of year 9999 (--now) at 60x runs into
 * year 10000, which RFC 3339 cannot write: its clock stops at
 * 9999-12-31T23:59:59Z, and every message it writes is still read.
 */
static void
test_demo_year_10000(void **state)
{
	struct source			*a;
	const struct link_status	*ls;
	struct unit_table		 t;
	char				 why[256];
	double				 end;
	int				 i;

	assert_int_equal(time_parse_rfc3339("9999-12-31T23:59:59Z", &end), 0);
	demo_start = end - 120;
	a = demo_new(1000, 5);
	demo_start = START;
	units_init(&t);
	ls = source_link(a);
	for (i = 0; i <= 10; i++) {
		if (source_step(a, 1000 + i, &t, why, sizeof why) ==
		    SOURCE_FAILED)
			fail_msg("step %d: %s", i, why);
		assert_int_not_equal(ls->state, LINK_DOWN);
	}
	assert_true(source_clock(a, 1010) == end);
	assert_true(ls->rejected == 0);
	assert_true(t.n > 50);
	units_done(&t);
	source_free(a);
}

static void
test_demo_history(void **state)
{
	struct source		*a;
	struct unit_table	 t;
	char			 why[256];
	size_t			 i, old = 0;

	a = demo_new(1000, 9);
	units_init(&t);
	assert_int_equal(source_step(a, 1000, &t, why, sizeof why),
	    SOURCE_UPDATED);
	for (i = 0; i < t.n; i++) {
		/* Reports from before the start (the warm-up). */
		assert_true(t.v[i].r.time <= START);
		if (START - t.v[i].r.time > 300)
			old++;
	}
	assert_true(old > 0);
	units_done(&t);
	source_free(a);
}

static void
test_file(void **state)
{
	struct source_config	 cfg;
	struct source		*src;
	struct unit_table	 t;
	char			 dir[] = "/tmp/test_source.XXXXXX", path[128];
	char			 why[256], *body;
	size_t			 len;
	double			 st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/feed.json", dir);
	assert_int_equal(file_read_all(SRCDIR "/tests/data/feeds/full.json",
	    1 << 20, &body, &len, why, sizeof why), BC_OK);
	write_text(path, body);

	source_config_defaults(&cfg);
	cfg.kind = SOURCE_FILE;
	cfg.path = path;
	cfg.file_check_s = 5;
	assert_int_equal(source_new(&cfg, map, 100, &src, why, sizeof why),
	    BC_OK);
	units_init(&t);
	assert_int_equal(source_step(src, 100, &t, why, sizeof why),
	    SOURCE_UPDATED);
	assert_true(t.n > 0);
	assert_string_equal(source_link(src)->source, "feed.json");
	assert_int_equal(source_link(src)->state, LINK_OK);
	assert_int_equal(time_parse_rfc3339("2026-11-28T02:00:00Z", &st), 0);
	/* The file's clock, moving on in whole seconds since the read:
	   units in an unchanged file still go stale and lost. */
	assert_true(source_clock(src, 100) == st);
	assert_true(source_clock(src, 100.9) == st);
	assert_true(source_clock(src, 160.5) == st + 60);
	/* Unchanged: nothing to do, even after the check interval. */
	assert_int_equal(source_step(src, 101, &t, why, sizeof why),
	    SOURCE_IDLE);
	assert_int_equal(source_step(src, 110, &t, why, sizeof why),
	    SOURCE_IDLE);

	/* A broken rewrite fails and keeps the table. */
	len = t.n;
	write_text(path, "{ \"type\": \"Nonsense\" ");
	assert_int_equal(source_step(src, 120, &t, why, sizeof why),
	    SOURCE_FAILED);
	assert_int_equal(t.n, len);
	assert_int_equal(source_link(src)->state, LINK_DOWN);
	assert_true(source_link(src)->error[0] != '\0');

	/* A good rewrite is picked up. */
	write_text(path, body);
	source_refresh(src);
	assert_int_equal(source_step(src, 121, &t, why, sizeof why),
	    SOURCE_UPDATED);
	assert_int_equal(source_link(src)->state, LINK_OK);

	/* Moved away: DOWN, the error says why without the path again (the
	   link names the file); moved back unchanged: read, and OK. */
	{
		char		moved[300];
		unsigned long	polls = source_link(src)->polls;

		snprintf(moved, sizeof moved, "%s.away", path);
		assert_int_equal(rename(path, moved), 0);
		assert_int_equal(source_step(src, 130, &t, why, sizeof why),
		    SOURCE_FAILED);
		assert_int_equal(source_link(src)->state, LINK_DOWN);
		assert_int_equal(source_link(src)->polls, polls + 1);
		assert_non_null(strstr(source_link(src)->error,
		    "No such file"));
		assert_null(strstr(source_link(src)->error, "feed.json"));
		assert_int_equal(t.n, len);
		assert_int_equal(rename(moved, path), 0);
		assert_int_equal(source_step(src, 140, &t, why, sizeof why),
		    SOURCE_UPDATED);
		assert_int_equal(source_link(src)->state, LINK_OK);
	}

	units_done(&t);
	source_free(src);
	free(body);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_demo_history),
		cmocka_unit_test(test_demo_year_10000),
		cmocka_unit_test(test_file),
	};

	return (cmocka_run_group_tests(tests, testmap_setup,
	    testmap_teardown));
}
