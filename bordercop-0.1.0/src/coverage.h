/*
 * coverage.h: interval arithmetic on chainages and coverage analysis.
 *
 * Pure computation on sorted disjoint interval lists (km).  Joint class at
 * a chainage is a bit mask: bit 0 set when side 0 (left) covers, bit 1
 * when side 1 (right) covers; so JOINT_NONE, JOINT_LEFT, JOINT_RIGHT and
 * JOINT_BOTH (US_ONLY / MX_ONLY / BOTH on the shipped map).
 */
#ifndef BORDERCOP_COVERAGE_H
#define BORDERCOP_COVERAGE_H

#include <stddef.h>

#include "border.h"

enum joint {
	JOINT_NONE = 0,
	JOINT_LEFT = 1,
	JOINT_RIGHT = 2,
	JOINT_BOTH = 3
};

#define GAP_POLICIES(X)						\
	X(EITHER,	"either",	"no side covers it")	\
	X(BOTH,		"both",		"some side lacks it")	\
	X(LEFT,		"left",		"the left side lacks it")	\
	X(RIGHT,	"right",	"the right side lacks it")

enum gap_policy {
#define X(id, name, text) POLICY_##id,
	GAP_POLICIES(X)
#undef X
	POLICY_COUNT
};

/* A growable list of intervals. */
struct ivlist {
	struct interval	*v;
	size_t		 n;
	size_t		 cap;
};

/* A run of constant joint class along the line. */
struct joint_run {
	double		a, b;
	enum joint	cls;
};

void	 ivlist_init(struct ivlist *);
void	 ivlist_done(struct ivlist *);
void	 ivlist_add(struct ivlist *, double a, double b);
/* Sort and merge touching or overlapping intervals (gap <= eps km). */
void	 ivlist_normalize(struct ivlist *, double eps);
double	 ivlist_length(const struct ivlist *);
/* Length of the part of the list inside [a, b]. */
double	 ivlist_length_in(const struct ivlist *, double a, double b);
/* out = complement of in within [a, b]. */
void	 ivlist_complement(const struct ivlist *in, double a, double b,
	    struct ivlist *out);
void	 ivlist_intersect(const struct ivlist *, const struct ivlist *,
	    struct ivlist *out);

#endif
