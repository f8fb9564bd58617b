/*
 * recency.c: the last time each stretch of the line was covered (see
 * recency.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recency.h"
#include "xmalloc.h"

static const double recency_bounds[RECENCY_COUNT] = {
#define X(id, s, label) s,
	RECENCY_CLASSES(X)
#undef X
};

const char *const recency_labels[RECENCY_COUNT] = {
#define X(id, s, label) label,
	RECENCY_CLASSES(X)
#undef X
};

static void
recency_clear(struct recency *r)
{
	size_t	i;
	int	s;

	for (s = 0; s < NSIDES; s++)
		for (i = 0; i < r->n; i++)
			r->last[s][i] = NAN;
	r->now = NAN;
}

void
recency_init(struct recency *r, double length_km)
{
	int	s;

	memset(r, 0, sizeof *r);
	r->length_km = length_km > 0 ? length_km : 0;
	r->n = (size_t)ceil(r->length_km / RECENCY_CELL_KM);
	for (s = 0; s < NSIDES; s++)
		r->last[s] = xcalloc(r->n + 1, sizeof(double));
	recency_clear(r);
}

void
recency_done(struct recency *r)
{
	int	s;

	for (s = 0; s < NSIDES; s++)
		free(r->last[s]);
	memset(r, 0, sizeof *r);
}

void
recency_update(struct recency *r, const struct picture *p)
{
	const struct ivlist	*cov;
	size_t			 i, k, c0, c1;
	int			 s;

	if (r->n == 0 || !isfinite(p->now))
		return;
	if (isfinite(r->now) && p->now < r->now)
		recency_clear(r);	/* the clock went back: a replay */
	r->now = p->now;
	for (s = 0; s < NSIDES; s++) {
		cov = &p->cov[s];
		for (k = 0; k < cov->n; k++) {
			/* The cells whose middle lies in [a, b]. */
			if (cov->v[k].b < cov->v[k].a)
				continue;
			c0 = (size_t)fmax(0, ceil(cov->v[k].a /
			    RECENCY_CELL_KM - 0.5));
			c1 = (size_t)fmax(0, floor(cov->v[k].b /
			    RECENCY_CELL_KM - 0.5) + 1);
			for (i = c0; i < c1 && i < r->n; i++)
				r->last[s][i] = p->now;
		}
	}
}

enum recency_class
recency_class(const struct recency *r, int side, double a, double b,
    double now)
{
	size_t	i, c0, c1, count[RECENCY_COUNT] = { 0 };
	double	age;
	int	k, best = RECENCY_OLD;

	if (r->n == 0 || side < 0 || side >= NSIDES)
		return (RECENCY_OLD);
	c0 = (size_t)fmax(0, floor(a / RECENCY_CELL_KM));
	c1 = (size_t)fmax(0, ceil(b / RECENCY_CELL_KM));
	if (c1 <= c0)
		c1 = c0 + 1;
	for (i = c0; i < c1 && i < r->n; i++) {
		age = isnan(r->last[side][i]) ? INFINITY :
		    now - r->last[side][i];
		for (k = 0; k < RECENCY_OLD; k++)
			if (age < recency_bounds[k])
				break;
		count[k]++;
	}
	/* The class that holds most of the stretch; a tie goes to the
	   older, so that a hole is not hidden by what is around it. */
	for (k = RECENCY_OLD; k >= 0; k--)
		if (count[k] > count[best])
			best = k;
	return ((enum recency_class)best);
}
