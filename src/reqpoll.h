/*
 * reqpoll.h: carrying requests between the client and the server (API
 * v1.1), without blocking.
 *
 * One libcurl easy handle on a multi handle of its own, one call at a
 * time: what the book has queued is POSTed first (new requests before
 * answers), then GET {base}/v1/requests?since=CURSOR every interval,
 * with If-None-Match, gzip and the bearer token in a header.  A call
 * that gets no answer, or 429 or 5xx, leaves the queue as it was and the
 * next try waits (Retry-After, else a doubling backoff up to a minute).
 * The caller's one wait point takes reqpoll_timeout_ms() into its
 * timeout; the transfers are small (a few hundred bytes), so while one
 * is in flight the wait is short rather than shared with the positions'
 * sockets.
 *
 * The token is copied, sent only in the Authorization header and wiped
 * on free.
 */
#ifndef BORDERCOP_REQPOLL_H
#define BORDERCOP_REQPOLL_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "reqbook.h"
#include "status.h"

#define REQPOLL_BACKOFF_MAX_S	60.0

struct reqpoll_config {
	const char	*base_url;	/* as for positions: http(s)://.../ */
	const char	*token;		/* NULL: none (the server says 401) */
	const char	*cacert;
	double		 interval_s;	/* 10: between list polls */
};

/* Bytes of the last finished call, for benchmarks and tests. */
struct reqpoll_stats {
	long		 code;		/* HTTP status, 0 none */
	int		 create;	/* 1 POST new, 0 answer, -1 list */
	uint64_t	 tx_head, tx_body;
	uint64_t	 rx_head, rx_body;	/* rx_body as on the wire */
	unsigned long	 calls;
};

struct reqpoll;

enum bc_status	 reqpoll_new(const struct reqpoll_config *, struct reqpoll **,
		    char *why, size_t whylen);
void		 reqpoll_free(struct reqpoll *);
/* Poll the list soon (after composing or answering). */
void		 reqpoll_now(struct reqpoll *);
int		 reqpoll_timeout_ms(struct reqpoll *, const struct reqbook *,
		    double now);
/*
 * Drive the calls at local time now (pnow: the picture clock, for the
 * events).  Returns 1 when the book changed.
 */
int		 reqpoll_step(struct reqpoll *, struct reqbook *, double now,
		    double pnow, struct event_log *);
/* Whether the last call got an answer from the server. */
int		 reqpoll_up(const struct reqpoll *);
/* The last failure, clean ("" when none). */
const char	*reqpoll_error(const struct reqpoll *);
const struct reqpoll_stats *reqpoll_stats(const struct reqpoll *);
/* Run calls until the queue is empty and one list came (or failed). */
enum bc_status	 reqpoll_sync(struct reqpoll *, struct reqbook *,
		    double (*clock)(void), double pnow, struct event_log *,
		    char *why, size_t whylen);

#endif
