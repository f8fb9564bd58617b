/*
 * server_req.h: the requests of API v1.1 in bordercop-sim (see
 * bordercop-api(7) REQUESTS): POST /v1/requests, GET /v1/requests
 * [?since=CURSOR] and POST /v1/requests/{id}/state.
 *
 * The side of a client is its token's (--token-file US=FILE), never
 * what a body says: a token creates requests only as its side and
 * answers only those addressed to it.  Each token has a rate limit
 * (429 with Retry-After).  With a state directory every change is
 * appended to requests.jsonl and fsync(2)ed before the answer leaves,
 * and the file is read back at start, so a request survives kill -9 and
 * a client's retry with the same id finds it instead of making another.
 *
 * Threads: called from libmicrohttpd's connection threads; one mutex
 * guards the store, the file and the rate buckets.  The hooks into the
 * scenario (its time, a dispatch) are called without that mutex held.
 */
#ifndef BORDERCOP_SERVER_REQ_H
#define BORDERCOP_SERVER_REQ_H

#include <stddef.h>

#include <microhttpd.h>

#include "border.h"
#include "request.h"
#include "status.h"

#define SRVREQ_PATH		"/v1/requests"
#define SRVREQ_FILE		"requests.jsonl"
#define SRVREQ_MAX		100000	/* requests kept */

struct srvreq_hooks {
	void	*arg;
	/* The server's clock (the scenario's time), epoch s. */
	double	(*now)(void *arg);
	/* A cover request was accepted: send the addressee's units. */
	void	(*dispatch)(void *arg, int side, double a_km, double b_km,
		    double until);
};

struct srvreq_config {
	const char	*side_tokens[NSIDES];	/* NULL: that side has none */
	const char	*side_codes[NSIDES];
	double		 line_km;
	const char	*state_dir;		/* NULL: in memory only */
	unsigned	 rate_per_min;		/* per token; 0: no limit */
	const char	*tag;			/* instance tag in cursors */
	int		 auto_side;		/* side answered by the sim, -1 */
	double		 auto_delay_s;		/* simulated s before it does */
	int		 crash_after_store;	/* test fault: SIGKILL itself */
};

struct srvreq;

enum bc_status	 srvreq_new(const struct srvreq_config *,
		    const struct srvreq_hooks *, struct srvreq **,
		    char *why, size_t whylen);
void		 srvreq_free(struct srvreq *);
/* How many requests were read back from the state directory. */
size_t		 srvreq_loaded(const struct srvreq *);

/* The side of an Authorization header's token, or -1. */
int		 srvreq_token_side(const struct srvreq *, const char *auth);
/* Whether a URL is one of ours. */
int		 srvreq_path(const char *url);
/* The handler for our URLs (libmicrohttpd's access handler's args). */
enum MHD_Result	 srvreq_handle(struct srvreq *, struct MHD_Connection *,
		    const char *url, const char *method,
		    const char *upload_data, size_t *upload_size,
		    void **con_cls);
/* Free what srvreq_handle() kept in *con_cls (request completed). */
void		 srvreq_completed(void *con_cls);
/* Whether *con_cls is one of ours. */
int		 srvreq_owns(void *con_cls);
/* The clock moved to now (epoch s): expiries, the simulated answers. */
void		 srvreq_tick(struct srvreq *, double now);

#endif
