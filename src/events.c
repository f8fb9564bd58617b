/*
 * events.c: the event log, a bounded ring of one-line events.
 *
 * Adding never fails and never grows the ring: once it is full the oldest
 * event is overwritten.  Every text is passed through str_clean() so that
 * nothing unclean reaches a terminal even if a caller slips.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "util.h"
#include "xmalloc.h"

const char *const event_type_keys[EVENT_COUNT] = {
#define X(id, key, text, keep) key,
	EVENT_TYPES(X)
#undef X
};

const char *const event_type_texts[EVENT_COUNT] = {
#define X(id, key, text, keep) text,
	EVENT_TYPES(X)
#undef X
};

static const int event_type_keep[EVENT_COUNT] = {
#define X(id, key, text, keep) keep,
	EVENT_TYPES(X)
#undef X
};

/* Whether e is still kept at time now (it needed a person, or tells of
   the link, and is younger than a shift). */
static int
events_kept(const struct event *e, double now)
{
	return ((event_type_keep[e->type] || e->exposed) &&
	    now - e->time < EVENTS_KEEP_S);
}

/*
 * Make room in a full ring: drop the oldest event that is not kept (the
 * older kept ones move up one place), or the oldest of all when every
 * one is kept.
 */
static void
events_drop(struct event_log *log, double now)
{
	size_t	i, j;

	for (i = 0; i < log->n; i++)
		if (!events_kept(&log->v[(log->head + i) % log->cap], now))
			break;
	if (i == log->n)
		i = 0;
	for (j = i; j > 0; j--)
		log->v[(log->head + j) % log->cap] =
		    log->v[(log->head + j - 1) % log->cap];
	log->head = (log->head + 1) % log->cap;
	log->n--;
}

void
events_init(struct event_log *log, size_t cap)
{
	memset(log, 0, sizeof *log);
	if (cap == 0)
		cap = 1;
	log->v = xcalloc(cap, sizeof *log->v);
	log->cap = cap;
}

void
events_done(struct event_log *log)
{
	free(log->v);
	memset(log, 0, sizeof *log);
}

/* Append an event; the returned entry is the caller's to fill further
   (side, km, gap_id, unit_id) until the next add. */
struct event *
events_add(struct event_log *log, double time, enum event_type type,
    const char *fmt, ...)
{
	struct event	*e;
	char		 raw[sizeof e->text * 2];
	va_list		 ap;
	size_t		 slot;

	if (log->n == log->cap)
		events_drop(log, time);
	slot = (log->head + log->n) % log->cap;
	log->n++;
	e = &log->v[slot];
	memset(e, 0, sizeof *e);
	e->time = time;
	e->type = type;
	e->side = SIDE_NONE;
	e->km = NAN;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	str_clean(e->text, sizeof e->text, raw, strlen(raw));
	log->total++;
	return (e);
}

const struct event *
events_get(const struct event_log *log, size_t i)
{
	if (i >= log->n)
		return (NULL);
	return (&log->v[(log->head + log->n - 1 - i) % log->cap]);
}

const char *const alert_kind_texts[ALERT_KIND_COUNT] = {
#define X(id, key, text) text,
	ALERT_KINDS(X)
#undef X
};

void
alerts_init(struct alert_queue *q)
{
	memset(q, 0, sizeof *q);
}

void
alerts_done(struct alert_queue *q)
{
	free(q->v);
	memset(q, 0, sizeof *q);
}

struct alert *
alerts_raise(struct alert_queue *q, double time, enum alert_kind kind,
    const char *text)
{
	struct alert	*a;

	if (q->n == q->cap) {
		q->cap = q->cap == 0 ? 8 : q->cap * 2;
		q->v = xreallocarray(q->v, q->cap, sizeof *q->v);
	}
	a = &q->v[q->n++];
	memset(a, 0, sizeof *a);
	a->time = time;
	a->kind = kind;
	str_clean(a->text, sizeof a->text, text, strlen(text));
	q->raised++;
	return (a);
}

int
alerts_ack(struct alert_queue *q, struct alert *out)
{
	if (q->n == 0)
		return (0);
	if (out != NULL)
		*out = q->v[0];
	memmove(q->v, q->v + 1, (q->n - 1) * sizeof *q->v);
	q->n--;
	q->acked++;
	return (1);
}
