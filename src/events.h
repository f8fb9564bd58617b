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
	X(LINK_UP,	"link-up",	"link up")	\
	X(FROZEN,	"frozen",	"picture frozen") \
	X(LIVE,		"live",		"picture live again") \
	X(ACK,		"ack",		"alert acknowledged")

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

/*
 * Alerts: events that need a person, by the rules of bordercop(1) ALERTS.
 * The engine derives them from its own events (cop.c, one detector) and
 * queues them until acknowledged, oldest first.
 */
#define ALERT_KINDS(X)						\
	X(EXPOSED,	"exposed",	"BORDER EXPOSED")	\
	X(LINK,		"link",		"LINK DOWN")		\
	X(FROZEN,	"frozen",	"PICTURE FROZEN")	\
	X(ACROSS,	"across",	"ACROSS THE LINE")

enum alert_kind {
#define X(id, key, text) ALERT_##id,
	ALERT_KINDS(X)
#undef X
	ALERT_KIND_COUNT
};

struct alert {
	double		 time;			/* epoch s (picture clock) */
	enum alert_kind	 kind;
	unsigned	 gap_id;		/* EXPOSED: the gap */
	char		 text[160];		/* clean, one line */
};

struct alert_queue {
	struct alert	*v;			/* unacknowledged, oldest
						   first */
	size_t		 n;
	size_t		 cap;
	unsigned long	 raised;		/* ever raised */
	unsigned long	 acked;			/* ever acknowledged */
};

extern const char *const alert_kind_texts[ALERT_KIND_COUNT];

void		 alerts_init(struct alert_queue *);
void		 alerts_done(struct alert_queue *);
struct alert	*alerts_raise(struct alert_queue *, double time,
		    enum alert_kind, const char *text);
/* Remove the oldest into *out (may be NULL); 0 when none was queued. */
int		 alerts_ack(struct alert_queue *, struct alert *out);

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
