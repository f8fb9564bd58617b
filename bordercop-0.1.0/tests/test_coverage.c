/*
 * test_coverage.c: interval lists (coverage.c), no map involved.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "coverage.h"

#define EPS	1e-12

/* cmocka's float assertion is single precision; chainages need double. */
#define assert_near(x, y, eps)						\
	assert_near_at((x), (y), (eps), __FILE__, __LINE__)

static void
assert_near_at(double x, double y, double eps, const char *file, int line)
{
	if (!(fabs(x - y) <= eps)) {
		print_error("%.9f != %.9f (eps %g)\n", x, y, eps);
		_fail(file, line);
	}
}

static void
check_list(const struct ivlist *l, const double *ab, size_t n)
{
	size_t	i;

	assert_int_equal(l->n, n);
	for (i = 0; i < n; i++) {
		assert_near(l->v[i].a, ab[2 * i], EPS);
		assert_near(l->v[i].b, ab[2 * i + 1], EPS);
	}
}

static void
test_add_reversed_and_nan(void **state)
{
	struct ivlist	l;
	const double	want[] = { 1, 3 };

	ivlist_init(&l);
	ivlist_add(&l, 3, 1);
	ivlist_add(&l, NAN, 2);
	ivlist_add(&l, 2, NAN);
	check_list(&l, want, 1);
	ivlist_done(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

static void
test_normalize_merges(void **state)
{
	struct ivlist	l;
	const double	want[] = { 0, 5, 6, 9, 20, 21 };

	ivlist_init(&l);
	ivlist_add(&l, 20, 21);
	ivlist_add(&l, 3, 5);
	ivlist_add(&l, 0, 2);
	ivlist_add(&l, 2, 3);		/* touches both neighbours */
	ivlist_add(&l, 6, 9);
	ivlist_add(&l, 7, 8);		/* contained */
	ivlist_normalize(&l, 0);
	check_list(&l, want, 3);
	assert_near(ivlist_length(&l), 5 + 3 + 1, EPS);
	ivlist_done(&l);
}

static void
test_normalize_eps(void **state)
{
	struct ivlist	l;
	const double	want_tight[] = { 0, 1, 1.01, 2 };
	const double	want_loose[] = { 0, 2 };

	ivlist_init(&l);
	ivlist_add(&l, 1.01, 2);
	ivlist_add(&l, 0, 1);
	ivlist_normalize(&l, 0.001);
	check_list(&l, want_tight, 2);
	ivlist_normalize(&l, 0.02);
	check_list(&l, want_loose, 1);
	ivlist_done(&l);
}

static void
test_normalize_empty(void **state)
{
	struct ivlist	l;

	ivlist_init(&l);
	ivlist_normalize(&l, 0);
	assert_int_equal(l.n, 0);
	assert_near(ivlist_length(&l), 0, EPS);
	assert_near(ivlist_length_in(&l, 0, 10), 0, EPS);
	ivlist_done(&l);
}

static void
test_length_in(void **state)
{
	struct ivlist	l;

	ivlist_init(&l);
	ivlist_add(&l, 0, 2);
	ivlist_add(&l, 4, 6);
	ivlist_add(&l, 8, 10);
	ivlist_normalize(&l, 0);
	assert_near(ivlist_length_in(&l, 1, 9), 1 + 2 + 1, EPS);
	assert_near(ivlist_length_in(&l, 2, 4), 0, EPS);
	assert_near(ivlist_length_in(&l, 4.5, 5.5), 1, EPS);
	assert_near(ivlist_length_in(&l, -5, 50), 6, EPS);
	assert_near(ivlist_length_in(&l, 11, 20), 0, EPS);
	assert_near(ivlist_length_in(&l, 5, 5), 0, EPS);
	assert_near(ivlist_length_in(&l, 6, 5), 0, EPS);
	ivlist_done(&l);
}

static void
test_complement(void **state)
{
	struct ivlist	l, c;
	const double	want[] = { 0, 1, 3, 4, 6, 10 };
	const double	want_in[] = { 2.5, 3 };
	const double	want_all[] = { 0, 10 };

	ivlist_init(&l);
	ivlist_init(&c);
	ivlist_add(&l, 1, 3);
	ivlist_add(&l, 4, 6);
	ivlist_add(&l, -3, -1);		/* outside the range */
	ivlist_add(&l, 12, 13);
	ivlist_normalize(&l, 0);
	ivlist_complement(&l, 0, 10, &c);
	check_list(&c, want, 3);

	/* A range starting inside an interval. */
	ivlist_complement(&l, 2.5, 3.5, &c);
	assert_int_equal(c.n, 1);
	assert_near(c.v[0].a, 3, EPS);
	assert_near(c.v[0].b, 3.5, EPS);

	/* Fully covered: nothing; empty list: the whole range. */
	ivlist_complement(&l, 1.5, 2.5, &c);
	assert_int_equal(c.n, 0);
	ivlist_done(&l);
	ivlist_complement(&l, 0, 10, &c);
	check_list(&c, want_all, 1);
	ivlist_add(&l, 0, 2.5);
	ivlist_add(&l, 3, 10);
	ivlist_complement(&l, 0, 10, &c);
	check_list(&c, want_in, 1);
	/* Complement of the complement is the original within range. */
	{
		struct ivlist	cc;

		ivlist_init(&cc);
		ivlist_complement(&c, 0, 10, &cc);
		assert_int_equal(cc.n, 2);
		assert_near(ivlist_length(&cc), 9.5, EPS);
		ivlist_done(&cc);
	}
	ivlist_done(&l);
	ivlist_done(&c);
}

static void
test_intersect(void **state)
{
	struct ivlist	p, q, o;
	const double	want[] = { 1, 2, 3, 4, 5, 6, 8, 9 };

	ivlist_init(&p);
	ivlist_init(&q);
	ivlist_init(&o);
	ivlist_add(&p, 0, 4);
	ivlist_add(&p, 5, 9);
	ivlist_add(&q, 1, 2);
	ivlist_add(&q, 3, 6);
	ivlist_add(&q, 8, 12);
	ivlist_add(&q, 20, 30);
	ivlist_intersect(&p, &q, &o);
	check_list(&o, want, 4);
	/* Symmetric. */
	ivlist_intersect(&q, &p, &o);
	check_list(&o, want, 4);
	/* Touching at a point is no intersection; empty with anything. */
	ivlist_done(&q);
	ivlist_add(&q, 4, 5);
	ivlist_intersect(&p, &q, &o);
	assert_int_equal(o.n, 0);
	ivlist_done(&q);
	ivlist_intersect(&p, &q, &o);
	assert_int_equal(o.n, 0);
	ivlist_done(&p);
	ivlist_done(&o);
}

static void
test_many(void **state)
{
	struct ivlist	l;
	size_t		i;

	/* 10,000 unit-long intervals, every other km: half of the range. */
	ivlist_init(&l);
	for (i = 10000; i-- > 0;)
		ivlist_add(&l, 2.0 * i, 2.0 * i + 1);
	ivlist_normalize(&l, 0);
	assert_int_equal(l.n, 10000);
	assert_near(ivlist_length(&l), 10000, 1e-9);
	assert_near(ivlist_length_in(&l, 0.5, 100.5), 50, 1e-9);
	ivlist_done(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_reversed_and_nan),
		cmocka_unit_test(test_normalize_merges),
		cmocka_unit_test(test_normalize_eps),
		cmocka_unit_test(test_normalize_empty),
		cmocka_unit_test(test_length_in),
		cmocka_unit_test(test_complement),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_many),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
