/*
 * handover.h: the shift-handover report, recomputed from the journal.
 *
 * The journal's table records are fed back, in order, into the engine
 * (cop.h): the same picture and gap tracking as the live program.  Between two records the
 * table does not change, and a unit's state changes only when its report
 * passes stale_at (or stale_after) and lost_after: the picture is
 * constant between those times, so it is built once per stretch (at its
 * middle) and its figures are multiplied by the stretch's length.  The
 * sums are exact, not sampled.
 *
 * Minutes uncovered: a sector of side S is uncovered "own side" while a
 * stretch of at least min_gap km inside it is covered by no fresh unit of
 * S, and "joint" while such a stretch is covered by no fresh unit of
 * either side.  Time while the link was down, before the journal's first
 * keyframe, after a clean end of a session, and more than stale_after
 * after the journal's last record, is unknown: counted apart, never as
 * uncovered, and no picture is built in it.
 */
#ifndef BORDERCOP_HANDOVER_H
#define BORDERCOP_HANDOVER_H

#include <stddef.h>
#include <stdio.h>

#include "border.h"
#include "journal.h"
#include "picture.h"
#include "status.h"

#define HANDOVER_LONGEST	5	/* longest gaps listed */
#define HANDOVER_LIST		12	/* units, alerts, outages listed */
#define HANDOVER_TIMELINE	20	/* timeline entries listed */
#define HANDOVER_REQS		12	/* requests listed (text) */
#define HANDOVER_SHIFT_S	(8 * 3600.0)	/* window without --from */

struct handover_config {
	const struct border_map	*map;
	struct picture_config	 pcfg;
	double			 from, to;	/* epoch s */
	double			 alert_gap_km;	/* gaps this long (at their
						   longest) are on the
						   timeline */
	const char		*journal;	/* the directory, for the text */
	const char		*program;	/* "bordercop 0.1.0" */
};

struct handover_gap {
	unsigned	 id;
	double		 opened;	/* epoch s; NAN: before the replay */
	double		 closed;	/* NAN: open at the end */
	double		 open_s;	/* known seconds open in the window */
	double		 a, b;		/* km, at its longest */
	int		 sector[NSIDES];
	char		 near[96];
	int		 seen;		/* scratch */
};

struct handover_outage {
	double		 from, to;	/* to NAN: down at the end */
	char		 error[160];
};

struct handover_alert {
	unsigned	 id;
	double		 time;
	double		 acked;		/* NAN: not acknowledged */
	char		 text[160];
};

struct handover_unit {
	double		 time;
	char		 id[UNIT_ID_MAX + 1];
	int		 lost;		/* 0 stale, 1 lost */
};

#define HANDOVER_ITEMS(X)		\
	X(GAP_OPEN,	"gap-open")	\
	X(GAP_CLOSE,	"gap-close")	\
	X(LINK_DOWN,	"link-down")	\
	X(LINK_UP,	"link-up")	\
	X(ALERT,	"alert")	\
	X(ACK,		"ack")		\
	X(UNIT_LOST,	"unit-lost")	\
	X(REQUEST,	"request")

enum handover_item {
#define X(id, key) HITEM_##id,
	HANDOVER_ITEMS(X)
#undef X
	HITEM_COUNT
};

/*
 * Requests (REQUEST records): each request open at some time in the
 * window (a change recorded in it, or open when it began), as it stood
 * at the end of the window.  Its state there is the server's, or
 * "queued" / "refused" as the client knew it: HREQ_QUEUED and
 * HREQ_REFUSED follow the server's states.
 */
#define HREQ_QUEUED		REQ_STATE_COUNT
#define HREQ_REFUSED		(REQ_STATE_COUNT + 1)
#define HREQ_STATES		(REQ_STATE_COUNT + 2)

struct handover_req {
	struct journal_req_rec	 q;		/* the last record by the end */
	int			 state;		/* HREQ_* or enum req_state */
	double			 first;		/* first recorded, epoch s */
	int			 open_at_start;	/* (scratch) */
	int			 in_window;	/* (scratch) */
};

struct handover_event {
	double			 time;
	enum handover_item	 kind;
	char			 text[200];
};

struct handover {
	struct handover_config	 cfg;
	double			 known_s, unknown_s, outage_s;
	double			*own_s[NSIDES];		/* per map sector */
	double			*joint_s[NSIDES];

	struct handover_gap	*gaps;		/* every gap seen in the window */
	size_t			 ngaps;
	struct handover_gap	*open;		/* open at the end */
	size_t			 nopen;
	int			 end_known;	/* the end is not unknown */

	struct handover_outage	*outages;
	size_t			 noutages;
	struct handover_alert	*alerts;
	size_t			 nalerts;
	size_t			 nacked;
	struct handover_unit	*units;
	size_t			 nunits;
	size_t			 nstale, nlost;	/* units, each once */
	struct handover_event	*timeline;
	size_t			 ntimeline;

	struct handover_req	*reqs;		/* open first, then by asking */
	size_t			 nreqs;
	size_t			 req_by[HREQ_STATES][JREQ_DIR_UNKNOWN + 1];
	size_t			 req_dir[JREQ_DIR_UNKNOWN + 1];
	size_t			 req_open;	/* open at the end */
	size_t			 req_escalated;
};

/* The name of a HREQ_* state or enum req_state. */
const char	*handover_req_state_name(int);

void		 handover_init(struct handover *);
void		 handover_done(struct handover *);
enum bc_status	 handover_build(const struct journal_reader *,
		    const struct handover_config *, struct handover *,
		    char *why, size_t whylen);
/* Text within 80 columns, or JSON (fields in bordercop(1)). */
enum bc_status	 handover_text(FILE *, const struct handover *);
enum bc_status	 handover_json(FILE *, const struct handover *);

#endif
