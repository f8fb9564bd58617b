/*
 * poll.h: polling coordination API v1 over HTTP(S), without blocking.
 *
 * A poller owns one libcurl multi handle and one easy handle, reused for
 * every poll so the connection is kept alive.  It never blocks: the
 * caller owns the one wait point of the program and drives the poller
 * from it:
 *
 *	for (;;) {
 *		ms = poll_timeout_ms(p, now());		(min with own ticks)
 *		if (poll_wait(p, STDIN_FILENO, ms) > 0)
 *			read keys;
 *		switch (poll_perform(p, now(), &msg, why, sizeof why)) {
 *		case POLL_MESSAGE:	feed_apply(&msg, table);
 *					feed_msg_done(&msg); ...
 *		case POLL_NOT_MODIFIED, POLL_FAILED, POLL_BUSY, POLL_IDLE: ...
 *		}
 *	}
 *
 * poll_perform() starts a poll when one is due, drives the transfer, and
 * reports at most one finished poll per call.  The link status is kept
 * up to date (OK, SLOW, DOWN, last good poll, failures, bytes).  A failed
 * answer leaves the caller's table alone: only POLL_MESSAGE hands over
 * something to apply.
 *
 * Wire: GET {base}/v1/positions[?since=CURSOR], Accept-Encoding: gzip,
 * If-None-Match with the ETag exactly as received, Authorization: Bearer
 * from a header list (never in the URL), User-Agent bordercop/VERSION.
 * TLS peer and host verification are always on; cacert names a private
 * CA bundle.  The body is capped in the write callback (decoded bytes).
 * After a failure the next poll waits max(backoff, Retry-After), the
 * backoff being exponential with full jitter, capped.
 *
 * The token is copied, sent only in the Authorization header, wiped on
 * free, and never appears in any message, error or log.
 *
 * Times given by the caller ("now") are epoch seconds from the caller's
 * clock; transfer durations are measured by libcurl.
 */
#ifndef BORDERCOP_POLL_H
#define BORDERCOP_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "border.h"
#include "feed.h"
#include "link.h"
#include "status.h"

#define POLL_TOKEN_MAX		4096	/* bytes */
#define POLL_ETAG_MAX		256	/* longer ETags are not kept */
#define POLL_RETRY_AFTER_MAX	3600.0	/* s: a longer Retry-After is cut */

struct poll_config {
	const char	*base_url;		/* http(s)://host[:port]/path */
	const char	*token;			/* NULL: none; copied */
	const char	*cacert;		/* NULL: the system store */
	const char	*side_codes[NSIDES];	/* the map's side codes */
	/*
	 * A transfer that keeps moving is never cut short by a fixed
	 * timeout (a 200 KB first answer takes minutes at 1 KB/s): a dead
	 * one is caught by the low-speed limit, and timeout_s is only a
	 * generous cap on a whole transfer.
	 */
	long		 connect_timeout_s;	/* 10 */
	long		 timeout_s;		/* 900: cap on a whole transfer */
	long		 low_speed_bps;		/* 64 B/s ... */
	long		 low_speed_s;		/* ... for 30 s: too slow */
	size_t		 max_bytes;		/* FEED_MAX_BYTES, decoded */
	double		 interval_s;		/* 10: between good polls */
	double		 slow_s;		/* 5: a longer poll is SLOW */
	double		 backoff_base_s;	/* 2 */
	double		 backoff_cap_s;		/* 300 */
	double		 backoff_min_s;		/* 1: never retry sooner */
	uint64_t	 seed;			/* jitter PRNG; 0: from the
						   clock and pid */
};

enum poll_result {
	POLL_IDLE,		/* nothing in flight, nothing due */
	POLL_BUSY,		/* a poll is in flight */
	POLL_MESSAGE,		/* a message to apply (owned by caller) */
	POLL_NOT_MODIFIED,	/* 304: the picture is current */
	POLL_FAILED		/* why says what; the picture is kept */
};

/* Figures of the last finished poll, for tests and benchmarks. */
struct poll_stats {
	long		 http_code;		/* 0 when no answer */
	uint64_t	 wire_bytes;		/* body bytes on the wire */
	uint64_t	 body_bytes;		/* decoded body bytes */
	int		 gzip;			/* Content-Encoding: gzip */
	int		 incremental;		/* sent with ?since= */
	int		 conditional;		/* sent with If-None-Match */
	double		 total_s;		/* transfer time */
	double		 retry_after_s;		/* 0 when none */
	enum bc_status	 status;		/* class of the failure */
};

struct poller;

void		 poll_config_defaults(struct poll_config *);
enum bc_status	 poll_new(const struct poll_config *, struct poller **,
		    char *why, size_t whylen);
void		 poll_free(struct poller *);

/* Make the next poll due at once (a "refresh" key). */
void		 poll_now(struct poller *);
/* Forget cursor and ETag: the next poll asks for a full answer. */
void		 poll_reset(struct poller *);

/* Milliseconds until the poller needs poll_perform() again (>= 0). */
int		 poll_timeout_ms(struct poller *, double now);
/*
 * The wait point: wait for network activity, for extra_fd (-1: none) to
 * become readable, or for timeout_ms.  Returns 1 when extra_fd is
 * readable, 0 otherwise, -1 on a failure of the poll itself.  A signal
 * ends the wait early.
 */
int		 poll_wait(struct poller *, int extra_fd, int timeout_ms);
/* Drive the poller; see the header comment.  On POLL_MESSAGE *msg is
   the caller's (feed_msg_done); on POLL_FAILED why has the cause. */
enum poll_result poll_perform(struct poller *, double now,
		    struct feed_msg *msg, char *why, size_t whylen);
/* One blocking poll now, for --report --api (no other wait point). */
enum poll_result poll_once(struct poller *, double now,
		    struct feed_msg *msg, char *why, size_t whylen);

/*
 * What the link's server_skew_s (server clock - local clock, measured
 * from the start of the request that brought it) comes from: nothing yet
 * (0), the Date header of an answer, or a message's server_time, which
 * then wins over Date for good.
 */
enum poll_clock {
	POLL_CLOCK_LOCAL,
	POLL_CLOCK_DATE,
	POLL_CLOCK_SERVER
};

enum poll_clock	 poll_clock(const struct poller *);
const struct link_status *poll_link(const struct poller *);
const struct poll_stats *poll_last(const struct poller *);
int		 poll_in_flight(const struct poller *);

/*
 * The delay before the next try after `failures` consecutive failures:
 * a uniform draw in [0, min(cap, base * 2^(failures-1))], then at least
 * min_s and at least retry_after_s (0: none).  *rng is an xorshift64*
 * state (non-zero), advanced by the draw.
 */
double		 poll_backoff(uint64_t *rng, double base_s, double cap_s,
		    double min_s, unsigned failures, double retry_after_s);

/*
 * The bearer token: from path when given (a regular file that neither
 * group nor others can read; one line, trailing newline stripped), else
 * from $BORDERCOP_TOKEN, else none (*token = NULL, BC_OK).  The token
 * must be 1..POLL_TOKEN_MAX visible ASCII characters.  The variable is
 * removed from the environment, so that programs started later never
 * see it.  Free with poll_token_free(), which wipes it.
 */
enum bc_status	 poll_token_load(const char *path, char **token,
		    char *why, size_t whylen);
void		 poll_token_free(char *);

#endif
