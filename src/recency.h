/*
 * recency.h: how long ago each stretch of the line was last covered, per
 * side: so that a supervisor sees where no one has been all shift.
 *
 * The line is cut into cells of RECENCY_CELL_KM; each picture built marks
 * the cells whose middle a side's coverage holds with the picture's
 * clock.  A cell never covered since the engine started is "never"; a
 * picture clock that goes back (a replay going back) starts it again.
 * Classes, by the age of the last cover: under 15 min, under 1 h, under
 * 4 h, older (or never).
 */
#ifndef BORDERCOP_RECENCY_H
#define BORDERCOP_RECENCY_H

#include <stddef.h>

#include "border.h"
#include "picture.h"

#define RECENCY_CELL_KM	0.5

/* Classes: id, upper bound of the age (s), label. */
#define RECENCY_CLASSES(X)				\
	X(RECENT,	900,		"< 15 min")	\
	X(HOUR,		3600,		"< 1 h")	\
	X(SHIFT,	14400,		"< 4 h")	\
	X(OLD,		0,		"older")

enum recency_class {
#define X(id, s, label) RECENCY_##id,
	RECENCY_CLASSES(X)
#undef X
	RECENCY_COUNT
};

struct recency {
	double	 length_km;
	size_t	 n;			/* cells */
	double	*last[NSIDES];		/* epoch s, or NAN: never */
	double	 now;			/* clock of the last update */
};

extern const char *const recency_labels[RECENCY_COUNT];

void		 recency_init(struct recency *, double length_km);
void		 recency_done(struct recency *);
/* Mark what the picture covers, at its clock. */
void		 recency_update(struct recency *, const struct picture *);
/* The class of the stretch [a, b] km for side at now: the class of most
   of its cells, the older on a tie. */
enum recency_class recency_class(const struct recency *, int side,
		    double a, double b, double now);

#endif
