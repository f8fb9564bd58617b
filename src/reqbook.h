/*
 * reqbook.h: the client's requests: what the server said about each,
 * what waits to be sent, and what the picture shows about them.
 *
 * Store and forward: a request composed here, and every answer given
 * here, goes into a queue kept in a file (written to a temporary file,
 * synced and renamed, so a kill -9 leaves the old queue or the new one)
 * and stays there, shown as queued, until the server took it.  After a
 * restart the queue is read back and sent again with the same ids, which
 * the server takes as retries: each request exists once.
 *
 * Covering is measured, not claimed: a request the addressee accepted
 * (or countered with another stretch) becomes covering when the
 * addressee's side covers the whole stretch in the picture, and closed
 * when it has stayed covered for cover_hold_s (a frozen picture, with
 * no data for longer than stale_after, measures nothing); the client
 * then sends those states.  A cover request of ours with no answer
 * after escalate_s raises an escalation event telling the officer to
 * call the voice line of the addressee's sector.
 *
 * Times "pnow" are the picture clock (server time), epoch s.  It
 * includes no curses, curl or cJSON parsing (reqfeed.c parses).
 */
#ifndef BORDERCOP_REQBOOK_H
#define BORDERCOP_REQBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "apiwrite.h"
#include "events.h"
#include "picture.h"
#include "reqfeed.h"
#include "request.h"
#include "status.h"

#define REQBOOK_HOLD_S		120.0	/* covered this long: closed */
#define REQBOOK_ESCALATE_S	300.0	/* unanswered cover: use the phone */
#define REQBOOK_EXPIRY_S	3600.0	/* default life of a request */
#define REQBOOK_COVER_TOL_KM	0.01	/* uncovered less than this: covered */
#define REQBOOK_FILE		"requests.queue"

struct reqbook_entry {
	struct request		 r;		/* as the server last said, or
						   as composed here */
	int			 on_server;	/* the server has it */
	int			 pending_new;	/* POST /v1/requests queued */
	int			 pending_answer; /* POST .../state queued */
	struct req_answer	 answer;	/* the queued answer */
	enum req_state		 inflight;	/* the answer being sent (a
						   newer one may be queued
						   meanwhile) */
	char			 error[160];	/* the server refused: why */
	double			 covered_since;	/* picture clock; NAN */
	int			 escalated;	/* escalation raised */
	char			 voice[64];	/* ... the line to call, clean,
						   or "" (not known) */
	int			 acked;		/* ... and acknowledged */
	int			 is_new;	/* incoming, not yet shown */
};

struct reqbook_config {
	const char	*side_codes[NSIDES];
	int		 side;		/* ours, or -1: learnt from the server */
	const char	*queue_path;	/* NULL: the queue is not kept */
	double		 hold_s;	/* 0: REQBOOK_HOLD_S */
	double		 escalate_s;	/* 0: REQBOOK_ESCALATE_S */
	uint64_t	 seed;		/* ids; 0: random */
	/* The voice line of a sector ("TCA" -> "+1 520 555 0100"), or
	   NULL; from the config or the map's sector properties. */
	const char	*(*voice)(void *arg, int side, const char *sector);
	void		*voice_arg;
};

struct reqbook {
	struct reqbook_config	 cfg;
	char			 codes[NSIDES][16];
	char			*queue_path;
	int			 side;
	struct reqbook_entry	*v;
	size_t			 n, cap;
	char			 id_prefix[24];
	unsigned long		 next_id;
	unsigned long		 sent;		/* POSTs the server took */
	char			 carrier[160];	/* the carrier's last failure
						   (reqpoll.c), clean, or "" */
};

enum bc_status	 reqbook_init(struct reqbook *, const struct reqbook_config *,
		    char *why, size_t whylen);
void		 reqbook_done(struct reqbook *);
/* Our side became known (the server said which the token is). */
void		 reqbook_set_side(struct reqbook *, int side);

/*
 * Compose a request to the other side and queue it; its id in id (at
 * least REQ_ID_MAX + 1 bytes).  text is cleaned and cut to
 * REQ_TEXT_MAX.  Fails when our side is not known yet or the stretch or
 * expiry is not valid (why says which).
 */
enum bc_status	 reqbook_compose(struct reqbook *, enum req_kind,
		    double a_km, double b_km, const char *gap,
		    const char *sector, const char *text, double expires,
		    double pnow, double line_km, char *id,
		    char *why, size_t whylen);
/* Queue an answer to a request (checked against the state machine). */
enum bc_status	 reqbook_answer(struct reqbook *, const char *id,
		    const struct req_answer *, char *why, size_t whylen);
/* The officer acknowledged the escalation of id. */
int		 reqbook_ack(struct reqbook *, const char *id,
		    struct event_log *, double pnow);

/* Take what the server sent (GET /v1/requests); events go to log. */
void		 reqbook_merge(struct reqbook *, const struct reqfeed_msg *,
		    double pnow, struct event_log *);
/* Measure covering in the picture, close what stayed covered, raise
   escalations. */
void		 reqbook_measure(struct reqbook *, const struct picture *,
		    double pnow, struct event_log *);

/*
 * The next call to make, if any: its index, whether it creates
 * (POST /v1/requests) or answers (POST /v1/requests/{id}/state), and its
 * body in b.  -1 when nothing waits.
 */
long		 reqbook_next(struct reqbook *, int *create, struct apibuf *b);
/*
 * The call for index i ended with HTTP code (0: no answer) and a
 * plain-text reason.  2xx takes it off the queue; 400, 403, 404, 409
 * and 413 too, with the reason kept (it would fail again); anything else
 * keeps it queued.  Returns 1 when it left the queue.
 */
int		 reqbook_sent(struct reqbook *, long i, int create, long code,
		    const char *reason);

/* Requests waiting for an answer: to us (inbox), from us (outbox). */
void		 reqbook_unanswered(const struct reqbook *, size_t *in,
		    size_t *out);
/* The entry for id, or NULL. */
struct reqbook_entry *reqbook_find(struct reqbook *, const char *id);
/* The entry for id, added when new (a book rebuilt from the journal by
   the replay, which neither queues nor sends). */
struct reqbook_entry *reqbook_put(struct reqbook *, const char *id);
/* What to show as its state: "queued" while not on the server. */
const char	*reqbook_state_text(const struct reqbook_entry *);

#endif
