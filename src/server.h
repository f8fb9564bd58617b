/*
 * server.h: serving coordination API v1 from a scenario over HTTP
 * (libmicrohttpd), for bordercop-sim.
 *
 * GET /v1/positions[?since=CURSOR] answers in full, or with what changed
 * since a cursor of this run; strong ETags per (version,
 * partition, encoding) and 304 on If-None-Match; gzip when the client
 * accepts it; Cache-Control for shared caches (kept until the next
 * version, stale while revalidating).  Optional bearer token, or one
 * token per side (partitions).  Optional fault injection for tests of
 * clients.
 *
 * Threads: libmicrohttpd runs a thread per connection (at most 64 from
 * one address; a connection silent for 15 s is closed).  The scenario is
 * shared: the caller advances it only through server_advance(), which
 * takes it for writing, while answers are rendered under its read lock,
 * so an answer is always one consistent version.  Each representation is
 * rendered once and its bytes shared by every answer that sends it.
 */
#ifndef BORDERCOP_SERVER_H
#define BORDERCOP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "status.h"

/* Injected faults, as --fault names them. */
#define SERVER_FAULTS(X)						\
	X(DELAY,	"delay",	"answer after --fault-delay ms")	\
	X(STATUS,	"status",	"answer --fault-status (500 or 503)")	\
	X(TRUNCATE,	"truncate",	"close the connection mid-body")	\
	X(GARBAGE,	"garbage",	"answer 200 with a body that is not JSON") \
	X(SLOW,		"slow",		"trickle the body at --fault-slow-bps")

enum server_fault {
#define X(id, name, help) FAULT_##id,
	SERVER_FAULTS(X)
#undef X
	FAULT_COUNT
};

extern const char *const server_fault_names[FAULT_COUNT];

struct server_config {
	const char	*addr;		/* numeric IPv4 or IPv6 address */
	unsigned	 port;		/* 0: pick a free port */
	double		 tick_s;	/* Cache-Control: max-age */
	const char	*token;		/* required bearer token, or NULL */
	/* Partitions: a token per side, whose answers name that side
	   ("partition") and are tagged apart; NULL: none for that side. */
	const char	*side_token[NSIDES];
	const char	*tag;		/* instance tag inside cursors */

	unsigned	 faults;	/* bit per enum server_fault */
	double		 fault_rate;	/* share of requests faulted, 0..1 */
	unsigned long	 fault_after;	/* first requests always healthy */
	unsigned long	 fault_count;	/* faulted requests, 0: unlimited */
	unsigned	 fault_delay_ms;
	unsigned	 fault_status;	/* 500 or 503 */
	unsigned	 retry_after_s;	/* 0: no Retry-After */
	unsigned	 fault_slow_bps;
	uint64_t	 seed;		/* for the choice of faults */
};

struct server;

enum bc_status	 server_start(const struct server_config *, struct scenario *,
		    struct server **, char *why, size_t whylen);
/* The port actually bound. */
unsigned	 server_port(const struct server *);
/* Advance the shared scenario to simulated time t (epoch s). */
void		 server_advance(struct server *, double t);
/* Turn fault injection off and on again (from a SIGUSR1 flag). */
void		 server_toggle_faults(struct server *);
void		 server_stop(struct server *);

/* Whether an Accept-Encoding value accepts gzip (q-values honoured). */
int		 server_accepts_gzip(const char *accept_encoding);
/* Gzip a body as answers are sent; 0, or -1 on a zlib failure. */
int		 server_gzip(const char *, size_t, char **out, size_t *outlen);

#endif
