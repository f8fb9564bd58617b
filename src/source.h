/*
 * source.h: where the units come from, behind one interface.
 *
 * Three interchangeable sources fill the caller's unit table and a link
 * status: the API poller (poll.h), a feed file (--feed FILE, re-read when
 * it changes) and the embedded DEMO (the scenario engine run in-process,
 * with no network at all).  The caller's loop is the same for all three:
 *
 *	for (;;) {
 *		ms = source_timeout_ms(src, now());	(min with own ticks)
 *		if (source_wait(src, STDIN_FILENO, ms) > 0)
 *			read keys;
 *		cop_step(cop, src, now());	(source_step inside)
 *	}
 *
 * source_wait() is the program's one wait point: for the API it is
 * curl_multi_poll() with the extra descriptor, for the others poll(2).
 * A failed step never touches the table: the last good picture stays.
 *
 * Times ("now") are epoch seconds of the caller's clock.  The picture
 * clock (source_clock) is the feed's time: server time plus the time
 * elapsed since it was received (API), the file's server_time (FILE), or
 * the simulated time (DEMO).
 */
#ifndef BORDERCOP_SOURCE_H
#define BORDERCOP_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "border.h"
#include "feed.h"
#include "link.h"
#include "poll.h"
#include "status.h"
#include "unit.h"

#define SOURCE_KINDS(X)			\
	X(FILE,		"file")		\
	X(API,		"api")		\
	X(DEMO,		"demo")		\
	X(REPLAY,	"replay")	/* the journal, replay.h */

enum source_kind {
#define X(id, name) SOURCE_##id,
	SOURCE_KINDS(X)
#undef X
	SOURCE_KIND_COUNT
};

struct source_config {
	enum source_kind	 kind;
	const char		*path;		/* FILE */
	double			 file_check_s;	/* FILE: 2, re-read check */
	struct poll_config	 poll;		/* API; side codes are set
						   from the map */
	uint64_t		 demo_seed;	/* DEMO: 1 */
	size_t			 demo_units;	/* 0: the scenario default */
	double			 demo_start;	/* epoch s; 0: now */
	double			 demo_speed;	/* simulated s per s: 1 */
	double			 demo_tick_s;	/* 2: s between updates */
	double			 demo_warmup_s;	/* 7200: simulated before the
						   start, so the first picture
						   has a history */
	const char		*replay_dir;	/* REPLAY: the journal */
	double			 replay_from;	/* REPLAY: window, NAN: all */
	double			 replay_to;
	double			 replay_start;	/* REPLAY: NAN: from */
	int			 replay_paused;	/* REPLAY: begin paused */
	int			 replay_quiet;	/* REPLAY: no torn-record warning
						   on stderr (the journal being
						   written, under the TUI) */
};

/* What the last message applied said about itself (for the report). */
struct source_msg {
	double			 server_time;	/* epoch s, NAN when absent */
	struct rejected		*rejected;	/* its rejected features */
	size_t			 nrejected;
};

enum source_event {
	SOURCE_IDLE,		/* nothing happened */
	SOURCE_BUSY,		/* a poll is in flight */
	SOURCE_UPDATED,		/* the table changed */
	SOURCE_SAME,		/* a good poll, nothing new (304) */
	SOURCE_FAILED		/* why says what; the table is kept */
};

struct source;

extern const char *const source_kind_names[SOURCE_KIND_COUNT];

void		 source_config_defaults(struct source_config *);
/* map is borrowed and must outlive the source. */
enum bc_status	 source_new(const struct source_config *,
		    const struct border_map *, double now, struct source **,
		    char *why, size_t whylen);
void		 source_free(struct source *);

int		 source_timeout_ms(struct source *, double now);
/* The one wait point; returns 1 when extra_fd (-1: none) is readable. */
int		 source_wait(struct source *, int extra_fd, int timeout_ms);
enum source_event source_step(struct source *, double now,
		    struct unit_table *, char *why, size_t whylen);
/* Make the next step fetch at once (a "refresh" key). */
void		 source_refresh(struct source *);

enum source_kind source_kind(const struct source *);
const struct link_status *source_link(const struct source *);
/* Whether a message was applied to the table (there is a picture): until
   then views show the link alone, never an empty table as a picture. */
int		 source_has_picture(const struct source *);
/*
 * How well the picture clock is known: 0 not at all (it is the local
 * clock until the feed tells its time), 1 from the server's Date header,
 * 2 from the feed's own time (server_time, the file's, the DEMO's).
 * When it rises, times stamped before are off by the change of
 * source_clock() - now, and the engine shifts them (cop.h).
 */
int		 source_clock_basis(const struct source *);
/* The picture clock at local time now (epoch s). */
double		 source_clock(const struct source *, double now);
/* The last message applied (server_time NAN, none rejected, before). */
const struct source_msg *source_last_msg(const struct source *);
/*
 * Whether the source has nothing more to give: a replay whose last step
 * reached the end of its window (--watch then ends).  The others never
 * end: a file or an API may always change.
 */
int		 source_ended(const struct source *);
/* The replay of a REPLAY source (its keys drive it), else NULL. */
struct replay	*source_replay(struct source *);
/* The poller of an API source, else NULL (for tests and benchmarks). */
struct poller	*source_poller(struct source *);

#endif
