/*
 * request.h: coverage requests between the sides (API v1.1, see
 * bordercop-api(7) REQUESTS).
 *
 * A request goes from one side (the sender) to the other (the
 * addressee) and names a stretch of the border line in chainage km,
 * never the other side's units: the addressee decides who goes.  Its
 * state moves along one table of allowed transitions, each with who may
 * make it; every transition is stamped with the server's time and the
 * side that made it.  This module holds the model, the validation, the
 * state machine and the JSON writer; parsing is in reqfeed.c (the feed
 * parser family), the client's store and queue in reqbook.c.
 *
 * Times are epoch seconds (doubles), distances km.  It includes no
 * curses, curl or cJSON.
 */
#ifndef BORDERCOP_REQUEST_H
#define BORDERCOP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "apiwrite.h"
#include "border.h"
#include "status.h"

#define REQ_ID_MAX		64	/* bytes */
#define REQ_TEXT_MAX		280	/* bytes, clean UTF-8 */
#define REQ_REASON_MAX		140	/* bytes, clean UTF-8 */
#define REQ_GAP_MAX		16	/* bytes */
#define REQ_SECTOR_MAX		16	/* bytes */
#define REQ_EXPIRY_MAX_S	86400.0	/* at most a day ahead */
#define REQ_STRETCH_MAX_KM	200.0	/* longest stretch one request names */
#define REQ_BODY_MAX		2048	/* bytes of a POST body */
#define REQ_API			"bordercop-coordination/1.1"

#define REQ_KINDS(X)						\
	X(COVER,	"cover",	"cover a stretch")		\
	X(INFO,		"info",		"ask for information")		\
	X(MESSAGE,	"message",	"a message about a stretch")

enum req_kind {
#define X(id, name, help) REQ_##id,
	REQ_KINDS(X)
#undef X
	REQ_KIND_COUNT
};

/* States on the wire; terminal states end a request. */
#define REQ_STATES(X)					\
	X(SENT,		"sent",		0)		\
	X(DELIVERED,	"delivered",	0)		\
	X(SEEN,		"seen",		0)		\
	X(ACCEPTED,	"accepted",	0)		\
	X(DECLINED,	"declined",	0)		\
	X(COUNTERED,	"countered",	0)		\
	X(COVERING,	"covering",	0)		\
	X(CLOSED,	"closed",	1)		\
	X(EXPIRED,	"expired",	1)

enum req_state {
#define X(id, name, term) RS_##id,
	REQ_STATES(X)
#undef X
	REQ_STATE_COUNT
};

/* Who may make a transition. */
#define REQ_BY_SENDER		0x1
#define REQ_BY_ADDRESSEE	0x2
#define REQ_BY_EITHER		(REQ_BY_SENDER | REQ_BY_ADDRESSEE)
#define REQ_BY_SERVER		0x4
/* The side of a stamp made by the server itself (delivery, expiry). */
#define REQ_SIDE_SERVER		(-1)

/*
 * The allowed transitions: from, to, who.  delivered is the server's
 * (the addressee's client fetched it); covering and closed may come from
 * either side's client, which both measure the same picture; the sender
 * may withdraw an open request (closed).
 */
#define REQ_TRANSITIONS(X)						\
	X(SENT,		DELIVERED,	REQ_BY_SERVER)			\
	X(SENT,		SEEN,		REQ_BY_ADDRESSEE)		\
	X(DELIVERED,	SEEN,		REQ_BY_ADDRESSEE)		\
	X(SENT,		ACCEPTED,	REQ_BY_ADDRESSEE)		\
	X(DELIVERED,	ACCEPTED,	REQ_BY_ADDRESSEE)		\
	X(SEEN,		ACCEPTED,	REQ_BY_ADDRESSEE)		\
	X(SENT,		DECLINED,	REQ_BY_ADDRESSEE)		\
	X(DELIVERED,	DECLINED,	REQ_BY_ADDRESSEE)		\
	X(SEEN,		DECLINED,	REQ_BY_ADDRESSEE)		\
	X(SENT,		COUNTERED,	REQ_BY_ADDRESSEE)		\
	X(DELIVERED,	COUNTERED,	REQ_BY_ADDRESSEE)		\
	X(SEEN,		COUNTERED,	REQ_BY_ADDRESSEE)		\
	X(ACCEPTED,	COVERING,	REQ_BY_EITHER)			\
	X(COUNTERED,	COVERING,	REQ_BY_EITHER)			\
	X(COVERING,	CLOSED,		REQ_BY_EITHER)			\
	X(SENT,		CLOSED,		REQ_BY_SENDER)			\
	X(DELIVERED,	CLOSED,		REQ_BY_SENDER)			\
	X(SEEN,		CLOSED,		REQ_BY_SENDER)			\
	X(ACCEPTED,	CLOSED,		REQ_BY_SENDER)			\
	X(DECLINED,	CLOSED,		REQ_BY_SENDER)			\
	X(COUNTERED,	CLOSED,		REQ_BY_SENDER)			\
	X(SENT,		EXPIRED,	REQ_BY_SERVER)			\
	X(DELIVERED,	EXPIRED,	REQ_BY_SERVER)			\
	X(SEEN,		EXPIRED,	REQ_BY_SERVER)			\
	X(ACCEPTED,	EXPIRED,	REQ_BY_SERVER)			\
	X(DECLINED,	EXPIRED,	REQ_BY_SERVER)			\
	X(COUNTERED,	EXPIRED,	REQ_BY_SERVER)			\
	X(COVERING,	EXPIRED,	REQ_BY_SERVER)

struct req_stamp {
	double	t;		/* server time, epoch s; NAN: never */
	int	side;		/* side index, or REQ_SIDE_SERVER */
};

struct request {
	char		 id[REQ_ID_MAX + 1];	/* made by the sender's client */
	enum req_kind	 kind;
	int		 sender;		/* side index, from the token */
	int		 addressee;		/* the other side */
	double		 a_km, b_km;		/* the stretch, a < b */
	char		 gap[REQ_GAP_MAX + 1];	/* gap id as text, or "" */
	char		 sector[REQ_SECTOR_MAX + 1];	/* or "" */
	char		 text[REQ_TEXT_MAX + 1];
	double		 expires;		/* epoch s */
	double		 created;		/* server time of sent */

	enum req_state	 state;
	struct req_stamp stamps[REQ_STATE_COUNT];
	char		 reason[REQ_REASON_MAX + 1];	/* declined, countered */
	double		 counter_a_km;		/* countered: NAN or km */
	double		 counter_b_km;
	uint64_t	 seq;			/* server's change number */
};

/* An answer: a new state, with a reason and a counter stretch. */
struct req_answer {
	enum req_state	 state;
	char		 reason[REQ_REASON_MAX + 1];
	double		 counter_a_km;		/* NAN: none */
	double		 counter_b_km;
};

extern const char *const req_kind_names[REQ_KIND_COUNT];
extern const char *const req_state_names[REQ_STATE_COUNT];

/* By name; -1 when unknown. */
int		 req_kind_parse(const char *);
int		 req_state_parse(const char *);
int		 req_state_terminal(enum req_state);
/* Open: not closed, expired or declined (waits for nobody else). */
int		 req_state_open(enum req_state);

/* A request with every time NAN and no state stamped. */
void		 req_init(struct request *);
void		 req_answer_init(struct req_answer *);

/* Whether an id is 1..REQ_ID_MAX of [A-Za-z0-9._-]. */
int		 req_id_ok(const char *);

/*
 * Check a new request from a client: id, stretch within [0, line_km] and
 * at most REQ_STRETCH_MAX_KM long, expiry after now and at most a day
 * ahead, sides set and different.  why names the first bad member.
 */
enum bc_status	 req_validate(const struct request *, double line_km,
		    double now, char *why, size_t whylen);

/*
 * Who may move a request from one state to another (REQ_BY_* bits), or
 * 0 when the transition is not allowed.
 */
unsigned	 req_transition_who(enum req_state from, enum req_state to);
/*
 * Whether side (or REQ_SIDE_SERVER) may give answer a to request r:
 * BC_OK; BC_AUTH when the transition exists but is not that side's;
 * BC_INVALID when it does not exist from the current state (why says
 * from which state to which).  Giving the state the request is in
 * already is BC_OK (a retry), which req_apply() then leaves alone.
 */
enum bc_status	 req_check(const struct request *, const struct req_answer *,
		    int side, char *why, size_t whylen);
/* Make the transition at server time t (checked before); returns 1 if
   anything changed. */
int		 req_apply(struct request *, const struct req_answer *,
		    int side, double t);
/* Start a request in state sent at server time t. */
void		 req_start(struct request *, double t);

/*
 * JSON.  req_write: the whole request as the server sends it and keeps
 * it (with its history and seq).  req_write_new: the body of POST
 * /v1/requests.  req_write_answer: the body of POST .../state.  Side
 * codes name the map's sides.
 */
void		 req_write(struct apibuf *, const struct request *,
		    const char *const side_codes[NSIDES]);
void		 req_write_new(struct apibuf *, const struct request *,
		    const char *const side_codes[NSIDES]);
void		 req_write_answer(struct apibuf *, const struct req_answer *);

#endif
