/*
 * replay.h: the journal played back as a source (source.h, kind REPLAY).
 *
 * The replay reads the journal's day files for its window once, then
 * plays its table records on a clock of its own: the replayed time moves
 * with the caller's clock times the speed (1x to 600x) unless paused, and
 * stops at the end.  A step applies the records up to the replayed time
 * to the caller's table; going back (a seek, a step back) rebuilds the
 * table from the last keyframe before the target, so the table at any
 * time is exactly the one recorded then.  The link state is the one
 * recorded at that time, and the link's source text is the banner,
 * "REPLAY 14:05:30Z" (with "paused" or the speed).  The requests are
 * those recorded up to the replayed time, each as its last record there
 * says, in a book of the replay's own that nothing sends from.
 *
 * Times are epoch s: now is the caller's (local) clock, the rest are the
 * journal's picture clock.
 */
#ifndef BORDERCOP_REPLAY_H
#define BORDERCOP_REPLAY_H

#include <stddef.h>

#include "journal.h"
#include "link.h"
#include "reqbook.h"
#include "status.h"
#include "unit.h"

#define REPLAY_SPEED_MAX	600.0

struct replay_config {
	const char	*dir;		/* the journal directory */
	double		 from, to;	/* the window; NAN: the journal's */
	double		 start;		/* replayed time to begin at; NAN:
					   from (or the first picture) */
	int		 paused;	/* begin paused */
	journal_warn_fn	*warn;		/* NULL: stderr */
	void		*warn_arg;
};

struct replay;

enum bc_status	 replay_new(const struct replay_config *, double now,
		    struct replay **, char *why, size_t whylen);
void		 replay_free(struct replay *);

/* The replayed time at local time now. */
double		 replay_clock(const struct replay *, double now);
int		 replay_timeout_ms(const struct replay *, double now);
/* Bring t up to the replayed time; 1 when the table changed. */
int		 replay_step(struct replay *, double now, struct unit_table *);
const struct link_status *replay_link(const struct replay *);
/* Whether a table was ever applied. */
int		 replay_has_picture(const struct replay *);
/* Whether the last step brought the replayed time to the end of the
   window (--to, or the journal's last record): nothing more will come. */
int		 replay_ended(const struct replay *);

void		 replay_pause(struct replay *, double now, int paused);
int		 replay_paused(const struct replay *);
/* Faster (dir > 0) or slower, through 1, 2, 5, 10, 30, 60, 120, 300,
   600; returns the new speed. */
double		 replay_speed_step(struct replay *, double now, int dir);
double		 replay_speed(const struct replay *);
/* Go to time t (clamped to the window); the table is rebuilt. */
void		 replay_seek(struct replay *, double now, double t);
/* To the next (dir > 0) or previous recorded change of the table, and
   pause there; 0 when there is none. */
int		 replay_change(struct replay *, double now, int dir);
/* To the next or previous recorded alert (its text into buf), paused;
   0 when there is none. */
int		 replay_alert(struct replay *, double now, int dir, char *buf,
		    size_t len);
/* A time typed by a person: RFC 3339, or HH:MM[:SS] (UTC) on the day
   of around; -1 when it is neither. */
int		 replay_parse_time(const char *, double around, double *t);
/* The requests as recorded up to the replayed time of the last step
   (side codes name the map's sides); the book is the replay's, the same
   pointer from call to call; *changed (if not NULL) says whether it
   changed since the last call. */
const struct reqbook *replay_requests(struct replay *,
		    const char *const side_codes[NSIDES], int *changed);
double		 replay_first(const struct replay *);
double		 replay_last(const struct replay *);

#endif
