/*
 * events.h: the event log, and what a watch officer is told happened.
 *
 * A bounded ring of events, newest last; old events fall off the far end.
 * Events come from comparing successive pictures (gap opened/closed/
 * changed, unit stale/lost/back, across the line) and from the link
 * (down/up).  Text is clean (built from already-sanitized strings).
 */
#ifndef BORDERCOP_EVENTS_H
#define BORDERCOP_EVENTS_H

#include <stddef.h>

#include "unit.h"

#define EVENT_TYPES(X)					\
	X(GAP_OPEN,	"gap-open",	"gap opened")	\
	X(GAP_CLOSE,	"gap-close",	"gap closed")	\
	X(GAP_CHANGE,	"gap-change",	"gap changed")	\
	X(UNIT_STALE,	"unit-stale",	"unit stale")	\
	X(UNIT_LOST,	"unit-lost",	"unit lost")	\
	X(UNIT_BACK,	"unit-back",	"unit back")	\
	X(ACROSS,	"across",	"across the line") \
	X(LINK_DOWN,	"link-down",	"link down")	\
	X(LINK_UP,	"link-up",	"link up")

enum event_type {
#define X(id, key, text) EVENT_##id,
	EVENT_TYPES(X)
#undef X
	EVENT_COUNT
};

struct event {
	double		 time;			/* epoch s (picture clock) */
	enum event_type	 type;
	int		 side;			/* SIDE_*, or SIDE_NONE */
	double		 km;			/* chainage, or NAN */
	unsigned	 gap_id;		/* gap track id, or 0 */
	int		 exposed;		/* gap events: border exposed
						   past --alert-gap */
	char		 unit_id[UNIT_ID_MAX + 1];
	char		 text[160];		/* one line, clean */
};

struct event_log {
	struct event	*v;		/* ring of cap entries */
	size_t		 cap;
	size_t		 n;		/* entries held, <= cap */
	size_t		 head;		/* index of the oldest */
	unsigned long	 total;		/* events ever added */
};

extern const char *const event_type_keys[EVENT_COUNT];
extern const char *const event_type_texts[EVENT_COUNT];

void		 events_init(struct event_log *, size_t cap);
void		 events_done(struct event_log *);
struct event	*events_add(struct event_log *, double time,
		    enum event_type, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* i = 0 is the newest event. */
const struct event *events_get(const struct event_log *, size_t i);

#endif
