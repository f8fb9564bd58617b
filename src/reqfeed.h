/*
 * reqfeed.h: parsing the requests of API v1.1 (bordercop-api(7)
 * REQUESTS), in the feed parser family: the boundary for every string of
 * a request.
 *
 * What a client sends (a new request, an answer) is parsed strictly: a
 * text that is too long or not already clean is refused with its reason,
 * never silently changed, so what the sender wrote is what the addressee
 * reads.  What a server sends (the list, one request) is cleaned like
 * every feed string: each string bounded, valid UTF-8, free of control
 * characters and escape sequences; an item that fails is skipped and
 * counted, the rest used.
 */
#ifndef BORDERCOP_REQFEED_H
#define BORDERCOP_REQFEED_H

#include <stddef.h>

#include "request.h"
#include "status.h"

#define REQFEED_MAX_BYTES	(4u * 1024 * 1024)
#define REQFEED_MAX_ITEMS	10000

/* GET /v1/requests: the answer. */
struct reqfeed_msg {
	char		 api[64];
	int		 side;			/* the token's side, or -1 */
	double		 server_time;		/* epoch s, NAN when absent */
	char		*cursor;		/* clean; NULL when absent */
	int		 full;
	struct request	*reqs;
	size_t		 nreqs;
	size_t		 nrejected;
	char		 first_reject[128];	/* the first item's reason */
};

/* A line of the client's queue: a new request, or an answer to one. */
enum reqfeed_op {
	REQFEED_NEW,
	REQFEED_ANSWER
};

struct reqfeed_item {
	enum reqfeed_op		 op;
	struct request		 req;		/* NEW: the request */
	char			 id[REQ_ID_MAX + 1];	/* ANSWER: to which */
	struct req_answer	 answer;	/* ANSWER */
	int			 has_req;	/* ANSWER: req holds the request
						   answered as known when
						   queued (its "req" member) */
};

/*
 * The body of POST /v1/requests.  *claimed is the sender side the body
 * names (-1 when it names none): the server compares it with the
 * token's, never takes it.  The request's sides are not set.
 */
enum bc_status	 reqfeed_parse_new(const char *buf, size_t len,
		    const char *const side_codes[NSIDES], struct request *,
		    int *claimed, char *why, size_t whylen);
/* The body of POST /v1/requests/{id}/state. */
enum bc_status	 reqfeed_parse_answer(const char *buf, size_t len,
		    struct req_answer *, char *why, size_t whylen);
/* One request as req_write() writes it (a list item, a record of the
   server's file). */
enum bc_status	 reqfeed_parse_request(const char *buf, size_t len,
		    const char *const side_codes[NSIDES], struct request *,
		    char *why, size_t whylen);
/* The answer of GET /v1/requests; free with reqfeed_msg_done(). */
enum bc_status	 reqfeed_parse_list(const char *buf, size_t len,
		    const char *const side_codes[NSIDES],
		    struct reqfeed_msg *, char *why, size_t whylen);
void		 reqfeed_msg_done(struct reqfeed_msg *);
/* One line of the client's queue file. */
enum bc_status	 reqfeed_parse_item(const char *buf, size_t len,
		    const char *const side_codes[NSIDES],
		    struct reqfeed_item *, char *why, size_t whylen);

#endif
