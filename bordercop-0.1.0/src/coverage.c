/*
 * coverage.c: interval lists on chainages (km).
 *
 * Every function here is pure arithmetic on sorted, disjoint lists of
 * closed intervals; only ivlist_add() and ivlist_normalize() accept an
 * unsorted list.  Nothing here knows about units, sides or maps.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "coverage.h"
#include "xmalloc.h"

void
ivlist_init(struct ivlist *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void
ivlist_done(struct ivlist *l)
{
	free(l->v);
	ivlist_init(l);
}

/* Append [a, b]; a reversed pair is turned round, a NaN end dropped. */
void
ivlist_add(struct ivlist *l, double a, double b)
{
	double	t;

	if (isnan(a) || isnan(b))
		return;
	if (a > b) {
		t = a;
		a = b;
		b = t;
	}
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].a = a;
	l->v[l->n].b = b;
	l->n++;
}

static int
ivlist_cmp(const void *pa, const void *pb)
{
	const struct interval	*x = pa, *y = pb;

	if (x->a < y->a)
		return (-1);
	if (x->a > y->a)
		return (1);
	if (x->b < y->b)
		return (-1);
	return (x->b > y->b);
}

void
ivlist_normalize(struct ivlist *l, double eps)
{
	size_t	i, k;

	if (l->n == 0)
		return;
	if (eps < 0)
		eps = 0;
	qsort(l->v, l->n, sizeof *l->v, ivlist_cmp);
	k = 0;
	for (i = 1; i < l->n; i++) {
		if (l->v[i].a <= l->v[k].b + eps) {
			if (l->v[i].b > l->v[k].b)
				l->v[k].b = l->v[i].b;
		} else
			l->v[++k] = l->v[i];
	}
	l->n = k + 1;
}

double
ivlist_length(const struct ivlist *l)
{
	double	sum = 0;
	size_t	i;

	for (i = 0; i < l->n; i++)
		sum += l->v[i].b - l->v[i].a;
	return (sum);
}

/* First interval whose end is at or after x (binary search; l sorted). */
static size_t
ivlist_first_ending_after(const struct ivlist *l, double x)
{
	size_t	lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].b < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

double
ivlist_length_in(const struct ivlist *l, double a, double b)
{
	double	sum = 0, x, y;
	size_t	i;

	if (!(a < b))
		return (0);
	for (i = ivlist_first_ending_after(l, a); i < l->n; i++) {
		if (l->v[i].a >= b)
			break;
		x = l->v[i].a > a ? l->v[i].a : a;
		y = l->v[i].b < b ? l->v[i].b : b;
		if (y > x)
			sum += y - x;
	}
	return (sum);
}

/* out is emptied first; it must not be in. */
void
ivlist_complement(const struct ivlist *in, double a, double b,
    struct ivlist *out)
{
	double	x;
	size_t	i;

	out->n = 0;
	if (!(a < b))
		return;
	x = a;
	for (i = ivlist_first_ending_after(in, a); i < in->n; i++) {
		if (in->v[i].a >= b)
			break;
		if (in->v[i].a > x)
			ivlist_add(out, x, in->v[i].a);
		if (in->v[i].b > x)
			x = in->v[i].b;
	}
	if (x < b)
		ivlist_add(out, x, b);
}

/* out is emptied first; it must be neither input.  Intervals that only
   touch at a point meet in nothing. */
void
ivlist_intersect(const struct ivlist *p, const struct ivlist *q,
    struct ivlist *out)
{
	size_t	i = 0, j = 0;
	double	x, y;

	out->n = 0;
	while (i < p->n && j < q->n) {
		x = p->v[i].a > q->v[j].a ? p->v[i].a : q->v[j].a;
		y = p->v[i].b < q->v[j].b ? p->v[i].b : q->v[j].b;
		if (x < y)
			ivlist_add(out, x, y);
		if (p->v[i].b < q->v[j].b)
			i++;
		else
			j++;
	}
}
