/*
 * events.h: the event log, and what a watch officer is told happened.
 *
 * A bounded ring of events, newest last; old events fall off the far end,
 * except that events of the kept types (and gap events that exposed
 * border, which alerted) are kept for EVENTS_KEEP_S before any other:
 * when the ring is full, the oldest event that is not kept goes.
 * Events come from comparing successive pictures (gap opened/closed/
 * changed, unit stale/lost/back, across the line) and from the link
 * (down/up).  Text is clean (built from already-sanitized strings).
 */
#ifndef BORDERCOP_EVENTS_H
#define BORDERCOP_EVENTS_H

#include <stddef.h>

#include "unit.h"

/* id, key, text, and whether the event is kept for EVENTS_KEEP_S
   whatever else happens (link, alert-raising, acknowledgement, across). */
#define EVENT_TYPES(X)						\
	X(GAP_OPEN,	"gap-open",	"gap opened",		0)	\
	X(GAP_CLOSE,	"gap-close",	"gap closed",		0)	\
	X(GAP_CHANGE,	"gap-change",	"gap changed",		0)	\
	X(UNIT_STALE,	"unit-stale",	"unit stale",		0)	\
	X(UNIT_LOST,	"unit-lost",	"unit lost",		0)	\
	X(UNIT_BACK,	"unit-back",	"unit back",		0)	\
	X(ACROSS,	"across",	"across the line",	1)	\
	X(LINK_DOWN,	"link-down",	"link down",		1)	\
	X(LINK_UP,	"link-up",	"link up",		1)	\
	X(FROZEN,	"frozen",	"picture frozen",	1)	\
	X(LIVE,		"live",		"picture live again",	1)	\
	X(SECTOR_LOW,	"sector-low",	"sector coverage low",	1)	\
	X(ACK,		"ack",		"alert acknowledged",	1)

#define EVENTS_KEEP_S	(12 * 3600.0)	/* kept events last a shift */

enum event_type {
#define X(id, key, text, keep) EVENT_##id,
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
	X(ACROSS,	"across",	"ACROSS THE LINE")	\
	X(SECTOR,	"sector",	"SECTOR LOW")

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
