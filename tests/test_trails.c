/*
 * test_trails.c: each unit's recent positions for the map's trails.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "trails.h"

#define T0	1900000000.0

static void
report(struct unit_table *t, const char *id, double time, double lat,
    double lon)
{
	struct report	r;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	r.side = SIDE_RIGHT;
	r.time = time;
	r.lat = lat;
	r.lon = lon;
	r.seq = -1;
	r.stale_at = NAN;
	units_set(t, &r);
}

static void
test_window(void **state)
{
	struct unit_table	 t;
	struct trails		 tr;
	const struct trail	*a;
	int			 i;

	(void)state;
	units_init(&t);
	trails_init(&tr);
	/* One report a minute for 40 minutes, and the same report seen
	   again between (a picture rebuilt without news). */
	for (i = 0; i < 40; i++) {
		report(&t, "MX-1", T0 + 60 * i, 31 + i * 0.001, -110);
		trails_update(&tr, &t, T0 + 60 * i);
		trails_update(&tr, &t, T0 + 60 * i + 30);
	}
	a = trails_find(&tr, "MX-1");
	assert_non_null(a);
	assert_int_equal(a->side, SIDE_RIGHT);
	/* The last 30 minutes, at most TRAILS_POINTS, oldest first, no
	   repeats. */
	assert_int_equal(a->n, TRAILS_POINTS);
	assert_true(a->p[a->n - 1].t == T0 + 60 * 39);
	assert_true(a->p[a->n - 1].lat == 31 + 39 * 0.001);
	for (i = 1; i < (int)a->n; i++)
		assert_true(a->p[i].t == a->p[i - 1].t + 60);
	assert_true(a->p[0].t >= T0 + 60 * 39 + 30 - TRAILS_WINDOW_S);

	/* A unit whose reports are all older than the window goes. */
	report(&t, "US-2", T0, 32, -111);
	trails_update(&tr, &t, T0 + 60 * 40);
	assert_null(trails_find(&tr, "US-2"));
	/* Silence: the positions age out, then the trail goes. */
	trails_update(&tr, &t, T0 + 60 * 39 + TRAILS_WINDOW_S + 1);
	assert_null(trails_find(&tr, "MX-1"));
	assert_int_equal(tr.n, 0);

	trails_done(&tr);
	units_done(&t);
}

/* A clock going back (a replay stepping back) starts again. */
static void
test_clock_back(void **state)
{
	struct unit_table	 t;
	struct trails		 tr;

	(void)state;
	units_init(&t);
	trails_init(&tr);
	report(&t, "A", T0, 31, -110);
	trails_update(&tr, &t, T0);
	report(&t, "A", T0 + 60, 31.01, -110);
	trails_update(&tr, &t, T0 + 60);
	assert_int_equal(trails_find(&tr, "A")->n, 2);
	report(&t, "A", T0 - 600, 30.9, -110);
	trails_update(&tr, &t, T0 - 600);
	assert_int_equal(trails_find(&tr, "A")->n, 1);
	assert_true(trails_find(&tr, "A")->p[0].lat == 30.9);
	trails_done(&tr);
	units_done(&t);
}

/* Many units: each finds its own trail (the hash grows). */
static void
test_many(void **state)
{
	struct unit_table	 t;
	struct trails		 tr;
	char			 id[16];
	int			 i;

	(void)state;
	units_init(&t);
	trails_init(&tr);
	for (i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "U-%d", i);
		report(&t, id, T0, 31 + i * 1e-3, -110);
	}
	trails_update(&tr, &t, T0);
	assert_int_equal(tr.n, 500);
	for (i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "U-%d", i);
		assert_non_null(trails_find(&tr, id));
		assert_true(trails_find(&tr, id)->p[0].lat == 31 + i * 1e-3);
	}
	assert_null(trails_find(&tr, "U-500"));
	trails_done(&tr);
	units_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_many),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
