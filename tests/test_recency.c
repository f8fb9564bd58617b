/*
 * test_recency.c: when each stretch of the line was last covered, per
 * side, in the four classes of the sectors view's strips.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "recency.h"

#define T0	1900000000.0

/* A picture that holds only what recency reads: coverage and clock. */
static void
cover(struct picture *p, double now, int side, double a, double b)
{
	int	s;

	for (s = 0; s < NSIDES; s++)
		p->cov[s].n = 0;
	if (b > a)
		ivlist_add(&p->cov[side], a, b);
	p->now = now;
}

static void
test_classes(void **state)
{
	struct recency	r;
	struct picture	p;

	(void)state;
	picture_init(&p);
	recency_init(&r, 100);
	assert_int_equal(r.n, 200);
	/* Never covered: old. */
	assert_int_equal(recency_class(&r, SIDE_LEFT, 0, 100, T0), RECENCY_OLD);

	cover(&p, T0, SIDE_LEFT, 10, 20);
	recency_update(&r, &p);
	cover(&p, T0 + 3000, SIDE_LEFT, 30, 40);
	recency_update(&r, &p);
	cover(&p, T0 + 3600 * 3, SIDE_RIGHT, 50, 60);
	recency_update(&r, &p);

	/* At T0 + 3 h: 10-20 covered 3 h ago, 30-40 2 h 10 min ago; the
	   right side's 50-60 just now; the left side never there. */
	assert_int_equal(recency_class(&r, SIDE_LEFT, 10, 20, T0 + 10800),
	    RECENCY_SHIFT);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 30, 40, T0 + 10800),
	    RECENCY_SHIFT);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 30, 40, T0 + 3500),
	    RECENCY_RECENT);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 30, 40, T0 + 5000),
	    RECENCY_HOUR);
	assert_int_equal(recency_class(&r, SIDE_RIGHT, 50, 60, T0 + 10800),
	    RECENCY_RECENT);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 50, 60, T0 + 10800),
	    RECENCY_OLD);
	/* Past 4 h: old. */
	assert_int_equal(recency_class(&r, SIDE_LEFT, 10, 20, T0 + 14401),
	    RECENCY_OLD);
	/* A stretch mostly never covered is old; mostly recent, recent;
	   a tie goes to the older. */
	assert_int_equal(recency_class(&r, SIDE_RIGHT, 45, 75, T0 + 10800),
	    RECENCY_OLD);
	assert_int_equal(recency_class(&r, SIDE_RIGHT, 48, 60, T0 + 10800),
	    RECENCY_RECENT);
	assert_int_equal(recency_class(&r, SIDE_RIGHT, 45, 55, T0 + 10800),
	    RECENCY_OLD);

	/* The clock going back (a replay stepping back) starts again. */
	cover(&p, T0 - 60, SIDE_LEFT, 0, 5);
	recency_update(&r, &p);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 10, 20, T0),
	    RECENCY_OLD);
	assert_int_equal(recency_class(&r, SIDE_LEFT, 0, 5, T0),
	    RECENCY_RECENT);
	recency_done(&r);
	picture_done(&p);
}

/* Cells are marked by their middle: an interval of 0.2 km marks none
   or one, never its neighbours. */
static void
test_cells(void **state)
{
	struct recency	r;
	struct picture	p;

	(void)state;
	picture_init(&p);
	recency_init(&r, 10);
	cover(&p, T0, SIDE_RIGHT, 1.1, 1.3);
	recency_update(&r, &p);
	assert_true(isnan(r.last[SIDE_RIGHT][1]));
	assert_true(r.last[SIDE_RIGHT][2] == T0);
	assert_true(isnan(r.last[SIDE_RIGHT][3]));
	assert_true(isnan(r.last[SIDE_LEFT][2]));
	recency_done(&r);
	picture_done(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_cells),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
