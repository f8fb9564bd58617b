/*
 * cot.h: the picture as Cursor on Target (CoT 2.0 XML events), a sink for
 * TAK clients and servers (ATAK, WinTAK, TAK Server).
 *
 * Each open gap is a drawing (type u-d-f) whose link points follow the
 * border line's own vertices over the gap's stretch, from its start to
 * its end: uid "bordercop.STATION.gap.ID" (STATION the host name, ID the
 * gap track id, so it stays the same for the gap's whole life), callsign
 * "GAP ID LEN km SECTOR/SECTOR", remarks in English and Spanish, time =
 * start = now, stale 3 poll intervals later.  A gap that is no longer in
 * the picture (closed, or merged into another) gets a t-x-d-d event with
 * __forcedelete and a link to the same uid, which TAK clients act on at
 * once.  A gap is sent again when its stretch changes and otherwise once
 * an interval, so that it never goes stale while open.  While the picture
 * is unknown (cop.h: no data for longer than stale_after) nothing is sent:
 * unknown is never shown as gap, and the drawings go stale on their own.
 *
 * Units only when asked (units OWN: this station's side; ALL: both), as
 * points: the own side friendly (a-f-...), the other side neutral
 * (a-n-...), the function from the unit's kind; only fresh units, stale
 * when their report stops being fresh (at most 3 intervals on).  By
 * default no unit is sent, so that one side's tracks are never forwarded.
 *
 * Destinations: tcp://HOST:PORT (a TAK server's streaming input, 8087 by
 * convention; events back to back, one a line), udp://HOST:PORT (one
 * event a datagram; a multicast group such as the mesh SA 239.2.3.1:6969
 * with a TTL of 1), or a file, appended to, one event a line ("-":
 * standard output).  The sink never blocks the program for long: a TCP
 * peer that does not take an event is dropped and connected again at a
 * later update (at most every COT_RETRY_S), and the events it missed are
 * counted.  Strings from the feed are clean already; they are escaped
 * for XML here.
 */
#ifndef BORDERCOP_COT_H
#define BORDERCOP_COT_H

#include <stddef.h>

#include "picture.h"
#include "status.h"

#define COT_STALE_INTERVALS	3	/* stale = now + 3 poll intervals */
#define COT_LINKS_MAX		1000	/* points of one drawing, at most */
#define COT_RETRY_S		30.0	/* between connection attempts */

enum cot_units {
	COT_UNITS_NONE,
	COT_UNITS_OWN,
	COT_UNITS_ALL
};

struct cot_config {
	const char	*dest;		/* tcp://, udp://, a file or "-" */
	double		 interval_s;	/* the poll interval, s */
	enum cot_units	 units;
	int		 own_side;	/* SIDE_LEFT/RIGHT; needed for units */
	const char	*station;	/* in gap uids; NULL: the host name */
};

struct cot;

/* Open the destination (a TCP connection is tried at once). */
enum bc_status	 cot_open(const struct cot_config *, struct cot **,
		    char *why, size_t whylen);
void		 cot_close(struct cot *);
/*
 * Send what the picture says at time now (epoch s, the picture clock):
 * open gaps (new, changed, or last sent an interval ago), deletes for
 * gaps gone since the last call, and, when fresh (a new answer was
 * applied) and units were asked for, the units.  BC_OK, or BC_NET/BC_IO
 * when events were lost (why says why; the sink tries again later).
 */
enum bc_status	 cot_update(struct cot *, const struct picture *, double now,
		    int fresh, char *why, size_t whylen);
/* Events sent, and events lost to a destination that failed. */
unsigned long	 cot_sent(const struct cot *);
unsigned long	 cot_lost(const struct cot *);

#endif
